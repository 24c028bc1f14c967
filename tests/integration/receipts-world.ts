// Fixtures of the receipts tests: a published need, pledges, and payment / refund rows inserted
// directly (the payments module records them for real; these tests judge receipts only).
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { emailOutbox, organizations, payments, receipts, refunds } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createPledge, type CreatePledgeInput } from "~/modules/pledging/pledges.server";
import { issueCreditNote, issueReceipt } from "~/modules/receipts/receipts.server";
import { pledgeInput, pledgeWorld } from "../fixtures/pledging";

export type ReceiptsWorld = Awaited<ReturnType<typeof receiptsWorld>>;

/** An organisation with a legal name and registration, a finance officer and a published need. */
export async function receiptsWorld(options: { targetMinor?: number; legalName?: string | null } = {}) {
  const w = await pledgeWorld({ targetMinor: options.targetMinor ?? 100_000_000 });
  const db = await getDb();
  const [org] = await db
    .update(organizations)
    .set({ legalName: options.legalName === undefined ? "Test Association for Relief (registered)" : options.legalName, registrationNumber: "LB-REG-2291" })
    .where(eq(organizations.id, w.org.id))
    .returning();
  return { ...w, org };
}

export async function pledgeFor(w: ReceiptsWorld, overrides: Partial<CreatePledgeInput> = {}) {
  return (await createPledge(await getDb(), pledgeInput(w.need, overrides))).pledge;
}

/** A succeeded payment row (no ledger entry: ledgerEntryId stays null in these fixtures). */
export async function paymentRow(
  w: ReceiptsWorld,
  values: Partial<typeof payments.$inferInsert> & { pledgeId?: string | null } = {},
) {
  const [row] = await (await getDb())
    .insert(payments)
    .values({
      orgId: w.org.id,
      needId: values.pledgeId ? w.need.id : null,
      method: "bank_transfer",
      amountMinor: 1_000,
      currency: "USD",
      valueDate: "2026-03-02",
      status: "succeeded",
      allocation: values.pledgeId ? "need_fund" : "suspense",
      idempotencyKey: randomBytes(12).toString("hex"),
      ...values,
    })
    .returning();
  return row;
}

export async function refundRow(payment: typeof payments.$inferSelect, amountMinor: number) {
  const [row] = await (await getDb())
    .insert(refunds)
    .values({
      orgId: payment.orgId,
      paymentId: payment.id,
      amountMinor,
      currency: payment.currency,
      status: "succeeded",
      idempotencyKey: randomBytes(12).toString("hex"),
    })
    .returning();
  return row;
}

export async function receiptFor(paymentId: string, now = new Date("2026-03-03T10:00:00Z"), origin = "http://tadamon.test") {
  const db = await getDb();
  return db.transaction((tx) => issueReceipt(tx, { paymentId, now, origin }));
}

export async function creditNoteFor(refundId: string, now = new Date("2026-04-03T10:00:00Z"), origin = "http://tadamon.test") {
  const db = await getDb();
  return db.transaction((tx) => issueCreditNote(tx, { refundId, now, origin }));
}

export async function receiptRow(id: string) {
  const [row] = await (await getDb()).select().from(receipts).where(eq(receipts.id, id));
  return row;
}

export async function outboxTo(address: string) {
  return (await getDb()).select().from(emailOutbox).where(eq(emailOutbox.toAddress, address));
}

import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { disbursementBatches, needs, payees } from "#db/schema";
import type { Actor } from "~/modules/audit/audit.server";
import { ensureDefaultMoneyAccount } from "~/modules/payments/payments.server";
import { approveDisbursement, fundsAvailable, markDisbursementPaid, requestDisbursement } from "~/modules/disbursements/disbursements.server";
import { DEMO_USERS } from "./demo-data";

/**
 * Demo money out (issue 10) at Bayader, through the disbursements module inside the seed's
 * transaction: a school-fees need's fund paid to its school (requested by the finance officer,
 * approved by the treasurer, marked paid from the cash box: a funded need would then be
 * `disbursed`; its donors get the gift-delivered email), and one more batch waiting for the
 * treasurer's approval. Idempotent by fixed keys: a second run changes nothing.
 */
const ORG = "bayader-camps";
const PAID_KEY = "tadamon-demo-disbursement:paid-school";
const WAITING_KEY = "tadamon-demo-disbursement:waiting";

type Ctx = { orgIds: Map<string, string>; userIds: Map<string, string>; now: Date };

function actorOf(ctx: Ctx, email: string | undefined): Actor | null {
  const userId = email ? ctx.userIds.get(email) : undefined;
  return userId ? { userId, ip: null, userAgent: "tadamon-seed" } : null;
}

const financeEmail = (role: "finance" | "treasurer") =>
  DEMO_USERS.find((u) => u.email.includes(role === "finance" ? "bayader.finance" : "bayader.treasurer"))?.email;

/** The need's payee (its record, else one made from the need's free-text payee: same kind and name). */
async function payeeFor(tx: Tx, need: typeof needs.$inferSelect): Promise<string> {
  if (need.payeeId) return need.payeeId;
  const name = need.payeeName?.trim() || need.payeeKind;
  const [found] = await tx
    .select({ id: payees.id })
    .from(payees)
    .where(and(eq(payees.orgId, need.orgId), eq(payees.kind, need.payeeKind), eq(payees.name, name)))
    .limit(1);
  const id = found?.id ?? (await tx.insert(payees).values({ orgId: need.orgId, kind: need.payeeKind, name, searchText: name }).returning({ id: payees.id }))[0].id;
  await tx.update(needs).set({ payeeId: id }).where(eq(needs.id, need.id));
  return id;
}

export async function seedDemoDisbursements(tx: Tx, ctx: Ctx): Promise<void> {
  const db = tx as unknown as Db;
  const orgId = ctx.orgIds.get(ORG);
  const finance = actorOf(ctx, financeEmail("finance"));
  const treasurer = actorOf(ctx, financeEmail("treasurer"));
  if (!orgId || !finance || !treasurer) return;
  const withMoney = await tx
    .select()
    .from(needs)
    .where(and(eq(needs.orgId, orgId), sql`${needs.paidMinor} > 0`))
    .orderBy(asc(needs.createdAt), asc(needs.id));
  if (withMoney.length === 0) return;
  const cashBox = (currency: string) => ensureDefaultMoneyAccount(tx, orgId, "cash", currency);
  const valueDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Beirut", year: "numeric", month: "2-digit", day: "2-digit" }).format(ctx.now);

  const byKey = async (key: string) => (await tx.select().from(disbursementBatches).where(eq(disbursementBatches.idempotencyKey, key)).limit(1))[0];

  // 1. A funded school need, paid to its school in full.
  let paid = await byKey(PAID_KEY);
  // (The demo's only funded need is at Al-Shahba, which has one finance officer; at Bayader the
  // school need with money is paid what its fund holds: funded or not, the payee gets it now.)
  const school =
    withMoney.find((n) => n.state === "funded" && n.payeeKind === "school") ?? withMoney.find((n) => n.payeeKind === "school") ?? withMoney[0];
  if (!paid && school) {
    const payeeId = await payeeFor(tx, school);
    const row = (await fundsAvailable(tx, orgId, { payeeId, currency: school.currency })).find((r) => r.needId === school.id);
    if (row && row.availableMinor > 0) {
      paid = await requestDisbursement(db, finance, {
        orgId,
        payeeId,
        method: "cash",
        moneyAccountId: await cashBox(school.currency),
        items: [{ needId: school.id, amountMinor: row.availableMinor }],
        note: "School fees for the term, paid at the school's office against its stamped receipt.",
        idempotencyKey: PAID_KEY,
        now: ctx.now,
      });
    }
  }
  if (paid && paid.status === "requested") paid = await approveDisbursement(db, treasurer, paid.id, { now: ctx.now });
  if (paid && paid.status === "approved") await markDisbursementPaid(db, finance, paid.id, { paidDate: valueDate, reference: "RCPT-2026-0142", now: ctx.now });

  // 2. Another need with money in its fund: a batch waiting for the treasurer's approval.
  if (await byKey(WAITING_KEY)) return;
  for (const need of withMoney) {
    if (need.id === school?.id) continue;
    const payeeId = await payeeFor(tx, need);
    const row = (await fundsAvailable(tx, orgId, { payeeId, currency: need.currency })).find((r) => r.needId === need.id);
    if (!row || row.availableMinor <= 0) continue;
    await requestDisbursement(db, finance, {
      orgId,
      payeeId,
      method: "cash",
      moneyAccountId: await cashBox(need.currency),
      items: [{ needId: need.id, amountMinor: row.availableMinor }],
      note: "First instalment, to be collected at the office.",
      idempotencyKey: WAITING_KEY,
      now: ctx.now,
    });
    return;
  }
}

import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { disbursementBatches, moneyAccounts, needs, organizations, paymentDocuments, payees, pledges } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { postEntry } from "~/modules/ledger/ledger.server";
import { normalizeEmail } from "~/modules/identity/tokens";
import { todayIn } from "~/modules/needs/money";
import { applySystemTransition } from "~/modules/needs/needs.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { formatMoney } from "~/utils/format";
import { DisbursementError } from "./errors";
import { ASSET_KIND_OF, becomesDisbursed, disbursementPostings, type ClaimItem } from "./rules";
import { validDay, UUID, checkKey, peekBatch, requireFinance, itemsOf, lockNeeds, lockBatch, orgOf, balancesOf, refuseClaims, publicTitle, type Batch, type Need } from "./disbursement-steps.server";

// ---------------------------------------------------------------- paid

export type MarkPaidInput = {
  /** YYYY-MM-DD: when the money left; not in the future in the organisation's time zone. */
  paidDate: string;
  /** The bank's transfer reference, the cheque number, the cash receipt's number. */
  reference: string;
  proofDocumentId?: string | null;
  idempotencyKey?: string | null;
  orgId?: string;
  now?: Date;
};

export type MarkPaidResult = { batch: Batch; entryId: string; created: boolean; disbursedNeedIds: string[]; emailsQueued: number };

/**
 * The approved batch's money has left: checked again under the needs' locks (each amount ≤ its fund
 * minus the other open batches' claims), one ledger entry `disbursement:<batchId>` (Dr each need's
 * fund, Cr the money account), needs.disbursed_minor, `funded → disbursed` for a need whose fund is
 * now empty (the actor named), and an email to each donor with money in a need ("your gift reached
 * a school" — the payee's kind only). Marking a paid batch paid again returns it, writing nothing.
 */
export async function markDisbursementPaid(db: Db, actor: Actor, batchId: string, input: MarkPaidInput): Promise<MarkPaidResult> {
  const now = input.now ?? new Date();
  const reference = typeof input.reference === "string" ? input.reference.trim() : "";
  if (!reference || reference.length > 200) throw new DisbursementError("reference_invalid");
  if (!validDay(input.paidDate)) throw new DisbursementError("paid_date_invalid");
  if (input.proofDocumentId && !UUID.test(input.proofDocumentId)) throw new DisbursementError("proof_invalid");
  if (input.idempotencyKey != null) checkKey(input.idempotencyKey);

  return db.transaction(async (tx): Promise<MarkPaidResult> => {
    const peek = await peekBatch(tx, batchId);
    if (input.orgId && peek.orgId !== input.orgId) throw new DisbursementError("batch_not_found");
    await requireFinance(tx, actor, peek.orgId);
    const peekItems = await itemsOf(tx, peek.id);
    const locked = await lockNeeds(tx, peek.orgId, peekItems.map((i) => i.needId));
    const batch = await lockBatch(tx, peek.id);
    if (batch.status === "paid") return { batch, entryId: batch.ledgerEntryId!, created: false, disbursedNeedIds: [], emailsQueued: 0 };
    if (batch.status !== "approved") throw new DisbursementError("invalid_state", { state: batch.status });
    const org = await orgOf(tx, batch.orgId);
    if (input.paidDate > todayIn(org.timeZone, now)) throw new DisbursementError("paid_date_future");
    if (input.proofDocumentId) {
      const [doc] = await tx
        .select({ id: paymentDocuments.id })
        .from(paymentDocuments)
        .where(and(eq(paymentDocuments.id, input.proofDocumentId), eq(paymentDocuments.orgId, batch.orgId)))
        .limit(1);
      if (!doc) throw new DisbursementError("proof_invalid");
    }
    const items = (await itemsOf(tx, batch.id)).map((i) => ({ needId: i.needId, amountMinor: i.amountMinor }));
    const balances = await balancesOf(tx, items.map((i) => i.needId), batch.id);
    refuseClaims(items, balances);
    const [account] = await tx.select().from(moneyAccounts).where(eq(moneyAccounts.id, batch.moneyAccountId)).limit(1);
    if (!account || account.orgId !== batch.orgId || account.currency !== batch.currency) throw new DisbursementError("money_account_invalid");
    const [payee] = await tx.select().from(payees).where(eq(payees.id, batch.payeeId)).limit(1);

    const { entryId, created } = await postEntry(tx, {
      orgId: batch.orgId,
      currency: batch.currency,
      kind: "disbursement",
      idempotencyKey: `disbursement:${batch.id}`,
      memo: `Disbursement ${batch.number} (${batch.method}, ${reference})`,
      actorUserId: actor.userId,
      valueDate: input.paidDate,
      needId: items.length === 1 ? items[0].needId : null,
      postings: disbursementPostings(items, { kind: ASSET_KIND_OF[batch.method], moneyAccountId: account.id }),
    });

    const disbursedNeedIds: string[] = [];
    for (const item of items) {
      const [need] = await tx
        .update(needs)
        .set({ disbursedMinor: sql`${needs.disbursedMinor} + ${item.amountMinor}`, updatedAt: now })
        .where(eq(needs.id, item.needId))
        .returning();
      const fundAfter = balances.get(item.needId)!.fundMinor - item.amountMinor;
      if (becomesDisbursed(need.state, fundAfter)) {
        const moved = await applySystemTransition(tx, actor, need, "disburse", {
          now,
          change: { batch: batch.number, disbursedMinor: need.disbursedMinor, currency: need.currency },
        });
        if (moved) disbursedNeedIds.push(need.id);
      }
    }

    const [paid] = await tx
      .update(disbursementBatches)
      .set({
        status: "paid",
        paidBy: actor.userId,
        paidAt: now,
        paidDate: input.paidDate,
        paidReference: reference,
        proofDocumentId: input.proofDocumentId ?? null,
        ledgerEntryId: entryId,
        updatedAt: now,
      })
      .where(eq(disbursementBatches.id, batch.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: batch.orgId,
      action: "disbursement.paid",
      entityType: "disbursement_batch",
      entityId: batch.id,
      change: {
        number: batch.number,
        from: batch.status,
        to: "paid",
        paidDate: input.paidDate,
        reference,
        proofDocumentId: input.proofDocumentId ?? null,
        entryId,
        totalMinor: batch.totalMinor,
        currency: batch.currency,
        disbursedNeeds: disbursedNeedIds,
      },
    });

    let emailsQueued = 0;
    if (created && payee) emailsQueued = await tellDonors(tx, { org, payeeKind: payee.kind, items, needs: locked });
    return { batch: paid, entryId, created, disbursedNeedIds, emailsQueued };
  });
}

/**
 * "Your gift reached a school": one email per donor (address) and need with money in it, in the
 * pledge's language, through the outbox in this transaction. The payee's KIND only — never its
 * name, never anything of the household; the need's public title.
 */
async function tellDonors(
  tx: Tx,
  input: { org: typeof organizations.$inferSelect; payeeKind: (typeof payees.$inferSelect)["kind"]; items: ClaimItem[]; needs: Map<string, Need> },
): Promise<number> {
  let sent = 0;
  for (const item of input.items) {
    const need = input.needs.get(item.needId)!;
    const donors = await tx
      .select({ email: pledges.email, name: pledges.displayName, locale: pledges.locale, anonymous: pledges.anonymous })
      .from(pledges)
      .where(and(eq(pledges.needId, need.id), sql`${pledges.paidMinor} > 0`))
      .orderBy(asc(pledges.createdAt), asc(pledges.id));
    const seen = new Set<string>();
    for (const d of donors) {
      const email = normalizeEmail(d.email ?? "");
      if (!email || seen.has(email)) continue;
      seen.add(email);
      const locale = d.locale;
      await enqueueEmail(tx, email, locale, {
        template: "gift-delivered",
        data: {
          name: d.name ?? "",
          needTitle: publicTitle(need, locale),
          orgName: locale === "ar" ? input.org.nameAr : input.org.nameEn,
          payeeKind: input.payeeKind,
          amount: formatMoney(item.amountMinor, need.currency, locale),
        },
      });
      sent += 1;
    }
  }
  return sent;
}

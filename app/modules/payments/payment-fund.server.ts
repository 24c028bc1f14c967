import { eq } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { ledgerEntries, payments } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { UNRESTRICTED, ZAKAT_FUND, movePostings, need as needFund } from "~/modules/ledger/ledger";
import { paymentHoldings, postEntry } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { PaymentError } from "./errors";
import { IN_LEDGER, UUID, checkKey, holdingIn, lockPaymentContext, orgOf, positiveMinor, putIntoNeed, requireFinance, tellDonorWhereMoneyWent } from "./payment-steps.server";

/**
 * The solidarity fund's allocations (issue 12): part of a payment's money in the unrestricted fund
 * moves to a need the allocator chose — one reallocation entry (Dr unrestricted fund; Cr the need's
 * fund), the need's paid total (and `funded` when it reaches its target), an audit row, and the
 * donor's "where your money went" email. In the caller's transaction (a fund run is one
 * transaction); finance or the system (the scheduled run) may do it. Refused, with nothing
 * written: more than the payment holds in the fund, a need of another organisation or currency,
 * a need that is not published or has less room than the amount.
 */
export async function allocateFromFund(
  tx: Tx,
  actor: Actor,
  input: { paymentId: string; needId: string; amountMinor: number; idempotencyKey: string; now: Date; fund?: "unrestricted_fund" | "zakat_fund" },
): Promise<{ entryId: string; created: boolean; funded: boolean }> {
  const key = `fund:${checkKey(input.idempotencyKey)}`;
  if (!positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  if (!UUID.test(input.paymentId)) throw new PaymentError("payment_not_found");
  if (!UUID.test(input.needId)) throw new PaymentError("need_not_found");
  const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, input.paymentId)).limit(1);
  if (!peek) throw new PaymentError("payment_not_found");
  await requireFinance(tx, actor, peek.orgId, true);
  const ctx = await lockPaymentContext(tx, input.paymentId, [input.needId]);
  const [done] = await tx.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, key)).limit(1);
  if (done) return { entryId: done.id, created: false, funded: false };
  const payment = ctx.payment;
  if (!IN_LEDGER.includes(payment.status)) throw new PaymentError("invalid_state", { state: payment.status });
  const source = input.fund === "zakat_fund" ? ZAKAT_FUND : UNRESTRICTED;
  const held = holdingIn(await paymentHoldings(tx, payment.id), source);
  if (input.amountMinor > held) throw new PaymentError("amount_invalid", { maxMinor: held });
  const need = ctx.needs.get(input.needId);
  if (!need) throw new PaymentError("need_not_found");
  if (need.orgId !== payment.orgId) throw new PaymentError("other_org_need");
  if (need.currency !== payment.currency) throw new PaymentError("other_currency_need", { currency: need.currency });
  if (need.state !== "published") throw new PaymentError("need_not_open", { state: need.state });
  // The gift's restrictions hold here too, whoever asks: zakat only to zakat-eligible needs, and a
  // fund pledge's categories and governorate.
  if (source === ZAKAT_FUND && need.zakatCategory === null) throw new PaymentError("zakat_ineligible");
  const pledge = ctx.pledge;
  if (pledge?.kind === "fund") {
    if (pledge.fundCategories?.length && !pledge.fundCategories.includes(need.category)) throw new PaymentError("restriction_broken");
    if (pledge.fundRegionId && need.publicRegionId !== pledge.fundRegionId) throw new PaymentError("restriction_broken");
  }
  const room = need.targetMinor - need.paidMinor - need.reservedMinor;
  if (input.amountMinor > room) throw new PaymentError("need_full", { remainingMinor: Math.max(0, room), currency: need.currency });

  const org = await orgOf(tx, payment.orgId);
  const entry = await postEntry(tx, {
    orgId: payment.orgId,
    currency: payment.currency,
    kind: "reallocation",
    idempotencyKey: key,
    memo: `${source === ZAKAT_FUND ? "Zakat" : "Solidarity"} fund to need ${need.publicId}`,
    actorUserId: actor.userId,
    valueDate: todayIn(org.timeZone, input.now),
    paymentId: payment.id,
    pledgeId: payment.pledgeId,
    needId: need.id,
    postings: movePostings(source, [{ account: needFund(need.id), amountMinor: input.amountMinor }]),
  });
  const { funded } = await putIntoNeed(tx, actor, { needId: need.id, amountMinor: input.amountMinor, pledge: null, now: input.now });
  if (payment.allocation === source.kind && input.amountMinor === held) {
    await tx.update(payments).set({ allocation: "need_fund", needId: need.id, updatedAt: input.now }).where(eq(payments.id, payment.id));
  }
  await recordAudit(tx, actor, {
    orgId: payment.orgId,
    action: "payment.allocate_fund",
    entityType: "payment",
    entityId: payment.id,
    change: { from: source.kind, to: `need_fund:${need.id}`, amountMinor: input.amountMinor, currency: payment.currency },
  });
  await tellDonorWhereMoneyWent(tx, { payment, pledge: ctx.pledge, kind: "moved", amountMinor: input.amountMinor, fromNeed: null, toNeed: need });
  return { entryId: entry.entryId, created: entry.created, funded };
}

import { and, eq } from "drizzle-orm";
import { type Db, type Tx } from "#db/client.server";
import { payments, pledges } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { SUSPENSE, UNRESTRICTED, ZAKAT_FUND, accountKey, movePostings, need as needFund, type AccountRef } from "~/modules/ledger/ledger";
import { paymentHoldings, postEntry } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { type Pledge } from "~/modules/pledging/pledges.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { issueReceipt } from "~/modules/receipts/receipts.server";
import { PaymentError } from "./errors";
import { type Need, type Payment, UUID, PAYABLE, OPEN_NEED, requireFinance, lockPaymentContext, orgOf, tellDonorWhereMoneyWent, positiveMinor, checkKey, allocationAccount, takeOutOfNeed, putIntoNeed, entryExists, holdingIn, IN_LEDGER, fundAccountOf } from "./payment-steps.server";

/** Moving recorded money: attaching suspense money to a pledge, and moving money between needs or to the unrestricted fund. */

/**
 * Suspense money explained: it pays the pledge with this reference (of the same organisation and
 * currency). A live pledge takes what it still expects; a released one (cancelled, expired, part
 * paid) is pledged again if its need is open and has room. What the pledge cannot take goes to the
 * unrestricted fund. One reallocation entry: Dr suspense; Cr the need's fund / unrestricted fund.
 */
export async function attachPayment(
  db: Db,
  actor: Actor,
  input: { paymentId: string; pledgeReference: string; idempotencyKey: string; now?: Date; origin?: string },
): Promise<{ payment: Payment; pledge: Pledge; funded: boolean; surplusMinor: number }> {
  const now = input.now ?? new Date();
  const key = checkKey(input.idempotencyKey);
  const reference = normalizeReference(input.pledgeReference);
  if (!reference) throw new PaymentError("reference_invalid");
  if (!UUID.test(input.paymentId)) throw new PaymentError("payment_not_found");
  return db.transaction(async (tx) => {
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, input.paymentId)).limit(1);
    if (!peek) throw new PaymentError("payment_not_found");
    await requireFinance(tx, actor, peek.orgId);
    const [target] = await tx.select({ id: pledges.id, needId: pledges.needId }).from(pledges).where(and(eq(pledges.reference, reference), eq(pledges.orgId, peek.orgId))).limit(1);
    if (!target) throw new PaymentError("pledge_not_found");
    const ctx = await lockPaymentContext(tx, input.paymentId, [target.needId], target.id);
    const pledge = ctx.pledges.get(target.id)!;
    let payment = ctx.payment;
    const entryKey = `attach:${key}`;
    if (await entryExists(tx, entryKey)) return { payment, pledge, funded: false, surplusMinor: 0 };
    if (!IN_LEDGER.includes(payment.status) || payment.allocation !== "suspense") throw new PaymentError("invalid_state", { state: payment.status });
    if (payment.currency !== pledge.currency) throw new PaymentError("currency_mismatch", { currency: pledge.currency });
    if (pledge.method === "delivery") throw new PaymentError("invalid_state", { state: pledge.status });
    const holdings = await paymentHoldings(tx, payment.id);
    const available = holdingIn(holdings, SUSPENSE);
    if (available <= 0) throw new PaymentError("nothing_to_move");
    if (pledge.kind === "fund") {
      // A fund pledge takes all of it, into its fund (the zakat fund for zakat).
      const fund = fundAccountOf(pledge);
      await postEntry(tx, {
        orgId: payment.orgId,
        currency: payment.currency,
        kind: "reallocation",
        idempotencyKey: entryKey,
        memo: `Suspense money attached to ${pledge.reference} (${pledge.zakat ? "zakat" : "solidarity"} fund)`,
        actorUserId: actor.userId,
        valueDate: todayIn((await orgOf(tx, payment.orgId)).timeZone, now),
        paymentId: payment.id,
        pledgeId: pledge.id,
        needId: null,
        postings: movePostings(SUSPENSE, [{ account: fund, amountMinor: available }]),
      });
      const paidMinor = pledge.paidMinor + available;
      const [updatedPledge] = await tx
        .update(pledges)
        .set({ paidMinor, status: paidMinor >= pledge.amountMinor ? "paid" : PAYABLE.includes(pledge.status) ? pledge.status : "part_paid", paidAt: now, updatedAt: now })
        .where(eq(pledges.id, pledge.id))
        .returning();
      [payment] = await tx
        .update(payments)
        .set({ pledgeId: pledge.id, needId: null, allocation: fund.kind === "zakat_fund" ? "zakat_fund" : "unrestricted_fund", flagResolvedAt: payment.flag ? now : null, locale: pledge.locale, updatedAt: now })
        .where(eq(payments.id, payment.id))
        .returning();
      await issueReceipt(tx, { paymentId: payment.id, now, origin: input.origin });
      await recordAudit(tx, actor, {
        orgId: payment.orgId,
        action: "payment.attach",
        entityType: "payment",
        entityId: payment.id,
        change: { pledge: pledge.reference, appliedMinor: available, fund: fund.kind, currency: payment.currency },
      });
      return { payment, pledge: updatedPledge!, funded: false, surplusMinor: 0 };
    }
    const need = ctx.needs.get(target.needId!)!;
    let room: number;
    if (PAYABLE.includes(pledge.status)) {
      if (!OPEN_NEED.includes(need.state)) throw new PaymentError("need_not_open", { state: need.state });
      room = pledge.amountMinor - pledge.paidMinor;
    } else {
      if (need.state !== "published") throw new PaymentError("need_not_open", { state: need.state });
      room = Math.min(pledge.amountMinor - pledge.paidMinor, need.targetMinor - need.paidMinor - need.reservedMinor);
    }
    const applied = Math.max(0, Math.min(available, room));
    if (applied === 0) throw new PaymentError("need_full", { remainingMinor: 0, currency: need.currency });
    const rest = available - applied;
    const entry = await postEntry(tx, {
      orgId: payment.orgId,
      currency: payment.currency,
      kind: "reallocation",
      idempotencyKey: entryKey,
      memo: `Suspense money attached to ${pledge.reference}`,
      actorUserId: actor.userId,
      valueDate: todayIn((await orgOf(tx, payment.orgId)).timeZone, now),
      paymentId: payment.id,
      pledgeId: pledge.id,
      needId: need.id,
      postings: movePostings(SUSPENSE, [
        { account: needFund(need.id), amountMinor: applied },
        { account: fundAccountOf(pledge), amountMinor: rest },
      ]),
    });
    const { pledge: updatedPledge, funded } = await putIntoNeed(tx, actor, { needId: need.id, amountMinor: applied, pledge, now });
    [payment] = await tx
      .update(payments)
      .set({
        pledgeId: pledge.id,
        needId: need.id,
        allocation: "need_fund",
        surplusMinor: payment.surplusMinor + rest,
        flagResolvedAt: payment.flag ? now : null,
        locale: pledge.locale,
        updatedAt: now,
      })
      .where(eq(payments.id, payment.id))
      .returning();
    await issueReceipt(tx, { paymentId: payment.id, now, origin: input.origin });
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: "payment.attach",
      entityType: "payment",
      entityId: payment.id,
      change: { pledge: pledge.reference, appliedMinor: applied, unrestrictedMinor: rest, currency: payment.currency },
    });
    if (entry.created) {
      await tellDonorWhereMoneyWent(tx, { payment, pledge: updatedPledge ?? pledge, kind: "attached", amountMinor: applied, fromNeed: null, toNeed: need, unrestrictedMinor: rest });
    }
    return { payment, pledge: updatedPledge!, funded, surplusMinor: rest };
  });
}

/**
 * Moves a payment's money from where it sits (a need's fund — e.g. a cancelled or expired need —
 * suspense, or the unrestricted fund) to another need of the same organisation and currency, within
 * that need's remaining capacity, or to the unrestricted fund. `amountMinor` moves part of it (the
 * rest stays). The source need leaves `funded` if its fund falls below its target; the target need
 * becomes `funded` when it reaches its own.
 */
export async function reallocatePayment(
  db: Db,
  actor: Actor,
  input: { paymentId: string; to: { needId: string } | "unrestricted"; idempotencyKey: string; amountMinor?: number; now?: Date },
): Promise<{ payment: Payment; movedMinor: number; funded: boolean }> {
  // Bad input is refused before a transaction opens (reallocateInTx checks it again).
  checkKey(input.idempotencyKey);
  if (input.amountMinor !== undefined && !positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  const toNeedId = input.to === "unrestricted" ? null : input.to?.needId;
  if (input.to !== "unrestricted" && (!toNeedId || !UUID.test(toNeedId))) throw new PaymentError("need_not_found");
  if (!UUID.test(input.paymentId)) throw new PaymentError("payment_not_found");
  return db.transaction((tx) => reallocateInTx(tx, actor, input, false));
}

/**
 * reallocatePayment in the caller's transaction. `systemAllowed`: the system may move it — only
 * donor credit (app/modules/giving/credits.server.ts) sets it, on the donor's own instruction (a
 * signed link or their account) or when the donor's window ended.
 */
export async function reallocateInTx(
  tx: Tx,
  actor: Actor,
  input: { paymentId: string; to: { needId: string } | "unrestricted"; idempotencyKey: string; amountMinor?: number; now?: Date },
  systemAllowed: boolean,
): Promise<{ payment: Payment; movedMinor: number; funded: boolean }> {
  const now = input.now ?? new Date();
  const key = checkKey(input.idempotencyKey);
  if (input.amountMinor !== undefined && !positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  const toNeedId = input.to === "unrestricted" ? null : input.to?.needId;
  if (input.to !== "unrestricted" && (!toNeedId || !UUID.test(toNeedId))) throw new PaymentError("need_not_found");
  if (!UUID.test(input.paymentId)) throw new PaymentError("payment_not_found");
  {
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, input.paymentId)).limit(1);
    if (!peek) throw new PaymentError("payment_not_found");
    await requireFinance(tx, actor, peek.orgId, systemAllowed);
    const ctx = await lockPaymentContext(tx, input.paymentId, [toNeedId]);
    let payment = ctx.payment;
    const entryKey = `realloc:${key}`;
    if (await entryExists(tx, entryKey)) return { payment, movedMinor: 0, funded: false };
    if (!IN_LEDGER.includes(payment.status)) throw new PaymentError("invalid_state", { state: payment.status });
    const source = allocationAccount(payment);
    const holdings = await paymentHoldings(tx, payment.id);
    const held = holdingIn(holdings, source);
    if (held <= 0) throw new PaymentError("nothing_to_move");
    const moved = input.amountMinor ?? held;
    if (moved > held) throw new PaymentError("amount_invalid", { maxMinor: held });
    // Zakat stays zakat (issue 12): only to a zakat-eligible need, or back to the zakat fund.
    const zakat = Boolean(ctx.pledge?.zakat) || source.kind === "zakat_fund";
    const fund = zakat ? ZAKAT_FUND : UNRESTRICTED;
    let destination: AccountRef = fund;
    let toNeed: Need | null = null;
    if (toNeedId) {
      toNeed = ctx.needs.get(toNeedId) ?? null;
      if (!toNeed) throw new PaymentError("need_not_found");
      if (toNeed.orgId !== payment.orgId) throw new PaymentError("other_org_need");
      if (toNeed.currency !== payment.currency) throw new PaymentError("other_currency_need", { currency: toNeed.currency });
      if (toNeed.id === payment.needId) throw new PaymentError("invalid_state");
      if (toNeed.state !== "published") throw new PaymentError("need_not_open", { state: toNeed.state });
      if (zakat && toNeed.zakatCategory === null) throw new PaymentError("zakat_ineligible");
      const remainingMinor = toNeed.targetMinor - toNeed.paidMinor - toNeed.reservedMinor;
      if (moved > remainingMinor) throw new PaymentError("need_full", { remainingMinor: Math.max(0, remainingMinor), currency: toNeed.currency });
      destination = needFund(toNeed.id);
    } else if (accountKey(source) === accountKey(fund)) {
      throw new PaymentError("nothing_to_move");
    }
    const org = await orgOf(tx, payment.orgId);
    const fromNeed = source.kind === "need_fund" ? (ctx.needs.get(source.needId!) ?? null) : null;
    const entry = await postEntry(tx, {
      orgId: payment.orgId,
      currency: payment.currency,
      kind: "reallocation",
      idempotencyKey: entryKey,
      memo: toNeed ? `Moved to need ${toNeed.publicId}` : zakat ? "Moved to the zakat fund" : "Moved to the unrestricted fund",
      actorUserId: actor.userId,
      valueDate: todayIn(org.timeZone, now),
      paymentId: payment.id,
      pledgeId: payment.pledgeId,
      needId: toNeed?.id ?? payment.needId,
      postings: movePostings(source, [{ account: destination, amountMinor: moved }]),
    });
    if (source.kind === "need_fund") await takeOutOfNeed(tx, actor, { needId: source.needId!, amountMinor: moved, pledge: ctx.pledge, now, ending: "move" });
    let funded = false;
    if (toNeed) ({ funded } = await putIntoNeed(tx, actor, { needId: toNeed.id, amountMinor: moved, pledge: null, now }));
    const whole = moved === held;
    [payment] = await tx
      .update(payments)
      .set({
        ...(whole ? { allocation: toNeed ? ("need_fund" as const) : zakat ? ("zakat_fund" as const) : ("unrestricted_fund" as const), needId: toNeed?.id ?? null } : {}),
        flagResolvedAt: payment.flag && whole ? now : payment.flagResolvedAt,
        updatedAt: now,
      })
      .where(eq(payments.id, payment.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: "payment.reallocate",
      entityType: "payment",
      entityId: payment.id,
      change: { from: accountKey(source), to: accountKey(destination), amountMinor: moved, currency: payment.currency },
    });
    if (entry.created) await tellDonorWhereMoneyWent(tx, { payment, pledge: ctx.pledge, kind: "moved", amountMinor: moved, fromNeed, toNeed });
    return { payment, movedMinor: moved, funded };
  }
}

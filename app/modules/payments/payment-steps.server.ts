import { publicTitleIn as publicTitle } from "~/modules/needs/titles";
import { type Role } from "~/modules/organizations/roles";
import { and, asc, eq, sql } from "drizzle-orm";
import { type Tx } from "#db/client.server";
import { ledgerEntries, memberships, moneyAccounts, needs, organizations, paymentMethodEnum, payments, pledges, refunds } from "#db/schema";
import { isSystemActor, type Actor } from "~/modules/audit/audit.server";
import { STRIPE, SUSPENSE, UNRESTRICTED, ZAKAT_FUND, accountKey, need as needFund, takeFrom, LedgerError, type AccountRef, type Holding } from "~/modules/ledger/ledger";
import { paymentHoldings } from "~/modules/ledger/ledger.server";
import { normalizeEmail } from "~/modules/identity/tokens";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { releaseReservation, settleNeedState, type Pledge } from "~/modules/pledging/pledges.server";
import { PaymentError } from "./errors";
import { formatMoney } from "~/utils/format";
import { UUID_PATTERN } from "~/utils/uuid";

/** The steps the payment operations share: row locks, holdings, need counters, the donor's "where your money went" email, checks. Internal to app/modules/payments. */

export type Need = typeof needs.$inferSelect;

export type Payment = typeof payments.$inferSelect;

export type Refund = typeof refunds.$inferSelect;

export type PaymentFlag = NonNullable<Payment["flag"]>;

export type PaymentMethod = Payment["method"];

export const UUID = UUID_PATTERN;

/** Pledge statuses that hold capacity (reserved_minor). */
export const LIVE: Pledge["status"][] = ["pending", "awaiting_payment", "offered"];

/** Live pledges money can be applied to. */
export const PAYABLE: Pledge["status"][] = ["pending", "awaiting_payment"];

export const OPEN_NEED: Need["state"][] = ["published", "funded"];

export const FINANCE: readonly Role[] = ["finance", "org_admin"];

export const METHODS: readonly PaymentMethod[] = paymentMethodEnum.enumValues;

export const ASSET_KIND = { bank_transfer: "bank", cash: "cash", money_transfer: "transfer_agent" } as const;

// ---------------------------------------------------------------- helpers

/** A person must be finance or org admin of the organisation; the system only where `systemAllowed`. */
export async function requireFinance(tx: Tx, actor: Actor, orgId: string, systemAllowed = false): Promise<void> {
  if (isSystemActor(actor)) {
    if (systemAllowed) return;
    throw new PaymentError("not_allowed");
  }
  if (!UUID.test(orgId)) throw new PaymentError("not_allowed");
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, actor.userId!)));
  if (!rows.some((r) => FINANCE.includes(r.role))) throw new PaymentError("not_allowed");
}

export async function lockNeed(tx: Tx, needId: string): Promise<Need> {
  const [need] = await tx.select().from(needs).where(eq(needs.id, needId)).for("update");
  if (!need) throw new PaymentError("need_not_found");
  return need;
}

/** Locks several needs in id order (the one order, so two operations never wait on each other in a circle). */
export async function lockNeeds(tx: Tx, ids: (string | null | undefined)[]): Promise<Map<string, Need>> {
  const unique = [...new Set(ids.filter((x): x is string => Boolean(x)))].sort();
  const out = new Map<string, Need>();
  for (const id of unique) out.set(id, await lockNeed(tx, id));
  return out;
}

/**
 * Need, then pledge (the one lock order); the pledge is read again under its lock. A fund pledge
 * (issue 12) has no need: only the pledge is locked, and `need` is null.
 */
export async function lockPledgeById(tx: Tx, pledgeId: string): Promise<{ pledge: Pledge; need: Need | null }> {
  if (!UUID.test(pledgeId)) throw new PaymentError("pledge_not_found");
  const [peek] = await tx.select({ needId: pledges.needId }).from(pledges).where(eq(pledges.id, pledgeId)).limit(1);
  if (!peek) throw new PaymentError("pledge_not_found");
  const need = peek.needId ? await lockNeed(tx, peek.needId) : null;
  const [pledge] = await tx.select().from(pledges).where(eq(pledges.id, pledgeId)).for("update");
  if (!pledge) throw new PaymentError("pledge_not_found");
  return { pledge, need };
}

export async function lockPledgeRow(tx: Tx, pledgeId: string): Promise<Pledge> {
  const [pledge] = await tx.select().from(pledges).where(eq(pledges.id, pledgeId)).for("update");
  if (!pledge) throw new PaymentError("pledge_not_found");
  return pledge;
}

export async function lockPaymentRow(tx: Tx, paymentId: string): Promise<Payment> {
  const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for("update");
  if (!payment) throw new PaymentError("payment_not_found");
  return payment;
}

/**
 * Locks what a payment touches in the one order: its pledge's need, its current need and any
 * `extraNeeds` (by id), then its pledge, then the payment itself (read again under the lock).
 */
export async function lockPaymentContext(tx: Tx, paymentId: string, extraNeeds: (string | null | undefined)[] = [], extraPledgeId: string | null = null) {
  if (!UUID.test(paymentId)) throw new PaymentError("payment_not_found");
  const [peek] = await tx.select({ pledgeId: payments.pledgeId, needId: payments.needId }).from(payments).where(eq(payments.id, paymentId)).limit(1);
  if (!peek) throw new PaymentError("payment_not_found");
  const pledgeNeed = peek.pledgeId
    ? (await tx.select({ needId: pledges.needId }).from(pledges).where(eq(pledges.id, peek.pledgeId)).limit(1))[0]?.needId
    : null;
  const locked = await lockNeeds(tx, [pledgeNeed, peek.needId, ...extraNeeds]);
  const pledgeIds = [...new Set([peek.pledgeId, extraPledgeId].filter((x): x is string => Boolean(x)))].sort();
  const lockedPledges = new Map<string, Pledge>();
  for (const id of pledgeIds) lockedPledges.set(id, await lockPledgeRow(tx, id));
  const pledge = peek.pledgeId ? lockedPledges.get(peek.pledgeId)! : null;
  const payment = await lockPaymentRow(tx, paymentId);
  if (payment.needId && !locked.has(payment.needId)) throw new PaymentError("invalid_state"); // moved meanwhile: the caller retries
  return { payment, pledge, needs: locked, pledges: lockedPledges };
}

export async function orgOf(tx: Tx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw new PaymentError("not_allowed");
  return org;
}

/** A need's public title in a language (the other language when it has only one). */
export { publicTitle };

/**
 * Tells the donor where finance put their money (email `payment-moved`, in the donor's language,
 * through the outbox in the caller's transaction): the pledge's donor, else the contact recorded
 * with the payment; nobody when there is no address. Public titles only, nothing of the household.
 */
export async function tellDonorWhereMoneyWent(
  tx: Tx,
  input: {
    payment: Payment;
    pledge: Pledge | null;
    kind: "moved" | "attached";
    amountMinor: number;
    fromNeed: Need | null;
    toNeed: Need | null;
    unrestrictedMinor?: number;
  },
): Promise<void> {
  const { payment, pledge } = input;
  const email = normalizeEmail(pledge?.email ?? payment.donorEmail ?? "");
  if (!email) return;
  const locale = pledge ? pledge.locale : payment.locale;
  const org = await orgOf(tx, payment.orgId);
  const money = (minor: number) => formatMoney(minor, payment.currency, locale);
  await enqueueEmail(tx, email, locale, {
    template: "payment-moved",
    data: {
      name: (pledge ? pledge.displayName : payment.donorName) ?? "",
      reference: pledge?.reference ?? null,
      amount: money(input.amountMinor),
      fromNeedTitle: input.fromNeed ? publicTitle(input.fromNeed, locale) || null : null,
      orgName: locale === "ar" ? org.nameAr : org.nameEn,
      kind: input.kind,
      toNeedTitle: input.toNeed ? publicTitle(input.toNeed, locale) || null : null,
      unrestricted: input.unrestrictedMinor ? money(input.unrestrictedMinor) : null,
    },
  });
}

export function validDay(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 2000;
}

export function positiveMinor(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

export function checkKey(key: unknown): string {
  const k = typeof key === "string" ? key.trim() : "";
  if (k.length < 8 || k.length > 200) throw new PaymentError("idempotency_conflict");
  return k;
}

/** The money account an offline method lands in by default (the oldest active one of its kind and currency, made if none). */
export async function ensureDefaultMoneyAccount(tx: Tx, orgId: string, kind: "bank" | "cash" | "transfer_agent", currency: string): Promise<string> {
  const find = async () =>
    (
      await tx
        .select({ id: moneyAccounts.id })
        .from(moneyAccounts)
        .where(and(eq(moneyAccounts.orgId, orgId), eq(moneyAccounts.kind, kind), eq(moneyAccounts.currency, currency), eq(moneyAccounts.active, true)))
        .orderBy(asc(moneyAccounts.createdAt), asc(moneyAccounts.id))
        .limit(1)
    )[0]?.id;
  const found = await find();
  if (found) return found;
  const name = { bank: "Bank", cash: "Cash box", transfer_agent: "Money-transfer agents" }[kind];
  const [made] = await tx
    .insert(moneyAccounts)
    .values({ orgId, kind, name: `${name} (${currency})`, currency })
    .onConflictDoNothing()
    .returning({ id: moneyAccounts.id });
  if (made) return made.id;
  const again = await find();
  if (!again) throw new PaymentError("money_account_invalid");
  return again;
}

export function assetOf(payment: Pick<Payment, "method" | "moneyAccountId">): AccountRef {
  if (payment.method === "card") return STRIPE;
  return { kind: ASSET_KIND[payment.method], moneyAccountId: payment.moneyAccountId! };
}

/** Where the payment's main money sits (its allocation), as a ledger account. */
export function allocationAccount(payment: Pick<Payment, "allocation" | "needId">): AccountRef {
  if (payment.allocation === "need_fund" && payment.needId) return needFund(payment.needId);
  if (payment.allocation === "zakat_fund") return ZAKAT_FUND;
  return payment.allocation === "suspense" ? SUSPENSE : UNRESTRICTED;
}

/** The fund a pledge's money goes to when it is not for a need: zakat to the zakat fund (issue 12). */
export function fundAccountOf(pledge: Pick<Pledge, "zakat"> | null): AccountRef {
  return pledge?.zakat ? ZAKAT_FUND : UNRESTRICTED;
}

/**
 * The payment's holdings in the order money is taken back: its allocation, its pledge's need,
 * suspense, the unrestricted fund, the fee cover. Money finance moved to another need belongs to
 * that need now: a refund does not take it (`anyNeed` only for what Stripe took back itself).
 */
export function orderedHoldings(payment: Payment, holdings: Holding[], options: { pledgeNeedId?: string | null; anyNeed?: boolean } = {}): Holding[] {
  const main = accountKey(allocationAccount(payment));
  const rank = (h: Holding) => {
    const key = accountKey(h.account);
    if (h.account.kind === "need_fund") {
      if (h.account.needId === options.pledgeNeedId && key === main) return 0;
      if (h.account.needId === options.pledgeNeedId || options.anyNeed) return 1;
      return 9;
    }
    if (key === main) return 0;
    if (h.account.kind === "suspense") return 2;
    if (h.account.kind === "unrestricted_fund" || h.account.kind === "zakat_fund") return 3;
    if (h.account.kind === "fee_cover") return 4;
    return 9;
  };
  return holdings.filter((h) => rank(h) < 9 && h.amountMinor > 0).sort((a, b) => rank(a) - rank(b));
}

export function statusAfterRefunds(amountMinor: number, refundedMinor: number): Payment["status"] {
  if (refundedMinor <= 0) return "succeeded";
  return refundedMinor >= amountMinor ? "refunded" : "partly_refunded";
}

/**
 * Money leaving a need's fund for a payment (refund, reallocation, lost dispute): the need's paid
 * total, the pledge's paid part (and its status), the donor count, and the need's state.
 */
export async function takeOutOfNeed(tx: Tx, actor: Actor, input: { needId: string; amountMinor: number; pledge: Pledge | null; now: Date; ending: "refund" | "move" }) {
  const { needId, amountMinor, now } = input;
  let pledge = input.pledge;
  let donorDelta = 0;
  if (pledge && pledge.needId === needId && pledge.paidMinor > 0) {
    // Money leaving a live pledge ends it: the rest of its reservation is released.
    if (LIVE.includes(pledge.status)) pledge = await releaseReservation(tx, pledge, { id: needId }, now, "cancelled");
    const fromPledge = Math.min(amountMinor, pledge.paidMinor);
    const paidMinor = pledge.paidMinor - fromPledge;
    const status: Pledge["status"] =
      input.ending === "refund" ? (paidMinor === 0 ? "refunded" : "part_paid") : pledge.status === "paid" && paidMinor < pledge.amountMinor ? "part_paid" : pledge.status;
    [pledge] = await tx.update(pledges).set({ paidMinor, status, updatedAt: now }).where(eq(pledges.id, pledge.id)).returning();
    if (paidMinor === 0) donorDelta = -1;
  }
  await tx
    .update(needs)
    .set({ paidMinor: sql`${needs.paidMinor} - ${amountMinor}`, donorCount: sql`${needs.donorCount} + ${donorDelta}`, updatedAt: now })
    .where(eq(needs.id, needId));
  await settleNeedState(tx, actor, needId, now);
  return pledge;
}

/** Money entering a need's fund, for a pledge (its paid part, maybe its status) or none (a reallocation). */
export async function putIntoNeed(tx: Tx, actor: Actor, input: { needId: string; amountMinor: number; pledge: Pledge | null; now: Date }) {
  const { needId, amountMinor, now } = input;
  let pledge = input.pledge;
  let donorDelta = 0;
  let reservedDelta = 0;
  if (pledge) {
    const paidMinor = pledge.paidMinor + amountMinor;
    const live = PAYABLE.includes(pledge.status);
    if (live) reservedDelta = -amountMinor;
    const status: Pledge["status"] = paidMinor >= pledge.amountMinor ? "paid" : live ? pledge.status : "part_paid";
    if (pledge.paidMinor === 0) donorDelta = 1;
    [pledge] = await tx.update(pledges).set({ paidMinor, status, paidAt: now, updatedAt: now }).where(eq(pledges.id, pledge.id)).returning();
  }
  await tx
    .update(needs)
    .set({
      paidMinor: sql`${needs.paidMinor} + ${amountMinor}`,
      reservedMinor: sql`${needs.reservedMinor} + ${reservedDelta}`,
      donorCount: sql`${needs.donorCount} + ${donorDelta}`,
      updatedAt: now,
    })
    .where(eq(needs.id, needId));
  const funded = (await settleNeedState(tx, actor, needId, now)) === "funded";
  return { pledge, funded };
}

export function flagFor(pledge: Pledge, need: Need): PaymentFlag {
  if (need.state === "cancelled") return "paid_after_cancelled";
  if (need.state === "expired") return "paid_after_expired";
  if (!OPEN_NEED.includes(need.state)) return "need_closed";
  return pledge.status === "cancelled" ? "paid_after_cancelled" : "paid_after_expired";
}

// ---------------------------------------------------------------- attach and reallocate

export async function entryExists(tx: Tx, idempotencyKey: string): Promise<boolean> {
  const [row] = await tx.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, idempotencyKey)).limit(1);
  return Boolean(row);
}

export function holdingIn(holdings: Holding[], ref: AccountRef): number {
  const key = accountKey(ref);
  return holdings.filter((h) => accountKey(h.account) === key).reduce((t, h) => t + h.amountMinor, 0);
}

export const IN_LEDGER: Payment["status"][] = ["succeeded", "partly_refunded"];

/**
 * Takes `amountMinor` of a payment back out of where it sits (its allocation first, then the
 * unrestricted surplus, then the fee cover): the need's paid total and the pledge go down, the
 * rest of a live pledge's reservation is released, the need leaves `funded` below its target.
 */
export async function drawBack(tx: Tx, actor: Actor, payment: Payment, pledge: Pledge | null, amountMinor: number, now: Date, anyNeed = false): Promise<Holding[]> {
  const holdings = orderedHoldings(payment, await paymentHoldings(tx, payment.id), { pledgeNeedId: pledge?.needId ?? null, anyNeed });
  let sources: Holding[];
  try {
    sources = takeFrom(holdings, amountMinor);
  } catch (error) {
    if (error instanceof LedgerError) throw new PaymentError("refund_too_large", { maxMinor: holdings.reduce((t, h) => t + h.amountMinor, 0) });
    throw error;
  }
  let current = pledge;
  for (const s of sources) {
    if (s.account.kind === "need_fund") current = await takeOutOfNeed(tx, actor, { needId: s.account.needId!, amountMinor: s.amountMinor, pledge: current, now, ending: "refund" });
  }
  // A fund pledge's money comes back out of its fund: the pledge's paid part goes down with it.
  const fromFund = sources.filter((s) => s.account.kind === "unrestricted_fund" || s.account.kind === "zakat_fund").reduce((t, s) => t + s.amountMinor, 0);
  if (current && current.kind === "fund" && fromFund > 0 && current.paidMinor > 0) {
    const paidMinor = Math.max(0, current.paidMinor - fromFund);
    await tx.update(pledges).set({ paidMinor, status: paidMinor === 0 ? "refunded" : "part_paid", updatedAt: now }).where(eq(pledges.id, current.id));
  }
  return sources;
}

export async function cardPaymentByIntent(tx: Tx, paymentIntentId: string, orgId?: string) {
  if (typeof paymentIntentId !== "string" || !paymentIntentId) return null;
  const [row] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.method, "card"), eq(payments.externalId, paymentIntentId), orgId ? eq(payments.orgId, orgId) : undefined))
    .limit(1);
  return row?.id ?? null;
}

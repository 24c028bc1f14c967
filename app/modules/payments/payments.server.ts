import type { Role } from "~/modules/organizations/roles";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { ledgerEntries, memberships, moneyAccounts, needs, organizations, orgPaymentDetails, payments, pledges, refunds } from "#db/schema";
import { isSystemActor, recordAudit, type Actor } from "~/modules/audit/audit.server";
import {
  STRIPE,
  SUSPENSE,
  UNRESTRICTED,
  accountKey,
  movePostings,
  need as needFund,
  paidOutPostings,
  paymentPostings,
  refundRequestPostings,
  refundSettlePostings,
  takeFrom,
  LedgerError,
  type AccountRef,
  type Holding,
} from "~/modules/ledger/ledger";
import { paymentHoldings, postEntry } from "~/modules/ledger/ledger.server";
import { normalizeEmail } from "~/modules/identity/tokens";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { todayIn } from "~/modules/needs/money";
import { releaseReservation, settleNeedState, type Pledge } from "~/modules/pledging/pledges.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { issueCreditNote, issueReceipt } from "~/modules/receipts/receipts.server";
import { PaymentError } from "./errors";
import { toStripeAmount } from "./stripe-currency";
import { formatMoney } from "~/utils/format";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * Money in (decision 056): payments as their own records, each landing exactly once in the
 * double-entry ledger (app/modules/ledger). Every operation is one transaction; the lock order is
 * always need(s) (by id) → pledge → payment, so operations never deadlock each other. Every change
 * is audited; a refusal throws a PaymentError before anything is written.
 *
 * Counters (checked by checkLedger / `npm run ledger:check`):
 * - pledges.paid_minor: this pledge's money now in its need's fund;
 * - needs.paid_minor = the need's fund + received in-kind deliveries;
 * - needs.reserved_minor = Σ (amount − paid) over live pledges;
 * - needs.donor_count = pledges with paid_minor > 0.
 */

type Need = typeof needs.$inferSelect;
export type Payment = typeof payments.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type PaymentFlag = NonNullable<Payment["flag"]>;
export type PaymentMethod = Payment["method"];

const UUID = UUID_PATTERN;
/** Pledge statuses that hold capacity (reserved_minor). */
const LIVE: Pledge["status"][] = ["pending", "awaiting_payment", "offered"];
/** Live pledges money can be applied to. */
const PAYABLE: Pledge["status"][] = ["pending", "awaiting_payment"];
const OPEN_NEED: Need["state"][] = ["published", "funded"];
const FINANCE: readonly Role[] = ["finance", "org_admin"];
const METHODS: readonly PaymentMethod[] = ["card", "bank_transfer", "cash", "money_transfer"];
const ASSET_KIND = { bank_transfer: "bank", cash: "cash", money_transfer: "transfer_agent" } as const;

// ---------------------------------------------------------------- helpers

/** A person must be finance or org admin of the organisation; the system only where `systemAllowed`. */
async function requireFinance(tx: Tx, actor: Actor, orgId: string, systemAllowed = false): Promise<void> {
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

async function lockNeed(tx: Tx, needId: string): Promise<Need> {
  const [need] = await tx.select().from(needs).where(eq(needs.id, needId)).for("update");
  if (!need) throw new PaymentError("need_not_found");
  return need;
}

/** Locks several needs in id order (the one order, so two operations never wait on each other in a circle). */
async function lockNeeds(tx: Tx, ids: (string | null | undefined)[]): Promise<Map<string, Need>> {
  const unique = [...new Set(ids.filter((x): x is string => Boolean(x)))].sort();
  const out = new Map<string, Need>();
  for (const id of unique) out.set(id, await lockNeed(tx, id));
  return out;
}

/** Need, then pledge (the one lock order); the pledge is read again under its lock. */
async function lockPledgeById(tx: Tx, pledgeId: string): Promise<{ pledge: Pledge; need: Need }> {
  if (!UUID.test(pledgeId)) throw new PaymentError("pledge_not_found");
  const [peek] = await tx.select({ needId: pledges.needId }).from(pledges).where(eq(pledges.id, pledgeId)).limit(1);
  if (!peek) throw new PaymentError("pledge_not_found");
  const need = await lockNeed(tx, peek.needId);
  const [pledge] = await tx.select().from(pledges).where(eq(pledges.id, pledgeId)).for("update");
  if (!pledge) throw new PaymentError("pledge_not_found");
  return { pledge, need };
}

async function lockPledgeRow(tx: Tx, pledgeId: string): Promise<Pledge> {
  const [pledge] = await tx.select().from(pledges).where(eq(pledges.id, pledgeId)).for("update");
  if (!pledge) throw new PaymentError("pledge_not_found");
  return pledge;
}

async function lockPaymentRow(tx: Tx, paymentId: string): Promise<Payment> {
  const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for("update");
  if (!payment) throw new PaymentError("payment_not_found");
  return payment;
}

/**
 * Locks what a payment touches in the one order: its pledge's need, its current need and any
 * `extraNeeds` (by id), then its pledge, then the payment itself (read again under the lock).
 */
async function lockPaymentContext(tx: Tx, paymentId: string, extraNeeds: (string | null | undefined)[] = [], extraPledgeId: string | null = null) {
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

async function orgOf(tx: Tx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw new PaymentError("not_allowed");
  return org;
}

/** A need's public title in a language (the other language when it has only one). */
function publicTitle(need: Pick<Need, "titleAr" | "titleEn">, locale: "ar" | "en"): string {
  return (locale === "ar" ? (need.titleAr ?? need.titleEn) : (need.titleEn ?? need.titleAr)) ?? "";
}

/**
 * Tells the donor where finance put their money (email `payment-moved`, in the donor's language,
 * through the outbox in the caller's transaction): the pledge's donor, else the contact recorded
 * with the payment; nobody when there is no address. Public titles only, nothing of the household.
 */
async function tellDonorWhereMoneyWent(
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

function validDay(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 2000;
}

function positiveMinor(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

function checkKey(key: unknown): string {
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

function assetOf(payment: Pick<Payment, "method" | "moneyAccountId">): AccountRef {
  if (payment.method === "card") return STRIPE;
  return { kind: ASSET_KIND[payment.method], moneyAccountId: payment.moneyAccountId! };
}

/** Where the payment's main money sits (its allocation), as a ledger account. */
function allocationAccount(payment: Pick<Payment, "allocation" | "needId">): AccountRef {
  if (payment.allocation === "need_fund" && payment.needId) return needFund(payment.needId);
  return payment.allocation === "suspense" ? SUSPENSE : UNRESTRICTED;
}

/**
 * The payment's holdings in the order money is taken back: its allocation, its pledge's need,
 * suspense, the unrestricted fund, the fee cover. Money finance moved to another need belongs to
 * that need now: a refund does not take it (`anyNeed` only for what Stripe took back itself).
 */
function orderedHoldings(payment: Payment, holdings: Holding[], options: { pledgeNeedId?: string | null; anyNeed?: boolean } = {}): Holding[] {
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
    if (h.account.kind === "unrestricted_fund") return 3;
    if (h.account.kind === "fee_cover") return 4;
    return 9;
  };
  return holdings.filter((h) => rank(h) < 9 && h.amountMinor > 0).sort((a, b) => rank(a) - rank(b));
}

function statusAfterRefunds(amountMinor: number, refundedMinor: number): Payment["status"] {
  if (refundedMinor <= 0) return "succeeded";
  return refundedMinor >= amountMinor ? "refunded" : "partly_refunded";
}

/**
 * Money leaving a need's fund for a payment (refund, reallocation, lost dispute): the need's paid
 * total, the pledge's paid part (and its status), the donor count, and the need's state.
 */
async function takeOutOfNeed(tx: Tx, actor: Actor, input: { needId: string; amountMinor: number; pledge: Pledge | null; now: Date; ending: "refund" | "move" }) {
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
async function putIntoNeed(tx: Tx, actor: Actor, input: { needId: string; amountMinor: number; pledge: Pledge | null; now: Date }) {
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

function flagFor(pledge: Pledge, need: Need): PaymentFlag {
  if (need.state === "cancelled") return "paid_after_cancelled";
  if (need.state === "expired") return "paid_after_expired";
  if (!OPEN_NEED.includes(need.state)) return "need_closed";
  return pledge.status === "cancelled" ? "paid_after_cancelled" : "paid_after_expired";
}

// ---------------------------------------------------------------- release

/**
 * Releases every live pledge (pending, awaiting payment, offered) of a need being cancelled or
 * expiring, inside the caller's transaction (the caller holds the need's row lock). A part-paid
 * pledge ends `part_paid` (its money stays in the need's fund for finance to move or refund);
 * the others end `cancelled` / `expired`. Audited per pledge (actor: the person, or the system).
 * Returns the released pledges as they are now.
 */
export async function releaseNeedPledges(tx: Tx, actor: Actor, needId: string, status: "cancelled" | "expired", now: Date): Promise<Pledge[]> {
  const live = await tx
    .select()
    .from(pledges)
    .where(and(eq(pledges.needId, needId), inArray(pledges.status, LIVE)))
    .orderBy(asc(pledges.createdAt), asc(pledges.id))
    .for("update");
  const released: Pledge[] = [];
  for (const pledge of live) {
    // An in-kind offer nobody will receive any more is declined rather than expired or cancelled.
    const updated = await releaseReservation(tx, pledge, { id: needId }, now, pledge.status === "offered" ? "declined" : status);
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: "pledge.release",
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, from: pledge.status, to: updated.status, reason: `need_${status}`, paidMinor: pledge.paidMinor },
    });
    released.push(updated);
  }
  return released;
}

export type ReleaseReason = "expired" | "released_by_finance" | "checkout_expired" | "checkout_failed";

/**
 * Ends one live pledge and gives back what it still holds: finance releases the rest of a part
 * payment, or the system (a Checkout Session that expired or failed, the expiry job). A part-paid
 * pledge ends `part_paid`; otherwise `cancelled` (finance) or `expired`. Idempotent: a pledge no
 * longer live is returned unchanged.
 */
export async function releasePledge(db: Db, actor: Actor, pledgeId: string, input: { reason: ReleaseReason; now?: Date }): Promise<Pledge> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const { pledge, need } = await lockPledgeById(tx, pledgeId);
    await requireFinance(tx, actor, pledge.orgId, input.reason !== "released_by_finance");
    if (!LIVE.includes(pledge.status)) return pledge;
    if (pledge.status === "offered") throw new PaymentError("invalid_state", { state: pledge.status });
    const updated = await releaseReservation(tx, pledge, need, now, input.reason === "released_by_finance" ? "cancelled" : "expired");
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: "pledge.release",
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, from: pledge.status, to: updated.status, reason: input.reason, paidMinor: pledge.paidMinor },
    });
    return updated;
  });
}

// ---------------------------------------------------------------- record

export type RecordPaymentInput = {
  orgId: string;
  /** The pledge it pays: by id (finance chose it) or by reference (as the bank shows it); neither → suspense. */
  pledgeId?: string | null;
  pledgeReference?: string | null;
  method: PaymentMethod;
  /** Offline: the money account it arrived in (default: the method's default account of the currency). */
  moneyAccountId?: string | null;
  /** Gross, in the app's minor units: what the donor gave (fee and fee cover included). */
  amountMinor: number;
  feeMinor?: number;
  coverFeeMinor?: number;
  currency: string;
  /** YYYY-MM-DD, not in the future in the organisation's time zone. */
  valueDate: string;
  externalId?: string | null;
  proofDocumentId?: string | null;
  note?: string | null;
  idempotencyKey: string;
  donorEmail?: string | null;
  donorName?: string | null;
  locale?: "ar" | "en";
  origin?: string;
  now?: Date;
  /**
   * Set only by reconciliation's automatic statement matching (app/modules/reconciliation): lets
   * SYSTEM_ACTOR record a bank transfer the bank statement proves arrived.
   */
  statementMatch?: boolean;
};

export type RecordPaymentResult =
  | { outcome: "recorded"; payment: Payment; pledge: Pledge | null; funded: boolean; receiptId: string | null; surplusMinor: number }
  | { outcome: "already_recorded"; payment: Payment }
  | { outcome: "awaiting_confirmation"; payment: Payment }
  | { outcome: "suspense"; payment: Payment; flag: PaymentFlag };

/**
 * Books a confirmed payment: the ledger entry (money account or Stripe, fee, the need's fund up to
 * what the pledge still expects, the rest to the unrestricted fund, the fee cover apart; suspense
 * when nobody can say what it is for), the pledge and need counters, `funded` at the target, the
 * receipt. The caller holds the locks (need → pledge → payment).
 */
async function bookPayment(
  tx: Tx,
  actor: Actor,
  payment: Payment,
  ctx: { pledge: Pledge | null; need: Need | null; unknownReference: boolean; now: Date; origin?: string },
): Promise<RecordPaymentResult> {
  const { pledge, need, now } = ctx;
  const gift = payment.amountMinor - payment.coverFeeMinor;
  let flag: PaymentFlag | null = null;
  let applied = 0;
  if (!pledge || !need) flag = "unknown_pledge";
  else if (!PAYABLE.includes(pledge.status) && pledge.status !== "paid") flag = flagFor(pledge, need);
  else if (PAYABLE.includes(pledge.status) && !OPEN_NEED.includes(need.state)) flag = flagFor(pledge, need);
  else applied = Math.min(gift, pledge.amountMinor - pledge.paidMinor);
  const suspense = flag !== null;
  const surplus = suspense ? 0 : gift - applied;
  const target = suspense ? SUSPENSE : applied > 0 ? needFund(need!.id) : UNRESTRICTED;
  const postings = paymentPostings({
    asset: assetOf(payment),
    grossMinor: payment.amountMinor,
    feeMinor: payment.feeMinor,
    coverFeeMinor: payment.coverFeeMinor,
    surplusMinor: target === UNRESTRICTED ? 0 : surplus,
    target,
  });
  const { entryId } = await postEntry(tx, {
    orgId: payment.orgId,
    currency: payment.currency,
    kind: "payment",
    idempotencyKey: `payment:${payment.id}`,
    memo: `${payment.method} payment${pledge ? ` ${pledge.reference}` : ""}${payment.externalId ? ` (${payment.externalId})` : ""}${suspense ? " to suspense" : ""}`,
    actorUserId: actor.userId,
    valueDate: payment.valueDate,
    paymentId: payment.id,
    pledgeId: pledge?.id ?? null,
    needId: applied > 0 ? need!.id : null,
    postings,
  });
  let updatedPledge = pledge;
  let funded = false;
  if (applied > 0) ({ pledge: updatedPledge, funded } = await putIntoNeed(tx, actor, { needId: need!.id, amountMinor: applied, pledge, now }));
  if (suspense && pledge && (pledge.status === "cancelled" || pledge.status === "expired")) {
    // Kept on the pledge too, as before the ledger: finance lists such pledges.
    [updatedPledge] = await tx
      .update(pledges)
      .set({
        financeFlag: pledge.financeFlag ?? (flag === "paid_after_cancelled" ? "paid_after_cancelled" : "paid_after_expired"),
        latePaidMinor: (pledge.latePaidMinor ?? 0) + gift,
        paidAt: pledge.paidAt ?? now,
        updatedAt: now,
      })
      .where(eq(pledges.id, pledge.id))
      .returning();
  }
  const [booked] = await tx
    .update(payments)
    .set({
      status: "succeeded",
      ledgerEntryId: entryId,
      surplusMinor: surplus,
      allocation: suspense ? "suspense" : applied > 0 ? "need_fund" : "unrestricted_fund",
      needId: applied > 0 ? need!.id : null,
      flag,
      locale: pledge?.locale ?? payment.locale,
      updatedAt: now,
    })
    .where(eq(payments.id, payment.id))
    .returning();
  if (pledge && updatedPledge && applied > 0) {
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: updatedPledge.status === "paid" ? "pledge.paid" : "pledge.part_payment",
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, from: pledge.status, to: updatedPledge.status, appliedMinor: applied, paidMinor: updatedPledge.paidMinor, currency: pledge.currency, paymentId: payment.id },
    });
  } else if (pledge && suspense) {
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: "pledge.paid_after_release",
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, status: pledge.status, flag, amountMinor: gift, currency: pledge.currency, paymentId: payment.id },
    });
  }
  const receipt = await issueReceipt(tx, { paymentId: payment.id, now, origin: ctx.origin });
  await recordAudit(tx, actor, {
    orgId: payment.orgId,
    action: "payment.record",
    entityType: "payment",
    entityId: payment.id,
    change: {
      method: payment.method,
      amountMinor: payment.amountMinor,
      feeMinor: payment.feeMinor,
      coverFeeMinor: payment.coverFeeMinor,
      currency: payment.currency,
      valueDate: payment.valueDate,
      pledge: pledge?.reference ?? null,
      appliedMinor: applied,
      surplusMinor: surplus,
      flag,
      receipt: receipt.number,
    },
  });
  if (suspense) return { outcome: "suspense", payment: booked, flag: flag! };
  return { outcome: "recorded", payment: booked, pledge: updatedPledge, funded, receiptId: receipt.id, surplusMinor: surplus };
}

/**
 * Records money that arrived (decision 056): a card payment (the Stripe webhook, as the system) or
 * an offline one recorded by finance. Part, whole or over payment of a pledge (the surplus to the
 * unrestricted fund); money with no usable pledge to suspense, flagged. Refused (nothing changed):
 * a bad amount or fee, another currency than the pledge's, a value date in the future (in the
 * organisation's time zone), the same external id with other amounts. Cash at or over the
 * organisation's threshold waits for a second finance person (four-eyes) before it is booked.
 */
export async function recordPayment(db: Db, actor: Actor, input: RecordPaymentInput): Promise<RecordPaymentResult> {
  const now = input.now ?? new Date();
  if (!METHODS.includes(input.method)) throw new PaymentError("method_invalid");
  if (!positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  const feeMinor = input.feeMinor ?? 0;
  const coverFeeMinor = input.coverFeeMinor ?? 0;
  if (!Number.isSafeInteger(feeMinor) || feeMinor < 0 || feeMinor >= input.amountMinor) throw new PaymentError("fee_invalid");
  if (!Number.isSafeInteger(coverFeeMinor) || coverFeeMinor < 0 || coverFeeMinor >= input.amountMinor) throw new PaymentError("fee_invalid");
  const currency = typeof input.currency === "string" ? input.currency.trim().toUpperCase() : "";
  if (!/^[A-Z]{3}$/.test(currency)) throw new PaymentError("currency_invalid");
  if (!validDay(input.valueDate)) throw new PaymentError("value_date_invalid");
  const key = checkKey(input.idempotencyKey);
  const externalId = input.externalId?.trim() ? input.externalId.trim().slice(0, 200) : null;
  if (input.pledgeId && !UUID.test(input.pledgeId)) throw new PaymentError("pledge_not_found");
  if (input.moneyAccountId && !UUID.test(input.moneyAccountId)) throw new PaymentError("money_account_invalid");

  return db.transaction(async (tx): Promise<RecordPaymentResult> => {
    await requireFinance(tx, actor, input.orgId, input.method === "card" || (input.statementMatch === true && input.method === "bank_transfer"));
    const org = await orgOf(tx, input.orgId);

    // The pledge: locked need → pledge. A reference nobody knows (or of another organisation) is money for suspense.
    let pledge: Pledge | null = null;
    let need: Need | null = null;
    let unknownReference = false;
    if (input.pledgeId) {
      ({ pledge, need } = await lockPledgeById(tx, input.pledgeId));
      if (pledge.orgId !== org.id) throw new PaymentError("pledge_not_found");
    } else if (input.pledgeReference) {
      const reference = normalizeReference(input.pledgeReference);
      const [peek] = reference ? await tx.select({ id: pledges.id }).from(pledges).where(and(eq(pledges.reference, reference), eq(pledges.orgId, org.id))).limit(1) : [];
      if (peek) ({ pledge, need } = await lockPledgeById(tx, peek.id));
      else unknownReference = true;
    }

    // A retry of the same request finds the first payment.
    const [same] = await tx.select().from(payments).where(eq(payments.idempotencyKey, key)).limit(1);
    if (same) {
      if (same.orgId !== org.id) throw new PaymentError("idempotency_conflict");
      return { outcome: "already_recorded", payment: same };
    }
    if (pledge && currency !== pledge.currency) throw new PaymentError("currency_mismatch", { currency: pledge.currency });
    if (pledge?.method === "delivery") throw new PaymentError("invalid_state", { state: pledge.status });
    if (input.valueDate > todayIn(org.timeZone, now)) throw new PaymentError("value_date_future");
    if (externalId) {
      const [dup] = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.orgId, org.id), eq(payments.method, input.method), eq(payments.externalId, externalId)))
        .limit(1);
      if (dup) return sameRecord(dup, { amountMinor: input.amountMinor, feeMinor, coverFeeMinor, currency, pledgeId: pledge?.id ?? null });
    }

    let moneyAccountId: string | null = null;
    if (input.method !== "card") {
      const kind = ASSET_KIND[input.method];
      if (input.moneyAccountId) {
        const [account] = await tx.select().from(moneyAccounts).where(and(eq(moneyAccounts.id, input.moneyAccountId), eq(moneyAccounts.orgId, org.id))).limit(1);
        if (!account || account.kind !== kind || !account.active) throw new PaymentError("money_account_invalid");
        if (account.currency !== currency) throw new PaymentError("currency_mismatch", { currency: account.currency });
        moneyAccountId = account.id;
      } else {
        // Money nobody can place must at least be in a currency the organisation keeps.
        if (!pledge && currency !== org.defaultCurrency) {
          const [kept] = await tx.select({ id: moneyAccounts.id }).from(moneyAccounts).where(and(eq(moneyAccounts.orgId, org.id), eq(moneyAccounts.currency, currency))).limit(1);
          if (!kept) throw new PaymentError("currency_mismatch", { currency: org.defaultCurrency });
        }
        moneyAccountId = await ensureDefaultMoneyAccount(tx, org.id, kind, currency);
      }
    } else if (!pledge && currency !== org.defaultCurrency && !unknownReference) {
      throw new PaymentError("currency_mismatch", { currency: org.defaultCurrency });
    }

    const [details] = await tx.select({ threshold: orgPaymentDetails.cashFourEyesMinor }).from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, org.id)).limit(1);
    const threshold = details?.threshold ?? null;
    const fourEyes = input.method === "cash" && threshold !== null && (currency !== org.defaultCurrency || input.amountMinor >= threshold);

    const [payment] = await tx
      .insert(payments)
      .values({
        orgId: org.id,
        pledgeId: pledge?.id ?? null,
        needId: null,
        method: input.method,
        moneyAccountId,
        amountMinor: input.amountMinor,
        feeMinor,
        coverFeeMinor,
        surplusMinor: 0,
        currency,
        valueDate: input.valueDate,
        recordedAt: now,
        recordedBy: actor.userId,
        externalId,
        proofDocumentId: input.proofDocumentId ?? null,
        note: input.note?.trim() ? input.note.trim().slice(0, 2000) : null,
        status: fourEyes ? "awaiting_confirmation" : "succeeded",
        allocation: "suspense",
        locale: pledge?.locale ?? input.locale ?? "ar",
        donorEmail: input.donorEmail?.trim().toLowerCase() || null,
        donorName: input.donorName?.trim() || null,
        idempotencyKey: key,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!payment) {
      // Another officer recorded it at the same moment (same key or same external id): theirs stands.
      const [first] = await tx.select().from(payments).where(eq(payments.idempotencyKey, key)).limit(1);
      if (first) return { outcome: "already_recorded", payment: first };
      const [dup] = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.orgId, org.id), eq(payments.method, input.method), eq(payments.externalId, externalId ?? "")))
        .limit(1);
      if (dup) return sameRecord(dup, { amountMinor: input.amountMinor, feeMinor, coverFeeMinor, currency, pledgeId: pledge?.id ?? null });
      throw new PaymentError("duplicate_external_id");
    }
    if (fourEyes) {
      await recordAudit(tx, actor, {
        orgId: org.id,
        action: "payment.record_unconfirmed",
        entityType: "payment",
        entityId: payment.id,
        change: { method: payment.method, amountMinor: payment.amountMinor, currency, valueDate: payment.valueDate, pledge: pledge?.reference ?? null, threshold },
      });
      return { outcome: "awaiting_confirmation", payment };
    }
    return bookPayment(tx, actor, payment, { pledge, need, unknownReference, now, origin: input.origin });
  });
}

/** The same external id again: the same record (a retry) if the amounts agree, else a refusal. */
function sameRecord(
  existing: Payment,
  input: { amountMinor: number; feeMinor: number; coverFeeMinor: number; currency: string; pledgeId: string | null },
): RecordPaymentResult {
  const same =
    existing.amountMinor === input.amountMinor &&
    existing.feeMinor === input.feeMinor &&
    existing.coverFeeMinor === input.coverFeeMinor &&
    existing.currency === input.currency &&
    (input.pledgeId === null || existing.pledgeId === input.pledgeId);
  if (!same) throw new PaymentError("duplicate_external_id");
  return { outcome: "already_recorded", payment: existing };
}

/** A second finance person confirms cash recorded at or over the threshold: it is booked now. */
export async function confirmCashPayment(db: Db, actor: Actor, paymentId: string, options: { now?: Date; origin?: string } = {}): Promise<RecordPaymentResult> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx): Promise<RecordPaymentResult> => {
    const { payment, pledge } = await lockPaymentContext(tx, paymentId);
    await requireFinance(tx, actor, payment.orgId);
    if (payment.status !== "awaiting_confirmation") {
      if (payment.confirmedBy && payment.status !== "rejected") return { outcome: "already_recorded", payment };
      throw new PaymentError("invalid_state", { state: payment.status });
    }
    if (payment.recordedBy === actor.userId) throw new PaymentError("four_eyes_same_person");
    const [confirmed] = await tx
      .update(payments)
      .set({ confirmedBy: actor.userId, confirmedAt: now, updatedAt: now })
      .where(eq(payments.id, payment.id))
      .returning();
    const need = pledge ? (await tx.select().from(needs).where(eq(needs.id, pledge.needId)))[0] ?? null : null;
    await recordAudit(tx, actor, { orgId: payment.orgId, action: "payment.confirm", entityType: "payment", entityId: payment.id, change: { recordedBy: payment.recordedBy } });
    return bookPayment(tx, actor, confirmed, { pledge, need, unknownReference: false, now, origin: options.origin });
  });
}

/** The second finance person refuses an unconfirmed cash record: nothing is booked. */
export async function rejectCashPayment(db: Db, actor: Actor, paymentId: string, reason: string, now: Date = new Date()): Promise<Payment> {
  return db.transaction(async (tx) => {
    const { payment } = await lockPaymentContext(tx, paymentId);
    await requireFinance(tx, actor, payment.orgId);
    if (payment.status !== "awaiting_confirmation") throw new PaymentError("invalid_state", { state: payment.status });
    if (payment.recordedBy === actor.userId) throw new PaymentError("four_eyes_same_person");
    const [rejected] = await tx
      .update(payments)
      .set({ status: "rejected", confirmedBy: actor.userId, confirmedAt: now, updatedAt: now })
      .where(eq(payments.id, payment.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: "payment.reject",
      entityType: "payment",
      entityId: payment.id,
      change: { reason: String(reason ?? "").slice(0, 500), amountMinor: payment.amountMinor, currency: payment.currency },
    });
    return rejected;
  });
}

// ---------------------------------------------------------------- attach and reallocate

async function entryExists(tx: Tx, idempotencyKey: string): Promise<boolean> {
  const [row] = await tx.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, idempotencyKey)).limit(1);
  return Boolean(row);
}

function holdingIn(holdings: Holding[], ref: AccountRef): number {
  const key = accountKey(ref);
  return holdings.filter((h) => accountKey(h.account) === key).reduce((t, h) => t + h.amountMinor, 0);
}

const IN_LEDGER: Payment["status"][] = ["succeeded", "partly_refunded"];

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
    const need = ctx.needs.get(target.needId)!;
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
        { account: UNRESTRICTED, amountMinor: rest },
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
  const now = input.now ?? new Date();
  const key = checkKey(input.idempotencyKey);
  if (input.amountMinor !== undefined && !positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  const toNeedId = input.to === "unrestricted" ? null : input.to?.needId;
  if (input.to !== "unrestricted" && (!toNeedId || !UUID.test(toNeedId))) throw new PaymentError("need_not_found");
  if (!UUID.test(input.paymentId)) throw new PaymentError("payment_not_found");
  return db.transaction(async (tx) => {
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, input.paymentId)).limit(1);
    if (!peek) throw new PaymentError("payment_not_found");
    await requireFinance(tx, actor, peek.orgId);
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
    let destination: AccountRef = UNRESTRICTED;
    let toNeed: Need | null = null;
    if (toNeedId) {
      toNeed = ctx.needs.get(toNeedId) ?? null;
      if (!toNeed) throw new PaymentError("need_not_found");
      if (toNeed.orgId !== payment.orgId) throw new PaymentError("other_org_need");
      if (toNeed.currency !== payment.currency) throw new PaymentError("other_currency_need", { currency: toNeed.currency });
      if (toNeed.id === payment.needId) throw new PaymentError("invalid_state");
      if (toNeed.state !== "published") throw new PaymentError("need_not_open", { state: toNeed.state });
      const remainingMinor = toNeed.targetMinor - toNeed.paidMinor - toNeed.reservedMinor;
      if (moved > remainingMinor) throw new PaymentError("need_full", { remainingMinor: Math.max(0, remainingMinor), currency: toNeed.currency });
      destination = needFund(toNeed.id);
    } else if (source.kind === "unrestricted_fund") {
      throw new PaymentError("nothing_to_move");
    }
    const org = await orgOf(tx, payment.orgId);
    const fromNeed = source.kind === "need_fund" ? (ctx.needs.get(source.needId!) ?? null) : null;
    const entry = await postEntry(tx, {
      orgId: payment.orgId,
      currency: payment.currency,
      kind: "reallocation",
      idempotencyKey: entryKey,
      memo: toNeed ? `Moved to need ${toNeed.publicId}` : "Moved to the unrestricted fund",
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
        ...(whole ? { allocation: toNeed ? ("need_fund" as const) : ("unrestricted_fund" as const), needId: toNeed?.id ?? null } : {}),
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
  });
}

// ---------------------------------------------------------------- refunds

export type StripeRefundFn = (args: { paymentIntentId: string; stripeAmount: number; idempotencyKey: string }) => Promise<{ id: string; status: string }>;

/**
 * Takes `amountMinor` of a payment back out of where it sits (its allocation first, then the
 * unrestricted surplus, then the fee cover): the need's paid total and the pledge go down, the
 * rest of a live pledge's reservation is released, the need leaves `funded` below its target.
 */
async function drawBack(tx: Tx, actor: Actor, payment: Payment, pledge: Pledge | null, amountMinor: number, now: Date, anyNeed = false): Promise<Holding[]> {
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
  return sources;
}

/**
 * Finance refunds (part of) a payment. Card: through Stripe's refund API (the injected
 * `stripeRefund`, called once with a stable idempotency key): Dr where the money sits; Cr refunds
 * payable, then — when Stripe answers `succeeded` — Dr refunds payable; Cr stripe (a `pending`
 * answer is settled by the `charge.refunded` webhook: recordStripeRefund). Offline (finance
 * already paid it out): Dr where it sits; Cr the money account. At most what was paid and not yet
 * refunded. A credit note is issued once the refund has succeeded.
 */
export async function requestRefund(
  db: Db,
  actor: Actor,
  input: {
    paymentId: string;
    amountMinor: number;
    reason?: string | null;
    idempotencyKey: string;
    offlineReference?: string | null;
    stripeRefund?: StripeRefundFn;
    now?: Date;
    origin?: string;
  },
): Promise<Refund> {
  const now = input.now ?? new Date();
  const key = checkKey(input.idempotencyKey);
  if (!positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  if (!UUID.test(input.paymentId)) throw new PaymentError("payment_not_found");
  return db.transaction(async (tx) => {
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, input.paymentId)).limit(1);
    if (!peek) throw new PaymentError("payment_not_found");
    await requireFinance(tx, actor, peek.orgId);
    const { payment, pledge } = await lockPaymentContext(tx, input.paymentId);
    const [again] = await tx.select().from(refunds).where(eq(refunds.idempotencyKey, key)).limit(1);
    if (again) {
      if (again.paymentId !== payment.id) throw new PaymentError("idempotency_conflict");
      return again;
    }
    if (!IN_LEDGER.includes(payment.status)) throw new PaymentError("invalid_state", { state: payment.status });
    const maxMinor = payment.amountMinor - payment.refundedMinor;
    if (input.amountMinor > maxMinor) throw new PaymentError("refund_too_large", { maxMinor, currency: payment.currency });
    const card = payment.method === "card";
    if (card && (!input.stripeRefund || !payment.externalId)) throw new PaymentError("invalid_state");
    const offlineReference = input.offlineReference?.trim() ? input.offlineReference.trim().slice(0, 200) : null;
    const org = await orgOf(tx, payment.orgId);
    const valueDate = todayIn(org.timeZone, now);

    const [refund] = await tx
      .insert(refunds)
      .values({
        orgId: payment.orgId,
        paymentId: payment.id,
        amountMinor: input.amountMinor,
        currency: payment.currency,
        externalId: card ? null : offlineReference,
        reason: input.reason?.trim() ? input.reason.trim().slice(0, 1000) : null,
        status: "pending",
        recordedBy: actor.userId,
        idempotencyKey: key,
        createdAt: now,
      })
      .returning();
    const sources = await drawBack(tx, actor, payment, pledge, input.amountMinor, now);
    let status: Refund["status"] = "succeeded";
    let stripeRefundId: string | null = null;
    let entryId: string;
    if (card) {
      ({ entryId } = await postEntry(tx, {
        orgId: payment.orgId,
        currency: payment.currency,
        kind: "refund",
        idempotencyKey: `refund:${refund.id}`,
        memo: `Card refund asked of Stripe (${payment.externalId})`,
        actorUserId: actor.userId,
        valueDate,
        paymentId: payment.id,
        refundId: refund.id,
        pledgeId: payment.pledgeId,
        needId: payment.needId,
        postings: refundRequestPostings(sources),
      }));
      // Last: everything above is written and checked; a refusal by Stripe rolls it all back.
      let answer: { id: string; status: string };
      try {
        answer = await input.stripeRefund!({
          paymentIntentId: payment.externalId!,
          stripeAmount: toStripeAmount(input.amountMinor, payment.currency),
          idempotencyKey: `tadamon-refund-${key}`,
        });
      } catch (error) {
        console.error("[payments] Stripe refund failed", error instanceof Error ? error.message : error);
        throw new PaymentError("stripe_failed");
      }
      if (answer.status === "failed" || answer.status === "canceled") throw new PaymentError("stripe_failed");
      stripeRefundId = answer.id;
      if (answer.status === "succeeded") await settleStripeRefund(tx, actor, payment, refund, valueDate);
      else status = "pending";
    } else {
      ({ entryId } = await postEntry(tx, {
        orgId: payment.orgId,
        currency: payment.currency,
        kind: "refund",
        idempotencyKey: `refund:${refund.id}`,
        memo: `Offline refund${offlineReference ? ` (${offlineReference})` : ""}`,
        actorUserId: actor.userId,
        valueDate,
        paymentId: payment.id,
        refundId: refund.id,
        pledgeId: payment.pledgeId,
        needId: payment.needId,
        postings: paidOutPostings(sources, assetOf(payment)),
      }));
    }
    const refundedMinor = payment.refundedMinor + input.amountMinor;
    await tx
      .update(payments)
      .set({ refundedMinor, status: statusAfterRefunds(payment.amountMinor, refundedMinor), flagResolvedAt: payment.flag ? now : payment.flagResolvedAt, updatedAt: now })
      .where(eq(payments.id, payment.id));
    const [saved] = await tx.update(refunds).set({ status, stripeRefundId, ledgerEntryId: entryId }).where(eq(refunds.id, refund.id)).returning();
    if (status === "succeeded") await issueCreditNote(tx, { refundId: refund.id, now, origin: input.origin });
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: "payment.refund",
      entityType: "payment",
      entityId: payment.id,
      change: { refundId: refund.id, amountMinor: input.amountMinor, currency: payment.currency, method: payment.method, status, stripeRefundId, reference: offlineReference },
    });
    return saved;
  });
}

/** Stripe confirmed a card refund: Dr refunds payable; Cr stripe (once per refund). */
async function settleStripeRefund(tx: Tx, actor: Actor, payment: Payment, refund: Refund, valueDate: string) {
  await postEntry(tx, {
    orgId: payment.orgId,
    currency: payment.currency,
    kind: "refund",
    idempotencyKey: `refund-settled:${refund.id}`,
    memo: `Card refund paid by Stripe (${payment.externalId})`,
    actorUserId: actor.userId,
    valueDate,
    paymentId: payment.id,
    refundId: refund.id,
    pledgeId: payment.pledgeId,
    needId: payment.needId,
    postings: refundSettlePostings(refund.amountMinor),
  });
}

async function cardPaymentByIntent(tx: Tx, paymentIntentId: string, orgId?: string) {
  if (typeof paymentIntentId !== "string" || !paymentIntentId) return null;
  const [row] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.method, "card"), eq(payments.externalId, paymentIntentId), orgId ? eq(payments.orgId, orgId) : undefined))
    .limit(1);
  return row?.id ?? null;
}

/**
 * `charge.refunded` (as the system): a refund Stripe made — one finance asked for (settled now,
 * if still pending) or one made in Stripe's dashboard (booked whole now: Dr where the money sits;
 * Cr stripe). Idempotent by Stripe's refund id.
 */
export async function recordStripeRefund(
  db: Db,
  actor: Actor,
  input: { orgId?: string; paymentIntentId: string; stripeRefundId: string; amountMinor: number; currency: string; eventId: string; now?: Date; origin?: string },
): Promise<"recorded" | "already" | "payment_unknown"> {
  const now = input.now ?? new Date();
  if (!positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  return db.transaction(async (tx) => {
    const paymentId = await cardPaymentByIntent(tx, input.paymentIntentId, input.orgId);
    if (!paymentId) return "payment_unknown" as const;
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, paymentId));
    await requireFinance(tx, actor, peek.orgId, true);
    const { payment, pledge } = await lockPaymentContext(tx, paymentId);
    const org = await orgOf(tx, payment.orgId);
    const valueDate = todayIn(org.timeZone, now);
    const [known] = await tx.select().from(refunds).where(eq(refunds.stripeRefundId, input.stripeRefundId)).limit(1);
    if (known) {
      if (known.status === "succeeded") return "already" as const;
      await settleStripeRefund(tx, actor, payment, known, valueDate);
      await tx.update(refunds).set({ status: "succeeded" }).where(eq(refunds.id, known.id));
      await issueCreditNote(tx, { refundId: known.id, now, origin: input.origin });
      await recordAudit(tx, actor, { orgId: payment.orgId, action: "payment.refund_settled", entityType: "payment", entityId: payment.id, change: { refundId: known.id, stripeRefundId: input.stripeRefundId, eventId: input.eventId } });
      return "recorded" as const;
    }
    if (input.currency.toUpperCase() !== payment.currency) throw new PaymentError("currency_mismatch", { currency: payment.currency });
    const maxMinor = payment.amountMinor - payment.refundedMinor;
    if (input.amountMinor > maxMinor || !["succeeded", "partly_refunded", "disputed"].includes(payment.status)) throw new PaymentError("refund_too_large", { maxMinor });
    const [refund] = await tx
      .insert(refunds)
      .values({
        orgId: payment.orgId,
        paymentId: payment.id,
        amountMinor: input.amountMinor,
        currency: payment.currency,
        stripeRefundId: input.stripeRefundId,
        reason: "Refunded in Stripe",
        status: "succeeded",
        recordedBy: null,
        idempotencyKey: `stripe-refund:${input.stripeRefundId}`,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!refund) return "already" as const;
    const sources = await drawBack(tx, actor, payment, pledge, input.amountMinor, now, true);
    const { entryId } = await postEntry(tx, {
      orgId: payment.orgId,
      currency: payment.currency,
      kind: "refund",
      idempotencyKey: `refund:${refund.id}`,
      memo: `Card refund made in Stripe (${input.stripeRefundId})`,
      actorUserId: actor.userId,
      valueDate,
      paymentId: payment.id,
      refundId: refund.id,
      pledgeId: payment.pledgeId,
      needId: payment.needId,
      postings: paidOutPostings(sources, STRIPE),
    });
    const refundedMinor = payment.refundedMinor + input.amountMinor;
    await tx
      .update(payments)
      .set({ refundedMinor, status: payment.status === "disputed" ? "disputed" : statusAfterRefunds(payment.amountMinor, refundedMinor), updatedAt: now })
      .where(eq(payments.id, payment.id));
    await tx.update(refunds).set({ ledgerEntryId: entryId }).where(eq(refunds.id, refund.id));
    await issueCreditNote(tx, { refundId: refund.id, now, origin: input.origin });
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: "payment.refund",
      entityType: "payment",
      entityId: payment.id,
      change: { refundId: refund.id, amountMinor: input.amountMinor, currency: payment.currency, stripeRefundId: input.stripeRefundId, eventId: input.eventId },
    });
    return "recorded" as const;
  });
}

// ---------------------------------------------------------------- disputes

/** `charge.dispute.created`: the payment is flagged for finance; no ledger entry while it is open. */
export async function markDisputed(
  db: Db,
  actor: Actor,
  input: { paymentIntentId: string; disputeId: string; orgId?: string; now?: Date },
): Promise<"flagged" | "already" | "payment_unknown"> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const paymentId = await cardPaymentByIntent(tx, input.paymentIntentId, input.orgId);
    if (!paymentId) return "payment_unknown" as const;
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, paymentId));
    await requireFinance(tx, actor, peek.orgId, true);
    const { payment } = await lockPaymentContext(tx, paymentId);
    if (payment.status === "disputed" || payment.flag === "dispute_lost" || payment.flag === "disputed") return "already" as const;
    await tx.update(payments).set({ status: "disputed", flag: "disputed", flagResolvedAt: null, updatedAt: now }).where(eq(payments.id, payment.id));
    await recordAudit(tx, actor, { orgId: payment.orgId, action: "payment.dispute_open", entityType: "payment", entityId: payment.id, change: { disputeId: input.disputeId } });
    return "flagged" as const;
  });
}

/**
 * `charge.dispute.closed`: won → the payment is as before; lost → the money Stripe took back leaves
 * where it sits (kind adjustment: Dr the need's fund / fee cover / …; Cr stripe), like a refund.
 */
export async function closeDispute(
  db: Db,
  actor: Actor,
  input: { paymentIntentId: string; disputeId: string; won: boolean; eventId: string; orgId?: string; now?: Date },
): Promise<"closed" | "already" | "payment_unknown"> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const paymentId = await cardPaymentByIntent(tx, input.paymentIntentId, input.orgId);
    if (!paymentId) return "payment_unknown" as const;
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, paymentId));
    await requireFinance(tx, actor, peek.orgId, true);
    const { payment, pledge } = await lockPaymentContext(tx, paymentId);
    if (payment.status !== "disputed") return "already" as const;
    if (input.won) {
      await tx
        .update(payments)
        .set({ status: statusAfterRefunds(payment.amountMinor, payment.refundedMinor), flagResolvedAt: now, updatedAt: now })
        .where(eq(payments.id, payment.id));
    } else {
      const holdings = orderedHoldings(payment, await paymentHoldings(tx, payment.id), { pledgeNeedId: pledge?.needId ?? null, anyNeed: true });
      const lost = holdings.reduce((t, h) => t + h.amountMinor, 0);
      if (lost > 0) {
        const sources = await drawBack(tx, actor, payment, pledge, lost, now, true);
        const org = await orgOf(tx, payment.orgId);
        await postEntry(tx, {
          orgId: payment.orgId,
          currency: payment.currency,
          kind: "adjustment",
          idempotencyKey: `dispute-lost:${input.disputeId}`,
          memo: `Dispute lost (${input.disputeId})`,
          actorUserId: actor.userId,
          valueDate: todayIn(org.timeZone, now),
          paymentId: payment.id,
          pledgeId: payment.pledgeId,
          needId: payment.needId,
          postings: paidOutPostings(sources, STRIPE),
        });
      }
      await tx
        .update(payments)
        .set({ status: "refunded", refundedMinor: Math.min(payment.amountMinor, payment.refundedMinor + lost), flag: "dispute_lost", flagResolvedAt: null, updatedAt: now })
        .where(eq(payments.id, payment.id));
    }
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: input.won ? "payment.dispute_won" : "payment.dispute_lost",
      entityType: "payment",
      entityId: payment.id,
      change: { disputeId: input.disputeId, eventId: input.eventId },
    });
    return "closed" as const;
  });
}

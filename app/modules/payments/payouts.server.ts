import { and, count, desc, eq, inArray, isNull, notExists, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { ledgerAccounts, ledgerEntries, ledgerPostings, moneyAccounts, organizations, payments, pledges, statementLines, statementMatches, stripePayouts } from "#db/schema";
import { SYSTEM_ACTOR, recordAudit } from "~/modules/audit/audit.server";
import { STRIPE } from "~/modules/ledger/ledger";
import { postEntry, reverseEntry } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { ensureDefaultMoneyAccount } from "./payments.server";
import { STANDIN_PAYOUT_PREFIX, standInPayoutIntents } from "./standin.server";
import { stripeClient, usingStandIn } from "./stripe-client.server";
import { StripeAmountError, fromStripeAmount } from "./stripe-currency";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * Stripe payouts (issue 10, decision 058): Stripe's balance → the organisation's bank account.
 *
 * `payout.paid` books one entry (kind `payout`, idempotency `payout:<po_id>`): Dr the bank account
 * of the organisation in the payout's currency (its default bank money account), Cr the Stripe
 * balance; it stores a `stripe_payouts` row and marks the card payments it carried
 * (`payments.stripe_payout_id`), found through Stripe's balance transactions for the payout
 * (type charge → charge → payment intent → our card payment's external id). The bank statement
 * line is matched to it later (the matcher asks `findPayoutCandidates`).
 *
 * The organisation: the payout's metadata `orgId` (or `org_id`), set by our payout schedule;
 * without it, the one organisation whose payments the payout carried. A payout carrying payments
 * of several organisations (or of another organisation than its metadata names) is not booked: it
 * is an error left for a person (decision 058 — one row per payout). A payout naming an unknown
 * organisation, or naming none and carrying no payment of ours, is ignored (another environment's).
 * A payout carrying a charge whose payment is not recorded yet is deferred, like a refund before
 * its payment.
 *
 * `payout.failed` / `payout.canceled` are recorded without moving money; a payout that fails after
 * it was booked as paid (Stripe allows it) has its entry reversed and its payments released.
 * Everything here acts as the system (SYSTEM_ACTOR) and is idempotent on replay.
 */

type Json = Record<string, unknown>;
export type PayoutOutcome = { status: "processed" | "deferred" | "ignored"; note?: string };
export type StripePayout = typeof stripePayouts.$inferSelect;

const UUID = UUID_PATTERN;
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const obj = (v: unknown): Json | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);
const idOf = (v: unknown): string | null => str(v) ?? str(obj(v)?.id);

/** A payout's problem that needs a person (the event is retried, then left failed with this message). */
export class PayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayoutError";
  }
}

/** YYYY-MM-DD of a Stripe timestamp (arrival dates are midnight UTC of the bank day). */
function stripeDay(seconds: unknown, fallback: Date): string {
  const n = typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallback.getTime();
  return new Date(n).toISOString().slice(0, 10);
}

/** The organisation the payout's metadata names (our payout schedule sets it), if any. */
export function payoutMetadataOrg(payout: Json): string | null {
  const metadata = obj(payout.metadata) ?? {};
  const id = str(metadata.orgId) ?? str(metadata.org_id);
  return id && UUID.test(id) ? id.toLowerCase() : null;
}

/**
 * The payment intents of the card charges a payout carried: Stripe's balance transactions for the
 * payout (type charge, the charge expanded), or the stand-in's answer for its own payouts. Null
 * when nobody can say (no Stripe key and not a stand-in payout).
 */
export async function carriedPaymentIntents(db: DbOrTx, payout: Json): Promise<string[] | null> {
  const payoutId = str(payout.id) ?? "";
  const stripe = stripeClient();
  // Stripe lists a payout's transactions for automatic payouts only: a manual one names no charges.
  if (stripe && payout.automatic === false) return [];
  if (stripe) {
    const intents = new Set<string>();
    for await (const bt of stripe.balanceTransactions.list({ payout: payoutId, type: "charge", limit: 100, expand: ["data.source"] })) {
      const source = bt.source as unknown;
      let pi = idOf(obj(source)?.payment_intent);
      if (!pi && typeof source === "string" && source.startsWith("ch_")) pi = idOf((await stripe.charges.retrieve(source)).payment_intent);
      if (pi) intents.add(pi);
    }
    return [...intents];
  }
  if (usingStandIn() && payoutId.startsWith(STANDIN_PAYOUT_PREFIX)) {
    const orgId = payoutMetadataOrg(payout);
    const currency = (str(payout.currency) ?? "").toUpperCase();
    if (!orgId || !currency) return [];
    return standInPayoutIntents(db, { orgId, currency, createdAt: new Date(Number(payout.created ?? 0) * 1000) });
  }
  return null;
}

type Carried = { id: string; orgId: string; currency: string; externalId: string | null; stripePayoutId: string | null };

/** Our card payments for these payment intents (any organisation: the caller checks). */
async function cardPaymentsFor(db: DbOrTx, intents: string[]): Promise<Carried[]> {
  if (intents.length === 0) return [];
  const rows: Carried[] = [];
  for (let i = 0; i < intents.length; i += 500) {
    rows.push(
      ...(await db
        .select({ id: payments.id, orgId: payments.orgId, currency: payments.currency, externalId: payments.externalId, stripePayoutId: payments.stripePayoutId })
        .from(payments)
        .where(and(eq(payments.method, "card"), inArray(payments.externalId, intents.slice(i, i + 500)), isNull(payments.reversedAt)))),
    );
  }
  return rows;
}

type Resolved = { kind: "ok"; orgId: string; timeZone: string; carried: Carried[] } | { kind: "outcome"; outcome: PayoutOutcome };

/** The organisation of a payout and the payments it carried (see the module comment for the rules). */
async function resolvePayout(db: Db, payout: Json, options: { deferMissing: boolean }): Promise<Resolved> {
  const payoutId = str(payout.id) ?? "?";
  const metaOrg = payoutMetadataOrg(payout);
  const rawMetaOrg = str(obj(payout.metadata)?.orgId) ?? str(obj(payout.metadata)?.org_id);
  if (rawMetaOrg && !metaOrg) return { kind: "outcome", outcome: { status: "ignored", note: `payout ${payoutId}: organisation ${rawMetaOrg.slice(0, 60)} is not an id of ours` } };
  const intents = (await carriedPaymentIntents(db, payout)) ?? [];
  const carried = await cardPaymentsFor(db, intents);
  const known = new Set(carried.map((p) => p.externalId));
  const missing = intents.filter((pi) => !known.has(pi));
  if (missing.length > 0 && options.deferMissing) {
    return { kind: "outcome", outcome: { status: "deferred", note: `payout ${payoutId}: ${missing.length} card payment(s) not recorded yet (${missing.slice(0, 3).join(", ")})` } };
  }
  const orgs = [...new Set(carried.map((p) => p.orgId))];
  let orgId: string;
  if (metaOrg) {
    const strangers = orgs.filter((o) => o !== metaOrg);
    if (strangers.length > 0) throw new PayoutError(`payout ${payoutId} names organisation ${metaOrg} but carries payments of ${strangers.join(", ")}`);
    orgId = metaOrg;
  } else if (orgs.length === 1) {
    orgId = orgs[0];
  } else if (orgs.length === 0) {
    return { kind: "outcome", outcome: { status: "ignored", note: `payout ${payoutId}: no organisation (no orgId metadata, no card payment of ours carried)` } };
  } else {
    throw new PayoutError(`payout ${payoutId} carries payments of ${orgs.length} organisations (${orgs.join(", ")}): one payout per organisation is needed (decision 058)`);
  }
  const [org] = await db.select({ id: organizations.id, timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) return { kind: "outcome", outcome: { status: "ignored", note: `payout ${payoutId}: unknown organisation ${orgId}` } };
  return { kind: "ok", orgId: org.id, timeZone: org.timeZone, carried };
}

/** The handler of `payout.paid`, `payout.failed` and `payout.canceled` (called by stripe-events.server.ts). */
export async function handlePayoutEvent(db: Db, type: string, payout: Json, ctx: { now: Date; eventId: string }): Promise<PayoutOutcome> {
  const payoutId = str(payout.id);
  if (!payoutId || !payoutId.startsWith("po_") || payoutId.length > 255) return { status: "ignored", note: "not a payout" };
  if (type === "payout.paid") return payoutPaid(db, payoutId, payout, ctx);
  if (type === "payout.failed" || type === "payout.canceled") return payoutEnded(db, payoutId, payout, type === "payout.failed" ? "failed" : "canceled", ctx);
  return { status: "ignored", note: `not handled: ${type}` };
}

async function payoutRow(db: DbOrTx, id: string): Promise<StripePayout | null> {
  const [row] = await db.select().from(stripePayouts).where(eq(stripePayouts.id, id)).limit(1);
  return row ?? null;
}

function payoutMoney(payout: Json): { amountMinor: number; currency: string } | null {
  const currency = (str(payout.currency) ?? "").toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || typeof payout.amount !== "number") return null;
  try {
    // A payout is a net amount (fees Stripe computed in finer units than the app keeps): nearest.
    return { amountMinor: fromStripeAmount(payout.amount, currency, "nearest"), currency };
  } catch (error) {
    if (error instanceof StripeAmountError) return null;
    throw error;
  }
}

function descriptorOf(payout: Json): string | null {
  const value = str(payout.statement_descriptor) ?? str(obj(payout.trace_id)?.value);
  return value ? value.slice(0, 200) : null;
}

async function payoutPaid(db: Db, payoutId: string, payout: Json, ctx: { now: Date; eventId: string }): Promise<PayoutOutcome> {
  const existing = await payoutRow(db, payoutId);
  if (existing?.status === "paid" && existing.ledgerEntryId) return { status: "processed", note: `payout ${payoutId} already recorded` };
  if (existing) return { status: "ignored", note: `payout ${payoutId} already ${existing.status}` };
  const money = payoutMoney(payout);
  if (!money || money.amountMinor <= 0) return { status: "ignored", note: `payout ${payoutId}: no amount or currency` };
  const resolved = await resolvePayout(db, payout, { deferMissing: true });
  if (resolved.kind === "outcome") return resolved.outcome;
  const { orgId, carried } = resolved;
  const others = carried.filter((p) => p.currency !== money.currency);
  if (others.length > 0) {
    // Settled in another currency than the charges: the Stripe balance of the charge currency would
    // need an exchange entry this module does not make (decision 058).
    throw new PayoutError(`payout ${payoutId} in ${money.currency} carries payments in ${[...new Set(others.map((p) => p.currency))].join(", ")}`);
  }
  const arrivalDate = stripeDay(payout.arrival_date ?? payout.created, ctx.now);
  const descriptor = descriptorOf(payout);

  const result = await db.transaction(async (tx) => {
    const moneyAccountId = await ensureDefaultMoneyAccount(tx, orgId, "bank", money.currency);
    const entry = await postEntry(tx, {
      orgId,
      currency: money.currency,
      kind: "payout",
      idempotencyKey: `payout:${payoutId}`,
      memo: `Stripe payout ${payoutId}`,
      actorUserId: null,
      valueDate: arrivalDate,
      postings: [
        { account: { kind: "bank", moneyAccountId }, amountMinor: money.amountMinor },
        { account: STRIPE, amountMinor: -money.amountMinor },
      ],
    });
    const [inserted] = await tx
      .insert(stripePayouts)
      .values({ id: payoutId, orgId, amountMinor: money.amountMinor, currency: money.currency, arrivalDate, status: "paid", moneyAccountId, ledgerEntryId: entry.entryId, statementDescriptor: descriptor })
      .onConflictDoNothing()
      .returning({ id: stripePayouts.id });
    if (!inserted) return { created: false, marked: 0 };
    const ids = carried.filter((p) => p.orgId === orgId && !p.stripePayoutId).map((p) => p.id);
    let marked = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await tx
        .update(payments)
        .set({ stripePayoutId: payoutId, updatedAt: ctx.now })
        .where(and(inArray(payments.id, ids.slice(i, i + 500)), eq(payments.orgId, orgId), isNull(payments.stripePayoutId)))
        .returning({ id: payments.id });
      marked += rows.length;
    }
    await recordAudit(tx, SYSTEM_ACTOR, {
      orgId,
      action: "payout.paid",
      entityType: "stripe_payout",
      entityId: payoutId,
      change: { amountMinor: money.amountMinor, currency: money.currency, arrivalDate, moneyAccountId, ledgerEntryId: entry.entryId, payments: marked, eventId: ctx.eventId },
    });
    return { created: true, marked };
  });
  return { status: "processed", note: result.created ? `payout ${payoutId} booked, ${result.marked} payment(s)` : `payout ${payoutId} already recorded` };
}

async function payoutEnded(db: Db, payoutId: string, payout: Json, status: "failed" | "canceled", ctx: { now: Date; eventId: string }): Promise<PayoutOutcome> {
  const existing = await payoutRow(db, payoutId);
  if (existing && existing.status !== "paid") return { status: "processed", note: `payout ${payoutId} already ${existing.status}` };
  if (existing) {
    // Failed after it was paid (Stripe returns the money to the balance): reverse, release the payments.
    const [org] = await db.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, existing.orgId)).limit(1);
    await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(stripePayouts).where(eq(stripePayouts.id, payoutId)).for("update");
      if (!locked || locked.status !== "paid") return;
      if (locked.ledgerEntryId) {
        await reverseEntry(tx, {
          entryId: locked.ledgerEntryId,
          idempotencyKey: `payout:${payoutId}:${status}`,
          memo: `Stripe payout ${payoutId} ${status}`,
          actorUserId: null,
          valueDate: todayIn(org?.timeZone ?? "UTC", ctx.now),
        });
      }
      await tx.update(stripePayouts).set({ status }).where(eq(stripePayouts.id, payoutId));
      await tx.update(payments).set({ stripePayoutId: null, updatedAt: ctx.now }).where(and(eq(payments.stripePayoutId, payoutId), eq(payments.orgId, locked.orgId)));
      await recordAudit(tx, SYSTEM_ACTOR, { orgId: locked.orgId, action: `payout.${status}`, entityType: "stripe_payout", entityId: payoutId, change: { after: "paid", reversed: Boolean(locked.ledgerEntryId), eventId: ctx.eventId } });
    });
    return { status: "processed", note: `payout ${payoutId} ${status} after it was paid: entry reversed` };
  }
  const money = payoutMoney(payout);
  if (!money || money.amountMinor <= 0) return { status: "ignored", note: `payout ${payoutId}: no amount or currency` };
  // Nothing to wait for: a payout that never arrived moves no money.
  const resolved = await resolvePayout(db, payout, { deferMissing: false });
  if (resolved.kind === "outcome") return resolved.outcome;
  const arrivalDate = stripeDay(payout.arrival_date ?? payout.created, ctx.now);
  await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(stripePayouts)
      .values({ id: payoutId, orgId: resolved.orgId, amountMinor: money.amountMinor, currency: money.currency, arrivalDate, status, statementDescriptor: descriptorOf(payout) })
      .onConflictDoNothing()
      .returning({ id: stripePayouts.id });
    if (inserted) {
      await recordAudit(tx, SYSTEM_ACTOR, { orgId: resolved.orgId, action: `payout.${status}`, entityType: "stripe_payout", entityId: payoutId, change: { amountMinor: money.amountMinor, currency: money.currency, eventId: ctx.eventId } });
    }
  });
  return { status: "processed", note: `payout ${payoutId} ${status} (recorded, nothing booked)` };
}

// ---------------------------------------------------------------- for the matcher (module C)

export type PayoutCandidate = {
  id: string;
  amountMinor: number;
  currency: string;
  arrivalDate: string;
  statementDescriptor: string | null;
  moneyAccountId: string | null;
};

/**
 * Paid payouts of the organisation in this currency that no bank statement line explains yet (no
 * active statement_matches row with their id), oldest arrival first. On the bank statement a
 * payout is money IN (a positive line: Stripe → the bank). `moneyAccountId` narrows to payouts
 * booked on that bank account.
 */
export async function findPayoutCandidates(db: DbOrTx, orgId: string, options: { currency: string; moneyAccountId?: string | null; limit?: number }): Promise<PayoutCandidate[]> {
  const rows = await db
    .select({
      id: stripePayouts.id,
      amountMinor: stripePayouts.amountMinor,
      currency: stripePayouts.currency,
      arrivalDate: stripePayouts.arrivalDate,
      statementDescriptor: stripePayouts.statementDescriptor,
      moneyAccountId: stripePayouts.moneyAccountId,
    })
    .from(stripePayouts)
    .where(
      and(
        eq(stripePayouts.orgId, orgId),
        eq(stripePayouts.currency, options.currency.toUpperCase()),
        eq(stripePayouts.status, "paid"),
        options.moneyAccountId ? eq(stripePayouts.moneyAccountId, options.moneyAccountId) : undefined,
        notExists(db.select({ one: sql`1` }).from(statementMatches).where(and(eq(statementMatches.payoutId, stripePayouts.id), eq(statementMatches.status, "active")))),
      ),
    )
    .orderBy(stripePayouts.arrivalDate, stripePayouts.id)
    .limit(options.limit ?? 1000);
  return rows.map((r) => ({ ...r, amountMinor: Number(r.amountMinor) }));
}

// ---------------------------------------------------------------- pages

export const PAYOUTS_PAGE_SIZE = 25;

export type PayoutListRow = StripePayout & { paymentCount: number; matched: boolean };

/** The organisation's payouts, newest arrival first, one page. */
export async function listPayouts(db: DbOrTx, orgId: string, options: { page: number; pageSize?: number }) {
  const pageSize = options.pageSize ?? PAYOUTS_PAGE_SIZE;
  const [{ n }] = await db.select({ n: count() }).from(stripePayouts).where(eq(stripePayouts.orgId, orgId));
  const pages = Math.max(1, Math.ceil(n / pageSize));
  const page = Math.min(Math.max(1, options.page), pages);
  const rows = await db
    .select({
      payout: stripePayouts,
      paymentCount: sql<number>`(select count(*)::int from payments p where p.stripe_payout_id = "stripe_payouts"."id" and p.org_id = "stripe_payouts"."org_id")`,
      matched: sql<boolean>`exists (select 1 from statement_matches sm where sm.payout_id = "stripe_payouts"."id" and sm.status = 'active')`,
    })
    .from(stripePayouts)
    .where(eq(stripePayouts.orgId, orgId))
    .orderBy(desc(stripePayouts.arrivalDate), desc(stripePayouts.createdAt), desc(stripePayouts.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const list: PayoutListRow[] = rows.map((r) => ({ ...r.payout, amountMinor: Number(r.payout.amountMinor), paymentCount: Number(r.paymentCount), matched: Boolean(r.matched) }));
  return { rows: list, total: n, page, pages };
}

/** One payout of the organisation with its bank account, ledger entry, carried payments and statement line; null when not the organisation's. */
export async function payoutDetail(db: DbOrTx, orgId: string, payoutId: string) {
  if (!/^po_[A-Za-z0-9_]{1,250}$/.test(payoutId)) return null;
  const [row] = await db
    .select()
    .from(stripePayouts)
    .where(and(eq(stripePayouts.id, payoutId), eq(stripePayouts.orgId, orgId)))
    .limit(1);
  if (!row) return null;
  const [account] = row.moneyAccountId
    ? await db.select({ id: moneyAccounts.id, name: moneyAccounts.name, bankName: moneyAccounts.bankName, currency: moneyAccounts.currency }).from(moneyAccounts).where(eq(moneyAccounts.id, row.moneyAccountId)).limit(1)
    : [];
  const entries = await db
    .select({ id: ledgerEntries.id, memo: ledgerEntries.memo, valueDate: ledgerEntries.valueDate, kind: ledgerEntries.kind, createdAt: ledgerEntries.createdAt })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orgId, orgId), inArray(ledgerEntries.idempotencyKey, [`payout:${payoutId}`, `payout:${payoutId}:failed`, `payout:${payoutId}:canceled`])))
    .orderBy(ledgerEntries.createdAt);
  const postings = entries.length
    ? await db
        .select({ entryId: ledgerPostings.entryId, amountMinor: ledgerPostings.amountMinor, kind: ledgerAccounts.kind, moneyAccountId: ledgerAccounts.moneyAccountId, accountName: moneyAccounts.name })
        .from(ledgerPostings)
        .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
        .leftJoin(moneyAccounts, eq(moneyAccounts.id, ledgerAccounts.moneyAccountId))
        .where(inArray(ledgerPostings.entryId, entries.map((e) => e.id)))
        .orderBy(desc(ledgerPostings.amountMinor))
    : [];
  const carried = await db
    .select({
      id: payments.id,
      amountMinor: payments.amountMinor,
      feeMinor: payments.feeMinor,
      refundedMinor: payments.refundedMinor,
      currency: payments.currency,
      valueDate: payments.valueDate,
      status: payments.status,
      externalId: payments.externalId,
      pledgeId: payments.pledgeId,
      pledgeReference: pledges.reference,
    })
    .from(payments)
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .where(and(eq(payments.orgId, orgId), eq(payments.stripePayoutId, payoutId)))
    .orderBy(payments.valueDate, payments.recordedAt, payments.id);
  const lines = await db
    .select({
      matchId: statementMatches.id,
      lineId: statementLines.id,
      valueDate: statementLines.valueDate,
      amountMinor: statementLines.amountMinor,
      currency: statementLines.currency,
      description: statementLines.description,
      moneyAccountId: statementLines.moneyAccountId,
    })
    .from(statementMatches)
    .innerJoin(statementLines, eq(statementLines.id, statementMatches.lineId))
    .where(and(eq(statementMatches.payoutId, payoutId), eq(statementMatches.orgId, orgId), eq(statementMatches.status, "active")));
  return {
    payout: { ...row, amountMinor: Number(row.amountMinor) },
    account: account ?? null,
    entries: entries.map((e) => ({
      ...e,
      postings: postings.filter((p) => p.entryId === e.id).map((p) => ({ kind: p.kind, accountName: p.accountName, amountMinor: Number(p.amountMinor) })),
    })),
    payments: carried.map((p) => ({ ...p, amountMinor: Number(p.amountMinor), feeMinor: Number(p.feeMinor), refundedMinor: Number(p.refundedMinor) })),
    lines: lines.map((l) => ({ ...l, amountMinor: Number(l.amountMinor) })),
  };
}

export type PayoutDetail = NonNullable<Awaited<ReturnType<typeof payoutDetail>>>;

/**
 * The card money of the organisation not yet paid out, per currency: the Stripe balance in the
 * ledger (card payments less fees, refunds and earlier payouts) and how many card payments have
 * no payout yet. What the stand-in's "simulate a payout" pays out.
 */
export async function unpaidCardBalances(db: DbOrTx, orgId: string): Promise<{ currency: string; balanceMinor: number; payments: number }[]> {
  const balances = await db
    .select({ currency: ledgerAccounts.currency, balance: sql<string>`coalesce(sum(${ledgerPostings.amountMinor}), 0)` })
    .from(ledgerAccounts)
    .leftJoin(ledgerPostings, eq(ledgerPostings.accountId, ledgerAccounts.id))
    .where(and(eq(ledgerAccounts.orgId, orgId), eq(ledgerAccounts.kind, "stripe")))
    .groupBy(ledgerAccounts.currency)
    .orderBy(ledgerAccounts.currency);
  const counts = await db
    .select({ currency: payments.currency, n: count() })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), eq(payments.method, "card"), isNull(payments.stripePayoutId), isNull(payments.reversedAt)))
    .groupBy(payments.currency);
  return balances.map((b) => ({ currency: b.currency, balanceMinor: Number(b.balance), payments: counts.find((c) => c.currency === b.currency)?.n ?? 0 }));
}

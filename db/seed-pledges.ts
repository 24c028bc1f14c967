import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Actor } from "~/modules/audit/audit.server";
import { PledgeError, type PledgeErrorCode } from "~/modules/pledging/errors";
import {
  CARD_HOLD_MS,
  cancelPledge,
  confirmPledge,
  createPledge,
  decideOffer,
  expirePledges,
  getPaymentDetails,
  markPledgePaid,
  offerDelivery,
  type CreatePledgeInput,
  type Pledge,
} from "~/modules/pledging/pledges.server";
import { reallocatePayment, recordPayment, requestRefund } from "~/modules/payments/payments.server";
import { startCheckout } from "~/modules/payments/checkout.server";
import { signedWebhookRequest, standInActive, standInCompletedEvent, standInSession } from "~/modules/payments/standin.server";
import { handleStripeWebhook } from "~/modules/payments/stripe-events.server";
import type { Db, DbOrTx, Tx } from "./client.server";
import { DEMO_CASE_STAFF, DEMO_PLEDGES, DEMO_USERS, type DemoPledge } from "./demo-data";
import { needs, organizations, payments, pledges } from "./schema";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Without payment details an organisation's offline pledges expire after this many days (the column's default). */
const DEFAULT_EXPIRY_DAYS = 7;

/** The idempotency key of a demo pledge: fixed, so a second seed finds the pledge instead of making another. */
export const demoPledgeKey = (pledge: Pick<DemoPledge, "key">) => `tadamon-demo-pledge:${pledge.key}`;

/**
 * Refusals that mean the database moved on since the demo data was written (a need filled, closed
 * or its item taken by real pledges on a database seeded before): that demo pledge is skipped.
 * Any other refusal is a mistake in DEMO_PLEDGES and fails the seed.
 */
const SKIPPED: ReadonlySet<PledgeErrorCode> = new Set(["need_not_open", "need_full", "above_remaining", "item_unavailable"]);

type DemoNeedRow = Pick<typeof needs.$inferSelect, "id" | "orgId" | "publicId" | "currency">;

export interface DemoPledgeContext {
  orgIds: Map<string, string>;
  userIds: Map<string, string>;
  /** The demo household's id by organisation slug and head's full name (the seed's marker). */
  householdOf: (org: string, headName: string) => string | undefined;
  now: Date;
}

/**
 * The demo pledges (DEMO_PLEDGES), written through the pledging domain functions inside the seed's
 * transaction (each opens a savepoint), so reservations, paid totals, donor counts, transitions,
 * audit rows and instruction emails (to the outbox) are exactly what the app writes:
 * createPledge / offerDelivery at the pledge's creation date, then markPledgePaid by the
 * organisation's finance officer, decideOffer by its caseworker, cancelPledge by the donor, or
 * expirePledges at the pledge's expiry date (in the past).
 *
 * Idempotent: a pledge is found by its fixed idempotency key, and each step runs only from the
 * status it starts from (a paid pledge is not paid again, an expired one not expired again), so a
 * second run writes nothing. Oldest first, so each need's totals grow in date order.
 */
export async function seedDemoPledges(tx: Tx, ctx: DemoPledgeContext): Promise<void> {
  const db = tx as unknown as Db;
  const needOf = await demoNeeds(tx, ctx);
  const expiryDays = new Map<string, number>();
  const at = (daysAgo: number) => new Date(ctx.now.getTime() - Math.round(daysAgo * DAY_MS));
  const origin = (process.env.APP_URL || "http://localhost:3000").replace(/\/+$/, "");

  for (const demo of byCreation(DEMO_PLEDGES)) {
    const orgId = ctx.orgIds.get(demo.org);
    if (!orgId) continue;
    if (!expiryDays.has(orgId)) expiryDays.set(orgId, (await getPaymentDetails(tx, orgId))?.pledgeExpiryDays ?? DEFAULT_EXPIRY_DAYS);
    const days = expiryDays.get(orgId)!;
    const key = demoPledgeKey(demo);

    let [pledge] = await tx.select().from(pledges).where(eq(pledges.idempotencyKey, key)).limit(1);
    if (!pledge) {
      const householdId = ctx.householdOf(demo.org, demo.need.head);
      const need = householdId ? needOf.get(needKey(householdId, demo.need.titleEn)) : undefined;
      if (!need || need.orgId !== orgId) continue;
      const created = await createDemoPledge(db, demo, {
        need,
        key,
        origin,
        userIds: ctx.userIds,
        now: at(createdDaysAgo(demo, days)),
      });
      if (!created) continue;
      pledge = created;
    }
    await advance(db, demo, pledge, { ...ctx, at });
  }
}

/** How many of the demo pledges are in the database (found by their keys). */
export async function countDemoPledges(db: DbOrTx): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(pledges)
    .where(inArray(pledges.idempotencyKey, DEMO_PLEDGES.map(demoPledgeKey)));
  return n;
}

/**
 * When the pledge is created, in days before the seed date: a pending or card pledge young enough
 * to still hold its reservation; an expired one the organisation's number of days before it expired.
 */
function createdDaysAgo(demo: DemoPledge, expiryDays: number): number {
  const o = demo.outcome;
  if (o.status === "expired") return o.expiredDaysAgo + expiryDays;
  if (o.status === "pending") return Math.min(o.createdDaysAgo, expiryDays / 2);
  if (o.status === "awaiting_payment") return Math.min(o.createdDaysAgo, CARD_HOLD_MS / DAY_MS / 2);
  return o.createdDaysAgo;
}

/** Oldest creation first (the order is stable for equal dates). */
function byCreation(list: DemoPledge[]): DemoPledge[] {
  const age = (p: DemoPledge) => (p.outcome.status === "expired" ? p.outcome.expiredDaysAgo + DEFAULT_EXPIRY_DAYS : p.outcome.createdDaysAgo);
  return [...list].sort((a, b) => age(b) - age(a));
}

const needKey = (householdId: string, titleEn: string) => `${householdId}|${titleEn}`;

/** The needs of the demo households, by household and English title (the oldest if staff made another). */
async function demoNeeds(db: DbOrTx, ctx: DemoPledgeContext): Promise<Map<string, DemoNeedRow & { householdId: string; titleEn: string | null }>> {
  const ids = [
    ...new Set(DEMO_PLEDGES.map((p) => ctx.householdOf(p.org, p.need.head)).filter((id): id is string => Boolean(id))),
  ];
  const found = new Map<string, DemoNeedRow & { householdId: string; titleEn: string | null }>();
  if (ids.length === 0) return found;
  const rows = await db
    .select({
      id: needs.id,
      orgId: needs.orgId,
      householdId: needs.householdId,
      publicId: needs.publicId,
      currency: needs.currency,
      titleEn: needs.titleEn,
    })
    .from(needs)
    .where(inArray(needs.householdId, ids))
    .orderBy(asc(needs.createdAt));
  for (const row of rows) {
    const key = needKey(row.householdId, row.titleEn ?? "");
    if (!found.has(key)) found.set(key, row);
  }
  return found;
}

/** Creates one demo pledge as the pledge form would (a signed-in donor or a guest), or null when the need no longer takes it. */
async function createDemoPledge(
  db: Db,
  demo: DemoPledge,
  ctx: { need: DemoNeedRow; key: string; origin: string; userIds: Map<string, string>; now: Date },
): Promise<Pledge | null> {
  let donor: { email: string; donorUserId: string | null; locale: "ar" | "en" };
  if ("account" in demo.donor) {
    const email = demo.donor.account;
    const user = DEMO_USERS.find((u) => u.email === email);
    const donorUserId = ctx.userIds.get(email);
    if (!user || !donorUserId) throw new Error(`demo pledge ${demo.key}: unknown demo donor ${email}`);
    donor = { email, donorUserId, locale: user.locale };
  } else {
    donor = { email: demo.donor.guest, donorUserId: null, locale: demo.donor.locale };
  }
  const input: Omit<CreatePledgeInput, "method" | "amountMinor" | "items"> = {
    needPublicId: ctx.need.publicId,
    currency: ctx.need.currency,
    email: donor.email,
    donorUserId: donor.donorUserId,
    displayName: demo.anonymous ? null : (demo.displayName ?? null),
    anonymous: demo.anonymous ?? false,
    message: demo.message ?? null,
    idempotencyKey: ctx.key,
    locale: donor.locale,
    origin: ctx.origin,
    now: ctx.now,
  };
  try {
    if (demo.method === "delivery") {
      const [item] = demo.items ?? [];
      if (!item || (demo.items ?? []).length !== 1) throw new Error(`demo pledge ${demo.key}: a delivery offer has one item line`);
      return (await offerDelivery(db, { ...input, item })).pledge;
    }
    const { pledge, confirmToken } = await createPledge(db, {
      ...input,
      method: demo.method,
      amountMinor: demo.amountMinor ?? 0,
      items: demo.items?.map((i) => ({ position: i.position, quantity: i.quantity })),
      // The demo shows card pledges awaiting payment although the platform does not take cards yet.
      cardPayments: demo.method === "card" ? true : undefined,
    });
    // A guest confirms by the emailed link an hour later (decision 053), except the pending
    // pledges made less than a day ago: finance's "unconfirmed" view has those to show.
    const fresh = demo.outcome.status === "pending" && demo.outcome.createdDaysAgo < 1;
    if (confirmToken && !fresh) {
      return (await confirmPledge(db, { reference: pledge.reference, token: confirmToken, now: new Date(ctx.now.getTime() + 60 * 60 * 1000) })).pledge;
    }
    return pledge;
  } catch (error) {
    if (error instanceof PledgeError && SKIPPED.has(error.code)) return null;
    throw error;
  }
}

/** Takes a demo pledge from the status it has to the demo's outcome, one domain step at a time. */
async function advance(
  db: Db,
  demo: DemoPledge,
  pledge: Pledge,
  ctx: DemoPledgeContext & { at: (daysAgo: number) => Date },
): Promise<void> {
  const o = demo.outcome;
  const open = pledge.status === "pending" || pledge.status === "awaiting_payment";
  const staff = (email: string | undefined): Actor => {
    const userId = email ? ctx.userIds.get(email) : undefined;
    if (!userId) throw new Error(`demo pledge ${demo.key}: no staff account for ${demo.org}`);
    return { userId, ip: null, userAgent: "tadamon-seed" };
  };
  const finance = () => staff(financeOf(demo.org));

  const money = demo.money;
  switch (o.status) {
    case "pending":
      // Part of it arrived; the rest is still expected (the pledge stays pending until it expires).
      if (money?.partMinor && pledge.status === "pending" && pledge.paidMinor === 0) {
        await recordDemoPayment(db, finance(), demo, pledge, { amountMinor: money.partMinor, at: ctx.at(Math.max(o.createdDaysAgo / 2, 0.05)) });
      }
      return;
    case "awaiting_payment":
    case "offered":
      return;
    case "paid": {
      if (open && pledge.method === "card") {
        if (standInActive()) await payByStandIn(db, pledge, { coverFee: money?.card?.coverFee ?? false, origin: originOf(), at: ctx.at(o.settledDaysAgo) });
      } else if (open) {
        if (money?.payment) await recordDemoPayment(db, finance(), demo, pledge, { amountMinor: pledge.amountMinor, at: ctx.at(o.settledDaysAgo), ...money.payment });
        else await markPledgePaid(db, finance(), pledge.id, ctx.at(o.settledDaysAgo));
      }
      if (money?.refund) {
        const [payment] = await db.select().from(payments).where(eq(payments.pledgeId, pledge.id)).limit(1);
        if (payment) {
          await requestRefund(db, finance(), {
            paymentId: payment.id,
            amountMinor: money.refund.amountMinor,
            reason: money.refund.reason,
            offlineReference: `CASH-OUT-${demo.key}`,
            idempotencyKey: `tadamon-demo-refund:${demo.key}`,
            now: ctx.at(money.refund.daysAgo),
          });
        }
      }
      return;
    }
    case "received":
      if (pledge.status === "offered") await decideOffer(db, staff(DEMO_CASE_STAFF[demo.org]?.caseworker), pledge.id, "received", ctx.at(o.settledDaysAgo));
      return;
    case "cancelled":
      if (open) {
        await cancelPledge(db, {
          reference: pledge.reference,
          ...(pledge.donorUserId ? { userId: pledge.donorUserId } : { email: pledge.email }),
          actor: { userId: pledge.donorUserId, ip: null, userAgent: "tadamon-seed" },
          now: ctx.at(o.settledDaysAgo),
        });
      }
      return;
    case "expired": {
      const current = open ? await expireAtItsTime(db, pledge, ctx.now) : pledge;
      if (o.paidLateDaysAgo !== undefined && current.status === "expired" && !current.financeFlag) {
        // The money arrived after the reservation was released: kept and flagged, the need untouched.
        await markPledgePaid(db, finance(), current.id, ctx.at(o.paidLateDaysAgo));
      }
      if (money?.moveTo && o.paidLateDaysAgo !== undefined) {
        // Finance resolves the late money: to another need of the organisation, or the unrestricted fund.
        const [payment] = await db.select().from(payments).where(eq(payments.pledgeId, pledge.id)).limit(1);
        const target = money.moveTo === "unrestricted" ? undefined : await demoNeedByTitle(db, ctx, demo.org, money.moveTo);
        if (payment && (money.moveTo === "unrestricted" || target)) {
          await reallocatePayment(db, finance(), {
            paymentId: payment.id,
            to: target ? { needId: target } : "unrestricted",
            idempotencyKey: `tadamon-demo-move:${demo.key}`,
            now: ctx.at(Math.max(o.paidLateDaysAgo - 0.5, 0.05)),
          });
        }
      }
      return;
    }
  }
}

const originOf = () => (process.env.APP_URL || "http://localhost:3000").replace(/\/+$/, "");

/**
 * A card pledge paid as a donor would on the built-in stand-in checkout: the Checkout Session is
 * opened, then the signed `checkout.session.completed` goes through the webhook's own handler
 * (signature, stored event, processing as the system): payment, ledger entry, receipt.
 */
async function payByStandIn(db: Db, pledge: Pledge, input: { coverFee: boolean; origin: string; at: Date }) {
  const { sessionId } = await startCheckout(db, { pledgeId: pledge.id, coverFee: input.coverFee, origin: input.origin, locale: pledge.locale, now: input.at });
  const found = await standInSession(db, sessionId);
  if (!found) return;
  const event = standInCompletedEvent(found, input.origin, input.at);
  const response = await handleStripeWebhook(db, signedWebhookRequest(event, input.origin), { origin: input.origin, enqueue: () => false });
  if (response.status !== 200) throw new Error(`demo card payment ${pledge.reference}: the webhook answered ${response.status}`);
}

/** Records a demo payment as finance would in the payments inbox (idempotent by its key). */
async function recordDemoPayment(
  db: Db,
  actor: Actor,
  demo: DemoPledge,
  pledge: Pledge,
  input: { amountMinor: number; at: Date; feeMinor?: number; reference?: string },
) {
  const method = pledge.method === "cash" || pledge.method === "money_transfer" ? pledge.method : "bank_transfer";
  await recordPayment(db, actor, {
    orgId: pledge.orgId,
    pledgeId: pledge.id,
    method,
    amountMinor: input.amountMinor,
    feeMinor: input.feeMinor ?? 0,
    currency: pledge.currency,
    valueDate: await valueDateOf(db, pledge.orgId, input.at),
    externalId: input.reference ?? null,
    note: null,
    idempotencyKey: `tadamon-demo-payment:${demo.key}`,
    now: input.at,
  });
}

/** The calendar day of an instant in the organisation's time zone (YYYY-MM-DD). */
async function valueDateOf(db: DbOrTx, orgId: string, at: Date): Promise<string> {
  const [org] = await db.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, orgId));
  return new Intl.DateTimeFormat("en-CA", { timeZone: org?.timeZone ?? "UTC", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** A demo need's id by its household head and English title, in the demo organisation. */
async function demoNeedByTitle(db: DbOrTx, ctx: DemoPledgeContext, org: string, need: { head: string; titleEn: string }): Promise<string | undefined> {
  const householdId = ctx.householdOf(org, need.head);
  if (!householdId) return undefined;
  const [row] = await db
    .select({ id: needs.id })
    .from(needs)
    .where(and(eq(needs.householdId, householdId), eq(needs.titleEn, need.titleEn)))
    .orderBy(asc(needs.createdAt))
    .limit(1);
  return row?.id;
}

/**
 * Runs the expiry job as of the pledge's own expiry date (in the past), until the pledge is expired.
 * The job releases every pledge due by then, as the real job would have done at that time: only
 * pledges already overdue, never one that still holds its reservation today.
 */
async function expireAtItsTime(db: Db, pledge: Pledge, now: Date): Promise<Pledge> {
  const due = pledge.expiresAt;
  let current = pledge;
  if (!due || due.getTime() > now.getTime()) return current;
  for (let round = 0; round < 100; round += 1) {
    const expired = await expirePledges(db, due);
    [current] = await db.select().from(pledges).where(eq(pledges.id, pledge.id));
    if (current.status !== pledge.status || expired.length === 0) break;
  }
  return current;
}

/** The organisation's demo finance officer (DEMO_USERS). */
function financeOf(org: string): string | undefined {
  return DEMO_USERS.find((u) => u.memberships?.some((m) => m.org === org && m.role === "finance"))?.email;
}

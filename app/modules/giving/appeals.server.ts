/**
 * Appeals (issue 12, decision 068): an organisation's campaign for a set of its needs, with a page
 * of its own and its progress, a window, and optionally a matching sponsor.
 *
 * - The needs: the ones staff chose, and every published need matching the appeal's categories
 *   and governorate (no chosen needs and no filter: every published need of the organisation).
 * - Matching: the sponsor gives to the organisation's fund through the appeal (a fund pledge with
 *   `appeal_id`); that money waits there — the allocator leaves it alone until the appeal ends.
 *   Each donor payment to one of the appeal's needs recorded in the window is matched once, as the
 *   system: percent × the gift's money on the need, at most what is left of the cap, of the
 *   sponsor's money, and of the need's room — a ledger entry from the sponsor's payment in the fund
 *   to the need (allocateFromFund), and an `appeal_matches` row; the donor's pledge page then says
 *   "your 20 became 40". After the window the sponsor's remaining money is ordinary fund money.
 * - Emergency appeals (a shock response) put their chosen needs first in the verifiers' queue;
 *   verification is still by a second person.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import { appealMatches, appealNeeds, appeals, memberships, needs, organizations, payments, pledges, regions, users } from "#db/schema";
import { SYSTEM_ACTOR, recordAudit, type Actor } from "~/modules/audit/audit.server";
import { UNRESTRICTED, need as needFund } from "~/modules/ledger/ledger";
import { paymentHoldings } from "~/modules/ledger/ledger.server";
import { parseMoney, startOfDayIn } from "~/modules/needs/money";
import { NEED_CATEGORIES, type NeedCategory } from "~/modules/needs/schemas";
import { allocateFromFund } from "~/modules/payments/payment-fund.server";
import { holdingIn } from "~/modules/payments/payment-steps.server";
import { OrgRuleError } from "~/modules/organizations/errors";
import { defaultsForCountry } from "~/modules/organizations/country-defaults";
import { matchFor } from "./match-rule";

export type Appeal = typeof appeals.$inferSelect;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const asList = (v: unknown) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);
const blank = (v: unknown) => (v === "" ? undefined : v);

/** The staff form of a new appeal (every field as the form sends it). */
export const AppealFormSchema = z
  .object({
    slug: z.string({ required_error: "errors:required" }).trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{2,62}$/, "giving:appeals.errors.slug"),
    kind: z.enum(["matched", "emergency"], { errorMap: () => ({ message: "giving:appeals.errors.kind" }) }),
    titleAr: z.preprocess(blank, z.string().trim().max(120, "errors:tooLong").optional()),
    titleEn: z.preprocess(blank, z.string().trim().max(120, "errors:tooLong").optional()),
    storyAr: z.preprocess(blank, z.string().trim().max(2000, "errors:tooLong").optional()),
    storyEn: z.preprocess(blank, z.string().trim().max(2000, "errors:tooLong").optional()),
    startsOn: z.string({ required_error: "errors:required" }).regex(DAY, "giving:appeals.errors.date"),
    endsOn: z.string({ required_error: "errors:required" }).regex(DAY, "giving:appeals.errors.date"),
    categories: z.preprocess(asList, z.array(z.enum(NEED_CATEGORIES, { errorMap: () => ({ message: "pledging:errors.category_invalid" }) })).max(NEED_CATEGORIES.length)),
    regionId: z.preprocess(blank, z.string().uuid("pledging:errors.region_invalid").optional()),
    needIds: z.preprocess(asList, z.array(z.string().uuid("giving:appeals.errors.need")).max(200)),
    matchPercent: z.preprocess(blank, z.string().regex(/^\d{1,3}$/, "giving:appeals.errors.matchPercent").optional()),
    matchCap: z.preprocess(blank, z.string().trim().max(40, "errors:tooLong").optional()),
  })
  .superRefine((v, ctx) => {
    if (!v.titleAr && !v.titleEn) ctx.addIssue({ code: "custom", path: ["titleAr"], message: "giving:appeals.errors.title" });
    if (DAY.test(v.startsOn) && DAY.test(v.endsOn) && v.endsOn < v.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "giving:appeals.errors.window" });
    const percent = v.matchPercent === undefined ? null : Number(v.matchPercent);
    if (percent !== null && (percent < 1 || percent > 500)) ctx.addIssue({ code: "custom", path: ["matchPercent"], message: "giving:appeals.errors.matchPercent" });
    if ((percent === null) !== (v.matchCap === undefined)) ctx.addIssue({ code: "custom", path: ["matchCap"], message: "giving:appeals.errors.matchBoth" });
  });
export type AppealForm = z.output<typeof AppealFormSchema>;

/**
 * Creates an appeal (an org admin's: refused for anyone else). Refused with a message, nothing
 * written: a match cap that is not a positive amount of the organisation's currency (a cap below
 * zero included), a governorate or need not of this organisation, a slug already taken.
 */
export async function createAppeal(db: Db, actor: Actor, org: { id: string; defaultCurrency: string; timeZone: string }, form: AppealForm): Promise<Appeal> {
  // The route asks for the role; the rule holds here too, whoever calls.
  const [admin] = actor.userId
    ? await db
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, actor.userId), eq(memberships.role, "org_admin")))
        .limit(1)
    : [];
  if (!admin) throw new OrgRuleError("giving:appeals.errors.notAllowed", "form", 403);
  let capMinor: number | null = null;
  if (form.matchCap !== undefined) {
    const parsed = parseMoney(form.matchCap, org.defaultCurrency);
    if (!parsed.ok || parsed.minor <= 0) throw new OrgRuleError("giving:appeals.errors.matchCap", "matchCap", 400);
    capMinor = parsed.minor;
  }
  return db.transaction(async (tx) => {
    if (form.regionId) {
      const [region] = await tx.select({ id: regions.id }).from(regions).where(and(eq(regions.id, form.regionId), eq(regions.orgId, org.id), eq(regions.level, "governorate"))).limit(1);
      if (!region) throw new OrgRuleError("pledging:errors.region_invalid", "regionId", 400);
    }
    const chosen = [...new Set(form.needIds)];
    if (chosen.length) {
      const found = await tx.select({ id: needs.id }).from(needs).where(and(inArray(needs.id, chosen), eq(needs.orgId, org.id)));
      if (found.length !== chosen.length) throw new OrgRuleError("giving:appeals.errors.need", "needIds", 400);
    }
    const [taken] = await tx.select({ id: appeals.id }).from(appeals).where(eq(appeals.slug, form.slug)).limit(1);
    if (taken) throw new OrgRuleError("giving:appeals.errors.slugTaken", "slug", 409);
    const [appeal] = await tx
      .insert(appeals)
      .values({
        orgId: org.id,
        slug: form.slug,
        kind: form.kind,
        titleAr: form.titleAr ?? null,
        titleEn: form.titleEn ?? null,
        storyAr: form.storyAr ?? null,
        storyEn: form.storyEn ?? null,
        // The organisation's days: from the first instant of the first day to the last of the last.
        startsAt: startOfDayIn(org.timeZone, form.startsOn),
        endsAt: new Date(startOfDayIn(org.timeZone, nextDay(form.endsOn)).getTime() - 1),
        categories: form.categories.length ? (form.categories as NeedCategory[]) : null,
        regionId: form.regionId ?? null,
        matchPercent: form.matchPercent === undefined ? null : Number(form.matchPercent),
        matchCapMinor: capMinor,
        currency: org.defaultCurrency,
        createdBy: actor.userId,
      })
      .returning();
    if (chosen.length) await tx.insert(appealNeeds).values(chosen.map((needId) => ({ appealId: appeal.id, needId })));
    await recordAudit(tx, actor, { orgId: org.id, action: "appeal.create", entityType: "appeal", entityId: appeal.id, change: { slug: appeal.slug, kind: appeal.kind, needs: chosen.length, matchPercent: appeal.matchPercent, matchCapMinor: capMinor } });
    return appeal;
  });
}

/**
 * The platform admin's form of a platform appeal (decision 072): across organisations, by filter —
 * a currency, optionally a country and kinds of need; no governorate (those are organisations'),
 * no chosen needs and no matching (a sponsor's money is one organisation's).
 */
export const PlatformAppealFormSchema = z
  .object({
    slug: AppealFormSchema.innerType().shape.slug,
    kind: AppealFormSchema.innerType().shape.kind,
    titleAr: AppealFormSchema.innerType().shape.titleAr,
    titleEn: AppealFormSchema.innerType().shape.titleEn,
    storyAr: AppealFormSchema.innerType().shape.storyAr,
    storyEn: AppealFormSchema.innerType().shape.storyEn,
    startsOn: AppealFormSchema.innerType().shape.startsOn,
    endsOn: AppealFormSchema.innerType().shape.endsOn,
    categories: AppealFormSchema.innerType().shape.categories,
    currency: z.string({ required_error: "errors:required" }).trim().toUpperCase().regex(/^[A-Z]{3}$/, "giving:platform.errors.currency"),
    country: z.preprocess(blank, z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "giving:platform.errors.country").optional()),
  })
  .superRefine((v, ctx) => {
    if (!v.titleAr && !v.titleEn) ctx.addIssue({ code: "custom", path: ["titleAr"], message: "giving:appeals.errors.title" });
    if (DAY.test(v.startsOn) && DAY.test(v.endsOn) && v.endsOn < v.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "giving:appeals.errors.window" });
  });
export type PlatformAppealForm = z.output<typeof PlatformAppealFormSchema>;

/**
 * Creates a platform appeal (a platform admin's: refused for anyone else). Its days are the country's
 * (its organisations' usual time zone), else UTC. Refused: a currency or country no organisation
 * works in (nothing could ever be in it), a slug already taken.
 */
export async function createPlatformAppeal(db: Db, actor: Actor, form: PlatformAppealForm): Promise<Appeal> {
  // The route asks for a platform admin; the rule holds here too, whoever calls.
  const [admin] = actor.userId ? await db.select({ id: users.id }).from(users).where(and(eq(users.id, actor.userId), eq(users.isPlatformAdmin, true))).limit(1) : [];
  if (!admin) throw new OrgRuleError("giving:appeals.errors.notAllowed", "form", 403);
  return db.transaction(async (tx) => {
    const works = (country?: string) =>
      tx
        .select({ id: organizations.id })
        .from(organizations)
        .where(and(eq(organizations.defaultCurrency, form.currency), country ? eq(organizations.country, country) : undefined))
        .limit(1);
    if ((await works()).length === 0) throw new OrgRuleError("giving:platform.errors.currency", "currency", 400);
    if (form.country && (await works(form.country)).length === 0) throw new OrgRuleError("giving:platform.errors.country", "country", 400);
    const [taken] = await tx.select({ id: appeals.id }).from(appeals).where(eq(appeals.slug, form.slug)).limit(1);
    if (taken) throw new OrgRuleError("giving:appeals.errors.slugTaken", "slug", 409);
    const timeZone = platformAppealTimeZone(form.country ?? null);
    const [appeal] = await tx
      .insert(appeals)
      .values({
        orgId: null,
        country: form.country ?? null,
        slug: form.slug,
        kind: form.kind,
        titleAr: form.titleAr ?? null,
        titleEn: form.titleEn ?? null,
        storyAr: form.storyAr ?? null,
        storyEn: form.storyEn ?? null,
        startsAt: startOfDayIn(timeZone, form.startsOn),
        endsAt: new Date(startOfDayIn(timeZone, nextDay(form.endsOn)).getTime() - 1),
        categories: form.categories.length ? (form.categories as NeedCategory[]) : null,
        currency: form.currency,
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, actor, { orgId: null, action: "appeal.create", entityType: "appeal", entityId: appeal.id, change: { slug: appeal.slug, kind: appeal.kind, platform: true, currency: appeal.currency, country: appeal.country } });
    return appeal;
  });
}

/** A platform appeal's days: its country's usual time zone, else UTC (creation and display agree). */
export function platformAppealTimeZone(country: string | null): string {
  return country ? defaultsForCountry(country).timeZone : "UTC";
}

/** The platform's appeals, newest first (the admin's list). */
export async function platformAppeals(db: DbOrTx) {
  return db.select().from(appeals).where(isNull(appeals.orgId)).orderBy(desc(appeals.createdAt)).limit(100);
}

/** The platform appeals running now (on /give): emergencies first, then the ones ending soonest; title, slug, kind. */
export async function runningPlatformAppeals(db: DbOrTx, now: Date = new Date()) {
  return db
    .select({ slug: appeals.slug, kind: appeals.kind, titleAr: appeals.titleAr, titleEn: appeals.titleEn })
    .from(appeals)
    .where(and(isNull(appeals.orgId), lte(appeals.startsAt, now), gte(appeals.endsAt, now)))
    .orderBy(desc(appeals.kind), asc(appeals.endsAt), desc(appeals.createdAt))
    .limit(5);
}

/** The day after a YYYY-MM-DD. */
function nextDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The condition "this need belongs to the appeal": chosen, or (with a filter, or with nothing chosen) matching its filter. */
function inAppeal(appeal: Appeal) {
  const chosen = sql`exists (select 1 from ${appealNeeds} an where an.appeal_id = ${appeal.id} and an.need_id = ${needs.id})`;
  // An organisation's appeal: its needs. A platform appeal (decision 072): any organisation's needs in its currency (and country).
  const owner = appeal.orgId
    ? eq(needs.orgId, appeal.orgId)
    : and(
        eq(needs.currency, appeal.currency),
        appeal.country ? sql`exists (select 1 from ${organizations} o where o.id = ${needs.orgId} and o.country = ${appeal.country})` : undefined,
      );
  const filtered = and(
    owner,
    appeal.categories?.length ? inArray(needs.category, appeal.categories) : undefined,
    appeal.regionId ? eq(needs.publicRegionId, appeal.regionId) : undefined,
  );
  const hasFilter = Boolean(appeal.categories?.length || appeal.regionId);
  return sql`(${chosen} or (${hasFilter ? sql`true` : sql`not exists (select 1 from ${appealNeeds} an2 where an2.appeal_id = ${appeal.id})`} and ${filtered}))`;
}

/** An appeal's needs that donors can see (published or later), most urgent first. */
export async function appealNeedRows(db: DbOrTx, appeal: Appeal) {
  return db
    .select({ id: needs.id, publicId: needs.publicId, state: needs.state, targetMinor: needs.targetMinor, paidMinor: needs.paidMinor, reservedMinor: needs.reservedMinor })
    .from(needs)
    .where(and(appeal.orgId ? eq(needs.orgId, appeal.orgId) : eq(needs.currency, appeal.currency), inArray(needs.state, ["published", "funded", "disbursed"]), inAppeal(appeal)))
    .orderBy(asc(needs.deadline), asc(needs.id))
    .limit(200);
}

/** An appeal by its slug with its organisation (null for a platform appeal); null when unknown. */
export async function appealBySlug(db: DbOrTx, slug: string) {
  if (typeof slug !== "string" || !/^[a-z0-9][a-z0-9-]{2,62}$/.test(slug)) return null;
  const [row] = await db
    .select({ appeal: appeals, org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn, slug: organizations.slug, timeZone: organizations.timeZone } })
    .from(appeals)
    .leftJoin(organizations, eq(organizations.id, appeals.orgId))
    .where(eq(appeals.slug, slug))
    .limit(1);
  return row ?? null;
}

/** Whether an appeal takes a matching sponsor now: this organisation's, with matching, not ended. The one rule the give form and the fund pledge both ask. */
export function takesSponsor(appeal: Pick<Appeal, "orgId" | "matchPercent" | "endsAt">, orgId: string, now: Date = new Date()): boolean {
  return appeal.orgId !== null && appeal.orgId === orgId && appeal.matchPercent !== null && appeal.endsAt.getTime() > now.getTime();
}

/** Where an appeal stands: raised on its needs, their targets, matched so far, what the sponsor still holds for matching. */
export async function appealProgress(db: DbOrTx, appeal: Appeal, now: Date = new Date()) {
  const rows = await appealNeedRows(db, appeal);
  const [matched] = await db.select({ total: sql<string>`coalesce(sum(${appealMatches.amountMinor}), 0)`, gifts: sql<number>`count(distinct ${appealMatches.paymentId})::int` }).from(appealMatches).where(eq(appealMatches.appealId, appeal.id));
  const pool = appeal.matchPercent === null ? 0 : (await sponsorPayments(db, appeal)).reduce((t, s) => t + s.heldMinor, 0);
  return {
    needCount: rows.length,
    targetMinor: rows.reduce((t, r) => t + r.targetMinor, 0),
    raisedMinor: rows.reduce((t, r) => t + r.paidMinor, 0),
    matchedMinor: Number(matched?.total ?? 0),
    matchedGifts: matched?.gifts ?? 0,
    sponsorPoolMinor: pool,
    state: now < appeal.startsAt ? ("upcoming" as const) : now > appeal.endsAt ? ("ended" as const) : ("open" as const),
    publicIds: rows.map((r) => r.publicId),
  };
}

/** The sponsor's payments to an appeal and what each still holds in the fund, oldest first. */
async function sponsorPayments(db: DbOrTx, appeal: Appeal) {
  const rows = await db
    .select({ id: payments.id, recordedAt: payments.recordedAt })
    .from(payments)
    .innerJoin(pledges, eq(pledges.id, payments.pledgeId))
    .where(and(eq(pledges.appealId, appeal.id), isNull(payments.reversedAt), eq(payments.currency, appeal.currency)))
    .orderBy(asc(payments.recordedAt), asc(payments.id));
  const out: { id: string; heldMinor: number }[] = [];
  for (const r of rows) out.push({ id: r.id, heldMinor: holdingIn(await paymentHoldings(db, r.id), UNRESTRICTED) });
  return out;
}

// ---------------------------------------------------------------- matching

/**
 * Matches every gift due (the job: every few minutes, and after payments land): for each appeal
 * with matching whose window has begun, each donor payment to one of its needs recorded in the
 * window and not yet matched. Each match is its own transaction, keyed by the donor's payment.
 * Answers how many gifts it matched.
 */
export async function matchAppealGifts(db: Db, options: { now?: Date; orgId?: string } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const live = await db
    .select()
    .from(appeals)
    .where(
      and(
        sql`${appeals.matchPercent} is not null`,
        sql`${appeals.orgId} is not null`,
        lte(appeals.startsAt, now),
        gte(appeals.endsAt, new Date(now.getTime() - 7 * 86_400_000)),
        options.orgId ? eq(appeals.orgId, options.orgId) : undefined,
      ),
    );
  let matched = 0;
  for (const appeal of live) {
    const orgId = appeal.orgId!;
    const due = await db
      .select({ paymentId: payments.id, needId: pledges.needId })
      .from(payments)
      .innerJoin(pledges, eq(pledges.id, payments.pledgeId))
      .innerJoin(needs, eq(needs.id, pledges.needId))
      .where(
        and(
          eq(payments.orgId, orgId),
          eq(payments.currency, appeal.currency),
          eq(pledges.kind, "need"),
          isNull(payments.reversedAt),
          gte(payments.recordedAt, appeal.startsAt),
          lte(payments.recordedAt, appeal.endsAt),
          inAppeal(appeal),
          sql`not exists (select 1 from ${appealMatches} m where m.payment_id = ${payments.id})`,
        ),
      )
      .orderBy(asc(payments.recordedAt), asc(payments.id))
      .limit(500);
    for (const gift of due) {
      if (await matchOne(db, appeal, gift.paymentId, gift.needId!, now)) matched += 1;
    }
  }
  return matched;
}

async function matchOne(db: Db, appeal: Appeal, paymentId: string, needId: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx: Tx) => {
    // One matcher per appeal at a time: the cap is counted under this lock.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`appeal-match:${appeal.id}`}))`);
    const [done] = await tx.select({ id: appealMatches.id }).from(appealMatches).where(eq(appealMatches.paymentId, paymentId)).limit(1);
    if (done) return false;
    const gift = holdingIn(await paymentHoldings(tx, paymentId), needFund(needId));
    if (gift <= 0) return false;
    const [{ total }] = await tx.select({ total: sql<string>`coalesce(sum(${appealMatches.amountMinor}), 0)` }).from(appealMatches).where(eq(appealMatches.appealId, appeal.id));
    const [need] = await tx.select().from(needs).where(eq(needs.id, needId)).limit(1);
    if (!need || need.state !== "published") return false;
    const sponsors = await sponsorPayments(tx, appeal);
    const { parts, totalMinor } = matchFor({
      giftMinor: gift,
      percent: appeal.matchPercent!,
      capLeftMinor: appeal.matchCapMinor! - Number(total),
      roomMinor: need.targetMinor - need.paidMinor - need.reservedMinor,
      sponsorHeldMinor: sponsors.map((s) => s.heldMinor),
    });
    if (totalMinor <= 0) return false;
    for (const [k, amount] of parts.entries()) {
      if (amount <= 0) continue;
      const sponsor = sponsors[k];
      const { entryId } = await allocateFromFund(tx, SYSTEM_ACTOR, { paymentId: sponsor.id, needId, amountMinor: amount, idempotencyKey: `match:${paymentId}:${sponsor.id}`, now });
      await tx.insert(appealMatches).values({ appealId: appeal.id, orgId: appeal.orgId!, paymentId, needId, sponsorPaymentId: sponsor.id, giftMinor: gift, amountMinor: amount, currency: appeal.currency, entryId, createdAt: now });
    }
    return true;
  });
}

/** The matches of a pledge's payments: "your 20 became 40" on its page. */
export async function matchesOfPledge(db: DbOrTx, pledgeId: string) {
  return db
    .select({ giftMinor: appealMatches.giftMinor, amountMinor: appealMatches.amountMinor, currency: appealMatches.currency, slug: appeals.slug, titleAr: appeals.titleAr, titleEn: appeals.titleEn })
    .from(appealMatches)
    .innerJoin(payments, eq(payments.id, appealMatches.paymentId))
    .innerJoin(appeals, eq(appeals.id, appealMatches.appealId))
    .where(eq(payments.pledgeId, pledgeId))
    .orderBy(asc(appealMatches.createdAt));
}

/** The organisation's appeals, newest first, with their matched totals (staff list and reports). */
export async function appealsOf(db: DbOrTx, orgId: string) {
  return db
    .select({ appeal: appeals, matchedMinor: sql<string>`(select coalesce(sum(m.amount_minor), 0) from ${appealMatches} m where m.appeal_id = ${appeals.id})` })
    .from(appeals)
    .where(eq(appeals.orgId, orgId))
    .orderBy(desc(appeals.createdAt))
    .limit(100)
    .then((rows) => rows.map((r) => ({ ...r.appeal, matchedMinor: Number(r.matchedMinor) })));
}

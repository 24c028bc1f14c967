import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Actor } from "~/modules/audit/audit.server";
import { hashPassword } from "~/modules/identity/password.server";
import { createNeed, transitionNeed } from "~/modules/needs/needs.server";
import { createHousehold } from "~/modules/registry/households.server";
import type { Db, DbOrTx, Tx } from "./client.server";
import {
  DEMO_CASE_STAFF,
  DEMO_HOUSEHOLDS,
  DEMO_EMAIL_DOMAIN,
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  DEMO_USERS,
  type DemoHousehold,
  type DemoNeed,
  type DemoRegion,
  type DemoRegionLevel,
} from "./demo-data";
import { householdMembers, households, memberships, needs, orgPaymentDetails, organizations, regions, users } from "./schema";
import { countDemoPledges, seedDemoPledges } from "./seed-pledges";
import { seedDemoAppeal, seedDemoPlatformAppeal, seedDemoUpdate } from "./seed-appeals";
import { seedDemoStatement } from "./seed-statements";
import { seedDemoDisbursements } from "./seed-disbursements";

export { DEMO_CASE_STAFF, DEMO_HOUSEHOLDS, DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_PLEDGES, DEMO_USERS } from "./demo-data";
export { demoPledgeKey } from "./seed-pledges";

export interface SeedSummary {
  organizations: number;
  regions: number;
  users: number;
  memberships: number;
  /** Demo households (found by their marker: organisation + head's full name) and their needs. */
  households: number;
  needs: number;
  /** Demo pledges (found by their fixed idempotency keys). */
  pledges: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEMO_NEED_COUNT = DEMO_HOUSEHOLDS.reduce((sum, h) => sum + h.needs.length, 0);

/** Keeps two seeds (two processes starting at once on PostgreSQL) from interleaving. */
const SEED_LOCK = 727275;
const LEVELS: DemoRegionLevel[] = ["governorate", "district", "locality"];

/**
 * Writes the demo data (demo-data.ts), in one transaction. Idempotent: organisations are upserted
 * by slug, users by email, regions by (organisation, parent, English name), memberships by their
 * unique key, so a second run changes no counts. An existing account keeps its password.
 * Households, needs and pledges go through the domain functions (see seedHouseholdsAndNeeds and
 * seed-pledges.ts).
 */
export async function seedDemo(db: Db): Promise<SeedSummary> {
  // argon2 is slow on purpose: hash once, outside the transaction (the demo accounts share it).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const now = new Date();

    const orgIds = new Map<string, string>();
    const regionIds = new Map<string, string>();
    let regionCount = 0;
    for (const org of DEMO_ORGANIZATIONS) {
      const { regions: tree, payment, ...profile } = org;
      const [row] = await tx
        .insert(organizations)
        .values(profile)
        .onConflictDoUpdate({
          target: organizations.slug,
          set: {
            nameAr: profile.nameAr,
            nameEn: profile.nameEn,
            country: profile.country,
            defaultCurrency: profile.defaultCurrency,
            timeZone: profile.timeZone,
            // The public profile is filled once: an admin's edits in settings survive a re-seed.
            missionAr: sql`coalesce(${organizations.missionAr}, excluded.mission_ar)`,
            missionEn: sql`coalesce(${organizations.missionEn}, excluded.mission_en)`,
            registeredWithAr: sql`coalesce(${organizations.registeredWithAr}, excluded.registered_with_ar)`,
            registeredWithEn: sql`coalesce(${organizations.registeredWithEn}, excluded.registered_with_en)`,
            foundedYear: sql`coalesce(${organizations.foundedYear}, excluded.founded_year)`,
            updatedAt: now,
          },
        })
        .returning({ id: organizations.id });
      orgIds.set(org.slug, row.id);
      // Written once: an admin's later edits in /staff/:org/settings survive a re-seed.
      await tx
        .insert(orgPaymentDetails)
        .values({ orgId: row.id, currency: profile.defaultCurrency, cardEnabled: true, ...payment })
        .onConflictDoNothing({ target: orgPaymentDetails.orgId });
      regionCount += await upsertRegions(tx, row.id, null, tree, 0, [org.slug], regionIds);
    }

    const userIds = new Map<string, string>();
    for (const person of DEMO_USERS) {
      const [row] = await tx
        .insert(users)
        .values({
          email: person.email,
          displayName: person.displayName,
          locale: person.locale,
          isPlatformAdmin: person.isPlatformAdmin ?? false,
          passwordHash,
          emailVerifiedAt: now,
        })
        .onConflictDoUpdate({
          target: users.email,
          set: {
            displayName: person.displayName,
            isPlatformAdmin: person.isPlatformAdmin ?? false,
            emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`,
            updatedAt: now,
          },
        })
        .returning({ id: users.id });
      userIds.set(person.email, row.id);
    }

    const wanted = DEMO_USERS.flatMap((person) =>
      (person.memberships ?? []).map((m) => ({
        orgId: orgIds.get(m.org)!,
        userId: userIds.get(person.email)!,
        role: m.role,
      })),
    );
    if (wanted.length > 0) await tx.insert(memberships).values(wanted).onConflictDoNothing();

    await seedHouseholdsAndNeeds(tx, { orgIds, userIds, regionIds, now });
    const householdIds = await existingDemoHouseholds(tx, orgIds);
    await seedDemoPledges(tx, {
      orgIds,
      userIds,
      householdOf: (org, headName) => {
        const orgId = orgIds.get(org);
        return orgId ? householdIds.get(markerOf(orgId, headName)) : undefined;
      },
      now,
    });
    // Money out (issue 10): one paid batch and one waiting for approval, through the disbursements module.
    await seedDemoDisbursements(tx, { orgIds, userIds, now });
    // Reconciliation (issue 10): a bank statement through the import and the matcher.
    await seedDemoStatement(tx, { orgIds, userIds, now });
    // Giving (issue 12): a matched appeal with its sponsor's money in the fund.
    await seedDemoAppeal(tx, { orgIds, userIds, adminEmail: `sohag.admin@${DEMO_EMAIL_DOMAIN}`, financeEmail: `sohag.finance@${DEMO_EMAIL_DOMAIN}`, now });
    // A platform appeal across Lebanon's organisations (decision 072).
    await seedDemoPlatformAppeal(tx, { adminUserId: userIds.get(`platform.admin@${DEMO_EMAIL_DOMAIN}`), now });
    // A written update for a need's donors (decision 070), published by a second person.
    await seedDemoUpdate(tx, { orgIds, userIds, caseworkerEmail: `bayader.caseworker@${DEMO_EMAIL_DOMAIN}`, verifierEmail: `bayader.verifier@${DEMO_EMAIL_DOMAIN}` });

    return {
      organizations: orgIds.size,
      regions: regionCount,
      users: userIds.size,
      memberships: wanted.length,
      households: DEMO_HOUSEHOLDS.length,
      needs: DEMO_NEED_COUNT,
      pledges: await countDemoPledges(tx),
    };
  });
}

/** The key of a region in the seed's map: organisation slug and English names from the governorate down. */
const regionKey = (path: string[]) => path.join(" / ");

/**
 * Inserts the regions of one level that are missing under `parentId`, then their children; records
 * every region's id under its path in `ids`.
 */
async function upsertRegions(
  tx: DbOrTx,
  orgId: string,
  parentId: string | null,
  tree: DemoRegion[],
  depth: number,
  path: string[],
  ids: Map<string, string>,
): Promise<number> {
  const existing = await tx
    .select({ id: regions.id, nameEn: regions.nameEn })
    .from(regions)
    .where(
      and(eq(regions.orgId, orgId), parentId ? eq(regions.parentId, parentId) : isNull(regions.parentId)),
    );
  let total = 0;
  for (const [index, region] of tree.entries()) {
    const values = {
      orgId,
      parentId,
      level: LEVELS[depth],
      nameAr: region.nameAr,
      nameEn: region.nameEn,
      sortOrder: index,
    };
    const found = existing.find((r) => r.nameEn === region.nameEn);
    let id: string;
    if (found) {
      id = found.id;
      await tx.update(regions).set(values).where(eq(regions.id, id));
    } else {
      [{ id }] = await tx.insert(regions).values(values).returning({ id: regions.id });
    }
    ids.set(regionKey([...path, region.nameEn]), id);
    total += 1 + (await upsertRegions(tx, orgId, id, region.children ?? [], depth + 1, [...path, region.nameEn], ids));
  }
  return total;
}

/**
 * The demo households and their needs, written through the domain functions (references, keyed
 * hashes, duplicate matches, timelines, search text, transitions and audit exactly as the app
 * writes them). Each domain function opens a nested transaction (a savepoint) inside the seed's
 * one transaction, so the seed stays all-or-nothing under its advisory lock.
 *
 * Idempotent: a household is known by its marker, (organisation, head's full name); a household
 * already there is skipped with its needs, so a second run adds nothing.
 */
async function seedHouseholdsAndNeeds(
  tx: Tx,
  ctx: { orgIds: Map<string, string>; userIds: Map<string, string>; regionIds: Map<string, string>; now: Date },
) {
  // The domain functions take the database and open their own transaction; given the seed's
  // transaction instead, drizzle nests it as a savepoint.
  const db = tx as unknown as Db;
  const existing = await existingDemoHouseholds(tx, ctx.orgIds);
  const seedYear = ctx.now.getUTCFullYear();
  // Oldest registration first, so each organisation's references follow the registration dates.
  const byRegistration = [...DEMO_HOUSEHOLDS].sort((a, b) => b.registeredDaysAgo - a.registeredDaysAgo);
  for (const demo of byRegistration) {
    const orgId = ctx.orgIds.get(demo.org)!;
    if (existing.has(markerOf(orgId, demo.head.fullName))) continue;
    const staff = DEMO_CASE_STAFF[demo.org];
    const caseworker = actorOf(ctx.userIds.get(staff.caseworker)!);
    const verifier = actorOf(ctx.userIds.get(staff.verifier)!);
    const regionId = ctx.regionIds.get(regionKey([demo.org, ...demo.region]));
    const governorateId = ctx.regionIds.get(regionKey([demo.org, demo.region[0]]));
    if (!regionId || !governorateId) throw new Error(`demo household ${demo.head.fullName}: unknown region ${demo.region.join(" / ")}`);
    const registeredAt = new Date(ctx.now.getTime() - demo.registeredDaysAgo * DAY_MS);
    const { household } = await createHousehold(db, {
      orgId,
      actor: caseworker,
      head: { fullName: demo.head.fullName, sex: demo.head.sex, birthYear: seedYear - demo.head.age, disability: demo.head.disability },
      members: demo.members.map((m) => ({
        fullName: m.fullName,
        sex: m.sex,
        birthYear: seedYear - m.age,
        relation: m.relation,
        disability: m.disability,
        schoolEnrolment: m.school ?? "not_applicable",
      })),
      phones: demo.phones,
      ids: demo.ids,
      regionId,
      address: demo.address,
      tags: demo.tags,
      consentGivenOn: demo.consent ? isoDay(registeredAt) : null,
      consentPublish: demo.consent?.publish ?? false,
      consentSharePartners: demo.consent?.sharePartners ?? false,
      now: registeredAt,
    });
    for (const need of demo.needs) {
      await seedNeed(db, { orgId, householdId: household.id, governorateId, caseworker, verifier, need, now: ctx.now });
    }
  }
}

/** One demo need, taken along its life cycle by the right people (four-eyes) to its demo state. */
async function seedNeed(
  db: Db,
  input: { orgId: string; householdId: string; governorateId: string; caseworker: Actor; verifier: Actor; need: DemoNeed; now: Date },
) {
  const { need, orgId, caseworker, verifier } = input;
  const created = await createNeed(db, {
    orgId,
    actor: caseworker,
    authorId: caseworker.userId!,
    householdId: input.householdId,
    fields: {
      category: need.category,
      targetMinor: need.targetMinor,
      deadline: isoDay(new Date(input.now.getTime() + need.deadlineInDays * DAY_MS)),
      urgency: need.urgency,
      payeeKind: need.payeeKind,
      payeeName: need.payeeName ?? null,
      payeeDetails: need.payeeDetails ?? null,
      titleAr: need.titleAr,
      titleEn: need.titleEn,
      storyAr: need.storyAr,
      storyEn: need.storyEn,
      publicRegionId: input.governorateId,
      ageBand: need.ageBand ?? null,
      gender: need.gender ?? null,
      sponsorshipMonths: need.sponsorshipMonths ?? null,
    },
    items: (need.items ?? []).map((item) => ({ ...item })),
  });
  if (need.state === "draft") return;
  const step = (actor: Actor, action: "submit" | "return" | "verify" | "publish", reason?: string) =>
    transitionNeed(db, actor, { orgId, needId: created.id, action, reason });
  await step(caseworker, "submit");
  if (need.state === "returned") await step(verifier, "return", need.returnReason ?? "—");
  if (need.state === "published") {
    const verified = await step(verifier, "verify");
    // An organisation that does not publish on verification needs the second step.
    if (verified.state === "verified") await step(verifier, "publish");
  }
}

const actorOf = (userId: string): Actor => ({ userId, ip: null, userAgent: "tadamon-seed" });
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const markerOf = (orgId: string, headName: string) => `${orgId}|${headName}`;

/** Markers (organisation + head's full name) of the demo households already in the database, with their ids. */
async function existingDemoHouseholds(db: DbOrTx, orgIds: Map<string, string>): Promise<Map<string, string>> {
  const wanted = DEMO_HOUSEHOLDS.filter((h) => orgIds.has(h.org));
  const found = new Map<string, string>();
  if (wanted.length === 0) return found;
  const rows = await db
    .select({ id: households.id, orgId: households.orgId, headName: householdMembers.fullName })
    .from(households)
    .innerJoin(householdMembers, and(eq(householdMembers.householdId, households.id), eq(householdMembers.isHead, true)))
    .where(
      and(
        inArray(households.orgId, [...new Set(wanted.map((h) => orgIds.get(h.org)!))]),
        inArray(householdMembers.fullName, wanted.map((h) => h.head.fullName)),
      ),
    )
    .orderBy(asc(households.createdAt), asc(households.reference));
  const markers = new Set(wanted.map((h: DemoHousehold) => markerOf(orgIds.get(h.org)!, h.head.fullName)));
  for (const row of rows) {
    const marker = markerOf(row.orgId, row.headName);
    // The oldest wins if staff registered the same name again by hand.
    if (markers.has(marker) && !found.has(marker)) found.set(marker, row.id);
  }
  return found;
}

/** The ids of the demo households now in the database (for the seed's test and counts). */
export async function demoHouseholdIds(db: DbOrTx): Promise<string[]> {
  const orgRows = await db
    .select({ id: organizations.id, slug: organizations.slug })
    .from(organizations)
    .where(inArray(organizations.slug, DEMO_ORGANIZATIONS.map((o) => o.slug)));
  const found = await existingDemoHouseholds(db, new Map(orgRows.map((o) => [o.slug, o.id])));
  return [...found.values()];
}

/**
 * Seeds the demo data only into a database without any organisation (the first start of the
 * embedded database). Returns whether it seeded.
 */
export async function seedIfEmpty(db: Db): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(organizations);
  if (n > 0) return false;
  await seedDemo(db);
  return true;
}

/** Counts of the demo rows now in the database (for the seed's own test and the CLI). */
export async function countDemoRows(db: DbOrTx): Promise<SeedSummary> {
  const slugs = DEMO_ORGANIZATIONS.map((o) => o.slug);
  const emails = DEMO_USERS.map((u) => u.email);
  const orgRows = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(inArray(organizations.slug, slugs));
  const orgIdList = orgRows.map((o) => o.id);
  const userRows = await db.select({ id: users.id }).from(users).where(inArray(users.email, emails));
  const userIdList = userRows.map((u) => u.id);
  const [{ n: regionCount }] = orgIdList.length
    ? await db.select({ n: count() }).from(regions).where(inArray(regions.orgId, orgIdList))
    : [{ n: 0 }];
  const [{ n: membershipCount }] =
    orgIdList.length && userIdList.length
      ? await db
          .select({ n: count() })
          .from(memberships)
          .where(and(inArray(memberships.orgId, orgIdList), inArray(memberships.userId, userIdList)))
      : [{ n: 0 }];
  const householdIds = await demoHouseholdIds(db);
  const [{ n: needCount }] = householdIds.length
    ? await db.select({ n: count() }).from(needs).where(inArray(needs.householdId, householdIds))
    : [{ n: 0 }];
  return {
    organizations: orgRows.length,
    regions: regionCount,
    users: userRows.length,
    memberships: membershipCount,
    households: householdIds.length,
    needs: needCount,
    pledges: await countDemoPledges(db),
  };
}

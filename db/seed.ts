import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { hashPassword } from "~/modules/identity/password.server";
import type { Db, DbOrTx } from "./client.server";
import {
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  DEMO_USERS,
  type DemoRegion,
  type DemoRegionLevel,
} from "./demo-data";
import { memberships, organizations, regions, users } from "./schema";

export { DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_USERS } from "./demo-data";

export interface SeedSummary {
  organizations: number;
  regions: number;
  users: number;
  memberships: number;
}

/** Keeps two seeds (two processes starting at once on PostgreSQL) from interleaving. */
const SEED_LOCK = 727275;
const LEVELS: DemoRegionLevel[] = ["governorate", "district", "locality"];

/**
 * Writes the demo data (demo-data.ts), in one transaction. Idempotent: organisations are upserted
 * by slug, users by email, regions by (organisation, parent, English name), memberships by their
 * unique key, so a second run changes no counts. An existing account keeps its password.
 */
export async function seedDemo(db: Db): Promise<SeedSummary> {
  // argon2 is slow on purpose: hash once, outside the transaction (the demo accounts share it).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const now = new Date();

    const orgIds = new Map<string, string>();
    let regionCount = 0;
    for (const org of DEMO_ORGANIZATIONS) {
      const { regions: tree, ...profile } = org;
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
            updatedAt: now,
          },
        })
        .returning({ id: organizations.id });
      orgIds.set(org.slug, row.id);
      regionCount += await upsertRegions(tx, row.id, null, tree, 0);
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

    return {
      organizations: orgIds.size,
      regions: regionCount,
      users: userIds.size,
      memberships: wanted.length,
    };
  });
}

/** Inserts the regions of one level that are missing under `parentId`, then their children. */
async function upsertRegions(
  tx: DbOrTx,
  orgId: string,
  parentId: string | null,
  tree: DemoRegion[],
  depth: number,
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
    total += 1 + (await upsertRegions(tx, orgId, id, region.children ?? [], depth + 1));
  }
  return total;
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
  return {
    organizations: orgRows.length,
    regions: regionCount,
    users: userRows.length,
    memberships: membershipCount,
  };
}

import { describe, expect, it } from "vitest";
import { count, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "~/utils/db.server";
import { verifyPassword } from "~/modules/identity/password.server";
import { connect, migrate } from "./client.server";
import { memberships, organizations, regions, users } from "./schema";
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_USERS, countDemoRows, seedDemo, seedIfEmpty } from "./seed";

const ROLES = ["caseworker", "verifier", "finance", "org_admin"] as const;
const slugs = DEMO_ORGANIZATIONS.map((o) => o.slug);

describe("demo seed", () => {
  it("gives the same counts when run twice", async () => {
    const db = await getDb();
    const first = await seedDemo(db);
    const afterFirst = await countDemoRows(db);
    const second = await seedDemo(db);
    const afterSecond = await countDemoRows(db);
    expect(afterSecond).toEqual(afterFirst);
    expect(afterFirst).toEqual(first);
    expect(second).toEqual(first);
    expect(afterFirst.organizations).toBe(3);
    expect(afterFirst.users).toBe(DEMO_USERS.length);
  });

  it("gives every organisation every role, and one person two organisations", async () => {
    const db = await getDb();
    await seedDemo(db);
    const rows = await db
      .select({ slug: organizations.slug, role: memberships.role, email: users.email })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(inArray(organizations.slug, slugs));
    for (const slug of slugs) {
      const roles = new Set(rows.filter((r) => r.slug === slug).map((r) => r.role));
      expect([...roles].sort(), slug).toEqual([...ROLES].sort());
    }
    const orgsPerPerson = new Map<string, Set<string>>();
    for (const r of rows) orgsPerPerson.set(r.email, (orgsPerPerson.get(r.email) ?? new Set()).add(r.slug));
    expect([...orgsPerPerson.values()].some((set) => set.size >= 2)).toBe(true);
  });

  it("gives no two organisations the same slug, and each its currency and time zone", async () => {
    expect(new Set(slugs).size).toBe(slugs.length);
    const db = await getDb();
    await seedDemo(db);
    const rows = await db
      .select({ slug: organizations.slug, n: count() })
      .from(organizations)
      .groupBy(organizations.slug)
      .having(sql`count(*) > 1`);
    expect(rows).toEqual([]);
    const orgs = await db.select().from(organizations).where(inArray(organizations.slug, slugs));
    expect(orgs.map((o) => [o.country, o.defaultCurrency.trim(), o.timeZone]).sort()).toEqual([
      ["EG", "EGP", "Africa/Cairo"],
      ["LB", "USD", "Asia/Beirut"],
      ["SY", "SYP", "Asia/Damascus"],
    ]);
  });

  it("builds each organisation a governorate → district → locality tree", async () => {
    const db = await getDb();
    await seedDemo(db);
    const orgs = await db.select().from(organizations).where(inArray(organizations.slug, slugs));
    for (const org of orgs) {
      const tree = await db.select().from(regions).where(eq(regions.orgId, org.id));
      const byId = new Map(tree.map((r) => [r.id, r]));
      const localities = tree.filter((r) => r.level === "locality");
      expect(localities.length, org.slug).toBeGreaterThan(0);
      for (const place of localities) {
        const district = byId.get(place.parentId!);
        expect(district?.level).toBe("district");
        expect(byId.get(district!.parentId!)?.level).toBe("governorate");
      }
      for (const r of tree) {
        expect(r.nameAr).toMatch(/[\u0600-\u06FF]/);
        expect(r.nameEn).toMatch(/^[\x20-\x7E]+$/);
      }
    }
  });

  it("gives every demo account a verified email and the demo password; one platform admin", async () => {
    const db = await getDb();
    await seedDemo(db);
    const rows = await db
      .select()
      .from(users)
      .where(inArray(users.email, DEMO_USERS.map((u) => u.email)));
    expect(rows).toHaveLength(DEMO_USERS.length);
    expect(rows.every((u) => u.emailVerifiedAt !== null)).toBe(true);
    expect(rows.filter((u) => u.isPlatformAdmin)).toHaveLength(1);
    expect(rows[0].passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(rows[0].passwordHash, DEMO_PASSWORD)).toBe(true);
  });

  it("seedIfEmpty seeds an empty database once and leaves a populated one alone", async () => {
    // A database of its own: "empty" cannot be arranged in the shared test database.
    const fresh = await connect({ dataDir: "memory://" });
    try {
      await migrate(fresh);
      expect(await seedIfEmpty(fresh.db)).toBe(true);
      const seeded = await countDemoRows(fresh.db);
      expect(seeded.organizations).toBe(3);
      expect(await seedIfEmpty(fresh.db)).toBe(false);
      expect(await countDemoRows(fresh.db)).toEqual(seeded);
    } finally {
      await fresh.close();
    }
  });
});

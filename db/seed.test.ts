import { describe, expect, it } from "vitest";
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "~/utils/db.server";
import { checkPublicText } from "~/modules/anonymization/guard";
import { verifyPassword } from "~/modules/identity/password.server";
import { privateStringsOf, publicFieldsOf } from "~/modules/needs/needs.server";
import { connect, migrate } from "./client.server";
import {
  duplicateMatches,
  householdIdentifiers,
  householdMembers,
  households,
  memberships,
  needItems,
  needs,
  needTransitions,
  organizations,
  regions,
  users,
} from "./schema";
import {
  DEMO_CASE_STAFF,
  DEMO_HOUSEHOLDS,
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  DEMO_USERS,
  countDemoRows,
  demoHouseholdIds,
  seedDemo,
  seedIfEmpty,
} from "./seed";

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
    expect(afterFirst.households).toBe(DEMO_HOUSEHOLDS.length);
    expect(afterFirst.needs).toBe(DEMO_HOUSEHOLDS.flatMap((h) => h.needs).length);
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

  describe("demo households and needs", () => {
    /** Every demo need with its household, organisation and items, after a seed. */
    async function seededNeeds() {
      const db = await getDb();
      await seedDemo(db);
      const ids = await demoHouseholdIds(db);
      const rows = await db
        .select({ need: needs, slug: organizations.slug, country: organizations.country })
        .from(needs)
        .innerJoin(organizations, eq(organizations.id, needs.orgId))
        .where(inArray(needs.householdId, ids));
      const items = await db
        .select()
        .from(needItems)
        .where(inArray(needItems.needId, rows.length ? rows.map((r) => r.need.id) : ["00000000-0000-0000-0000-000000000000"]))
        .orderBy(asc(needItems.position));
      return {
        db,
        householdIds: ids,
        rows: rows.map((r) => ({ ...r, items: items.filter((i) => i.needId === r.need.id) })),
      };
    }

    it("gives each organisation 4–6 households and 8–12 needs, in keeping with the demo data", () => {
      for (const org of DEMO_ORGANIZATIONS) {
        const mine = DEMO_HOUSEHOLDS.filter((h) => h.org === org.slug);
        expect(mine.length, org.slug).toBeGreaterThanOrEqual(4);
        expect(mine.length, org.slug).toBeLessThanOrEqual(6);
        const list = mine.flatMap((h) => h.needs);
        expect(list.length, org.slug).toBeGreaterThanOrEqual(8);
        expect(list.length, org.slug).toBeLessThanOrEqual(12);
        const states = list.map((n) => n.state);
        expect(states.filter((s) => s === "submitted").length, org.slug).toBeGreaterThanOrEqual(1);
        expect(states.filter((s) => s === "returned").length, org.slug).toBe(1);
        expect(states.filter((s) => s === "draft").length, org.slug).toBe(1);
        for (const need of list) {
          expect(need.deadlineInDays).toBeGreaterThanOrEqual(28);
          expect(need.deadlineInDays).toBeLessThanOrEqual(155);
          if (need.items) expect(need.items.reduce((s, i) => s + i.quantity * i.unitCostMinor, 0)).toBe(need.targetMinor);
          if (need.state === "returned") expect(need.returnReason).toBeTruthy();
        }
      }
    });

    it("gives every organisation published needs, written by its caseworker and verified by its verifier", async () => {
      const { db, rows } = await seededNeeds();
      const emails = await db.select({ id: users.id, email: users.email }).from(users);
      const emailOf = new Map(emails.map((u) => [u.id, u.email]));
      const ranges: Record<string, [number, number]> = {
        USD: [80_00, 2_500_00],
        SYP: [500_000, 15_000_000],
        EGP: [1_500_00, 40_000_00],
      };
      for (const org of DEMO_ORGANIZATIONS) {
        const mine = rows.filter((r) => r.slug === org.slug);
        const published = mine.filter((r) => r.need.state === "published");
        expect(published.length, org.slug).toBeGreaterThanOrEqual(5);
        expect(mine.some((r) => r.need.state === "submitted"), org.slug).toBe(true);
        expect(mine.filter((r) => r.need.state === "returned").every((r) => r.need.lastReason), org.slug).toBe(true);
        for (const { need } of mine) {
          expect(emailOf.get(need.authorId)).toBe(DEMO_CASE_STAFF[org.slug].caseworker);
          expect(need.currency.trim()).toBe(org.defaultCurrency);
          const [low, high] = ranges[org.defaultCurrency];
          expect(need.targetMinor, need.titleEn ?? "").toBeGreaterThanOrEqual(low);
          expect(need.targetMinor, need.titleEn ?? "").toBeLessThanOrEqual(high);
        }
        for (const { need } of published) {
          expect(emailOf.get(need.verifierId!)).toBe(DEMO_CASE_STAFF[org.slug].verifier);
          expect(need.verifierId).not.toBe(need.authorId);
          expect(need.publishedAt).not.toBeNull();
          expect(need.titleAr && need.titleEn && need.storyAr && need.storyEn).toBeTruthy();
          const [region] = await db.select().from(regions).where(eq(regions.id, need.publicRegionId!));
          expect(region.level).toBe("governorate");
          const steps = await db
            .select({ action: needTransitions.action })
            .from(needTransitions)
            .where(eq(needTransitions.needId, need.id))
            .orderBy(asc(needTransitions.id));
          expect(steps.map((s) => s.action)).toEqual(["submit", "verify", "publish"]);
        }
      }
    });

    it("passes the anonymization guard on every published need, against its household's private strings", async () => {
      const { db, rows } = await seededNeeds();
      const published = rows.filter((r) => r.need.state === "published");
      expect(published.length).toBeGreaterThan(0);
      for (const { need, items } of published) {
        const secrets = await privateStringsOf(db, need.orgId, need.householdId);
        expect(secrets.names.length).toBeGreaterThan(0);
        expect(secrets.addresses.length).toBeGreaterThan(0);
        expect(checkPublicText(publicFieldsOf(need, items), secrets), need.titleEn ?? need.id).toEqual([]);
      }
    });

    it("puts no household's member name, phone or ID number in any public field of any demo need", async () => {
      const { db, rows, householdIds } = await seededNeeds();
      const members = await db
        .select({ fullName: householdMembers.fullName })
        .from(householdMembers)
        .where(inArray(householdMembers.householdId, householdIds));
      const identifiers = await db
        .select({ kind: householdIdentifiers.kind, value: householdIdentifiers.value, normalized: householdIdentifiers.normalized })
        .from(householdIdentifiers)
        .where(inArray(householdIdentifiers.householdId, householdIds));
      const names = members.map((m) => m.fullName);
      const phones = identifiers.filter((i) => i.kind === "phone").flatMap((i) => [i.value, i.normalized]);
      const idNumbers = identifiers.filter((i) => i.kind !== "phone").flatMap((i) => [i.value, i.normalized]);
      expect(names.length).toBeGreaterThanOrEqual(DEMO_HOUSEHOLDS.length);
      const found: { need: string | null; text: string }[] = [];
      for (const { need, items } of rows) {
        const fields = publicFieldsOf(need, items);
        const text = Object.values(fields).join("\n");
        for (const secret of [...names, ...phones, ...idNumbers]) {
          if (text.includes(secret)) found.push({ need: need.titleEn, text: secret });
        }
        // Every part of every name (Arabic-normalized, and its Latin spellings), every number.
        // Possible names (an ordinary word such as "man" that may spell a member's name) are the author's to confirm.
        for (const hit of checkPublicText(fields, { names, phones, idNumbers, addresses: [] }).filter((h) => h.severity === "block")) {
          found.push({ need: need.titleEn, text: hit.text });
        }
      }
      expect(found).toEqual([]);
    });

    it("registers one family in two organisations with the same UNRWA number, so both see a duplicate warning", async () => {
      const db = await getDb();
      await seedDemo(db);
      const ids = await demoHouseholdIds(db);
      const shared = await db
        .select({ householdId: householdIdentifiers.householdId, keyedHash: householdIdentifiers.keyedHash, orgId: householdIdentifiers.orgId })
        .from(householdIdentifiers)
        .where(and(inArray(householdIdentifiers.householdId, ids), eq(householdIdentifiers.kind, "unrwa")));
      const byHash = new Map<string, typeof shared>();
      for (const row of shared) byHash.set(row.keyedHash, [...(byHash.get(row.keyedHash) ?? []), row]);
      const pairs = [...byHash.values()].filter((list) => new Set(list.map((r) => r.orgId)).size >= 2);
      expect(pairs).toHaveLength(1);
      const [a, b] = pairs[0];
      const matches = await db
        .select()
        .from(duplicateMatches)
        .where(inArray(duplicateMatches.householdId, [a.householdId, b.householdId]));
      expect(matches.map((m) => [m.householdId, m.otherHouseholdId]).sort()).toEqual(
        [
          [a.householdId, b.householdId],
          [b.householdId, a.householdId],
        ].sort(),
      );
      for (const m of matches) {
        expect(m.matchedOn).toContain("unrwa");
        expect(m.decision).toBe("pending");
      }
    });

    it("keeps one household per marker and consent to publish wherever a need is published", async () => {
      const db = await getDb();
      await seedDemo(db);
      await seedDemo(db);
      const ids = await demoHouseholdIds(db);
      expect(ids).toHaveLength(DEMO_HOUSEHOLDS.length);
      const rows = await db
        .select({ consentPublish: households.consentPublish, state: needs.state })
        .from(needs)
        .innerJoin(households, eq(households.id, needs.householdId))
        .where(inArray(needs.householdId, ids));
      expect(rows.filter((r) => r.state === "published").every((r) => r.consentPublish)).toBe(true);
      const [{ n }] = await db
        .select({ n: count() })
        .from(households)
        .where(inArray(households.id, ids));
      expect(n).toBe(DEMO_HOUSEHOLDS.length);
    });
  });
});

// The organisation's public record on the real database: counts, the median time to be funded
// (from need_transitions), money received and paid out per currency, the zero case, and that the
// profile carries only public facts.
import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { needTransitions, organizations, regions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { needsWorld } from "../../../tests/fixtures/needs";
import { createOrg } from "../../../tests/fixtures/db";
import { insertNeeds, needRow } from "../../../tests/fixtures/marketplace";
import { cachedOrgRecord, clearOrgRecordCache, getPublicOrgPage, orgRecord, RECORD_TTL_MS } from "./public-profile.server";

const DAY = 86_400_000;
const t0 = new Date("2026-03-01T08:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);

beforeEach(() => clearOrgRecordCache());

async function funded(needId: string, orgId: string, moves: { days: number; to: "funded" | "published" | "disbursed" }[]) {
  const db = await getDb();
  let from: "published" | "funded" | "disbursed" = "published";
  for (const m of moves) {
    await db.insert(needTransitions).values({ needId, orgId, action: m.to === "published" ? "unfund" : m.to === "funded" ? "fund" : "disburse", fromState: from, toState: m.to, createdAt: at(m.days) });
    from = m.to;
  }
}

describe("an organisation's record", () => {
  it("counts published and funded needs, the median days to be funded, and money per currency with the share paid out", async () => {
    const world = await needsWorld();
    const orgId = world.org.id;
    const published = { publishedAt: t0, targetMinor: 100_000 };
    const [a, b, , e] = await insertNeeds([
      // USD: received 10,000 + 20,000 + 5,000; paid out 20,000
      needRow(world, { ...published, state: "funded", currency: "USD", paidMinor: 10_000, targetMinor: 10_000 }),
      needRow(world, { ...published, state: "disbursed", currency: "USD", paidMinor: 20_000, targetMinor: 20_000, disbursedMinor: 20_000 }),
      needRow(world, { ...published, state: "published", currency: "USD", paidMinor: 5_000 }),
      // EUR: received 8,000, paid out 2,000
      needRow(world, { ...published, state: "funded", currency: "EUR", paidMinor: 8_000, targetMinor: 8_000, disbursedMinor: 2_000 }),
      // published, then cancelled: counts as published, not funded
      needRow(world, { ...published, state: "cancelled", currency: "USD" }),
      // never published: not in the record at all
      needRow(world, { state: "draft", currency: "SYP", publishedAt: null }),
    ]);
    // Funded after 1 day, refunded below target, funded again on day 2: the latest counts (2 days).
    await funded(a!.id, orgId, [{ days: 1, to: "funded" }, { days: 1.5, to: "published" }, { days: 2, to: "funded" }]);
    await funded(b!.id, orgId, [{ days: 4, to: "funded" }, { days: 9, to: "disbursed" }]);
    await funded(e!.id, orgId, [{ days: 10, to: "funded" }]);

    const record = await orgRecord(await getDb(), orgId);
    expect(record.published).toBe(5);
    expect(record.funded).toBe(3);
    expect(record.medianDaysToFund).toBe(4); // median of 2, 4 and 10
    expect(record.money).toEqual([
      { currency: "USD", raisedMinor: 35_000, disbursedMinor: 20_000, disbursedShare: 20_000 / 35_000 },
      { currency: "EUR", raisedMinor: 8_000, disbursedMinor: 2_000, disbursedShare: 0.25 },
    ]);

    // An even count takes the middle two's mean; hours count as fractions of a day.
    const [f] = await insertNeeds([needRow(world, { ...published, state: "funded", currency: "USD", paidMinor: 1_000, targetMinor: 1_000 })]);
    await funded(f!.id, orgId, [{ days: 5.5, to: "funded" }]);
    expect((await orgRecord(await getDb(), orgId)).medianDaysToFund).toBe(4.8); // (4 + 5.5) / 2 = 4.75 → 4.8
  });

  it("an organisation with nothing yet: zeros, no median, no money", async () => {
    const org = await createOrg();
    expect(await orgRecord(await getDb(), org.id)).toEqual({ published: 0, funded: 0, medianDaysToFund: null, money: [] });
  });

  it("another organisation's needs never count", async () => {
    const mine = await needsWorld();
    const theirs = await needsWorld();
    await insertNeeds([needRow(theirs, { state: "funded", paidMinor: 45_000, targetMinor: 45_000 })]);
    expect((await orgRecord(await getDb(), mine.org.id)).published).toBe(0);
  });
});

describe("the kept record", () => {
  it("is reused while fresh; once stale it is still answered at once and recomputed in the background", async () => {
    const world = await needsWorld();
    const db = await getDb();
    const now = Date.now();
    expect((await cachedOrgRecord(db, world.org.id, now)).published).toBe(0);
    await insertNeeds([needRow(world, { state: "published" })]);
    expect((await cachedOrgRecord(db, world.org.id, now + 1000)).published).toBe(0); // fresh: kept
    const stale = now + RECORD_TTL_MS + 1;
    expect((await cachedOrgRecord(db, world.org.id, stale)).published).toBe(0); // stale: answered at once
    let published = 0;
    for (let i = 0; i < 100 && published === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      published = (await cachedOrgRecord(db, world.org.id, Date.now())).published;
    }
    expect(published).toBe(1);
  });
});

describe("the public profile", () => {
  it("mission, registration, governorates (public names only), founded or joined year — and no id", async () => {
    const world = await needsWorld();
    const db = await getDb();
    await db
      .update(organizations)
      .set({ missionAr: "نساعد الأسر", missionEn: "We help families", legalName: "Jamiyat Test", registrationNumber: "LB-1234/2015", registeredWithEn: "Ministry of Interior", foundedYear: 2015 })
      .where(eq(organizations.id, world.org.id));
    const [district] = await db.insert(regions).values({ orgId: world.org.id, parentId: world.governorate.id, level: "district", nameAr: "حي سري", nameEn: "Secret District" }).returning();
    await db.insert(regions).values({ orgId: world.org.id, level: "governorate", nameAr: "البقاع", nameEn: "Bekaa", sortOrder: 1 });

    const page = (await getPublicOrgPage(db, world.org.slug))!;
    expect(page.profile).toMatchObject({
      slug: world.org.slug,
      missionAr: "نساعد الأسر",
      missionEn: "We help families",
      legalName: "Jamiyat Test",
      registrationNumber: "LB-1234/2015",
      registeredWithEn: "Ministry of Interior",
      registeredWithAr: null,
      foundedYear: 2015,
      joinedYear: world.org.createdAt.getUTCFullYear(),
      regions: [{ nameAr: "بيروت", nameEn: "Beirut" }, { nameAr: "البقاع", nameEn: "Bekaa" }],
    });
    const json = JSON.stringify(page);
    for (const secret of [world.org.id, world.governorate.id, district!.id, "Secret District", "timeZone", "Asia/Beirut", "publishOnVerify"]) expect(json).not.toContain(secret);
    expect(await getPublicOrgPage(db, "no-such-org-anywhere")).toBeNull();
  });
});

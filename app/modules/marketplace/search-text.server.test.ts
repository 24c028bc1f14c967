// Search through the public listing on the real database (PGlite by default, PostgreSQL with
// DATABASE_URL): Arabic with and without the article and attached particles, Latin spellings of
// Arabic words, and the versioned recompute of existing needs' search text. Every assertion is
// scoped to this test's organisation.
import { describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { needItems, needs } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { words } from "~/modules/anonymization/normalize";
import { needFields, needsWorld } from "../../../tests/fixtures/needs";
import { insertNeeds, needRow } from "../../../tests/fixtures/marketplace";
import { listPublicNeeds } from "./listing.server";
import { SEARCH_TEXT_VERSION } from "./search-text";
import { refreshSearchText } from "./search-text.server";

const ids = (list: { needs: { publicId: string }[] }) => list.needs.map((n) => n.publicId).sort();

describe("search with and without the article, in both scripts", () => {
  it("finds Arabic words whatever particles either side carries, and their common Latin spellings", async () => {
    const world = await needsWorld();
    const db = await getDb();
    const [goats, school, bread] = await insertNeeds([
      needRow(world, { titleAr: "شراء الماعز لعائلة", titleEn: null, storyAr: "تربية الماعز مصدر الدخل", storyEn: null, category: "livelihood_asset" }),
      needRow(world, { titleAr: "رسوم مدرسة", titleEn: null, storyAr: "تسجيل الطفل بالمدرسة", storyEn: null, category: "school_fees" }),
      needRow(world, { titleAr: "خبز وطحين", titleEn: "Bread and flour", storyAr: null, storyEn: null, category: "food" }),
    ]);
    const find = async (q: string) => ids(await listPublicNeeds(db, { org: world.org.slug, q }));
    const cases: [string, string[]][] = [
      ["ماعز", [goats.publicId]],
      ["الماعز", [goats.publicId]],
      ["بالماعز", [goats.publicId]],
      ["والماعز", [goats.publicId]],
      ["مدرسة", [school.publicId]],
      ["بالمدرسة", [school.publicId]],
      ["للمدرسة", [school.publicId]],
      ["المدرسه", [school.publicId]],
      ["الخبز", [bread.publicId]],
      ["والطحين", [bread.publicId]],
      ["maiz", [goats.publicId]],
      ["maaz", [goats.publicId]],
      ["ma3z", [goats.publicId]],
      ["madrasa", [school.publicId]],
      ["madrasah", [school.publicId]],
      ["al-madrasa", [school.publicId]],
      ["El Madrassa", [school.publicId]],
      ["khubz", [bread.publicId]],
      ["tahin", [bread.publicId]],
      ["bread", [bread.publicId]],
      ["ماعز madrasa", []],
      ["مستشفى", []],
      ["mustashfa", []],
    ];
    for (const [q, expected] of cases) expect(await find(q), q).toEqual([...expected].sort());
  }, 120_000);
});

describe("recomputing the search text of existing needs", () => {
  it("the schema's default version is the code's version (a new need is current)", () => {
    expect(needs.searchTextVersion.default).toBe(SEARCH_TEXT_VERSION);
  });

  it("rewrites needs of an older version or with no text, in batches; they are then found", async () => {
    const world = await needsWorld();
    const db = await getDb();
    const rows = await insertNeeds(
      Array.from({ length: 5 }, (_, i) =>
        needRow(world, { titleAr: `بالماعز للعائلة رقم ${i}`, titleEn: null, storyAr: null, storyEn: null, publicRegionId: world.governorate.id }),
      ),
    );
    const rowIds = rows.map((r) => r.id);
    await db.insert(needItems).values({ needId: rows[0]!.id, orgId: world.org.id, position: 0, labelAr: "حليب", labelEn: "Milk", quantity: 1, unitCostMinor: 1000 });
    // As an older version left them: plain words, version 0; one with no text at all.
    const oldText = (title: string) => words(`${title} بيروت beirut`).join(" ");
    for (const row of rows) await db.update(needs).set({ searchText: oldText(row.titleAr!), searchTextVersion: 0 }).where(eq(needs.id, row.id));
    await db.update(needs).set({ searchText: "", searchTextVersion: SEARCH_TEXT_VERSION }).where(eq(needs.id, rows[4]!.id));
    const find = async (q: string) => ids(await listPublicNeeds(db, { org: world.org.slug, q }));
    expect(await find("ماعز")).toEqual([]);
    expect(await find("maiz")).toEqual([]);

    // Other tests' needs may be stale too (a shared database): at least ours are rewritten.
    expect(await refreshSearchText(db, 2)).toBeGreaterThanOrEqual(5);
    const after = await db
      .select({ id: needs.id, t: needs.searchText, v: needs.searchTextVersion, updatedAt: needs.updatedAt })
      .from(needs)
      .where(inArray(needs.id, rowIds));
    for (const row of after) {
      expect(row.v).toBe(SEARCH_TEXT_VERSION);
      expect(row.t.split(" ")).toEqual(expect.arrayContaining(["ماعز", "xqmz", "بيروت", "beirut"]));
      // Derived data: the need's own updated_at is left alone.
      expect(row.updatedAt.getTime()).toBe(rows.find((r) => r.id === row.id)!.updatedAt.getTime());
    }
    expect(after.find((r) => r.id === rows[0]!.id)!.t.split(" ")).toEqual(expect.arrayContaining(["حليب", "milk"]));
    expect(await find("ماعز")).toEqual(rows.map((r) => r.publicId).sort());
    expect(await find("maiz")).toEqual(rows.map((r) => r.publicId).sort());

    // Nothing of ours is left to do.
    const stale = await db
      .select({ id: needs.id })
      .from(needs)
      .where(and(inArray(needs.id, rowIds), eq(needs.searchTextVersion, 0)));
    expect(stale).toEqual([]);
  }, 120_000);

  it("a need's fields other than its text and version are untouched", async () => {
    const world = await needsWorld();
    const db = await getDb();
    const [row] = await insertNeeds([needRow(world, { ...needFields({ titleAr: "حليب أطفال" }), searchText: "", searchTextVersion: 0 } as never)]);
    await refreshSearchText(db);
    const [after] = await db.select().from(needs).where(eq(needs.id, row!.id));
    expect(after!.searchText.split(" ")).toContain("حليب");
    expect({ ...after, searchText: row!.searchText, searchTextVersion: row!.searchTextVersion }).toEqual(row);
  });
});

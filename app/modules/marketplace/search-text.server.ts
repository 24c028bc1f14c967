import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { needItems, needs, regions } from "#db/schema";
import { buildSearchText, type SearchableNeed } from "./search-text";

/**
 * The search text of a need about to be written: its public fields plus its governorate's names
 * (read here, scoped to the organisation). Called inside createNeed/updateNeed's transaction.
 */
export async function searchTextOf(
  tx: DbOrTx,
  orgId: string,
  need: Omit<SearchableNeed, "governorate" | "items"> & { publicRegionId: string | null },
  items: SearchableNeed["items"],
): Promise<string> {
  const governorate = need.publicRegionId
    ? ((
        await tx
          .select({ nameAr: regions.nameAr, nameEn: regions.nameEn })
          .from(regions)
          .where(and(eq(regions.id, need.publicRegionId), eq(regions.orgId, orgId)))
          .limit(1)
      )[0] ?? null)
    : null;
  return buildSearchText({ ...need, items, governorate });
}

/**
 * Fills the search text of needs written before it was kept (still ''), e.g. on a database seeded
 * before migration 0004. Safe to run again (it only touches empty ones); start-up runs it
 * (boot.server.ts). Returns how many needs it filled.
 */
export async function backfillSearchText(db: DbOrTx): Promise<number> {
  const rows = await db
    .select({
      id: needs.id,
      orgId: needs.orgId,
      category: needs.category,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
      storyAr: needs.storyAr,
      storyEn: needs.storyEn,
      publicRegionId: needs.publicRegionId,
    })
    .from(needs)
    .where(eq(needs.searchText, ""));
  for (const row of rows) {
    const items = await db
      .select({ labelAr: needItems.labelAr, labelEn: needItems.labelEn })
      .from(needItems)
      .where(and(eq(needItems.needId, row.id), eq(needItems.orgId, row.orgId)));
    const text = await searchTextOf(db, row.orgId, row, items);
    await db.update(needs).set({ searchText: text }).where(and(eq(needs.id, row.id), eq(needs.searchText, "")));
  }
  return rows.length;
}

import { and, asc, eq, gt, inArray, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { needItems, needs, regions } from "#db/schema";
import { buildSearchText, SEARCH_TEXT_VERSION, type SearchableNeed } from "./search-text";

/**
 * The search text of a need about to be written: its public fields plus its governorate's names
 * (read here, scoped to the organisation). Called inside createNeed/updateNeed's transaction.
 * The row's search_text_version keeps its default (the current version) on insert.
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

/** Needs recomputed per round trip by refreshSearchText. */
export const REFRESH_BATCH = 500;

/**
 * Recomputes the search text of every need whose text is missing ('', written before it was
 * kept) or was written by an older version of buildSearchText (search_text_version below
 * SEARCH_TEXT_VERSION), in batches of REFRESH_BATCH needs: three reads and one set-based update
 * per batch, in id order. A need edited while its batch is computed is left alone (its update
 * already wrote current text; its version is caught on the next start). Safe to run again and
 * concurrently; start-up runs it (boot.server.ts). Returns how many needs it rewrote.
 */
export async function refreshSearchText(db: DbOrTx, batchSize = REFRESH_BATCH): Promise<number> {
  const stale = or(lt(needs.searchTextVersion, SEARCH_TEXT_VERSION), eq(needs.searchText, ""));
  let after: string | null = null;
  let rewritten = 0;
  for (;;) {
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
        updatedAt: sql<string>`${needs.updatedAt}::text`,
      })
      .from(needs)
      .where(after === null ? stale : and(stale, gt(needs.id, after)))
      .orderBy(asc(needs.id))
      .limit(batchSize);
    if (rows.length === 0) return rewritten;
    after = rows[rows.length - 1]!.id;

    const ids = rows.map((r) => r.id);
    const regionIds = [...new Set(rows.map((r) => r.publicRegionId).filter((id): id is string => id !== null))];
    const [items, govs] = await Promise.all([
      db
        .select({ needId: needItems.needId, orgId: needItems.orgId, labelAr: needItems.labelAr, labelEn: needItems.labelEn })
        .from(needItems)
        .where(inArray(needItems.needId, ids))
        .orderBy(asc(needItems.needId), asc(needItems.position)),
      regionIds.length
        ? db.select({ id: regions.id, orgId: regions.orgId, nameAr: regions.nameAr, nameEn: regions.nameEn }).from(regions).where(inArray(regions.id, regionIds))
        : Promise.resolve([]),
    ]);
    const orgOf = new Map(rows.map((r) => [r.id, r.orgId]));
    const itemsOf = new Map<string, { labelAr: string | null; labelEn: string | null }[]>();
    for (const item of items) {
      if (orgOf.get(item.needId) !== item.orgId) continue;
      itemsOf.set(item.needId, [...(itemsOf.get(item.needId) ?? []), item]);
    }
    const govById = new Map(govs.map((g) => [g.id, g]));
    const updates = rows.map((row) => {
      const gov = row.publicRegionId ? govById.get(row.publicRegionId) : undefined;
      const text = buildSearchText({
        ...row,
        items: itemsOf.get(row.id) ?? [],
        governorate: gov && gov.orgId === row.orgId ? { nameAr: gov.nameAr, nameEn: gov.nameEn } : null,
      });
      return { id: row.id, t: text, u: row.updatedAt };
    });
    const result = await db.execute(sql`
      update ${needs} set search_text = v.t, search_text_version = ${SEARCH_TEXT_VERSION}
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id uuid, t text, u text)
      where ${needs.id} = v.id and ${needs.updatedAt}::text = v.u
      returning ${needs.id}`);
    rewritten += rowCount(result);
    if (rows.length < batchSize) return rewritten;
  }
}

function rowCount(result: unknown): number {
  const r = result as { rows?: unknown[]; rowCount?: number | null; affectedRows?: number };
  return r.rows?.length ?? r.rowCount ?? r.affectedRows ?? 0;
}

/**
 * The name start-up and older tests use: fills missing search text and recomputes text of older
 * versions (refreshSearchText).
 */
export const backfillSearchText = refreshSearchText;

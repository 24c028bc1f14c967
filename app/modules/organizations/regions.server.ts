import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { regions } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { OrgNotFoundError, OrgRuleError } from "./errors";
import { childLevel, type RegionRow } from "./regions";

/** The organisation's regions, flat (see buildRegionTree). */
export async function listRegions(db: DbOrTx, orgId: string): Promise<RegionRow[]> {
  return db
    .select({
      id: regions.id,
      parentId: regions.parentId,
      level: regions.level,
      nameAr: regions.nameAr,
      nameEn: regions.nameEn,
      sortOrder: regions.sortOrder,
    })
    .from(regions)
    .where(eq(regions.orgId, orgId))
    .orderBy(asc(regions.sortOrder), asc(regions.nameEn));
}

/** A region of this organisation, or 404 (a posted id of another organisation's region). */
async function regionOf(tx: DbOrTx, orgId: string, regionId: string) {
  const [region] = await tx
    .select()
    .from(regions)
    .where(and(eq(regions.id, regionId), eq(regions.orgId, orgId)))
    .limit(1);
  if (!region) throw new OrgNotFoundError("region");
  return region;
}

export async function addRegion(
  db: Db,
  input: { orgId: string; actor: Actor; parentId?: string | null; nameAr: string; nameEn: string },
) {
  return db.transaction(async (tx) => {
    const parent = input.parentId ? await regionOf(tx, input.orgId, input.parentId) : null;
    const level = childLevel(parent?.level ?? null);
    if (!level) throw new OrgRuleError("staff:errors.regionTooDeep", undefined, 400);
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${regions.sortOrder}) + 1, 0)::int` })
      .from(regions)
      .where(
        and(
          eq(regions.orgId, input.orgId),
          parent ? eq(regions.parentId, parent.id) : sql`${regions.parentId} is null`,
        ),
      );
    const [region] = await tx
      .insert(regions)
      .values({
        orgId: input.orgId,
        parentId: parent?.id ?? null,
        level,
        nameAr: input.nameAr,
        nameEn: input.nameEn,
        sortOrder: Number(next),
      })
      .returning();
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "region.create",
      entityType: "region",
      entityId: region.id,
      change: { level, parentId: region.parentId, nameAr: region.nameAr, nameEn: region.nameEn },
    });
    return region;
  });
}

export async function renameRegion(
  db: Db,
  input: { orgId: string; actor: Actor; regionId: string; nameAr: string; nameEn: string },
) {
  return db.transaction(async (tx) => {
    const region = await regionOf(tx, input.orgId, input.regionId);
    if (region.nameAr === input.nameAr && region.nameEn === input.nameEn) return region;
    const [updated] = await tx
      .update(regions)
      .set({ nameAr: input.nameAr, nameEn: input.nameEn })
      .where(eq(regions.id, region.id))
      .returning();
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "region.rename",
      entityType: "region",
      entityId: region.id,
      change: {
        before: { nameAr: region.nameAr, nameEn: region.nameEn },
        after: { nameAr: updated.nameAr, nameEn: updated.nameEn },
      },
    });
    return updated;
  });
}

/** Removes a region and everything under it (districts, localities). */
export async function removeRegion(db: Db, input: { orgId: string; actor: Actor; regionId: string }) {
  return db.transaction(async (tx) => {
    const region = await regionOf(tx, input.orgId, input.regionId);
    const below = await tx.execute<{ id: string }>(sql`
      with recursive below as (
        select id from regions where parent_id = ${region.id} and org_id = ${input.orgId}
        union all
        select r.id from regions r join below b on r.parent_id = b.id
      )
      select id from below`);
    await tx.delete(regions).where(and(eq(regions.id, region.id), eq(regions.orgId, input.orgId)));
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "region.delete",
      entityType: "region",
      entityId: region.id,
      change: {
        level: region.level,
        nameAr: region.nameAr,
        nameEn: region.nameEn,
        removedBelow: below.rows.length,
      },
    });
    return region;
  });
}

import { and, eq, inArray, isNotNull, type SQL } from "drizzle-orm";
import { needs } from "#db/schema";
import type { Preferences } from "./preferences.server";

/**
 * The SQL conditions of "needs that match my preferences": published, and within every list the
 * donor filled (an empty list means anything). Shared by the /needs filter and the digest, so the
 * email and the page agree.
 */
export type PreferenceLists = Pick<Preferences, "categories" | "regionIds" | "orgIds" | "zakatOnly">;

export function preferenceConditions(p: PreferenceLists): SQL | undefined {
  return and(
    eq(needs.state, "published"),
    p.categories.length > 0 ? inArray(needs.category, p.categories) : undefined,
    p.regionIds.length > 0 ? inArray(needs.publicRegionId, p.regionIds) : undefined,
    p.orgIds.length > 0 ? inArray(needs.orgId, p.orgIds) : undefined,
    p.zakatOnly ? isNotNull(needs.zakatCategory) : undefined,
  );
}

import type { DbOrTx } from "#db/client.server";
import type { HouseholdNeedSummary } from "~/components/household-needs";

/** STUB — replaced by the needs work. The needs of one household, scoped by organisation. */
export async function listHouseholdNeeds(_db: DbOrTx, _orgId: string, _householdId: string): Promise<HouseholdNeedSummary[]> {
  return [];
}

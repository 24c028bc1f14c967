/**
 * STUB — replaced by the needs work. The household page mounts this panel.
 * Contract: `HouseholdNeedsPanel({ orgSlug, householdId, needs, canCreate })`, where `needs` comes
 * from `listHouseholdNeeds(db, orgId, householdId)` in app/modules/needs/needs.server.ts.
 */
export interface HouseholdNeedSummary {
  id: string;
  publicId: string;
  category: string;
  state: string;
  titleAr: string | null;
  titleEn: string | null;
  targetMinor: number;
  currency: string;
  deadline: string;
  urgency: string;
}

export function HouseholdNeedsPanel(_props: {
  orgSlug: string;
  householdId: string;
  needs: HouseholdNeedSummary[];
  canCreate: boolean;
}) {
  return null;
}

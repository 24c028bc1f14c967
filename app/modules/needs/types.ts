/** Types the needs module returns and its components show (types live in modules, issue 11). */

/** A need as listed on its household's page. */
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

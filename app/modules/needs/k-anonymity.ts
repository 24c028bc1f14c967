/**
 * The re-identification check (decision 055), pure. A need's public card shows its governorate,
 * category, and perhaps the beneficiary's age band and gender. When fewer than k active households
 * of the organisation share those details, a neighbour who knows one family could recognise it, so
 * the card drops the most specific detail first (the age band, then the gender) until at least k
 * households share what is left — or nothing more can be dropped. Region and category are never
 * dropped: they are what the need is about and what donors filter by.
 */

export const HIDEABLE_DETAILS = ["age_band", "gender"] as const;
export type HideableDetail = (typeof HIDEABLE_DETAILS)[number];

export const DEFAULT_K = 5;

/**
 * How many active households share the need's public details, from the most specific to the
 * coarsest. Each count includes the previous one's households, so all ≤ withoutAgeBand ≤ regionAndCategory.
 */
export interface ShareCounts {
  /** Same governorate, category, and a present member of the gender whose age is in the band. */
  all: number;
  /** Same governorate, category, and a present member of the gender. */
  withoutAgeBand: number;
  /** Same governorate and category. */
  regionAndCategory: number;
}

export interface ReidentificationDecision {
  /** Details the public card leaves out (a subset of age_band, gender, in that order). */
  hides: HideableDetail[];
  /** The author is warned: fewer than k households share all the details as written. */
  warn: boolean;
  /** How many share all the details as written, and how many share what the card will show. */
  shared: number;
  sharedAfter: number;
  k: number;
}

export function decideHides(input: {
  k: number;
  hasAgeBand: boolean;
  hasGender: boolean;
  counts: ShareCounts;
  /** Details the verifier keeps public despite the check. */
  kept?: readonly HideableDetail[];
}): ReidentificationDecision {
  const { k, counts } = input;
  const kept = new Set(input.kept ?? []);
  // The count for what the card shows when the given details are dropped.
  const countWithout = (ageBandDropped: boolean, genderDropped: boolean) => {
    const showsAge = input.hasAgeBand && !ageBandDropped;
    const showsGender = input.hasGender && !genderDropped;
    if (showsAge) return counts.all; // an age band is counted with the gender when there is one
    if (showsGender) return counts.withoutAgeBand;
    return counts.regionAndCategory;
  };
  const shared = countWithout(false, false);
  const hides: HideableDetail[] = [];
  if (shared < k && input.hasAgeBand) hides.push("age_band");
  if (countWithout(hides.includes("age_band"), false) < k && input.hasGender) hides.push("gender");
  const effective = hides.filter((d) => !kept.has(d));
  return {
    hides: effective,
    warn: shared < k,
    shared,
    sharedAfter: countWithout(effective.includes("age_band"), effective.includes("gender")),
    k,
  };
}

const AGE_BAND_RANGES: Record<string, [number, number]> = {
  "0-4": [0, 4],
  "5-11": [5, 11],
  "12-17": [12, 17],
  "18-29": [18, 29],
  "30-59": [30, 59],
  "60+": [60, 150],
};

/**
 * The birth years whose members are in an age band in `year` (age = year − birth year: only the
 * year of birth is recorded, so a member is counted at the age they reach this year).
 */
export function birthYearsOf(ageBand: string, year: number): { from: number; to: number } | null {
  const range = AGE_BAND_RANGES[ageBand];
  if (!range) return null;
  return { from: year - range[1], to: year - range[0] };
}

import type { REFERRAL_PROGRAMMES, REFERRAL_STATUSES } from "./schemas";

/** Pure referral rules, shared by the server and the household page. */

export type ReferralProgramme = (typeof REFERRAL_PROGRAMMES)[number];
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Where a referral may go from each status. */
export const REFERRAL_TRANSITIONS: Record<ReferralStatus, readonly ReferralStatus[]> = {
  referred: ["accepted", "declined"],
  accepted: ["completed"],
  completed: [],
  declined: [],
};

export function canMoveReferral(from: ReferralStatus, to: ReferralStatus): boolean {
  return REFERRAL_TRANSITIONS[from].includes(to);
}

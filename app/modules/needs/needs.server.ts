/**
 * Needs: what a household needs, written by staff, checked by the guard, published, funded, closed.
 * This module re-exports its parts: need-writes (create, update), need-lifecycle (transitions,
 * release), need-reidentification (k-anonymity, kept details), need-queries (lists, the staff page);
 * need-steps holds the steps they share.
 */

export { newPublicId, privateStringsOf, publicFieldsOf, guardHitsOf, keptConfirmations } from "./need-steps.server";
export { kAnonymityMin, setKAnonymityMin, reidentificationOf, keepPublicDetails } from "./need-reidentification.server";
export type { PublicDetails } from "./need-reidentification.server";
export { createNeed, updateNeed } from "./need-writes.server";
export type { PublicationChoices } from "./need-writes.server";
export { transitionNeed, applySystemTransition, releaseAndTell, languagesComplete } from "./need-lifecycle.server";
export type { TransitionAction } from "./need-lifecycle.server";
export {
  PAGE_SIZE,
  listNeeds,
  needCountsByState,
  verificationQueue,
  pendingDuplicateCount,
  getNeedForStaff,
  needReview,
  listGovernorates,
  householdForNeed,
  listHouseholdNeeds,
} from "./need-queries.server";
export type { NeedListRow } from "./need-queries.server";

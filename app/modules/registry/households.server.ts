/**
 * The private household registry: one transaction per operation, each writing the household's
 * timeline (kept as history, never overwritten) and the audit log. This module re-exports its parts:
 * household-records (create, edit, move, status, consent), household-members (members, identifiers),
 * household-queries (the page and the list); household-steps holds the steps they share.
 */

export type { IdentifierInput } from "./household-steps.server";
export {
  createHousehold,
  updateHousehold,
  moveHousehold,
  changeStatus,
  recordConsent,
} from "./household-records.server";
export type { HeadInput, CreateHouseholdInput } from "./household-records.server";
export { addMember, updateMember, recordMemberExit, addIdentifier, removeIdentifier } from "./household-members.server";
export { HOUSEHOLDS_PAGE_SIZE, getHousehold, searchConditions, listHouseholds } from "./household-queries.server";
export type { HouseholdEventView, HouseholdListItem } from "./household-queries.server";

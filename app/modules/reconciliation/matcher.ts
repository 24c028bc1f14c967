/**
 * Matching one bank statement line with what it can explain (issue 10, module C), pure and
 * deterministic: the rules and their order are described in matcher-types.ts.
 *
 * Split by what it does (decision 061): matcher-types (inputs, decisions, options, amounts and
 * days), matcher-index (the candidates' index), matcher-line (matchLine and its rules).
 */
export { DEFAULT_MATCH_OPTIONS, maxFee, compareAmount, dayNumber } from "./matcher-types";
export type { ReasonCode, Reason, MatchLineInput, PledgeCandidate, PaymentCandidate, BatchCandidate, PayoutCandidate, Candidate, Allocation, Suggestion, MatchKind, Decision, FeeBand, MatchOptions } from "./matcher-types";
export { bodyOfReference, batchNumbersIn, buildMatchIndex } from "./matcher-index";
export type { MatchIndex } from "./matcher-index";
export { matchLine } from "./matcher-line";

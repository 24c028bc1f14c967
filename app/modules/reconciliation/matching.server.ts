/**
 * Reconciliation in the database (issue 10, module C): statement lines matched with what they
 * explain. Each line is settled in its own transaction with its row locked (`for update`), so two
 * officers, or the import job and an officer, never explain a line twice; every payment it books
 * has an idempotency key derived from the line (`stmt:<lineId>:<pledgeId>`), so a retry books
 * nothing new.
 *
 * A match to a pledge records the payment with recordPayment exactly like an offline confirmation
 * (ledger entry, pledge and need counters, receipt) — method bank_transfer, the line's money
 * account, value date and external id `stmt:<lineId>` (`stmt:<lineId>:<n>` when a line pays several
 * pledges). A hand-recorded bank payment that the line proves is LINKED instead (no second payment).
 *
 * Split by what it does (decision 061): matching-auto (candidates, the automatic pass),
 * matching-manual (by hand, not a donation, undo), matching-queries (read-only), and the shared
 * steps in matching-steps.
 */
export { isMonthClosed } from "./matching-steps.server";
export type { StatementLine, StatementMatch, NotDonationKind } from "./matching-steps.server";
export { loadCandidates, autoMatchLines } from "./matching-auto.server";
export type { AutoMatchOutcome, AutoMatchResult } from "./matching-auto.server";
export { manualMatch, NOT_DONATION_KINDS, markNotDonation, undoNotDonation, undoMatch } from "./matching-manual.server";
export type { ManualAllocation } from "./matching-manual.server";
export { PAGE_SIZE, listLines, getLine, listMoneyAccounts } from "./matching-queries.server";
export type { QueueFilter } from "./matching-queries.server";

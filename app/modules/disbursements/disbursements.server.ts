/**
 * Money out (issue 10, decision 057): finance asks to pay one payee from one or more needs' funds
 * (a batch), a different finance officer approves or rejects it, and once the money has left it is
 * marked paid: one ledger entry (Dr each need's fund, Cr the bank / cash box / transfer agent), the
 * needs' disbursed totals, `funded → disbursed` when a fund is emptied, and an email to each donor
 * whose money was in it ("your gift reached a school" — the payee's kind, never its name).
 *
 * Lock order: the batch's needs (by id), then the batch. A claim never exceeds what the need's fund
 * holds minus what other open (requested / approved) batches already ask for: checked when asked
 * and again when paid, under the needs' row locks. Every change is audited; a refusal throws a
 * DisbursementError before anything is written.
 *
 * Split by what it does (decision 061): disbursement-decisions (ask, approve, reject, cancel),
 * disbursement-paid (mark paid, tell donors), disbursement-queries (read-only), and the shared
 * steps in disbursement-steps.
 */
export { DISBURSEMENT_PAGE_SIZE } from "./disbursement-steps.server";
export type { Batch, BatchItem } from "./disbursement-steps.server";
export { requestDisbursement, approveDisbursement, rejectDisbursement, cancelDisbursement } from "./disbursement-decisions.server";
export type { RequestDisbursementInput } from "./disbursement-decisions.server";
export { markDisbursementPaid } from "./disbursement-paid.server";
export type { MarkPaidInput, MarkPaidResult } from "./disbursement-paid.server";
export { fundsAvailable, listDisbursements, disbursementCounts, getDisbursement, needDisbursements, payingAccounts, searchPayees, payeeOf } from "./disbursement-queries.server";
export type { FundsAvailableRow, BatchListRow } from "./disbursement-queries.server";

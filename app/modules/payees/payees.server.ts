/**
 * Payees (decision 057): who an organisation pays — a school, a hospital, a pharmacy, a vendor, a
 * landlord, or a household itself. Private to the organisation. Bank (or cash-collection) details
 * are never written directly: a finance person requests a change, a second one approves it
 * (four-eyes here and in a CHECK). Every write is one transaction with its audit row; account
 * numbers reach the audit masked (last four).
 *
 * Split by what it does (decision 061): payee-records (create, update, a need's payee),
 * payee-detail-changes (request, decide, withdraw), payee-queries (read-only), and the shared steps
 * in payee-steps.
 */
export { payeeSearchText, payeeNameKey, currentDetails, detailsAudit } from "./payee-steps.server";
export type { Payee, PayeeDetailChange } from "./payee-steps.server";
export { createPayee, updatePayee, findOrCreatePayeeForNeed, payeeForNeed } from "./payee-records.server";
export type { CreatePayeeInput, UpdatePayeeInput } from "./payee-records.server";
export { requestDetailChange, decideDetailChange, withdrawDetailChange } from "./payee-detail-changes.server";
export { payablePayee, payeeSearchConditions, listPayees, pendingDetailChangeCount, getPayee, payeeOptionsForNeed } from "./payee-queries.server";
export type { PayeeListRow } from "./payee-queries.server";

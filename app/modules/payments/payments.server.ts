/**
 * Money in (decision 056): payments as their own records, each landing exactly once in the
 * double-entry ledger (app/modules/ledger). Every operation is one transaction; the lock order is
 * always need(s) (by id) → pledge → payment, so operations never deadlock each other. Every change
 * is audited; a refusal throws a PaymentError before anything is written.
 *
 * Counters (checked by checkLedger / `npm run ledger:check`):
 * - pledges.paid_minor: this pledge's money now in its need's fund;
 * - needs.paid_minor = the need's fund + received in-kind deliveries;
 * - needs.reserved_minor = Σ (amount − paid) over live pledges;
 * - needs.donor_count = pledges with paid_minor > 0.
 */

export { type Payment, type Refund, type PaymentFlag, type PaymentMethod, ensureDefaultMoneyAccount } from "./payment-steps.server";
export { releaseNeedPledges, type ReleaseReason, releasePledge } from "./payment-release.server";
export { type RecordPaymentInput, type RecordPaymentResult, recordPayment, confirmCashPayment, rejectCashPayment } from "./payment-record.server";
export { attachPayment, reallocatePayment, reallocateInTx } from "./payment-moves.server";
export { type StripeRefundFn, requestRefund, recordStripeRefund } from "./payment-refunds.server";
export { markDisputed, closeDispute } from "./payment-disputes.server";


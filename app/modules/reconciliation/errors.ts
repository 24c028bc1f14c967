/**
 * A refused reconciliation operation (issue 10, module C). Routes show `reconciliation:errors.<code>`
 * and answer with `status`. Nothing was changed: each operation is one transaction that throws
 * before it commits.
 */
export const RECONCILIATION_ERROR_CODES = [
  "not_allowed",
  "line_not_found",
  "match_not_found",
  "payment_not_found",
  "pledge_not_found",
  "batch_not_found",
  "payout_not_found",
  "other_org",
  "currency_mismatch",
  "over_allocation",
  "amount_invalid",
  "wrong_direction",
  "already_explained",
  "month_closed",
  "payment_refunded",
  "payment_reallocated",
  "payment_disbursed",
  "payment_linked",
  "payment_not_reversible",
  "invalid_state",
] as const;

export type ReconciliationErrorCode = (typeof RECONCILIATION_ERROR_CODES)[number];

export class ReconciliationError extends Error {
  constructor(
    readonly code: ReconciliationErrorCode,
    readonly details: Record<string, string | number | null> = {},
  ) {
    super(code);
    this.name = "ReconciliationError";
  }

  get status(): 400 | 403 | 404 | 409 {
    switch (this.code) {
      case "not_allowed":
        return 403;
      case "line_not_found":
      case "match_not_found":
      case "payment_not_found":
      case "pledge_not_found":
      case "batch_not_found":
      case "payout_not_found":
        return 404;
      case "other_org":
      case "currency_mismatch":
      case "over_allocation":
      case "amount_invalid":
      case "wrong_direction":
        return 400;
      default:
        return 409;
    }
  }

  get messageKey(): string {
    return `reconciliation:errors.${this.code}`;
  }
}

export function isReconciliationError(error: unknown): error is ReconciliationError {
  return error instanceof ReconciliationError;
}

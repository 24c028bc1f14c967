/**
 * A refused disbursement operation (issue 10). Routes show `disbursements:errors.<code>` with
 * `status`. Nothing was changed: every operation is one transaction that throws before writing.
 */
export const DISBURSEMENT_ERROR_CODES = [
  "not_allowed",
  "batch_not_found",
  "need_not_found",
  "payee_not_found",
  "payee_inactive",
  "details_not_approved",
  "money_account_invalid",
  "method_invalid",
  "currency_mismatch",
  "amount_invalid",
  "items_invalid",
  "over_balance",
  "four_eyes_same_person",
  "reason_required",
  "invalid_state",
  "paid_date_invalid",
  "paid_date_future",
  "reference_invalid",
  "proof_invalid",
  "idempotency_conflict",
] as const;

export type DisbursementErrorCode = (typeof DISBURSEMENT_ERROR_CODES)[number];

export class DisbursementError extends Error {
  constructor(
    readonly code: DisbursementErrorCode,
    readonly details: { needId?: string; availableMinor?: number; state?: string; currency?: string } = {},
  ) {
    super(code);
    this.name = "DisbursementError";
  }

  get status(): 400 | 403 | 404 | 409 {
    switch (this.code) {
      case "batch_not_found":
      case "need_not_found":
      case "payee_not_found":
        return 404;
      case "not_allowed":
      case "four_eyes_same_person":
        return 403;
      case "invalid_state":
      case "over_balance":
      case "idempotency_conflict":
        return 409;
      default:
        return 400;
    }
  }

  get messageKey(): string {
    return `disbursements:errors.${this.code}`;
  }
}

export function isDisbursementError(error: unknown): error is DisbursementError {
  return error instanceof DisbursementError;
}

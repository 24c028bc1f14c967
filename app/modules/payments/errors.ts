/**
 * A refused money operation (decision 056). Routes show `payments:errors.<code>` and answer with
 * `status`. Nothing was changed: every operation is one transaction that throws before writing.
 */
export const PAYMENT_ERROR_CODES = [
  "amount_invalid",
  "fee_invalid",
  "currency_mismatch",
  "currency_invalid",
  "value_date_future",
  "value_date_invalid",
  "duplicate_external_id",
  "idempotency_conflict",
  "refund_too_large",
  "four_eyes_same_person",
  "other_org_need",
  "other_currency_need",
  "need_full",
  "need_not_open",
  "not_allowed",
  "payment_not_found",
  "pledge_not_found",
  "need_not_found",
  "money_account_invalid",
  "method_invalid",
  "reference_invalid",
  "nothing_to_move",
  "stripe_failed",
  "invalid_state",
  "zakat_ineligible",
  "restriction_broken",
] as const;

export type PaymentErrorCode = (typeof PAYMENT_ERROR_CODES)[number];

export class PaymentError extends Error {
  constructor(
    readonly code: PaymentErrorCode,
    readonly details: { currency?: string; remainingMinor?: number; maxMinor?: number; state?: string } = {},
  ) {
    super(code);
    this.name = "PaymentError";
  }

  get status(): 400 | 403 | 404 | 409 | 502 {
    switch (this.code) {
      case "payment_not_found":
      case "pledge_not_found":
      case "need_not_found":
        return 404;
      case "not_allowed":
      case "four_eyes_same_person":
        return 403;
      case "stripe_failed":
        return 502;
      case "amount_invalid":
      case "fee_invalid":
      case "currency_mismatch":
      case "currency_invalid":
      case "value_date_future":
      case "value_date_invalid":
      case "money_account_invalid":
      case "method_invalid":
      case "reference_invalid":
      case "refund_too_large":
      case "other_org_need":
      case "other_currency_need":
      case "zakat_ineligible":
      case "restriction_broken":
        return 400;
      default:
        return 409;
    }
  }

  /** The i18n key of the message. */
  get messageKey(): string {
    return `payments:errors.${this.code}`;
  }
}

export function isPaymentError(error: unknown): error is PaymentError {
  return error instanceof PaymentError;
}

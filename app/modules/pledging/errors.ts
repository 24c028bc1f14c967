/**
 * A refused pledging operation. Routes show `pledging:errors.<code>` with the error's numbers
 * (the remaining amount, the minimum) and answer with `status`. Nothing was changed.
 */
export type PledgeErrorCode =
  | "need_not_found"
  | "need_not_open"
  | "need_full"
  | "currency_mismatch"
  | "below_minimum"
  | "above_remaining"
  | "card_unavailable"
  | "method_not_offered"
  | "method_needs_details"
  | "rate_limited"
  | "confirm_invalid"
  | "confirm_expired"
  | "items_invalid"
  | "item_unavailable"
  | "idempotency_conflict"
  | "pledge_not_found"
  | "not_cancellable"
  | "invalid_state"
  | "not_allowed"
  | "zakat_ineligible"
  | "org_not_found"
  | "region_invalid"
  | "category_invalid"
  | "appeal_invalid";

export class PledgeError extends Error {
  constructor(
    readonly code: PledgeErrorCode,
    readonly details: {
      remainingMinor?: number;
      minimumMinor?: number;
      currency?: string;
      /** need_not_open: the need's state (funded, cancelled, draft…). */
      state?: string;
      /** rate_limited: seconds until the next pledge is allowed (the Retry-After header). */
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(code);
    this.name = "PledgeError";
  }

  get status(): 400 | 403 | 404 | 409 | 429 {
    switch (this.code) {
      case "need_not_found":
      case "pledge_not_found":
      case "confirm_invalid":
        return 404;
      case "rate_limited":
        return 429;
      case "not_allowed":
        return 403;
      case "org_not_found":
        return 404;
      case "currency_mismatch":
      case "below_minimum":
      case "card_unavailable":
      case "method_not_offered":
      case "method_needs_details":
      case "items_invalid":
      case "zakat_ineligible":
      case "region_invalid":
      case "category_invalid":
      case "appeal_invalid":
        return 400;
      default:
        return 409;
    }
  }

  /** The i18n key of the message. */
  get messageKey(): string {
    return `pledging:errors.${this.code}`;
  }
}

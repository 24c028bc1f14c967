/**
 * A refused payee operation (decision 057). Routes show `payees:errors.<code>` and answer with
 * `status`. Nothing was changed: every operation is one transaction that throws before writing.
 */
export const PAYEE_ERROR_CODES = [
  "not_allowed",
  "payee_not_found",
  "change_not_found",
  "payee_inactive",
  "details_not_approved",
  "four_eyes_same_person",
  "change_pending",
  "change_not_pending",
  "not_requester",
  "nothing_changed",
  "kind_mismatch",
  "household_invalid",
  "name_required",
  "invalid_input",
] as const;

export type PayeeErrorCode = (typeof PAYEE_ERROR_CODES)[number];

export class PayeeError extends Error {
  constructor(
    readonly code: PayeeErrorCode,
    /** The form field the refusal is about, when there is one. */
    readonly field?: string,
  ) {
    super(code);
    this.name = "PayeeError";
  }

  get status(): 400 | 403 | 404 | 409 {
    switch (this.code) {
      case "payee_not_found":
      case "change_not_found":
        return 404;
      case "not_allowed":
      case "four_eyes_same_person":
      case "not_requester":
        return 403;
      case "kind_mismatch":
      case "household_invalid":
      case "name_required":
      case "invalid_input":
      case "nothing_changed":
        return 400;
      default:
        return 409;
    }
  }

  /** The i18n key of the message. */
  get messageKey(): string {
    return `payees:errors.${this.code}`;
  }
}

export function isPayeeError(error: unknown): error is PayeeError {
  return error instanceof PayeeError;
}

/**
 * A refused month-end or report request. Routes show `reports:errors.<code>`; nothing was changed.
 */
export const MONTH_END_ERROR_CODES = [
  "not_allowed",
  "account_not_found",
  "month_invalid",
  "month_not_over",
  "already_closed",
  "earlier_month_open",
  "difference_not_zero",
  "unexplained_items",
] as const;

export type MonthEndErrorCode = (typeof MONTH_END_ERROR_CODES)[number];

export class MonthEndError extends Error {
  constructor(
    readonly code: MonthEndErrorCode,
    readonly details: { month?: string; differenceMinor?: number; statementLines?: number; ledgerEntries?: number } = {},
  ) {
    super(code);
    this.name = "MonthEndError";
  }

  get status(): number {
    return this.code === "not_allowed" ? 403 : this.code === "account_not_found" ? 404 : 409;
  }
}

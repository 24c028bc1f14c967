import { toAsciiDigits } from "~/modules/anonymization/normalize";
import { currencyDigits } from "~/utils/format";

/**
 * Turning what a person typed ("1250.50", "١٢٥٠٫٥") into integer minor units of a currency.
 * The one place a typed decimal becomes money: no floats, string arithmetic only.
 */
export type MoneyParse =
  | { ok: true; minor: number }
  | { ok: false; error: "needs:errors.amountRequired" | "needs:errors.amountInvalid" | "needs:errors.amountPositive" | "needs:errors.amountTooPrecise" | "needs:errors.amountTooLarge" };

/** A ceiling far above any need, well inside Number.MAX_SAFE_INTEGER. */
export const MAX_MINOR = 1_000_000_000_000;

export function parseMoney(input: string | null | undefined, currency: string): MoneyParse {
  const raw = toAsciiDigits(String(input ?? ""))
    .trim()
    .replace(/[\s\u066C]/g, "") // spaces and the Arabic thousands separator
    .replace(/\u066B/g, "."); // Arabic decimal separator
  if (raw === "") return { ok: false, error: "needs:errors.amountRequired" };
  if (/^-/.test(raw) && /^-\d+(\.\d+)?$/.test(raw)) return { ok: false, error: "needs:errors.amountPositive" };
  const match = /^(\d+)(?:\.(\d+))?$/.exec(raw);
  if (!match) return { ok: false, error: "needs:errors.amountInvalid" };
  const digits = currencyDigits(currency);
  const [, whole, fraction = ""] = match;
  const significantFraction = fraction.replace(/0+$/, "");
  if (significantFraction.length > digits) return { ok: false, error: "needs:errors.amountTooPrecise" };
  const wholeTrimmed = whole.replace(/^0+(?=\d)/, "");
  if (wholeTrimmed.length > 15) return { ok: false, error: "needs:errors.amountTooLarge" };
  const minor = Number(wholeTrimmed + significantFraction.padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor)) return { ok: false, error: "needs:errors.amountTooLarge" };
  if (minor <= 0) return { ok: false, error: "needs:errors.amountPositive" };
  if (minor > MAX_MINOR) return { ok: false, error: "needs:errors.amountTooLarge" };
  return { ok: true, minor };
}

/** Minor units back to the plain decimal a person would type (for filling the editor). */
export function minorToInput(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const s = String(minor).padStart(digits + 1, "0");
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** Today's date (YYYY-MM-DD) in a time zone: deadlines are days in the organisation's time. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Minutes a time zone is ahead of UTC at an instant (Beirut in summer: 180). */
function offsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The first instant of a day (YYYY-MM-DD) in a time zone: midnight there, or the first moment the
 * clock shows that day where a daylight-saving change skips midnight. Windows that staff give as
 * days (an appeal's) are the organisation's days, not UTC's.
 */
export function startOfDayIn(timeZone: string, day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  const midnightUtc = Date.UTC(y, m - 1, d);
  // Two corrections settle it, daylight saving included.
  let guess = midnightUtc - offsetMinutes(timeZone, new Date(midnightUtc)) * 60_000;
  guess = midnightUtc - offsetMinutes(timeZone, new Date(guess)) * 60_000;
  // Where midnight does not exist (the clock jumps from 23:59 to 01:00), the day starts at the jump.
  while (todayIn(timeZone, new Date(guess)) < day) guess += 15 * 60_000;
  while (todayIn(timeZone, new Date(guess - 60_000)) >= day) guess -= 15 * 60_000;
  return new Date(guess);
}

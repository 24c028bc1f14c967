import type { Locale } from "./i18n";

/** Latin digits with Arabic text too (one rule, whatever the ICU's default for "ar"); a person may choose Arabic-Indic (app/utils/numerals.ts). */
const intlLocale = (locale: Locale) => (locale === "ar" ? "ar-u-nu-latn" : "en-GB");

/**
 * Building an Intl formatter costs far more than using one (a listing formats hundreds of
 * amounts and dates): each distinct formatter is built once per process, under a short key, and kept.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) formatters.set(key, (formatter = build()));
  return formatter;
}
const asDate = (value: Date | string) => (typeof value === "string" ? new Date(value) : value);

/**
 * Using a formatter still costs microseconds per call (ICU), and a listing formats the same
 * amounts and days on every render: the text of each (kind, locale, value) is kept, up to a bound
 * (then the memo starts again empty). Pure functions of their arguments, so nothing goes stale.
 */
const MEMO_LIMIT = 20_000;
const memo = new Map<string, string>();
function remembered(key: string, make: () => string): string {
  let text = memo.get(key);
  if (text === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    text = make();
    memo.set(key, text);
  }
  return text;
}

/** Digits after the decimal point for a currency (ISO 4217), e.g. USD 2, JPY 0. */
const digitsOf = new Map<string, number>();
export function currencyDigits(currency: string): number {
  let digits = digitsOf.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsOf.set(currency, digits);
  }
  return digits;
}

/** Money is integer minor units plus a currency; this is the one place it becomes text. */
export function formatMoney(amountMinor: number, currency: string, locale: Locale): string {
  if (!Number.isInteger(amountMinor)) throw new TypeError("amountMinor must be an integer");
  return remembered(`m|${locale}|${currency}|${amountMinor}`, () => moneyText(amountMinor, currency, locale));
}

function moneyText(amountMinor: number, currency: string, locale: Locale): string {
  const digits = currencyDigits(currency);
  const formatter = cached(`money|${locale}|${currency}`, () =>
    new Intl.NumberFormat(intlLocale(locale), {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }),
  );
  const value = amountMinor / 10 ** digits;
  if (locale !== "ar") return formatter.format(value);
  // Arabic: the symbol first, as in "US$ 2,400.00", so the amount reads the same in a left-to-right
  // run (app/components/bidi.tsx <Money>) and in plain Arabic text (emails); ICU's own order
  // ("2,400.00 US$" between bidi marks) turns into "$US 2,400.00" inside Arabic.
  let symbol = "";
  let number = "";
  for (const part of formatter.formatToParts(value)) {
    if (part.type === "currency") symbol = part.value;
    else if (part.type !== "literal") number += part.value;
  }
  return `${symbol}\u00a0${number}`;
}

export function formatNumber(value: number, locale: Locale): string {
  return remembered(`n|${locale}|${value}`, () => cached(`number|${locale}`, () => new Intl.NumberFormat(intlLocale(locale))).format(value));
}

export function formatDateTime(value: Date | string, locale: Locale, timeZone = "UTC"): string {
  const formatter = cached(`datetime|${locale}|${timeZone}`, () =>
    new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short", timeZone }),
  );
  return formatter.format(asDate(value));
}

export function formatDate(value: Date | string, locale: Locale, timeZone = "UTC"): string {
  const date = asDate(value);
  const time = date.getTime();
  // (An invalid date makes the formatter throw, as before: nothing to remember.)
  if (Number.isNaN(time)) return cached(`date|${locale}|${timeZone}`, () => new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeZone })).format(date);
  return remembered(`d|${locale}|${timeZone}|${time}`, () =>
    cached(`date|${locale}|${timeZone}`, () => new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeZone })).format(date),
  );
}

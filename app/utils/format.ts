import type { Locale } from "./i18n";

const intlLocale = (locale: Locale) => (locale === "ar" ? "ar" : "en-GB");

/**
 * Building an Intl formatter costs far more than using one (a listing formats hundreds of
 * amounts and dates): each distinct formatter is built once per process and kept.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!formatter) formatters.set(key, (formatter = new Intl.NumberFormat(locale, options)));
  return formatter;
}
function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!formatter) formatters.set(key, (formatter = new Intl.DateTimeFormat(locale, options)));
  return formatter;
}

/** Digits after the decimal point for a currency (ISO 4217), e.g. USD 2, JPY 0. */
export function currencyDigits(currency: string): number {
  return numberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Money is integer minor units plus a currency; this is the one place it becomes text. */
export function formatMoney(amountMinor: number, currency: string, locale: Locale): string {
  if (!Number.isInteger(amountMinor)) throw new TypeError("amountMinor must be an integer");
  const digits = currencyDigits(currency);
  return numberFormat(intlLocale(locale), {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amountMinor / 10 ** digits);
}

export function formatNumber(value: number, locale: Locale): string {
  return numberFormat(intlLocale(locale), {}).format(value);
}

export function formatDateTime(value: Date | string, locale: Locale, timeZone?: string): string {
  return dateTimeFormat(intlLocale(locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timeZone ?? "UTC",
  }).format(typeof value === "string" ? new Date(value) : value);
}

export function formatDate(value: Date | string, locale: Locale, timeZone?: string): string {
  return dateTimeFormat(intlLocale(locale), {
    dateStyle: "medium",
    timeZone: timeZone ?? "UTC",
  }).format(typeof value === "string" ? new Date(value) : value);
}

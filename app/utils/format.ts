import type { Locale } from "./i18n";

const intlLocale = (locale: Locale) => (locale === "ar" ? "ar" : "en-GB");

/** Digits after the decimal point for a currency (ISO 4217), e.g. USD 2, JPY 0. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits ?? 2;
}

/** Money is integer minor units plus a currency; this is the one place it becomes text. */
export function formatMoney(amountMinor: number, currency: string, locale: Locale): string {
  if (!Number.isInteger(amountMinor)) throw new TypeError("amountMinor must be an integer");
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(intlLocale(locale), {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amountMinor / 10 ** digits);
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(value);
}

export function formatDateTime(value: Date | string, locale: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timeZone ?? "UTC",
  }).format(typeof value === "string" ? new Date(value) : value);
}

export function formatDate(value: Date | string, locale: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: "medium",
    timeZone: timeZone ?? "UTC",
  }).format(typeof value === "string" ? new Date(value) : value);
}

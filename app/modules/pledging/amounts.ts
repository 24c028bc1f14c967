import { stripeTakes } from "~/modules/payments/stripe-currency";
import { currencyDigits } from "~/utils/format";

/**
 * Pure money rules of a pledge, in integer minor units: the smallest pledge per currency and the
 * amounts the form suggests. No floats: major units are whole numbers times 10^digits.
 */

/** The smallest pledge, in major units (whole numbers), per currency; 1 unit for any other. */
const MINIMUM_MAJOR: Record<string, number> = {
  USD: 1,
  EUR: 1,
  GBP: 1,
  JOD: 1,
  EGP: 20,
  TRY: 20,
  SYP: 5000,
  LBP: 100000,
  IQD: 1000,
};

/** Whether the card processor (Stripe) takes this currency (its currency list; never SYP); any other need is offline only. */
export function cardAvailable(currency: string): boolean {
  return stripeTakes(currency);
}

function unit(currency: string): number {
  return 10 ** currencyDigits(currency);
}

/** The currency's minimum pledge in minor units. */
export function minimumFor(currency: string): number {
  return (MINIMUM_MAJOR[currency.toUpperCase()] ?? 1) * unit(currency);
}

/**
 * The minimum that applies to a need with `remainingMinor` left: the currency's minimum, or the
 * whole remainder when less is left (so the last bit of a need can always be given).
 */
export function effectiveMinimum(currency: string, remainingMinor: number): number {
  return Math.max(1, Math.min(minimumFor(currency), remainingMinor));
}

/** What is left to pledge: target − reserved − paid (never negative). */
export function remainingOf(need: { targetMinor: number; reservedMinor: number; paidMinor: number }): number {
  return Math.max(0, need.targetMinor - need.reservedMinor - need.paidMinor);
}

/**
 * Suggested amounts, largest first: the whole remainder, then round halves, quarters and tenths of
 * it (rounded down to a "nice" whole amount), each at least the minimum; no repeats; at most four.
 */
export function suggestedAmounts(remainingMinor: number, currency: string): number[] {
  if (remainingMinor <= 0) return [];
  const min = effectiveMinimum(currency, remainingMinor);
  const u = unit(currency);
  const out = [remainingMinor];
  for (const part of [2, 4, 10]) {
    const raw = Math.floor(remainingMinor / part);
    const nice = roundDownNice(raw, u);
    if (nice >= min && nice < remainingMinor && !out.includes(nice)) out.push(nice);
  }
  return out.slice(0, 4);
}

/** Rounds down to 1, 2 or 5 times a power of ten major units (e.g. 137.40 → 100, 27 → 20). */
function roundDownNice(minor: number, unitMinor: number): number {
  const major = Math.floor(minor / unitMinor);
  if (major < 1) return 0;
  const pow = 10 ** Math.floor(Math.log10(major));
  const lead = Math.floor(major / pow);
  const step = lead >= 5 ? 5 : lead >= 2 ? 2 : 1;
  return step * pow * unitMinor;
}

import { currencyDigits } from "~/utils/format";

/**
 * The one converter between the app's minor units (ISO 4217 / CLDR digits, see
 * app/utils/format.ts) and the amounts Stripe's API expects, from Stripe's currency list
 * (https://docs.stripe.com/currencies: "zero-decimal", "three-decimal" and "special cases").
 * Pure, shared by checkout, webhooks and refunds.
 *
 * - Most currencies are two-decimal at Stripe, even where the app has none: LBP and IQD have
 *   0 digits in the app but 2 at Stripe (LBP 150 000 → 15 000 000).
 * - Zero-decimal at Stripe: BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF.
 * - Three-decimal at Stripe: BHD JOD KWD OMR TND, and the last digit must be 0 (JOD 5.125 cannot
 *   be charged; 5.120 can).
 * - Special cases: ISK is two-decimal at Stripe but only whole krónur (amount divisible by 100);
 *   HUF and TWD are two-decimal for charges (whole units for payouts only).
 * - Not taken at all: SYP (and other sanctioned currencies, absent from Stripe's list).
 */

/** Stripe's presentment currencies (card payments), upper case. SYP, IRR, CUP, KPW are not among them. */
const STRIPE_CURRENCIES = new Set(
  (
    "USD AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP BYN BZD " +
    "CAD CDF CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD GNF GTQ GYD " +
    "HKD HNL HTG HUF IDR ILS INR IQD ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL " +
    "MAD MDL MGA MKD MMK MNT MOP MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR " +
    "PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SEK SGD SHP SLE SOS SRD STD SZL THB TJS TND TOP TRY TTD TWD " +
    "TZS UAH UGX UYU UZS VND VUV WST XAF XCD XOF XPF YER ZAR ZMW"
  ).split(" "),
);

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);
/** Stripe amounts must be a multiple of this (three-decimal: last digit 0; ISK: whole krónur). */
const STRIPE_STEP: Record<string, number> = { BHD: 10, JOD: 10, KWD: 10, OMR: 10, TND: 10, ISK: 100 };

const norm = (currency: string) => String(currency ?? "").trim().toUpperCase();

export class StripeAmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StripeAmountError";
  }
}

/** Whether Stripe takes card payments in this currency. */
export function stripeTakes(currency: string): boolean {
  return STRIPE_CURRENCIES.has(norm(currency));
}

/** Digits after the decimal point in Stripe's API amounts for this currency. */
export function stripeDigits(currency: string): number {
  const c = norm(currency);
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** The smallest step of an app amount (minor units) that Stripe can charge exactly, e.g. JOD 10 (fils), USD 1, LBP 1. */
export function appChargeStep(currency: string): number {
  const c = norm(currency);
  const shift = stripeDigits(c) - currencyDigits(c);
  const step = STRIPE_STEP[c] ?? 1;
  // App minor unit m is m·10^shift at Stripe: it must be a multiple of `step` there.
  if (shift >= 0) return Math.max(1, Math.ceil(step / 10 ** shift));
  return 10 ** -shift * step;
}

/** Whether this app amount can be charged exactly by card (taken currency, positive, on the step). */
export function cardChargeable(minor: number, currency: string): boolean {
  return stripeTakes(currency) && Number.isSafeInteger(minor) && minor > 0 && minor % appChargeStep(currency) === 0;
}

/** Rounds an app amount up to the next amount Stripe can charge exactly. */
export function roundUpToChargeable(minor: number, currency: string): number {
  const step = appChargeStep(currency);
  return Math.ceil(minor / step) * step;
}

/** App minor units → Stripe's amount. Throws StripeAmountError when Stripe cannot take it exactly. */
export function toStripeAmount(minor: number, currency: string): number {
  const c = norm(currency);
  if (!stripeTakes(c)) throw new StripeAmountError(`Stripe does not take ${c}`);
  if (!Number.isSafeInteger(minor) || minor < 0) throw new StripeAmountError(`not an amount: ${minor}`);
  const shift = stripeDigits(c) - currencyDigits(c);
  let amount: number;
  if (shift >= 0) amount = minor * 10 ** shift;
  else {
    const div = 10 ** -shift;
    if (minor % div !== 0) throw new StripeAmountError(`${minor} ${c} has more digits than Stripe takes`);
    amount = minor / div;
  }
  const step = STRIPE_STEP[c] ?? 1;
  if (amount % step !== 0) throw new StripeAmountError(`${c} amounts at Stripe must be a multiple of ${step} (got ${amount})`);
  if (!Number.isSafeInteger(amount)) throw new StripeAmountError("amount too large");
  return amount;
}

/**
 * Stripe's amount → app minor units. `exact` (default) throws when it does not fit the app's
 * digits (a charge or refund amount always does); `nearest` rounds half up (a fee Stripe computed
 * in finer units than the app keeps, e.g. LBP 123.45 → 123).
 */
export function fromStripeAmount(amount: number, currency: string, rounding: "exact" | "nearest" = "exact"): number {
  const c = norm(currency);
  if (!Number.isSafeInteger(amount) || amount < 0) throw new StripeAmountError(`not an amount: ${amount}`);
  const shift = stripeDigits(c) - currencyDigits(c);
  if (shift <= 0) return amount * 10 ** -shift;
  const div = 10 ** shift;
  if (amount % div === 0) return amount / div;
  if (rounding === "exact") throw new StripeAmountError(`${amount} (Stripe) does not fit ${c}'s ${currencyDigits(c)} digits`);
  return Math.floor(amount / div + 0.5);
}

import { currencyDigits } from "~/utils/format";
import { roundUpToChargeable } from "./stripe-currency";

/**
 * The card fee the donor sees beside "cover the processing fee so the family receives the full
 * amount", pure. An ESTIMATE of Stripe's standard card pricing: 2.9% of the amount plus a fixed
 * part per currency (about 0.30 USD), rounded up to what the currency can charge. The real fee
 * is Stripe's (read from the balance transaction when the payment lands) and is what the ledger
 * books; the donor's cover is kept apart from the gift (payments.cover_fee_minor).
 */

/** 2.9%, in parts per million (integers only). */
export const CARD_FEE_RATE_PPM = 29_000;

/** The fixed part per charge, in major units (≈ 0.30 USD); any other currency: 0.30 of its major unit. */
const FIXED_MAJOR: Record<string, number> = {
  USD: 0.3,
  EUR: 0.25,
  GBP: 0.2,
  JOD: 0.2,
  EGP: 15,
  TRY: 10,
  LBP: 27_000,
  IQD: 400,
};

/** The fixed part in the app's minor units of `currency`. */
export function fixedFeeMinor(currency: string): number {
  const c = currency.toUpperCase();
  return Math.round((FIXED_MAJOR[c] ?? 0.3) * 10 ** currencyDigits(c));
}

function checkMinor(minor: number) {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount: ${minor}`);
}

/** The estimated fee on a charge of `chargeMinor` (rate + fixed part, rounded up in the currency's chargeable steps); 0 for 0. */
export function estimateCardFee(chargeMinor: number, currency: string): number {
  checkMinor(chargeMinor);
  if (chargeMinor === 0) return 0;
  const raw = Math.ceil((chargeMinor * CARD_FEE_RATE_PPM) / 1_000_000) + fixedFeeMinor(currency);
  return roundUpToChargeable(raw, currency);
}

/**
 * What to add to a gift so that, after the estimated fee on the whole charge, the organisation
 * receives at least the gift: the smallest chargeable C with gift + C − estimateCardFee(gift + C) ≥ gift.
 */
export function coverAmountFor(giftMinor: number, currency: string): number {
  checkMinor(giftMinor);
  if (giftMinor === 0) return 0;
  // Gross-up: C ≈ (gift·r + fixed) / (1 − r), then step up until the fee on the total is covered.
  const first = Math.ceil(((giftMinor * CARD_FEE_RATE_PPM) / 1_000_000 + fixedFeeMinor(currency)) / (1 - CARD_FEE_RATE_PPM / 1_000_000));
  let cover = roundUpToChargeable(Math.max(0, first - 1), currency);
  while (cover < estimateCardFee(giftMinor + cover, currency)) cover = roundUpToChargeable(cover + 1, currency);
  return cover;
}

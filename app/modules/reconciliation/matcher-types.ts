import { currencyDigits } from "~/utils/format";

/**
 * Matching one bank statement line with what it can explain (issue 10, module C), pure and
 * deterministic: no database, no clock. The server (matching.server.ts) loads the candidates once
 * per batch of lines, builds an index (`buildMatchIndex`, maps by reference, by body, by amount)
 * and asks `matchLine` for each line; it then books what was decided.
 *
 * The order of the rules, and the bar: **no wrong match**. A line is matched automatically only by
 *
 * 1. confirmed pledge references (check symbol valid) found anywhere in the description and the
 *    reference column — the open pledges of the line's organisation and currency with these
 *    references. Several references of one donor: one line settles several pledges (the line's
 *    amount goes to each pledge's outstanding amount, in the order the references were found).
 *    Amount short by a plausible bank fee (`feeBand`) → matched, the fee recorded on the last
 *    pledge's payment; amount over → the surplus rides on the last payment (recordPayment puts it
 *    in the unrestricted fund); amount under (not a fee) → a part payment, in the order found.
 *    A hand-recorded bank payment of that pledge with the line's amount → linked, not booked again;
 * 2. a partial reference (the prefix and six symbols whose check was lost) naming exactly one open
 *    pledge whose outstanding amount equals the line (or is fee-short of it);
 * 3. no reference: an amount equal to exactly one open pledge's outstanding amount of the
 *    organisation and currency (or, when none expects it exactly and `autoFeeShortWithoutReference`
 *    is on, fee-short of exactly one) —
 *    never when two or more could take it — with the value date inside the pledge's window
 *    (made ≤ value date ≤ expiry + grace); or exactly one unlinked hand-recorded payment with that
 *    amount within a few days;
 * 4. money out (negative): a disbursement batch whose number (DSB-2026-000012) is in the text and
 *    whose total is the amount, or the only paid/approved batch with that total paid on or before
 *    the date (within `disbursementDays`);
 * 5. money in from Stripe: a payout whose descriptor is in the text and whose amount is equal, or
 *    the only payout of that amount arriving within `payoutDays` when the text says "stripe".
 *
 * Everything else gets ranked suggestions (score + reason codes), the best five.
 */

export type ReasonCode =
  | "reference_confirmed"
  | "reference_partial"
  | "reference_other_donor"
  | "amount_equal"
  | "amount_fee_short"
  | "amount_over"
  | "amount_part"
  | "amount_close"
  | "date_in_window"
  | "date_out_of_window"
  | "donor_name_in_text"
  | "single_candidate"
  | "several_candidates"
  | "payment_recorded"
  | "batch_number"
  | "payout_descriptor"
  | "date_near";

export type Reason = { code: ReasonCode; value?: string | number };

export interface MatchLineInput {
  id: string;
  orgId: string;
  moneyAccountId: string;
  currency: string;
  /** Signed minor units: money in positive, money out negative. */
  amountMinor: number;
  /** YYYY-MM-DD. */
  valueDate: string;
  description: string;
  reference: string | null;
}

export interface PledgeCandidate {
  kind: "pledge";
  id: string;
  orgId: string;
  currency: string;
  /** Canonical, e.g. TDM-7K3Q-9FX. */
  reference: string;
  /** What the pledge still expects (amount − paid), > 0. */
  outstandingMinor: number;
  /** YYYY-MM-DD the pledge was made. */
  createdDate: string;
  /** YYYY-MM-DD its hold ends (null: no expiry; then `windowDays` after it was made). */
  expiresDate: string | null;
  /** Who gave it (e-mail or user id), to know that several references are one donor's. */
  donorKey: string;
  donorName: string | null;
}

export interface PaymentCandidate {
  kind: "payment";
  id: string;
  orgId: string;
  currency: string;
  moneyAccountId: string | null;
  /** True when the payment sits on the default bank account of its currency (finance did not choose). */
  onDefaultAccount: boolean;
  /** Gross and bank fee: the account received amount − fee. */
  amountMinor: number;
  feeMinor: number;
  valueDate: string;
  pledgeReference: string | null;
  /** Set by the caller once it linked this payment (the index is reused across lines). */
  used?: boolean;
}

export interface BatchCandidate {
  kind: "disbursement";
  id: string;
  orgId: string;
  currency: string;
  /** DSB-2026-000012. */
  number: string;
  totalMinor: number;
  /** YYYY-MM-DD it was paid (or approved, while not yet marked paid). */
  date: string;
}

export interface PayoutCandidate {
  kind: "payout";
  id: string;
  orgId: string;
  currency: string;
  amountMinor: number;
  arrivalDate: string;
  descriptor: string | null;
}

export type Candidate = PledgeCandidate | PaymentCandidate | BatchCandidate | PayoutCandidate;

export interface Allocation {
  kind: Candidate["kind"];
  id: string;
  /** Pledge reference, batch number, payout id, or the payment's pledge reference / id. */
  label: string;
  /** The part of the line it explains (positive, net of the fee). */
  amountMinor: number;
  /** A bank fee taken on the way (the payment's gross is amountMinor + feeMinor). */
  feeMinor: number;
  reasons: Reason[];
}

export interface Suggestion {
  kind: "pledge" | "payment" | "disbursement" | "payout";
  id: string;
  label: string;
  score: number;
  reasons: Reason[];
}

export type MatchKind = "reference" | "amount_date" | "payout" | "disbursement";

export type Decision =
  | { status: "matched"; kind: MatchKind; allocations: Allocation[]; references: string[] }
  | { status: "suggested"; suggestions: Suggestion[]; references: string[] }
  | { status: "unmatched"; references: string[] };

export interface FeeBand {
  /** Share of the amount a bank may plausibly keep (0.02 = 2 %). */
  rate: number;
  /** A small fixed charge, in major units (converted with the currency's digits). */
  fixedMajor: number;
  /** Per-currency fixed charge in minor units (overrides fixedMajor, e.g. {LBP: 500_000}). */
  fixedMinor?: Record<string, number>;
  /** Never more than this share of the amount, whatever the fixed charge (0.1 = 10 %). */
  capRate: number;
}

export interface MatchOptions {
  feeBand: FeeBand;
  /** A pledge without an expiry may be paid this many days after it was made. */
  windowDays: number;
  /** Days after a pledge's expiry a late transfer still counts as in its window. */
  graceDays: number;
  /** A hand-recorded payment: its value date within this many days of the line's. */
  paymentDays: number;
  /** A Stripe payout: the line within this many days of its arrival date. */
  payoutDays: number;
  /** A disbursement batch: the line within this many days after it was paid/approved. */
  disbursementDays: number;
  /** "amount_close": within this share of the amount. */
  closeRate: number;
  maxSuggestions: number;
  /**
   * Without any reference, a line short of exactly one pledge by a plausible fee is only suggested
   * by default: across many open pledges an unrelated credit falls inside some pledge's fee band
   * too often (the bench found such wrong matches). On: matched when it is the single candidate.
   */
  autoFeeShortWithoutReference: boolean;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
  feeBand: { rate: 0.02, fixedMajor: 5, capRate: 0.1 },
  windowDays: 60,
  graceDays: 14,
  paymentDays: 7,
  payoutDays: 5,
  disbursementDays: 30,
  closeRate: 0.05,
  maxSuggestions: 5,
  autoFeeShortWithoutReference: false,
};

const DIGIT_CACHE = new Map<string, number>();
function digits(currency: string): number {
  let d = DIGIT_CACHE.get(currency);
  if (d === undefined) {
    try {
      d = currencyDigits(currency);
    } catch {
      d = 2;
    }
    DIGIT_CACHE.set(currency, d);
  }
  return d;
}

/**
 * The largest bank fee that still reads as a fee on an expected amount: max(rate × amount, the
 * fixed charge), never above capRate × amount (so half a payment never passes for a fee).
 */
export function maxFee(expectedMinor: number, currency: string, band: FeeBand = DEFAULT_MATCH_OPTIONS.feeBand): number {
  if (expectedMinor <= 0) return 0;
  const fixed = band.fixedMinor?.[currency] ?? Math.round(band.fixedMajor * 10 ** digits(currency));
  const fee = Math.max(Math.floor(expectedMinor * band.rate), fixed);
  return Math.max(0, Math.min(fee, Math.floor(expectedMinor * band.capRate)));
}

/** How a received amount compares with an expected one. */
export function compareAmount(receivedMinor: number, expectedMinor: number, currency: string, band: FeeBand): "equal" | "fee_short" | "over" | "part" {
  if (receivedMinor === expectedMinor) return "equal";
  if (receivedMinor > expectedMinor) return "over";
  const short = expectedMinor - receivedMinor;
  return short <= maxFee(expectedMinor, currency, band) ? "fee_short" : "part";
}

const DAY = 86_400_000;
const DAY_CACHE = new Map<string, number>();
/** Days since the epoch of a YYYY-MM-DD day. */
export function dayNumber(day: string): number {
  let n = DAY_CACHE.get(day);
  if (n === undefined) {
    n = Math.round(Date.parse(`${day}T00:00:00Z`) / DAY);
    if (DAY_CACHE.size > 50_000) DAY_CACHE.clear();
    DAY_CACHE.set(day, n);
  }
  return n;
}

import { currencyDigits } from "~/utils/format";
import { findReferences } from "./references";

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

// ---------------------------------------------------------------- index

type Bucket<T> = { amounts: number[]; items: T[] };

interface Scope {
  pledgesByAmount: Bucket<PledgeCandidate>;
  paymentsByAmount: Bucket<PaymentCandidate>;
  batchesByAmount: Map<number, BatchCandidate[]>;
  payoutsByAmount: Map<number, PayoutCandidate[]>;
}

export interface MatchIndex {
  readonly size: number;
  /** Canonical reference → pledges (any org: the lookup filters by the line's org and currency). */
  pledgesByReference: Map<string, PledgeCandidate[]>;
  /** Six body symbols → pledges. */
  pledgesByBody: Map<string, PledgeCandidate[]>;
  paymentsByReference: Map<string, PaymentCandidate[]>;
  batchesByNumber: Map<string, BatchCandidate[]>;
  payouts: PayoutCandidate[];
  scopes: Map<string, Scope>;
}

const scopeKey = (orgId: string, currency: string) => `${orgId}|${currency}`;
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function bucket<T extends { id: string }>(rows: { amount: number; item: T }[]): Bucket<T> {
  rows.sort((a, b) => a.amount - b.amount || byId(a.item, b.item));
  return { amounts: rows.map((r) => r.amount), items: rows.map((r) => r.item) };
}

/** First index with amounts[i] ≥ value. */
function lowerBound(amounts: number[], value: number): number {
  let lo = 0;
  let hi = amounts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (amounts[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The items whose amount is in [min, max], at most `limit`. */
function range<T>(b: Bucket<T> | undefined, min: number, max: number, limit = 50): T[] {
  if (!b) return [];
  const out: T[] = [];
  for (let i = lowerBound(b.amounts, min); i < b.amounts.length && b.amounts[i] <= max && out.length < limit; i += 1) out.push(b.items[i]);
  return out;
}

export function bodyOfReference(reference: string): string {
  return reference.replace(/[^0-9A-Z]/g, "").slice(3, 9);
}

/** Normalises DSB-2026-000012 as written in a bank line (any case, separators, leading zeros). */
export function batchNumbersIn(text: string): string[] {
  const out: string[] = [];
  const re = /D\s*S\s*B[\s\-_./]*(\d{4})[\s\-_./]*(\d{1,6})/gi;
  const folded = text.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  for (const m of folded.matchAll(re)) {
    const n = `DSB-${m[1]}-${m[2].padStart(6, "0")}`;
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** Builds the maps once per batch of lines (100 000 candidates in well under a second). */
export function buildMatchIndex(candidates: Iterable<Candidate>): MatchIndex {
  const pledgesByReference = new Map<string, PledgeCandidate[]>();
  const pledgesByBody = new Map<string, PledgeCandidate[]>();
  const paymentsByReference = new Map<string, PaymentCandidate[]>();
  const batchesByNumber = new Map<string, BatchCandidate[]>();
  const payouts: PayoutCandidate[] = [];
  const raw = new Map<string, { pledges: { amount: number; item: PledgeCandidate }[]; payments: { amount: number; item: PaymentCandidate }[]; batches: Map<number, BatchCandidate[]>; payouts: Map<number, PayoutCandidate[]> }>();
  const scopeOf = (c: Candidate) => {
    const key = scopeKey(c.orgId, c.currency);
    let s = raw.get(key);
    if (!s) raw.set(key, (s = { pledges: [], payments: [], batches: new Map(), payouts: new Map() }));
    return s;
  };
  let size = 0;
  for (const c of candidates) {
    size += 1;
    const s = scopeOf(c);
    switch (c.kind) {
      case "pledge":
        if (!(c.outstandingMinor > 0)) break;
        push(pledgesByReference, c.reference, c);
        push(pledgesByBody, bodyOfReference(c.reference), c);
        s.pledges.push({ amount: c.outstandingMinor, item: c });
        break;
      case "payment":
        if (c.pledgeReference) push(paymentsByReference, c.pledgeReference, c);
        s.payments.push({ amount: c.amountMinor - c.feeMinor, item: c });
        break;
      case "disbursement":
        push(batchesByNumber, c.number.toUpperCase(), c);
        push(s.batches, c.totalMinor, c);
        break;
      case "payout":
        payouts.push(c);
        push(s.payouts, c.amountMinor, c);
        break;
    }
  }
  const scopes = new Map<string, Scope>();
  for (const [key, s] of raw) {
    for (const list of s.batches.values()) list.sort(byId);
    for (const list of s.payouts.values()) list.sort(byId);
    scopes.set(key, { pledgesByAmount: bucket(s.pledges), paymentsByAmount: bucket(s.payments), batchesByAmount: s.batches, payoutsByAmount: s.payouts });
  }
  for (const map of [pledgesByReference, pledgesByBody, paymentsByReference, batchesByNumber] as Map<string, { id: string }[]>[]) for (const list of map.values()) list.sort(byId);
  payouts.sort(byId);
  return { size, pledgesByReference, pledgesByBody, paymentsByReference, batchesByNumber, payouts, scopes };
}

// ---------------------------------------------------------------- matching

function inScope(c: { orgId: string; currency: string }, line: MatchLineInput): boolean {
  return c.orgId === line.orgId && c.currency === line.currency;
}

/** An open pledge of the line's scope. The caller may lower outstandingMinor as it books (the index is reused). */
function openPledge(p: PledgeCandidate, line: MatchLineInput): boolean {
  return p.outstandingMinor > 0 && inScope(p, line);
}

function inWindow(p: PledgeCandidate, valueDate: string, o: MatchOptions): boolean {
  const day = dayNumber(valueDate);
  const start = dayNumber(p.createdDate);
  const end = (p.expiresDate ? dayNumber(p.expiresDate) : start + o.windowDays) + o.graceDays;
  return day >= start && day <= end;
}

function paymentEligible(p: PaymentCandidate, line: MatchLineInput): boolean {
  return !p.used && inScope(p, line) && (p.moneyAccountId === line.moneyAccountId || p.onDefaultAccount);
}

function fold(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ");
}

function nameInText(name: string | null, folded: string): boolean {
  if (!name) return false;
  const n = fold(name).trim();
  return n.length >= 3 && folded.includes(n);
}

/** The amount's share for each pledge, in order; fee on the last one when fee-short. */
function allocatePledges(line: MatchLineInput, pledges: PledgeCandidate[], o: MatchOptions, reasons: Reason[]): Allocation[] {
  const amount = line.amountMinor;
  const total = pledges.reduce((t, p) => t + p.outstandingMinor, 0);
  const cmp = compareAmount(amount, total, line.currency, o.feeBand);
  const out: Allocation[] = [];
  if (cmp === "equal" || cmp === "over" || cmp === "fee_short") {
    pledges.forEach((p, i) => {
      const last = i === pledges.length - 1;
      let part = p.outstandingMinor;
      let fee = 0;
      const why: Reason[] = [...reasons];
      if (last && cmp === "over") {
        part += amount - total;
        why.push({ code: "amount_over", value: amount - total });
      }
      if (last && cmp === "fee_short") {
        fee = total - amount;
        part -= fee;
        why.push({ code: "amount_fee_short", value: fee });
      }
      if (cmp === "equal") why.push({ code: "amount_equal" });
      out.push({ kind: "pledge", id: p.id, label: p.reference, amountMinor: part, feeMinor: fee, reasons: why });
    });
    // A fee larger than the last pledge's own share (tiny last pledge): spread back over the others.
    if (out.some((a) => a.amountMinor <= 0)) return allocateInOrder(amount, pledges, reasons);
    return out;
  }
  return allocateInOrder(amount, pledges, reasons);
}

function allocateInOrder(amount: number, pledges: PledgeCandidate[], reasons: Reason[]): Allocation[] {
  const out: Allocation[] = [];
  let left = amount;
  for (const p of pledges) {
    if (left <= 0) break;
    const part = Math.min(left, p.outstandingMinor);
    left -= part;
    out.push({ kind: "pledge", id: p.id, label: p.reference, amountMinor: part, feeMinor: 0, reasons: [...reasons, { code: part === p.outstandingMinor ? "amount_equal" : "amount_part", ...(part === p.outstandingMinor ? {} : { value: part }) }] });
  }
  if (left > 0 && out.length) {
    const last = out[out.length - 1];
    last.amountMinor += left;
    last.reasons.push({ code: "amount_over", value: left });
  }
  return out;
}

function linkPayment(p: PaymentCandidate, line: MatchLineInput, reasons: Reason[]): Allocation {
  return { kind: "payment", id: p.id, label: p.pledgeReference ?? p.id, amountMinor: line.amountMinor, feeMinor: 0, reasons: [...reasons, { code: "payment_recorded" }] };
}

/**
 * Decides what one line is. `candidates` is an index (fast, built once for many lines) or a plain
 * list. Only candidates of the line's organisation and currency are ever considered.
 */
export function matchLine(line: MatchLineInput, candidates: MatchIndex | readonly Candidate[], options: Partial<MatchOptions> = {}): Decision {
  const o: MatchOptions = { ...DEFAULT_MATCH_OPTIONS, ...options, feeBand: { ...DEFAULT_MATCH_OPTIONS.feeBand, ...options.feeBand } };
  const index = isIndex(candidates) ? candidates : buildMatchIndex(candidates);
  const text = `${line.description ?? ""} ${line.reference ?? ""}`;
  if (!Number.isSafeInteger(line.amountMinor) || line.amountMinor === 0) return { status: "unmatched", references: [] };
  if (line.amountMinor < 0) return matchOutgoing(line, text, index, o);
  const found = findReferences(text);
  const references = [...found.confirmed];
  const scope = index.scopes.get(scopeKey(line.orgId, line.currency));
  const folded = fold(text);
  const suggestions = new Map<string, Suggestion>();
  const suggest = (kind: Suggestion["kind"], id: string, label: string, score: number, reasons: Reason[]) => {
    const key = `${kind}:${id}`;
    const prev = suggestions.get(key);
    if (prev) {
      prev.score += score;
      for (const r of reasons) if (!prev.reasons.some((x) => x.code === r.code)) prev.reasons.push(r);
    } else suggestions.set(key, { kind, id, label, score, reasons: [...reasons] });
  };

  // 1. Confirmed references.
  const confirmedPledges: PledgeCandidate[] = [];
  for (const ref of found.confirmed) {
    const pledge = (index.pledgesByReference.get(ref) ?? []).find((p) => openPledge(p, line));
    if (pledge) confirmedPledges.push(pledge);
  }
  // A hand-recorded payment of one of those references with the line's amount: link it.
  for (const ref of found.confirmed) {
    const payments = (index.paymentsByReference.get(ref) ?? []).filter((p) => paymentEligible(p, line) && p.amountMinor - p.feeMinor === line.amountMinor);
    if (payments.length >= 1) return { status: "matched", kind: "reference", allocations: [linkPayment(payments[0], line, [{ code: "reference_confirmed", value: ref }])], references };
  }
  if (confirmedPledges.length > 0) {
    const donor = confirmedPledges[0].donorKey;
    if (confirmedPledges.every((p) => p.donorKey === donor)) {
      const allocations = allocatePledges(line, confirmedPledges, o, []).map((a) => ({ ...a, reasons: [{ code: "reference_confirmed" as const, value: a.label }, ...a.reasons] }));
      return { status: "matched", kind: "reference", allocations, references };
    }
    for (const p of confirmedPledges) suggest("pledge", p.id, p.reference, 60, [{ code: "reference_confirmed", value: p.reference }, { code: "reference_other_donor" }]);
  }

  // 2. A partial reference naming one open pledge with the amount.
  for (const body of found.partial) {
    const pledges = (index.pledgesByBody.get(body) ?? []).filter((p) => openPledge(p, line));
    for (const p of pledges) {
      const cmp = compareAmount(line.amountMinor, p.outstandingMinor, line.currency, o.feeBand);
      const reasons: Reason[] = [{ code: "reference_partial", value: body }];
      if (pledges.length === 1 && (cmp === "equal" || cmp === "fee_short")) {
        const fee = p.outstandingMinor - line.amountMinor;
        return {
          status: "matched",
          kind: "reference",
          allocations: [{ kind: "pledge", id: p.id, label: p.reference, amountMinor: line.amountMinor, feeMinor: fee, reasons: [...reasons, cmp === "equal" ? { code: "amount_equal" } : { code: "amount_fee_short", value: fee }, { code: "single_candidate" }] }],
          references,
        };
      }
      suggest("pledge", p.id, p.reference, 40 + (cmp === "equal" ? 30 : cmp === "fee_short" ? 20 : 0), [...reasons, ...amountReason(cmp, line.amountMinor, p.outstandingMinor)]);
    }
  }

  // 3. Amount (+ fee) and date window, a single candidate — never when the text names another code.
  const clue = found.confirmed.length > 0 || found.partial.length > 0;
  if (scope) {
    const amount = line.amountMinor;
    // Stripe payouts arriving in the bank (their descriptor, or "stripe" and the date) come first.
    const payout = matchPayout(line, folded, scope, o);
    if (payout.matched && !clue) return { status: "matched", kind: "payout", allocations: [payout.matched], references };
    for (const s of payout.suggestions) suggest("payout", s.id, s.label, s.score, s.reasons);
    const maxExpected = Math.max(Math.ceil(amount / (1 - o.feeBand.capRate)) + 1, amount);
    const byAmount = range(scope.pledgesByAmount, amount, maxExpected).filter((p) => {
      if (p.outstandingMinor <= 0) return false;
      const cmp = compareAmount(amount, p.outstandingMinor, line.currency, o.feeBand);
      return cmp === "equal" || cmp === "fee_short";
    });
    // Exactly one pledge expects this very amount (none other, whatever its dates): that one, if the
    // date fits. Only when no pledge expects it exactly, a single fee-short candidate.
    const exact = byAmount.filter((p) => p.outstandingMinor === amount);
    const single = exact.length > 0 ? exact : byAmount;
    const inDate = single.filter((p) => inWindow(p, line.valueDate, o));
    const feeOk = exact.length > 0 || o.autoFeeShortWithoutReference;
    if (!clue && feeOk && single.length === 1 && inDate.length === 1 && suggestions.size === 0) {
      const p = inDate[0];
      const fee = p.outstandingMinor - amount;
      return {
        status: "matched",
        kind: "amount_date",
        allocations: [
          { kind: "pledge", id: p.id, label: p.reference, amountMinor: amount, feeMinor: fee, reasons: [fee === 0 ? { code: "amount_equal" } : { code: "amount_fee_short", value: fee }, { code: "date_in_window" }, { code: "single_candidate" }] },
        ],
        references,
      };
    }
    const payments = range(scope.paymentsByAmount, amount, amount).filter((p) => paymentEligible(p, line) && Math.abs(dayNumber(p.valueDate) - dayNumber(line.valueDate)) <= o.paymentDays);
    if (!clue && payments.length === 1 && byAmount.length === 0 && suggestions.size === 0) {
      return { status: "matched", kind: "amount_date", allocations: [linkPayment(payments[0], line, [{ code: "amount_equal" }, { code: "date_near" }, { code: "single_candidate" }])], references };
    }
    for (const p of payments) suggest("payment", p.id, p.pledgeReference ?? p.id, 35, [{ code: "amount_equal" }, { code: "payment_recorded" }, { code: "date_near" }]);
    const several = byAmount.length > 1 ? [{ code: "several_candidates" as const, value: byAmount.length }] : [];
    for (const p of byAmount) {
      const cmp = compareAmount(amount, p.outstandingMinor, line.currency, o.feeBand);
      const win = inWindow(p, line.valueDate, o);
      suggest("pledge", p.id, p.reference, (cmp === "equal" ? 30 : 20) + (win ? 10 : 0), [...amountReason(cmp, amount, p.outstandingMinor), win ? { code: "date_in_window" } : { code: "date_out_of_window" }, ...several]);
    }
    // Close amounts (a part payment, a bigger fee), only to suggest.
    const close = range(scope.pledgesByAmount, Math.floor(amount * (1 - o.closeRate)), Math.ceil(amount * (1 + o.closeRate)), 20);
    for (const p of close) {
      if (p.outstandingMinor <= 0) continue;
      if (suggestions.has(`pledge:${p.id}`)) continue;
      const win = inWindow(p, line.valueDate, o);
      suggest("pledge", p.id, p.reference, 10 + (win ? 10 : 0), [{ code: "amount_close", value: p.outstandingMinor }, win ? { code: "date_in_window" } : { code: "date_out_of_window" }]);
    }
  }

  // Donor names in the text lift the suggestions that carry them.
  if (suggestions.size > 0) {
    for (const s of suggestions.values()) {
      if (s.kind !== "pledge") continue;
      const p = (index.pledgesByReference.get(s.label) ?? []).find((x) => x.id === s.id);
      if (p && nameInText(p.donorName, folded)) {
        s.score += 15;
        s.reasons.push({ code: "donor_name_in_text" });
      }
    }
    return { status: "suggested", suggestions: rank(suggestions, o), references };
  }
  return { status: "unmatched", references };
}

function amountReason(cmp: ReturnType<typeof compareAmount>, received: number, expected: number): Reason[] {
  switch (cmp) {
    case "equal":
      return [{ code: "amount_equal" }];
    case "fee_short":
      return [{ code: "amount_fee_short", value: expected - received }];
    case "over":
      return [{ code: "amount_over", value: received - expected }];
    default:
      return [{ code: "amount_part", value: received }];
  }
}

function rank(map: Map<string, Suggestion>, o: MatchOptions): Suggestion[] {
  return [...map.values()].sort((a, b) => b.score - a.score || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : byId(a, b))).slice(0, o.maxSuggestions);
}

function isIndex(c: MatchIndex | readonly Candidate[]): c is MatchIndex {
  return !Array.isArray(c) && typeof (c as MatchIndex).pledgesByReference === "object";
}

function matchPayout(line: MatchLineInput, folded: string, scope: Scope, o: MatchOptions): { matched: Allocation | null; suggestions: Suggestion[] } {
  const list = scope.payoutsByAmount.get(line.amountMinor) ?? [];
  const day = dayNumber(line.valueDate);
  const near = list.filter((p) => Math.abs(day - dayNumber(p.arrivalDate)) <= o.payoutDays);
  const withDescriptor = list.filter((p) => p.descriptor && folded.includes(fold(p.descriptor)));
  const make = (p: PayoutCandidate, reasons: Reason[]): Allocation => ({ kind: "payout", id: p.id, label: p.id, amountMinor: line.amountMinor, feeMinor: 0, reasons });
  if (withDescriptor.length === 1) return { matched: make(withDescriptor[0], [{ code: "payout_descriptor" }, { code: "amount_equal" }]), suggestions: [] };
  if (near.length === 1 && folded.includes("stripe")) return { matched: make(near[0], [{ code: "amount_equal" }, { code: "date_near" }, { code: "single_candidate" }]), suggestions: [] };
  return { matched: null, suggestions: near.map((p) => ({ kind: "payout" as const, id: p.id, label: p.id, score: 30, reasons: [{ code: "amount_equal" as const }, { code: "date_near" as const }] })) };
}

function matchOutgoing(line: MatchLineInput, text: string, index: MatchIndex, o: MatchOptions): Decision {
  const amount = -line.amountMinor;
  const suggestions = new Map<string, Suggestion>();
  const make = (b: BatchCandidate, reasons: Reason[]): Allocation => ({ kind: "disbursement", id: b.id, label: b.number, amountMinor: amount, feeMinor: 0, reasons });
  for (const number of batchNumbersIn(text)) {
    const batch = (index.batchesByNumber.get(number) ?? []).find((b) => inScope(b, line));
    if (!batch) continue;
    if (batch.totalMinor === amount) return { status: "matched", kind: "disbursement", allocations: [make(batch, [{ code: "batch_number", value: number }, { code: "amount_equal" }])], references: [] };
    suggestions.set(`disbursement:${batch.id}`, { kind: "disbursement", id: batch.id, label: batch.number, score: 50, reasons: [{ code: "batch_number", value: number }, { code: "amount_close", value: batch.totalMinor }] });
  }
  const scope = index.scopes.get(scopeKey(line.orgId, line.currency));
  const day = dayNumber(line.valueDate);
  const sameAmount = scope?.batchesByAmount.get(amount) ?? [];
  const dated = sameAmount.filter((b) => day >= dayNumber(b.date) && day - dayNumber(b.date) <= o.disbursementDays);
  if (dated.length === 1 && sameAmount.length === 1 && suggestions.size === 0) {
    return { status: "matched", kind: "disbursement", allocations: [make(dated[0], [{ code: "amount_equal" }, { code: "date_in_window" }, { code: "single_candidate" }])], references: [] };
  }
  for (const b of sameAmount) {
    const key = `disbursement:${b.id}`;
    if (!suggestions.has(key)) suggestions.set(key, { kind: "disbursement", id: b.id, label: b.number, score: dated.includes(b) ? 40 : 25, reasons: [{ code: "amount_equal" }, dated.includes(b) ? { code: "date_in_window" } : { code: "date_out_of_window" }] });
  }
  if (suggestions.size) return { status: "suggested", suggestions: rank(suggestions, o), references: [] };
  return { status: "unmatched", references: [] };
}

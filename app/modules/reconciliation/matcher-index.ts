import { type PledgeCandidate, type PaymentCandidate, type BatchCandidate, type PayoutCandidate, type Candidate } from "./matcher-types";

// ---------------------------------------------------------------- index

type Bucket<T> = { amounts: number[]; items: T[] };

export interface Scope {
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

export const scopeKey = (orgId: string, currency: string) => `${orgId}|${currency}`;
export const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

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
export function range<T>(b: Bucket<T> | undefined, min: number, max: number, limit = 50): T[] {
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

/**
 * The pure rules of money out (issue 10, decision 057): what a batch may ask of each need's fund,
 * how it is posted, how batches are numbered. No database here; disbursements.server.ts applies them
 * under the needs' row locks.
 */
import type { AccountRef, Posting } from "~/modules/ledger/ledger";

export const DISBURSEMENT_STATUSES = ["requested", "approved", "rejected", "paid", "cancelled"] as const;
export type DisbursementStatus = (typeof DISBURSEMENT_STATUSES)[number];
/** Batches that still ask for money (their claims count against the needs' funds). */
export const OPEN_STATUSES: readonly DisbursementStatus[] = ["requested", "approved"];

export const DISBURSEMENT_METHODS = ["bank_transfer", "cash", "money_transfer", "cheque"] as const;
export type DisbursementMethod = (typeof DISBURSEMENT_METHODS)[number];

/** The kind of money account (and ledger asset account) a method pays from. */
export const ASSET_KIND_OF: Record<DisbursementMethod, "bank" | "cash" | "transfer_agent"> = {
  bank_transfer: "bank",
  cheque: "bank",
  cash: "cash",
  money_transfer: "transfer_agent",
};

/** What a need's fund still has for a new claim: its balance minus what open batches already ask. Never negative. */
export function availableMinor(fundMinor: number, claimedMinor: number): number {
  return Math.max(0, fundMinor - claimedMinor);
}

export type ClaimItem = { needId: string; amountMinor: number };
export type NeedBalance = { fundMinor: number; claimedMinor: number };
export type ClaimRefusal =
  | { ok: false; code: "items_invalid" }
  | { ok: false; code: "amount_invalid"; needId: string }
  | { ok: false; code: "need_not_found"; needId: string }
  | { ok: false; code: "over_balance"; needId: string; availableMinor: number };

/**
 * Whether a batch's items may be asked for: at least one, each need once, each amount a positive
 * whole number of minor units, and each ≤ its fund minus the other open batches' claims.
 */
export function checkClaims(items: readonly ClaimItem[], balances: ReadonlyMap<string, NeedBalance>): { ok: true; totalMinor: number } | ClaimRefusal {
  if (items.length === 0) return { ok: false, code: "items_invalid" };
  const seen = new Set<string>();
  let totalMinor = 0;
  for (const item of items) {
    if (seen.has(item.needId)) return { ok: false, code: "items_invalid" };
    seen.add(item.needId);
    if (!Number.isSafeInteger(item.amountMinor) || item.amountMinor <= 0) return { ok: false, code: "amount_invalid", needId: item.needId };
    const balance = balances.get(item.needId);
    if (!balance) return { ok: false, code: "need_not_found", needId: item.needId };
    const available = availableMinor(balance.fundMinor, balance.claimedMinor);
    if (item.amountMinor > available) return { ok: false, code: "over_balance", needId: item.needId, availableMinor: available };
    totalMinor += item.amountMinor;
  }
  if (!Number.isSafeInteger(totalMinor)) return { ok: false, code: "items_invalid" };
  return { ok: true, totalMinor };
}

/** The ledger entry of a paid batch: Dr each need's fund its amount; Cr the money account the total. */
export function disbursementPostings(items: readonly ClaimItem[], asset: AccountRef): Posting[] {
  const postings: Posting[] = items.map((i) => ({ account: { kind: "need_fund", needId: i.needId }, amountMinor: i.amountMinor }));
  const total = items.reduce((s, i) => s + i.amountMinor, 0);
  postings.push({ account: asset, amountMinor: -total });
  return postings;
}

/** e.g. DSB-2026-000012: per organisation and year, via org_counters (`disbursement:<year>`). */
export function formatDisbursementNumber(year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError("sequence must be a positive integer");
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError("year must have four digits");
  return `DSB-${year}-${String(sequence).padStart(6, "0")}`;
}

export function disbursementCounterName(year: number): string {
  return `disbursement:${year}`;
}

/** A need moves to `disbursed` once it is funded and its fund is paid out to nothing. */
export function becomesDisbursed(state: string, fundAfterMinor: number): boolean {
  return state === "funded" && fundAfterMinor === 0;
}

/** Why a person may not decide (approve / reject) a batch, or null when they may. */
export function decisionRefusal(batch: { status: string; requestedBy: string }, userId: string | null): "invalid_state" | "four_eyes_same_person" | null {
  if (batch.status !== "requested") return "invalid_state";
  if (!userId || batch.requestedBy === userId) return "four_eyes_same_person";
  return null;
}

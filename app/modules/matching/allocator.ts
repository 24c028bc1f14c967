/**
 * The solidarity fund's allocator: assigns money that donors gave "to the most urgent need"
 * (fund gifts, and donor credit whose window ended) to verified, published needs.
 *
 * Pure and deterministic: the same gifts, needs, caps and clock give the same allocations,
 * whatever order the inputs come in. It reads nothing and writes nothing; the caller loads the
 * inputs in one transaction, and posts each allocation as a ledger entry (fund → need fund).
 *
 * How a need is scored (0–100 points, integers, so a score can be shown and explained):
 *   urgency           critical 40, high 27, normal 13
 *   deadline          up to 25: 25 when the deadline is today or past, falling linearly to 0 at
 *                     60 days away; no deadline scores 0
 *   waiting           up to 15: days since the need was published, 15 at 60 days or more
 *   how little it got up to 10: 10 × (1 − share of the target already paid or reserved)
 *   close to done     up to 10: 10 when what is left fits under this run's cap, less as it grows
 *                     (10 × cap ÷ remaining), so money finishes needs rather than sprinkling
 * Ties go to the need published first, then to the smaller id.
 *
 * How money moves, per currency (gifts never fund a need in another currency):
 *   needs in score order; each need takes up to min(what is left, the cap per need per run,
 *   what eligible gifts still hold), drawing first on the gifts with the fewest eligible needs
 *   (restricted money is spent where only it can go, so flexible money is left for the rest),
 *   then the oldest gift, then the smaller id.
 * A gift is eligible for a need when the currency matches and every restriction holds: its
 * organisations, categories and regions (a region matches the need's region or any ancestor),
 * and zakat (zakat money only to needs marked zakat-eligible).
 *
 * What always holds (allocator.property.test.ts): no need gets more than it has left, or more
 * than the cap; no gift gives more than it holds; no restriction is broken; the result does not
 * depend on input order; and it is maximal — after a run, no gift with money left is eligible
 * for a need with room left.
 */
import type { NeedCategory } from "~/modules/needs/schemas";

export type Urgency = "critical" | "high" | "normal";

export type AllocatorNeed = {
  id: string;
  orgId: string;
  category: NeedCategory;
  currency: string;
  urgency: Urgency;
  /** The need's region and all its ancestors (locality, district, governorate ids). */
  regionIds: readonly string[];
  zakatEligible: boolean;
  /** YYYY-MM-DD or null. */
  deadline: string | null;
  publishedAt: Date;
  targetMinor: number;
  /** Paid plus reserved by live pledges: what the need already has or is promised. */
  committedMinor: number;
};

export type GiftRestrictions = {
  orgIds?: readonly string[];
  categories?: readonly NeedCategory[];
  regionIds?: readonly string[];
  /** Zakat money: only to zakat-eligible needs. */
  zakat?: boolean;
};

export type AllocatorGift = {
  id: string;
  currency: string;
  availableMinor: number;
  receivedAt: Date;
  restrictions: GiftRestrictions;
};

export type AllocatorOptions = {
  now: Date;
  /** The most one need may receive in one run, per currency (minor units). A currency without a cap is not allocated. */
  capPerNeedMinor: Readonly<Record<string, number>>;
};

export type ScoreParts = {
  urgency: number;
  deadline: number;
  waiting: number;
  received: number;
  closeToDone: number;
};

export type NeedScore = { needId: string; score: number; parts: ScoreParts; daysToDeadline: number | null; daysWaiting: number };

export type Allocation = {
  giftId: string;
  needId: string;
  currency: string;
  amountMinor: number;
  score: number;
  parts: ScoreParts;
};

export type AllocationResult = {
  allocations: Allocation[];
  /** Every eligible need's score, best first (the dry run shows these). */
  ranking: NeedScore[];
  /** What each gift still holds after the run. */
  leftovers: { giftId: string; currency: string; availableMinor: number }[];
};

const DAY_MS = 86_400_000;
const URGENCY_POINTS: Record<Urgency, number> = { critical: 40, high: 27, normal: 13 };

function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

function isoDayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

export function remainingOf(need: AllocatorNeed): number {
  return Math.max(0, need.targetMinor - need.committedMinor);
}

export function scoreNeed(need: AllocatorNeed, now: Date, capMinor: number): NeedScore {
  const today = dayNumber(now);
  const daysToDeadline = need.deadline ? isoDayNumber(need.deadline) - today : null;
  const daysWaiting = Math.max(0, today - dayNumber(need.publishedAt));
  const remaining = remainingOf(need);
  const urgency = URGENCY_POINTS[need.urgency];
  const deadline = daysToDeadline === null ? 0 : Math.round(25 * Math.min(1, Math.max(0, 1 - daysToDeadline / 60)));
  const waiting = Math.round(15 * Math.min(1, daysWaiting / 60));
  const share = need.targetMinor > 0 ? Math.min(1, need.committedMinor / need.targetMinor) : 1;
  const received = Math.round(10 * (1 - share));
  const closeToDone = remaining === 0 ? 0 : Math.round(10 * Math.min(1, capMinor / remaining));
  const parts = { urgency, deadline, waiting, received, closeToDone };
  return { needId: need.id, score: urgency + deadline + waiting + received + closeToDone, parts, daysToDeadline, daysWaiting };
}

export function isEligible(gift: AllocatorGift, need: AllocatorNeed): boolean {
  if (gift.currency !== need.currency) return false;
  const r = gift.restrictions;
  if (r.zakat && !need.zakatEligible) return false;
  if (r.orgIds && r.orgIds.length > 0 && !r.orgIds.includes(need.orgId)) return false;
  if (r.categories && r.categories.length > 0 && !r.categories.includes(need.category)) return false;
  if (r.regionIds && r.regionIds.length > 0 && !r.regionIds.some((id) => need.regionIds.includes(id))) return false;
  return true;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function allocate(
  giftsIn: readonly AllocatorGift[],
  needsIn: readonly AllocatorNeed[],
  options: AllocatorOptions,
): AllocationResult {
  const gifts = [...giftsIn].sort(byId);
  const needs = [...needsIn].filter((n) => remainingOf(n) > 0).sort(byId);
  const left = new Map(gifts.map((g) => [g.id, Math.max(0, Math.trunc(g.availableMinor))]));

  const scored = needs
    .filter((n) => options.capPerNeedMinor[n.currency] !== undefined && options.capPerNeedMinor[n.currency]! > 0)
    .filter((n) => gifts.some((g) => isEligible(g, n)))
    .map((n) => ({ need: n, score: scoreNeed(n, options.now, options.capPerNeedMinor[n.currency]!) }))
    .sort(
      (a, b) =>
        b.score.score - a.score.score ||
        a.need.publishedAt.getTime() - b.need.publishedAt.getTime() ||
        byId(a.need, b.need),
    );

  // How many needs each gift could go to: restricted money is spent first where it can go.
  const reach = new Map(gifts.map((g) => [g.id, scored.filter((s) => isEligible(g, s.need)).length]));
  const giftOrder = (a: AllocatorGift, b: AllocatorGift) =>
    reach.get(a.id)! - reach.get(b.id)! || a.receivedAt.getTime() - b.receivedAt.getTime() || byId(a, b);

  const allocations: Allocation[] = [];
  for (const { need, score } of scored) {
    let room = Math.min(remainingOf(need), options.capPerNeedMinor[need.currency]!);
    const sources = gifts.filter((g) => isEligible(g, need) && left.get(g.id)! > 0).sort(giftOrder);
    for (const gift of sources) {
      if (room <= 0) break;
      const amount = Math.min(room, left.get(gift.id)!);
      left.set(gift.id, left.get(gift.id)! - amount);
      room -= amount;
      allocations.push({ giftId: gift.id, needId: need.id, currency: need.currency, amountMinor: amount, score: score.score, parts: score.parts });
    }
  }

  return {
    allocations,
    ranking: scored.map((s) => s.score),
    leftovers: gifts.map((g) => ({ giftId: g.id, currency: g.currency, availableMinor: left.get(g.id)! })),
  };
}

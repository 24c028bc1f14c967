/**
 * Where a gift "to the most urgent needs anywhere" goes (decision 071). Money is held per
 * organisation (its bank accounts, its ledger), so a platform-wide gift is given to one
 * organisation's solidarity fund: the one whose verified need, among those matching the donor's
 * choices, the allocator would score highest — the same score (allocator.ts) with this gift as the
 * cap, so "this gift would finish it" counts. The organisation's allocator then spends the fund
 * within the same restrictions. Pure and deterministic: the same needs give the same answer in any
 * order.
 */
import { isEligible, remainingOf, scoreNeed, type AllocatorNeed, type GiftRestrictions, type NeedScore } from "./allocator";

export type OrgChoice = {
  orgId: string;
  /** The organisation's best-scoring matching need, with its score parts ("why this organisation"). */
  best: NeedScore;
  /** How many of its needs match, and their room together. */
  matchingNeeds: number;
  roomMinor: number;
};

/**
 * Every organisation with a need the gift could go to, best first: highest best score, then the
 * most room (money spreads to where more is missing), then the organisation's id. Needs in another
 * currency, with no room, or outside the restrictions count for nothing.
 */
export function rankOrganisations(
  needs: readonly AllocatorNeed[],
  gift: { currency: string; amountMinor: number; restrictions: GiftRestrictions },
  now: Date,
): OrgChoice[] {
  const probe = { id: "gift", currency: gift.currency, availableMinor: gift.amountMinor, receivedAt: now, restrictions: gift.restrictions };
  const byOrg = new Map<string, OrgChoice>();
  for (const need of needs) {
    const room = remainingOf(need);
    if (room <= 0 || !isEligible(probe, need)) continue;
    const score = scoreNeed(need, now, Math.max(1, gift.amountMinor));
    const seen = byOrg.get(need.orgId);
    if (!seen) {
      byOrg.set(need.orgId, { orgId: need.orgId, best: score, matchingNeeds: 1, roomMinor: room });
      continue;
    }
    seen.matchingNeeds += 1;
    seen.roomMinor += room;
    if (score.score > seen.best.score || (score.score === seen.best.score && score.needId < seen.best.needId)) seen.best = score;
  }
  return [...byOrg.values()].sort((a, b) => b.best.score - a.best.score || b.roomMinor - a.roomMinor || (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0));
}

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isEligible, remainingOf, scoreNeed, type AllocatorNeed, type GiftRestrictions } from "./allocator";
import { rankOrganisations } from "./route-gift";
import { NEED_CATEGORIES } from "~/modules/needs/schemas";

const ORGS = ["org-a", "org-b", "org-c", "org-d"];
const CATS = NEED_CATEGORIES.slice(0, 4);
const NOW = new Date("2026-11-28T12:00:00Z");

const needArb = fc
  .record({
    id: fc.uuid(),
    orgId: fc.constantFrom(...ORGS),
    category: fc.constantFrom(...CATS),
    currency: fc.constantFrom("USD", "EGP"),
    urgency: fc.constantFrom("critical" as const, "high" as const, "normal" as const),
    regionIds: fc.constant([] as string[]),
    zakatEligible: fc.boolean(),
    deadline: fc.option(fc.integer({ min: -10, max: 120 }).map((d) => new Date(Date.UTC(2026, 10, 28 + d)).toISOString().slice(0, 10)), { nil: null }),
    publishedAt: fc.integer({ min: 0, max: 200 }).map((d) => new Date(Date.UTC(2026, 10, 28 - d, 7))),
    targetMinor: fc.integer({ min: 1, max: 50_000 }),
    committedMinor: fc.integer({ min: 0, max: 50_000 }),
  })
  .map((n): AllocatorNeed => ({ ...n, committedMinor: Math.min(n.committedMinor, n.targetMinor) }));

const giftArb = fc.record({
  currency: fc.constantFrom("USD", "EGP"),
  amountMinor: fc.integer({ min: 1, max: 60_000 }),
  restrictions: fc.record({ categories: fc.subarray(CATS), zakat: fc.boolean() }, { requiredKeys: [] }) as fc.Arbitrary<GiftRestrictions>,
});

const input = fc.record({ needs: fc.uniqueArray(needArb, { selector: (n) => n.id, maxLength: 15 }), gift: giftArb });

describe("routing a platform-wide gift", () => {
  it("names only organisations with a matching need that has room, each once, and none is left out", () => {
    fc.assert(
      fc.property(input, ({ needs, gift }) => {
        const ranked = rankOrganisations(needs, gift, NOW);
        const probe = { id: "g", currency: gift.currency, availableMinor: gift.amountMinor, receivedAt: NOW, restrictions: gift.restrictions };
        const fitting = needs.filter((n) => remainingOf(n) > 0 && isEligible(probe, n));
        expect(new Set(ranked.map((r) => r.orgId))).toEqual(new Set(fitting.map((n) => n.orgId)));
        expect(ranked.length).toBe(new Set(ranked.map((r) => r.orgId)).size);
        for (const r of ranked) {
          const own = fitting.filter((n) => n.orgId === r.orgId);
          expect(r.matchingNeeds).toBe(own.length);
          expect(r.roomMinor).toBe(own.reduce((s, n) => s + remainingOf(n), 0));
          expect(own.map((n) => n.id)).toContain(r.best.needId);
        }
      }),
    );
  });

  it("puts first the organisation holding the best-scoring matching need", () => {
    fc.assert(
      fc.property(input, ({ needs, gift }) => {
        const ranked = rankOrganisations(needs, gift, NOW);
        if (ranked.length === 0) return;
        const probe = { id: "g", currency: gift.currency, availableMinor: gift.amountMinor, receivedAt: NOW, restrictions: gift.restrictions };
        const best = Math.max(...needs.filter((n) => remainingOf(n) > 0 && isEligible(probe, n)).map((n) => scoreNeed(n, NOW, gift.amountMinor).score));
        expect(ranked[0].best.score).toBe(best);
        for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].best.score).toBeGreaterThanOrEqual(ranked[i].best.score);
      }),
    );
  });

  it("is deterministic: the order of the needs changes nothing", () => {
    fc.assert(
      fc.property(input, fc.func(fc.integer()), ({ needs, gift }, key) => {
        const shuffled = [...needs].sort((a, b) => key(a.id) - key(b.id) || (a.id < b.id ? -1 : 1));
        expect(rankOrganisations(shuffled, gift, NOW)).toEqual(rankOrganisations(needs, gift, NOW));
      }),
    );
  });

  it("a worked example: the critical need's organisation wins; a zakat gift skips needs that are not zakat-eligible", () => {
    const base = { category: CATS[0], currency: "USD", regionIds: [], deadline: null, publishedAt: new Date("2026-11-20T00:00:00Z"), targetMinor: 10_000, committedMinor: 0 } as const;
    const needs: AllocatorNeed[] = [
      { ...base, id: "n1", orgId: "org-a", urgency: "normal", zakatEligible: true },
      { ...base, id: "n2", orgId: "org-b", urgency: "critical", zakatEligible: false },
      { ...base, id: "n3", orgId: "org-c", urgency: "high", zakatEligible: true, currency: "EGP" },
    ];
    expect(rankOrganisations(needs, { currency: "USD", amountMinor: 5_000, restrictions: {} }, NOW).map((r) => r.orgId)).toEqual(["org-b", "org-a"]);
    expect(rankOrganisations(needs, { currency: "USD", amountMinor: 5_000, restrictions: { zakat: true } }, NOW).map((r) => r.orgId)).toEqual(["org-a"]);
    expect(rankOrganisations(needs, { currency: "USD", amountMinor: 5_000, restrictions: { categories: [CATS[1]] } }, NOW)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allocate, isEligible, remainingOf, type AllocatorGift, type AllocatorNeed } from "./allocator";
import { NEED_CATEGORIES } from "~/modules/needs/schemas";

const ORGS = ["org-a", "org-b", "org-c"];
const REGIONS = ["gov-1", "gov-2", "dist-1", "dist-2"];
const CURRENCIES = ["USD", "EGP", "LBP"];
const CATS = NEED_CATEGORIES.slice(0, 4);

const needArb = fc.record({
  id: fc.uuid(),
  orgId: fc.constantFrom(...ORGS),
  category: fc.constantFrom(...CATS),
  currency: fc.constantFrom(...CURRENCIES),
  urgency: fc.constantFrom("critical" as const, "high" as const, "normal" as const),
  regionIds: fc.subarray(REGIONS, { minLength: 1 }),
  zakatEligible: fc.boolean(),
  deadline: fc.option(fc.integer({ min: -30, max: 120 }).map((d) => new Date(Date.UTC(2026, 10, 28 + d)).toISOString().slice(0, 10)), { nil: null }),
  publishedAt: fc.integer({ min: 0, max: 200 }).map((d) => new Date(Date.UTC(2026, 10, 28 - d, 7))),
  targetMinor: fc.integer({ min: 1, max: 50_000 }),
  committedMinor: fc.integer({ min: 0, max: 50_000 }),
}).map((n): AllocatorNeed => ({ ...n, committedMinor: Math.min(n.committedMinor, n.targetMinor) }));

const giftArb = fc.record({
  id: fc.uuid(),
  currency: fc.constantFrom(...CURRENCIES),
  availableMinor: fc.integer({ min: 0, max: 80_000 }),
  receivedAt: fc.integer({ min: 0, max: 400 }).map((d) => new Date(Date.UTC(2026, 10, 28 - d))),
  restrictions: fc.record(
    {
      orgIds: fc.subarray(ORGS),
      categories: fc.subarray(CATS),
      regionIds: fc.subarray(REGIONS),
      zakat: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
}) as fc.Arbitrary<AllocatorGift>;

const inputArb = fc.record({
  gifts: fc.uniqueArray(giftArb, { selector: (g) => g.id, maxLength: 8 }),
  needs: fc.uniqueArray(needArb, { selector: (n) => n.id, maxLength: 12 }),
  caps: fc.record({ USD: fc.integer({ min: 1, max: 20_000 }), EGP: fc.integer({ min: 1, max: 20_000 }), LBP: fc.integer({ min: 1, max: 20_000 }) }),
});

const NOW = new Date("2026-11-28T12:00:00Z");

function totals<T>(items: T[], key: (t: T) => string, value: (t: T) => number) {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + value(i));
  return m;
}

describe("allocator properties", () => {
  it("never over-funds a need, never exceeds the cap, never spends more than a gift holds, never breaks a restriction", () => {
    fc.assert(
      fc.property(inputArb, ({ gifts, needs, caps }) => {
        const r = allocate(gifts, needs, { now: NOW, capPerNeedMinor: caps });
        const byNeed = totals(r.allocations, (a) => a.needId, (a) => a.amountMinor);
        const byGift = totals(r.allocations, (a) => a.giftId, (a) => a.amountMinor);
        for (const n of needs) {
          const got = byNeed.get(n.id) ?? 0;
          expect(got).toBeLessThanOrEqual(remainingOf(n));
          expect(got).toBeLessThanOrEqual(caps[n.currency as keyof typeof caps]);
        }
        for (const g of gifts) {
          const gave = byGift.get(g.id) ?? 0;
          expect(gave).toBeLessThanOrEqual(g.availableMinor);
          expect(r.leftovers.find((l) => l.giftId === g.id)!.availableMinor).toBe(g.availableMinor - gave);
        }
        for (const a of r.allocations) {
          expect(a.amountMinor).toBeGreaterThan(0);
          expect(Number.isInteger(a.amountMinor)).toBe(true);
          const g = gifts.find((x) => x.id === a.giftId)!;
          const n = needs.find((x) => x.id === a.needId)!;
          expect(isEligible(g, n)).toBe(true);
          expect(a.currency).toBe(g.currency);
          if (g.restrictions.zakat) expect(n.zakatEligible).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("allocates everything that fits: afterwards no gift with money left is eligible for a need with room left", () => {
    fc.assert(
      fc.property(inputArb, ({ gifts, needs, caps }) => {
        const r = allocate(gifts, needs, { now: NOW, capPerNeedMinor: caps });
        const byNeed = totals(r.allocations, (a) => a.needId, (a) => a.amountMinor);
        for (const g of gifts) {
          const left = r.leftovers.find((l) => l.giftId === g.id)!.availableMinor;
          if (left === 0) continue;
          for (const n of needs) {
            const room = Math.min(remainingOf(n), caps[n.currency as keyof typeof caps]) - (byNeed.get(n.id) ?? 0);
            if (room > 0) expect(isEligible(g, n)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic: the same input in any order gives the same allocations", () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), ({ gifts, needs, caps }, seed) => {
        const shuffle = <T,>(xs: T[]) => {
          const out = [...xs];
          let s = seed >>> 0;
          for (let i = out.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) >>> 0;
            const j = s % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        const a = allocate(gifts, needs, { now: NOW, capPerNeedMinor: caps });
        const b = allocate(shuffle(gifts), shuffle(needs), { now: NOW, capPerNeedMinor: caps });
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it("spreads: while any eligible need is below the cap and has room, no single need takes the whole of a large gift", () => {
    fc.assert(
      fc.property(fc.uniqueArray(needArb, { selector: (n) => n.id, minLength: 2, maxLength: 6 }), fc.integer({ min: 1, max: 5_000 }), (needs, cap) => {
        const usd = needs.map((n) => ({ ...n, currency: "USD", targetMinor: 100_000, committedMinor: 0 }));
        const r = allocate([{ id: "g", currency: "USD", availableMinor: 1_000_000, receivedAt: NOW, restrictions: {} }], usd, { now: NOW, capPerNeedMinor: { USD: cap } });
        // A gift larger than all the caps together gives each need exactly the cap.
        expect(r.allocations.map((a) => a.amountMinor)).toEqual(usd.map(() => cap));
      }),
      { numRuns: 100 },
    );
  });
});

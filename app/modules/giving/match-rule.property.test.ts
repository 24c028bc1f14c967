import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { matchFor } from "./match-rule";

const minor = fc.integer({ min: 0, max: 10_000_000 });
const input = fc.record({
  giftMinor: minor,
  percent: fc.integer({ min: 1, max: 500 }),
  capLeftMinor: minor,
  roomMinor: minor,
  sponsorHeldMinor: fc.array(minor, { maxLength: 5 }),
});

describe("an appeal's matching rule", () => {
  it("never matches more than the percentage of the gift, the cap left, the need's room, or what each sponsor payment holds — and otherwise all of that", () => {
    fc.assert(
      fc.property(input, (i) => {
        const { parts, totalMinor } = matchFor(i);
        expect(parts).toHaveLength(i.sponsorHeldMinor.length);
        parts.forEach((p, k) => {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(i.sponsorHeldMinor[k]);
          expect(Number.isInteger(p)).toBe(true);
        });
        const limit = Math.min(Math.floor((i.giftMinor * i.percent) / 100), i.capLeftMinor, i.roomMinor);
        expect(totalMinor).toBe(Math.min(limit, i.sponsorHeldMinor.reduce((t, h) => t + h, 0)));
        // Oldest first: a later payment is used only once every earlier one is spent.
        parts.forEach((p, k) => {
          if (p > 0) for (let j = 0; j < k; j += 1) expect(parts[j]).toBe(i.sponsorHeldMinor[j]);
        });
        expect(matchFor(i)).toEqual({ parts, totalMinor });
      }),
    );
  });

  it("over any run of gifts, the matches never pass the cap nor the sponsor's money", () => {
    fc.assert(
      fc.property(fc.array(minor, { maxLength: 30 }), fc.integer({ min: 1, max: 500 }), minor, fc.array(minor, { minLength: 1, maxLength: 4 }), (gifts, percent, cap, held) => {
        const pool = [...held];
        let matched = 0;
        for (const gift of gifts) {
          const { parts, totalMinor } = matchFor({ giftMinor: gift, percent, capLeftMinor: cap - matched, roomMinor: Number.MAX_SAFE_INTEGER, sponsorHeldMinor: pool });
          parts.forEach((p, k) => (pool[k] -= p));
          matched += totalMinor;
        }
        expect(matched).toBeLessThanOrEqual(cap);
        expect(matched).toBeLessThanOrEqual(held.reduce((t, h) => t + h, 0));
        expect(pool.every((p) => p >= 0)).toBe(true);
      }),
    );
  });

  it("doubles a 20 gift at 100%, halves it into 10 at 50%, and stops at the cap", () => {
    expect(matchFor({ giftMinor: 2_000, percent: 100, capLeftMinor: 10_000, roomMinor: 10_000, sponsorHeldMinor: [5_000] }).totalMinor).toBe(2_000);
    expect(matchFor({ giftMinor: 2_000, percent: 50, capLeftMinor: 10_000, roomMinor: 10_000, sponsorHeldMinor: [5_000] }).totalMinor).toBe(1_000);
    expect(matchFor({ giftMinor: 2_000, percent: 100, capLeftMinor: 700, roomMinor: 10_000, sponsorHeldMinor: [5_000] })).toEqual({ parts: [700], totalMinor: 700 });
    expect(matchFor({ giftMinor: 2_000, percent: 100, capLeftMinor: 10_000, roomMinor: 10_000, sponsorHeldMinor: [500, 1_000, 900] })).toEqual({ parts: [500, 1_000, 500], totalMinor: 2_000 });
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { HIDEABLE_DETAILS, birthYearsOf, decideHides, type ShareCounts } from "./k-anonymity";

const counts = (all: number, withoutAgeBand: number, regionAndCategory: number): ShareCounts => ({ all, withoutAgeBand, regionAndCategory });

describe("decideHides", () => {
  it("keeps every detail when at least k households share them all", () => {
    expect(decideHides({ k: 5, hasAgeBand: true, hasGender: true, counts: counts(5, 9, 20) })).toMatchObject({ hides: [], warn: false, shared: 5 });
  });

  it("drops the age band first, then the gender while fewer than k share what is left", () => {
    expect(decideHides({ k: 5, hasAgeBand: true, hasGender: true, counts: counts(2, 6, 20) })).toMatchObject({
      hides: ["age_band"],
      warn: true,
      shared: 2,
      sharedAfter: 6,
    });
    expect(decideHides({ k: 5, hasAgeBand: true, hasGender: true, counts: counts(1, 3, 20) })).toMatchObject({
      hides: ["age_band", "gender"],
      sharedAfter: 20,
    });
    // Nothing more to drop: still warned, region and category stay.
    expect(decideHides({ k: 5, hasAgeBand: true, hasGender: true, counts: counts(1, 1, 1) })).toMatchObject({
      hides: ["age_band", "gender"],
      warn: true,
      sharedAfter: 1,
    });
  });

  it("drops only details the need has", () => {
    expect(decideHides({ k: 5, hasAgeBand: false, hasGender: true, counts: counts(2, 2, 8) }).hides).toEqual(["gender"]);
    expect(decideHides({ k: 5, hasAgeBand: true, hasGender: false, counts: counts(2, 8, 8) }).hides).toEqual(["age_band"]);
    expect(decideHides({ k: 5, hasAgeBand: false, hasGender: false, counts: counts(1, 1, 1) })).toMatchObject({ hides: [], warn: true });
  });

  it("a detail the verifier keeps stays public (the warning stays)", () => {
    const d = decideHides({ k: 5, hasAgeBand: true, hasGender: true, counts: counts(1, 3, 20), kept: ["age_band"] });
    expect(d.hides).toEqual(["gender"]);
    expect(d.warn).toBe(true);
  });

  const arb = fc
    .record({
      k: fc.integer({ min: 1, max: 50 }),
      hasAgeBand: fc.boolean(),
      hasGender: fc.boolean(),
      a: fc.nat(100),
      b: fc.nat(100),
      c: fc.nat(100),
      shrink: fc.tuple(fc.nat(100), fc.nat(100), fc.nat(100)),
      kept: fc.subarray([...HIDEABLE_DETAILS]),
    })
    .map(({ a, b, c, shrink, ...rest }) => {
      // all ≤ withoutAgeBand ≤ regionAndCategory, as the counting query guarantees.
      const big = counts(a, a + b, a + b + c);
      const s = { all: Math.max(0, big.all - shrink[0]) } as ShareCounts;
      s.withoutAgeBand = Math.max(s.all, big.withoutAgeBand - shrink[1]);
      s.regionAndCategory = Math.max(s.withoutAgeBand, big.regionAndCategory - shrink[2]);
      s.withoutAgeBand = Math.min(s.withoutAgeBand, big.withoutAgeBand);
      s.regionAndCategory = Math.min(s.regionAndCategory, big.regionAndCategory);
      return { ...rest, big, small: s };
    });

  it("property: the dropped set only grows as the counts shrink", () => {
    fc.assert(
      fc.property(arb, ({ big, small, kept, ...rest }) => {
        const before = decideHides({ ...rest, counts: big, kept }).hides;
        const after = decideHides({ ...rest, counts: small, kept }).hides;
        return before.every((d) => after.includes(d));
      }),
      { numRuns: 2000 },
    );
  });

  it("property: only the age band and the gender are ever dropped, the age band first, and never a detail the need lacks", () => {
    fc.assert(
      fc.property(arb, ({ small, kept, ...rest }) => {
        const { hides } = decideHides({ ...rest, counts: small, kept });
        if (!hides.every((d) => d === "age_band" || d === "gender")) return false;
        if (!rest.hasAgeBand && hides.includes("age_band")) return false;
        if (!rest.hasGender && hides.includes("gender")) return false;
        if (kept.some((d) => hides.includes(d))) return false;
        // Gender is dropped only once the age band is gone (or kept, or absent).
        if (hides.includes("gender") && rest.hasAgeBand && !hides.includes("age_band") && !kept.includes("age_band")) return false;
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it("property: when nothing is kept, the card shows what at least k share, unless nothing more can be dropped", () => {
    fc.assert(
      fc.property(arb, ({ small, big: _big, kept: _kept, ...rest }) => {
        const d = decideHides({ ...rest, counts: small });
        const allDropped = (!rest.hasAgeBand || d.hides.includes("age_band")) && (!rest.hasGender || d.hides.includes("gender"));
        return d.sharedAfter >= rest.k || allDropped;
      }),
      { numRuns: 2000 },
    );
  });
});

describe("birthYearsOf", () => {
  it("turns an age band into the birth years of members in it this year", () => {
    expect(birthYearsOf("12-17", 2026)).toEqual({ from: 2009, to: 2014 });
    expect(birthYearsOf("0-4", 2026)).toEqual({ from: 2022, to: 2026 });
    expect(birthYearsOf("60+", 2026)?.to).toBe(1966);
    expect(birthYearsOf("bogus", 2026)).toBeNull();
  });
});

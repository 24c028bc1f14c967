import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { merge, median, roundRatios, type Measured } from "./ratios";

const measured = (over: Partial<Measured>): Measured => ({
  rps: 0,
  seconds: 1,
  p50: 1,
  p99: 2,
  total: 0,
  statusCodes: {},
  errors: 0,
  timeouts: 0,
  bad: 0,
  ...over,
});

describe("roundRatios (the bench's page ÷ trivial, interleaved)", () => {
  it("compares each page slice with the trivial slices on either side and reports the median", () => {
    // The machine speeds up 2× during the run; the page keeps half the trivial page's speed throughout.
    const r = roundRatios([100, 150, 200, 250], [62.5, 87.5, 112.5]);
    expect(r.ratios).toEqual([0.5, 0.5, 0.5]);
    expect(r.ratio).toBe(0.5);
    expect(r.beside).toBe(175);
  });

  it("a yardstick measured once at the start would have been misled by the drift this cancels", () => {
    const trivial = [100, 150, 200, 250];
    const page = [62.5, 87.5, 112.5];
    expect(page[2] / trivial[0]).toBeGreaterThan(1);
    expect(roundRatios(trivial, page).ratio).toBe(0.5);
  });

  it("one outlying round does not move the median", () => {
    expect(roundRatios([200, 200, 200, 200], [100, 20, 110]).ratio).toBe(0.5);
  });

  it("needs one more trivial slice than page slices", () => {
    expect(() => roundRatios([100, 100], [50, 50])).toThrow();
  });

  it("a page at a constant share of a drifting trivial page gets exactly that share", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 50, max: 1000 }), { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 1, max: 99 }),
        (trivial, percent) => {
          const share = percent / 100;
          const page = trivial.slice(1).map((t, i) => ((trivial[i] + t) / 2) * share);
          expect(roundRatios(trivial, page).ratio).toBeCloseTo(share, 9);
        },
      ),
    );
  });
});

describe("merge", () => {
  it("is requests over time, sums the counts, takes the median p50 and the worst p99", () => {
    const m = merge([
      measured({ seconds: 2, total: 200, p50: 5, p99: 20, statusCodes: { "200": 200 } }),
      measured({ seconds: 1, total: 400, p50: 3, p99: 9, statusCodes: { "200": 399, "500": 1 }, bad: 1, errors: 0 }),
    ]);
    expect(m.rps).toBe(200);
    expect(m.seconds).toBe(3);
    expect(m.total).toBe(600);
    expect(m.p50).toBe(4);
    expect(m.p99).toBe(20);
    expect(m.statusCodes).toEqual({ "200": 599, "500": 1 });
    expect(m.bad).toBe(1);
  });

  it("median of an odd and an even count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

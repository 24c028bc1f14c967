import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { needFigures, toPublicProgress } from "./public-need";
import { remainingOf } from "~/modules/pledging/amounts";

describe("needFigures: the three figures every donor page shows", () => {
  it("received is paid, pledged is reserved, remaining is what neither covers", () => {
    expect(needFigures({ targetMinor: 10_000, paidMinor: 3_000, reservedMinor: 2_000 })).toEqual({
      receivedMinor: 3_000,
      pledgedMinor: 2_000,
      remainingMinor: 5_000,
    });
    expect(needFigures({ targetMinor: 10_000, paidMinor: 10_000, reservedMinor: 0 }).remainingMinor).toBe(0);
    // Never negative, even on counters a moment out of step.
    expect(needFigures({ targetMinor: 10_000, paidMinor: 9_000, reservedMinor: 2_000 }).remainingMinor).toBe(0);
  });

  it("property: the figures add up to the target while the need has room, agree with remainingOf, and are integers ≥ 0", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), fc.nat(), fc.nat(), (target, a, b) => {
        const paid = a % (target + 1);
        const reserved = b % (target - paid + 1);
        const f = needFigures({ targetMinor: target, paidMinor: paid, reservedMinor: reserved });
        expect(f.receivedMinor + f.pledgedMinor + f.remainingMinor).toBe(target);
        expect(f.remainingMinor).toBe(remainingOf({ targetMinor: target, paidMinor: paid, reservedMinor: reserved }));
        for (const v of Object.values(f)) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
      }),
    );
  });

  it("the public progress carries the same figures; a funded or closed need has nothing left to pledge", () => {
    const open = toPublicProgress(10_000, { state: "published", paidMinor: 3_000, reservedMinor: 2_000, donorCount: 2 });
    expect(open).toMatchObject({ raisedMinor: 3_000, reservedMinor: 2_000, remainingMinor: 5_000, donorCount: 2, percent: 30, status: "open" });
    const closed = toPublicProgress(10_000, { state: "closed", paidMinor: 3_000, reservedMinor: 0, donorCount: 1 });
    expect(closed).toMatchObject({ remainingMinor: 0, status: "closed" });
  });
});

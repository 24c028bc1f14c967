import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverAmountFor, estimateCardFee } from "./card-fees";
import { cardChargeable } from "./stripe-currency";

describe("card fee estimate and the donor's fee cover", () => {
  it("is 2.9% plus a fixed part, rounded up in the currency's digits", () => {
    expect(estimateCardFee(10_000, "USD")).toBe(290 + 30); // $100 → $3.20
    expect(estimateCardFee(1_000, "USD")).toBe(29 + 30); // $10 → $0.59
    expect(estimateCardFee(1_001, "USD")).toBe(30 + 30); // 29.029 cents → 30
    expect(estimateCardFee(100_000, "LBP")).toBe(2_900 + 27_000); // no digits in the app
    expect(estimateCardFee(10_000, "JOD")).toBe(490); // 290 + 200 fils, already a multiple of 10
    expect(estimateCardFee(10_010, "JOD")).toBe(500); // 290.29 → 291 + 200 = 491 → 500 (JOD ends in 0)
    expect(estimateCardFee(0, "USD")).toBe(0);
  });

  it("covering the fee leaves the whole gift after the estimated fee", () => {
    const gift = 5_000;
    const cover = coverAmountFor(gift, "USD");
    expect(gift + cover - estimateCardFee(gift + cover, "USD")).toBeGreaterThanOrEqual(gift);
    expect(cover).toBe(181); // $51.81 − (150.25→151 + 30) = exactly $50.00
  });

  it("refuses what is not an amount", () => {
    expect(() => estimateCardFee(-1, "USD")).toThrow();
    expect(() => coverAmountFor(1.5, "USD")).toThrow();
  });

  it("for any gift: the cover is chargeable, enough, and not more than one step beyond enough (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom("USD", "EUR", "LBP", "IQD", "JOD", "EGP", "TRY", "GBP"), fc.integer({ min: 1, max: 1e9 }), (currency, raw) => {
        const step = currency === "JOD" ? 10 : 1;
        const gift = raw * step;
        const cover = coverAmountFor(gift, currency);
        expect(cardChargeable(gift + cover, currency)).toBe(true);
        expect(gift + cover - estimateCardFee(gift + cover, currency)).toBeGreaterThanOrEqual(gift);
        if (cover > step) expect(gift + (cover - step) - estimateCardFee(gift + cover - step, currency)).toBeLessThan(gift);
      }),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appChargeStep, cardChargeable, fromStripeAmount, roundUpToChargeable, stripeDigits, stripeTakes, toStripeAmount } from "./stripe-currency";

describe("app minor units ↔ Stripe amounts", () => {
  it.each([
    // currency, app minor, Stripe amount, what it means
    ["USD", 1_000, 1_000, "10.00 dollars: two digits on both sides"],
    ["EUR", 2_550, 2_550, "25.50 euros"],
    ["GBP", 1, 1, "one penny"],
    ["EGP", 50_000, 50_000, "500 pounds"],
    ["TRY", 12_345, 12_345, "123.45 lira"],
    ["LBP", 150_000, 15_000_000, "150 000 pounds: 0 digits in the app, 2 at Stripe"],
    ["IQD", 25_000, 2_500_000, "25 000 dinars: 0 digits in the app, 2 at Stripe"],
    ["JOD", 5_120, 5_120, "5.120 dinars: three-decimal on both sides"],
    ["KWD", 10_000, 10_000, "10 dinars"],
    ["BHD", 990, 990, "0.990 dinar"],
    ["OMR", 1_000, 1_000, "1 rial"],
    ["TND", 7_250, 7_250, "7.250 dinars"],
    ["JPY", 500, 500, "¥500: zero-decimal on both sides"],
    ["KRW", 10_000, 10_000, "₩10 000"],
    ["UGX", 5_000, 5_000, "UGX is zero-decimal at Stripe"],
    ["ISK", 5, 500, "ISK: 0 digits in the app, 2 at Stripe (whole krónur)"],
    ["HUF", 1_000, 100_000, "HUF: 0 digits in the app, 2 at Stripe for charges"],
  ])("%s %i ↔ %i (%s)", (currency, minor, stripe) => {
    expect(toStripeAmount(minor, currency)).toBe(stripe);
    expect(fromStripeAmount(stripe, currency)).toBe(minor);
    expect(toStripeAmount(minor, currency.toLowerCase())).toBe(stripe); // Stripe's lower-case codes
  });

  it("three-decimal currencies must end in 0 at Stripe", () => {
    expect(stripeDigits("JOD")).toBe(3);
    expect(() => toStripeAmount(5_125, "JOD")).toThrow(/multiple of 10/);
    expect(() => toStripeAmount(1, "KWD")).toThrow();
    expect(appChargeStep("JOD")).toBe(10);
    expect(cardChargeable(5_125, "JOD")).toBe(false);
    expect(cardChargeable(5_120, "JOD")).toBe(true);
    expect(roundUpToChargeable(5_121, "JOD")).toBe(5_130);
    expect(roundUpToChargeable(5_120, "JOD")).toBe(5_120);
  });

  it("SYP is never charged by card; the others the app uses are", () => {
    expect(stripeTakes("SYP")).toBe(false);
    expect(stripeTakes("syp")).toBe(false);
    expect(() => toStripeAmount(5_000, "SYP")).toThrow(/does not take/);
    expect(cardChargeable(5_000, "SYP")).toBe(false);
    for (const c of ["USD", "EUR", "GBP", "EGP", "JOD", "TRY", "LBP", "IQD"]) expect(stripeTakes(c), c).toBe(true);
  });

  it("refuses what is not an amount", () => {
    expect(() => toStripeAmount(-1, "USD")).toThrow();
    expect(() => toStripeAmount(1.5, "USD")).toThrow();
    expect(() => toStripeAmount(Number.NaN, "USD")).toThrow();
    expect(cardChargeable(0, "USD")).toBe(false);
  });

  it("a Stripe amount finer than the app's digits: exact refuses, nearest rounds (fees)", () => {
    expect(() => fromStripeAmount(12_345, "LBP")).toThrow();
    expect(fromStripeAmount(12_345, "LBP", "nearest")).toBe(123);
    expect(fromStripeAmount(12_350, "LBP", "nearest")).toBe(124);
    expect(fromStripeAmount(12_345, "USD", "nearest")).toBe(12_345);
  });

  it("round trip for every chargeable amount (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom("USD", "LBP", "IQD", "JOD", "KWD", "JPY", "ISK", "EGP"), fc.integer({ min: 1, max: 1e9 }), (currency, raw) => {
        const minor = roundUpToChargeable(raw, currency);
        expect(cardChargeable(minor, currency)).toBe(true);
        expect(fromStripeAmount(toStripeAmount(minor, currency), currency)).toBe(minor);
      }),
    );
  });
});

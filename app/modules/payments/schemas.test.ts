import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { moneyOf, previewOutcome, validDate } from "./schemas";

const pledge = (amountMinor: number, paidMinor = 0, status = "pending", needState = "published") => ({ amountMinor, paidMinor, status, needState });
const base = { method: "bank_transfer", currency: "USD", orgCurrency: "USD", cashFourEyesMinor: null };

describe("previewOutcome", () => {
  it("splits any amount into what the pledge still expects, the rest pending and the surplus, without losing a minor unit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), (amount, paidRaw, received) => {
        const paid = paidRaw % amount;
        const r = previewOutcome({ ...base, pledge: pledge(amount, paid), amountMinor: received });
        expect(r.outstandingMinor).toBe(amount - paid);
        expect(received - r.surplusMinor + r.restMinor).toBe(r.outstandingMinor);
        expect(r.surplusMinor >= 0 && r.restMinor >= 0 && (r.surplusMinor === 0 || r.restMinor === 0)).toBe(true);
        expect(r.outcome).toBe(received === amount - paid ? "paid" : received < amount - paid ? "part_paid" : "over_paid");
      }),
    );
  });

  it("no pledge, a released pledge or a closed need → suspense; cash at the threshold or in another currency → a second person", () => {
    expect(previewOutcome({ ...base, pledge: null, amountMinor: 5 }).outcome).toBe("suspense");
    for (const status of ["cancelled", "expired", "paid", "part_paid", "refunded"]) {
      expect(previewOutcome({ ...base, pledge: pledge(100, 0, status), amountMinor: 100 }).outcome).toBe("suspense");
    }
    expect(previewOutcome({ ...base, pledge: pledge(100, 0, "pending", "cancelled"), amountMinor: 100 }).outcome).toBe("suspense");
    const cash = { ...base, method: "cash", cashFourEyesMinor: 1_000 };
    expect(previewOutcome({ ...cash, pledge: pledge(5_000), amountMinor: 999 }).outcome).toBe("part_paid");
    expect(previewOutcome({ ...cash, pledge: pledge(5_000), amountMinor: 1_000 }).outcome).toBe("awaiting_confirmation");
    expect(previewOutcome({ ...cash, currency: "EUR", pledge: pledge(5_000), amountMinor: 10 }).outcome).toBe("awaiting_confirmation");
    expect(previewOutcome({ ...base, method: "cash", pledge: pledge(5_000), amountMinor: 9_000 }).outcome).toBe("over_paid");
  });
});

describe("moneyOf and validDate", () => {
  it("reads amounts in the currency's digits and refuses zero, negatives and text with finance messages", () => {
    expect(moneyOf("12.5", "USD")).toEqual({ ok: true, minor: 1_250 });
    expect(moneyOf("١٢٫٥", "USD")).toEqual({ ok: true, minor: 1_250 });
    expect(moneyOf("1500", "LBP")).toEqual({ ok: true, minor: 1_500 });
    expect(moneyOf("1.5", "LBP")).toEqual({ ok: false, error: "finance:errors.amountTooPrecise" });
    expect(moneyOf("0", "USD")).toEqual({ ok: false, error: "finance:errors.amountPositive" });
    expect(moneyOf("-3", "USD")).toEqual({ ok: false, error: "finance:errors.amountPositive" });
    expect(moneyOf("abc", "USD")).toEqual({ ok: false, error: "finance:errors.amountInvalid" });
    expect(moneyOf("", "USD", { allowZero: true })).toEqual({ ok: true, minor: 0 });
    expect(moneyOf("0.00", "USD", { allowZero: true })).toEqual({ ok: true, minor: 0 });
    expect(moneyOf("-1", "USD", { allowZero: true })).toEqual({ ok: false, error: "finance:errors.amountPositive" });
  });

  it("accepts real calendar days only", () => {
    expect(validDate("2026-02-28")).toBe(true);
    expect(validDate("2028-02-29")).toBe(true);
    expect(validDate("2026-02-29")).toBe(false);
    expect(validDate("2026-13-01")).toBe(false);
    expect(validDate("26-01-01")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { currencyDigits, formatMoney, formatNumber } from "./format";

describe("money formatting", () => {
  it("knows each currency's minor unit", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("KWD")).toBe(3);
  });

  it("formats integer minor units per locale", () => {
    expect(formatMoney(123456, "USD", "en")).toBe("US$1,234.56");
    const ar = formatMoney(123456, "USD", "ar");
    // Arabic-Indic digits (or Latin, depending on ICU), but the same amount: 1234.56
    const western = ar.replace(/[٠-٩]/g, (d) => String("٠١٢٣٤٥٦٧٨٩".indexOf(d)));
    expect(western.replace(/[^0-9]/g, "")).toBe("123456");
  });

  it("writes Arabic money symbol first with Latin digits, whatever the ICU's default", () => {
    expect(formatMoney(240000, "USD", "ar")).toBe("US$\u00a02,400.00");
    expect(formatMoney(-5050, "USD", "ar")).toBe("US$\u00a0-50.50");
    expect(formatMoney(5000, "SYP", "ar")).toMatch(/^\S+\u00a05,000$/);
    expect(formatMoney(240000, "USD", "ar")).not.toMatch(/[\u200e\u200f\u061c٠-٩]/);
    expect(formatNumber(12345, "ar")).toBe("12,345");
  });

  it("refuses a fractional minor amount", () => {
    expect(() => formatMoney(10.5, "USD", "en")).toThrow(TypeError);
  });
});

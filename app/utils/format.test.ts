import { describe, expect, it } from "vitest";
import { currencyDigits, formatMoney } from "./format";

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

  it("refuses a fractional minor amount", () => {
    expect(() => formatMoney(10.5, "USD", "en")).toThrow(TypeError);
  });
});

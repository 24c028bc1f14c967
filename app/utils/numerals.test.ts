import { describe, expect, it } from "vitest";
import { NUMERAL_SYSTEMS } from "#db/schema";
import { formatMoney, formatNumber } from "./format";
import { NUMERALS, isNumerals, withNumerals } from "./numerals";

describe("withNumerals", () => {
  it("leaves Latin text as it is", () => {
    expect(withNumerals("US$\u00a02,400.50", "latn")).toBe("US$\u00a02,400.50");
    expect(withNumerals("28/11/2026", "latn")).toBe("28/11/2026");
  });

  it("writes Arabic-Indic digits and the Arabic separators between digits", () => {
    expect(withNumerals("US$\u00a02,400.50", "arab")).toBe("US$\u00a0٢٬٤٠٠٫٥٠");
    expect(withNumerals(formatMoney(240000, "USD", "ar"), "arab")).toBe("US$\u00a0٢٬٤٠٠٫٠٠");
    expect(withNumerals(formatNumber(1234567, "ar"), "arab")).toBe("١٬٢٣٤٬٥٦٧");
    expect(withNumerals("0123456789", "arab")).toBe("٠١٢٣٤٥٦٧٨٩");
  });

  it("keeps punctuation that is not between two digits, letters and slashes", () => {
    expect(withNumerals("3 needs, 2 funded.", "arab")).toBe("٣ needs, ٢ funded.");
    expect(withNumerals("28/11/2026", "arab")).toBe("٢٨/١١/٢٠٢٦");
    expect(withNumerals("TDM", "arab")).toBe("TDM");
  });

  it("knows the same systems as the database", () => {
    expect([...NUMERALS]).toEqual([...NUMERAL_SYSTEMS]);
    expect(isNumerals("arab")).toBe(true);
    expect(isNumerals("hindi")).toBe(false);
  });
});

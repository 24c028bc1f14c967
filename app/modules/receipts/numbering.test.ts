import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { counterName, dateIn, formatReceiptNumber, yearIn } from "./numbering";

describe("receipt numbers", () => {
  it("writes R-YYYY-NNNNNN and CN-YYYY-NNNNNN", () => {
    expect(formatReceiptNumber("receipt", 2026, 12)).toBe("R-2026-000012");
    expect(formatReceiptNumber("credit_note", 2026, 3)).toBe("CN-2026-000003");
    expect(formatReceiptNumber("receipt", 2026, 1_234_567)).toBe("R-2026-1234567");
    expect(counterName("receipt", 2026)).toBe("receipt:2026");
    expect(counterName("credit_note", 2025)).toBe("credit_note:2025");
  });

  it("refuses a sequence below 1 or a year without four digits", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => formatReceiptNumber("receipt", 2026, bad)).toThrow(RangeError);
    expect(() => formatReceiptNumber("receipt", 26, 1)).toThrow(RangeError);
  });

  it("numbers sort in issue order within a kind and year, and never collide", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 1, max: 999_999 }), (a, b) => {
        const x = formatReceiptNumber("receipt", 2026, a);
        const y = formatReceiptNumber("receipt", 2026, b);
        expect(x === y).toBe(a === b);
        expect(x < y).toBe(a < b);
      }),
    );
  });

  it("reads the year and the date in the organisation's time zone", () => {
    const nearMidnight = new Date("2025-12-31T22:30:00Z");
    expect(yearIn(nearMidnight, "Asia/Beirut")).toBe(2026);
    expect(yearIn(nearMidnight, "UTC")).toBe(2025);
    expect(yearIn(nearMidnight, "America/New_York")).toBe(2025);
    expect(dateIn(nearMidnight, "Asia/Beirut")).toBe("2026-01-01");
    expect(dateIn(nearMidnight, "UTC")).toBe("2025-12-31");
  });
});

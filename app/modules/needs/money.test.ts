import { describe, expect, it } from "vitest";
import { minorToInput, parseMoney, todayIn } from "./money";
import { needEditorSchema } from "./schemas";

describe("money typed by a person becomes integer minor units", () => {
  it.each([
    ["0", "USD", "needs:errors.amountPositive"],
    ["0.00", "USD", "needs:errors.amountPositive"],
    ["-1", "USD", "needs:errors.amountPositive"],
    ["10.555", "USD", "needs:errors.amountTooPrecise"],
    ["1.5", "JPY", "needs:errors.amountTooPrecise"],
    ["1.5", "SYP", "needs:errors.amountTooPrecise"],
    ["abc", "USD", "needs:errors.amountInvalid"],
    ["1,000", "USD", "needs:errors.amountInvalid"],
    ["1e3", "USD", "needs:errors.amountInvalid"],
    ["", "USD", "needs:errors.amountRequired"],
    ["99999999999999999", "USD", "needs:errors.amountTooLarge"],
  ])("%s %s is refused (%s)", (input, currency, error) => {
    expect(parseMoney(input, currency)).toEqual({ ok: false, error });
  });

  it.each([
    ["1250.5", "USD", 125050],
    ["1250.50", "USD", 125050],
    ["0.01", "USD", 1],
    ["12", "USD", 1200],
    ["1500", "JPY", 1500],
    ["250000", "SYP", 250000],
    ["250000.000", "SYP", 250000],
    ["١٢٥٠٫٥", "USD", 125050],
    [" 75 ", "EGP", 7500],
  ])("%s %s = %i minor units", (input, currency, minor) => {
    expect(parseMoney(input, currency)).toEqual({ ok: true, minor });
  });

  it("writes minor units back as the decimal a person types", () => {
    expect(minorToInput(125050, "USD")).toBe("1250.50");
    expect(minorToInput(5, "USD")).toBe("0.05");
    expect(minorToInput(250000, "SYP")).toBe("250000");
  });
});

describe("the editor schema", () => {
  const base = {
    category: "school_fees",
    target: "450",
    deadline: "2026-03-01",
    urgency: "normal",
    payeeKind: "school",
    payeeName: "School",
    titleAr: "أقساط",
  };

  it("refuses a deadline before today in the organisation's time zone", () => {
    // 23:30 UTC on 1 March is already 2 March in Beirut, but still 1 March in UTC.
    const now = new Date("2026-03-01T23:30:00Z");
    expect(todayIn("Asia/Beirut", now)).toBe("2026-03-02");
    expect(todayIn("UTC", now)).toBe("2026-03-01");
    const beirut = needEditorSchema({ currency: "USD", today: todayIn("Asia/Beirut", now) }).safeParse(base);
    expect(beirut.success).toBe(false);
    expect(beirut.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["deadline", "needs:errors.deadlinePast"]]);
    expect(needEditorSchema({ currency: "USD", today: todayIn("UTC", now) }).safeParse(base).success).toBe(true);
  });

  it("refuses zero, negative, too precise and non-numeric targets with their own message", () => {
    const schema = needEditorSchema({ currency: "USD", today: "2026-01-01" });
    for (const [target, message] of [
      ["0", "needs:errors.amountPositive"],
      ["-5", "needs:errors.amountPositive"],
      ["10.555", "needs:errors.amountTooPrecise"],
      ["ten", "needs:errors.amountInvalid"],
    ]) {
      const result = schema.safeParse({ ...base, target });
      expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["target", message]]);
    }
  });

  it("an in-kind need's target is the total of its items, whatever was typed", () => {
    const schema = needEditorSchema({ currency: "USD", today: "2026-01-01" });
    const result = schema.parse({
      ...base,
      category: "in_kind_item",
      payeeKind: "vendor",
      target: "1",
      items: [
        { labelAr: "ماكينة خياطة", quantity: "2", unitCost: "100.50" },
        { labelEn: "Thread", quantity: "3", unitCost: "10" },
        {},
      ],
    });
    expect(result.fields.targetMinor).toBe(2 * 10050 + 3 * 1000);
    expect(result.items).toEqual([
      { labelAr: "ماكينة خياطة", labelEn: null, quantity: 2, unitCostMinor: 10050 },
      { labelAr: null, labelEn: "Thread", quantity: 3, unitCostMinor: 1000 },
    ]);
  });

  it("an in-kind need without items, or with a bad line, is refused", () => {
    const schema = needEditorSchema({ currency: "USD", today: "2026-01-01" });
    const none = schema.safeParse({ ...base, category: "in_kind_item" });
    expect(none.error?.issues.map((i) => i.message)).toEqual(["needs:errors.itemsRequired"]);
    const bad = schema.safeParse({ ...base, category: "in_kind_item", items: [{ labelAr: "كرسي", quantity: "0", unitCost: "1.001" }] });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["items.0.quantity", "needs:errors.quantityInvalid"],
      ["items.0.unitCost", "needs:errors.amountTooPrecise"],
    ]);
  });

  it("needs a title in at least one language", () => {
    const schema = needEditorSchema({ currency: "USD", today: "2026-01-01" });
    const result = schema.safeParse({ ...base, titleAr: undefined });
    expect(result.error?.issues.map((i) => i.message)).toEqual(["needs:errors.titleRequired"]);
  });
});

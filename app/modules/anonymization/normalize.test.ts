import { describe, expect, it } from "vitest";
import { normalizeText, toAsciiDigits, words } from "./normalize";

describe("Arabic normalization", () => {
  it("folds alef forms, ta marbuta, alef maqsura, diacritics and tatweel", () => {
    const spellings = ["فاطمة", "فاطمه", "فاطِمَة", "فاطـــمة", "فَاطِمَةُ"];
    const normalized = new Set(spellings.map(normalizeText));
    expect([...normalized]).toEqual(["فاطمه"]);
    expect(normalizeText("أحمد")).toBe(normalizeText("احمد"));
    expect(normalizeText("إسراء")).toBe(normalizeText("اسراء"));
    expect(normalizeText("آمنة")).toBe(normalizeText("امنه"));
    expect(normalizeText("مصطفى")).toBe(normalizeText("مصطفي"));
  });

  it("turns Arabic-Indic and Persian digits into ASCII", () => {
    expect(toAsciiDigits("٠٣١٢٣٤٥٦٧")).toBe("031234567");
    expect(toAsciiDigits("۰۹۱۲۳")).toBe("09123");
    expect(normalizeText("هاتف ٧١-٢٣٤٥٦٧")).toBe("هاتف 71-234567");
  });

  it("lower-cases Latin and drops accents", () => {
    expect(normalizeText("FATİMA Zahrá")).toBe("fatima zahra");
  });

  it("splits words in both scripts", () => {
    expect(words("تحتاج أسرةُ أبو-علي إلى 3 أشهر rent")).toEqual([
      "تحتاج", "اسره", "ابو", "علي", "الي", "3", "اشهر", "rent",
    ]);
  });
});

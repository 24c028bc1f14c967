import { describe, expect, it } from "vitest";
import { buildSearchText, toPrefixQuery } from "./search-text";
import { parsePublicFilters } from "./filters";

const need = {
  category: "school_fees",
  titleAr: "أقساط مدرسيّة لطالبة",
  titleEn: "School fees for a student",
  storyAr: "تحتاج إلى دعمٍ لإكمال السنة.",
  storyEn: null,
  items: [{ labelAr: "ماكينة خياطة", labelEn: "Sewing machine" }],
  governorate: { nameAr: "البقاع", nameEn: "Bekaa" },
};

describe("buildSearchText", () => {
  it("holds the normalized words of every public field, the category and the governorate in both languages", () => {
    const text = buildSearchText(need);
    const words = text.split(" ");
    // ة → ه, diacritics (shadda, tanwin) gone, Latin lower-cased
    for (const w of ["اقساط", "مدرسيه", "لطالبه", "دعم", "school", "student", "ماكينه", "sewing", "البقاع", "bekaa", "fees"]) {
      expect(words).toContain(w);
    }
    for (const ch of ["ة", "أ", "\u064B", "\u0651"]) expect(text).not.toContain(ch);
  });

  it("also holds each Arabic word without its attached prefixes, and romanized skeletons", () => {
    const words = buildSearchText({ ...need, storyAr: "شراء الماعز والخبز بالمدرسة" }).split(" ");
    for (const w of ["الماعز", "ماعز", "والخبز", "الخبز", "خبز", "بالمدرسه", "مدرسه", "xqmz", "xqxbz", "xqmdrs"]) expect(words).toContain(w);
    expect(new Set(words).size).toBe(words.length); // each token once
  });

  it("has nothing but letters, digits and single spaces", () => {
    expect(buildSearchText({ ...need, storyEn: "100% (urgent) — a 'test' & more!" })).toMatch(/^[\p{L}\p{N}]+( [\p{L}\p{N}]+)*$/u);
  });
});

describe("toPrefixQuery", () => {
  it("normalizes like the search text and prefix-matches every word, through each of its readings", () => {
    expect(toPrefixQuery("مدرسيّة  School")).toBe("مدرسيه:* & (school:* | xqscl:*)");
    expect(toPrefixQuery("أدوية")).toBe("ادويه:*");
    expect(toPrefixQuery("بالمدرسة")).toBe("(بالمدرسه:* | مدرسه:* | المدرسه:*)");
    // A doubtful reading (a single-letter particle, a short stem) matches whole words only.
    expect(toPrefixQuery("كتاب")).toBe("(كتاب:* | تاب)");
    expect(toPrefixQuery("maiz")).toBe("(maiz:* | xqmz | xqmv)");
  });

  it("drops every tsquery operator, so raw input never reaches the query syntax", () => {
    expect(toPrefixQuery("a & b | !c <-> (d):* 'e'")).toBe("a:* & b:* & c:* & d:* & e:*");
    expect(toPrefixQuery("'); drop table needs; --")).toBe("(drop:* | xqdrb:*) & (table:* | xqtbl:*) & (needs:* | xqnds:*)");
    for (const empty of ["", "   ", "&|!():*<>'\"", null, undefined]) expect(toPrefixQuery(empty)).toBeNull();
    // Every token is letters or digits: the only syntax is the one toPrefixQuery writes.
    expect(toPrefixQuery("madrasa (x) 'y' بالمدرسة")!.replace(/[()|&:*]/g, " ")).toMatch(/^[\p{L}\p{N} ]+$/u);
  });

  it("keeps a query small: at most 8 distinct words, each cut to 40 letters", () => {
    const q = toPrefixQuery(`${"x".repeat(100)} a a b c d e f g h i j`)!;
    expect(q.split(" & ")).toHaveLength(8);
    expect(q.split(" & ")[0]).toBe(`(${"x".repeat(40)}:* | xqx)`);
  });
});

describe("parsePublicFilters", () => {
  it("reads known values and reports nonsense", () => {
    const ok = parsePublicFilters(new URLSearchParams("category=surgery&urgency=critical&currency=usd&sort=newest&page=2&org=al-amal&q=%20x%20"));
    expect(ok.bad).toBe(false);
    expect(ok.filters).toMatchObject({ category: "surgery", urgency: "critical", currency: "USD", sort: "newest", page: 2, org: "al-amal", q: "x" });
    const bad = parsePublicFilters(new URLSearchParams("category=cars&region=1&sort=random&page=-1&org=Bad%20Slug"));
    expect(bad.bad).toBe(true);
    expect(bad.filters).toMatchObject({ category: null, region: null, sort: "urgent", page: 1, org: null });
  });
});

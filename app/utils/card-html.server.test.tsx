import { describe, expect, it } from "vitest";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import { cardHtmlMemo, publicCards, renderCardHtml } from "./card-html.server";
import { localeCookie, serverI18n } from "./i18next.server";

const need: PublicNeed = {
  publicId: "CARDTEST0001",
  category: "school_fees",
  titleAr: "أقساط مدرسية لطالبة",
  titleEn: "School fees for a student",
  storyAr: "طالبة متفوقة تحتاج إلى دعم.",
  storyEn: "A bright student needs help.",
  targetMinor: 240_000,
  currency: "USD",
  deadline: "2099-09-01",
  urgency: "high",
  governorate: { nameAr: "الجنوب", nameEn: "South" },
  ageBand: "12-17",
  gender: "female",
  onlyLanguage: null,
  items: [],
  org: { nameAr: "جمعية", nameEn: "Association", slug: "assoc" },
  verifiedAt: "2026-11-01T10:00:00.000Z",
  progress: { raisedMinor: 60_000, reservedMinor: 0, remainingMinor: 180_000, percent: 25, donorCount: 3, status: "open" } as PublicNeed["progress"],
};

describe("public cards rendered on their own", () => {
  it("is the card: title linked, money in a left-to-right run, the language's strings", async () => {
    cardHtmlMemo.clear();
    const html = renderCardHtml({ need, locale: "ar", href: "/needs/CARDTEST0001" }, await serverI18n("ar"), "latn");
    expect(html).toMatch(/^<article /);
    expect(html).toContain('<a href="/needs/CARDTEST0001"');
    expect(html).toContain("أقساط مدرسية لطالبة");
    expect(html).toMatch(/<bdi dir="ltr"[^>]*data-money="">US\$\u00a02,400\.00<\/bdi>/);
    const en = renderCardHtml({ need, locale: "en", href: "/needs/CARDTEST0001" }, await serverI18n("en"), "latn");
    expect(en).toContain("School fees for a student");
    expect(en).not.toContain("أقساط");
  });

  it("remembers each card by all it depends on: the same arguments give the same HTML without rendering again; a change renders anew", async () => {
    cardHtmlMemo.clear();
    const ar = await serverI18n("ar");
    const first = renderCardHtml({ need, locale: "ar", href: "/needs/CARDTEST0001" }, ar, "latn");
    expect(cardHtmlMemo.size()).toBe(1);
    expect(renderCardHtml({ need: structuredClone(need), locale: "ar", href: "/needs/CARDTEST0001" }, ar, "latn")).toBe(first);
    expect(cardHtmlMemo.size()).toBe(1);
    // A payment arrived: the progress changes, so does the card.
    const paid = { ...need, progress: { ...need.progress!, raisedMinor: 120_000, remainingMinor: 120_000, percent: 50 } };
    const after = renderCardHtml({ need: paid, locale: "ar", href: "/needs/CARDTEST0001" }, ar, "latn");
    expect(after).not.toBe(first);
    expect(after).toContain("1,200.00");
    // The new card replaces the old one: one card per need, language, digits and link.
    expect(cardHtmlMemo.size()).toBe(1);
    expect(renderCardHtml({ need: paid, locale: "ar", href: "/needs/CARDTEST0001" }, ar, "latn")).toBe(after);
    // The person's digits are part of the key: Arabic-Indic digits for who chose them.
    const arab = renderCardHtml({ need, locale: "ar", href: "/needs/CARDTEST0001" }, ar, "arab");
    expect(arab).toContain("٢٬٤٠٠٫٠٠");
    expect(cardHtmlMemo.size()).toBe(2);
  });

  it("renders a list's cards in the loader, in the request's language, each linked to its need (decision 074)", async () => {
    const other = { ...need, publicId: "CARDTEST0002", titleAr: "عملية جراحية", titleEn: "An operation" };
    const ar = await publicCards(new Request("http://localhost/needs"), [need, other]);
    expect(ar.map((c) => c.publicId)).toEqual(["CARDTEST0001", "CARDTEST0002"]);
    expect(ar[0].html).toContain("أقساط مدرسية لطالبة");
    expect(ar[1].html).toContain('<a href="/needs/CARDTEST0002"');
    expect(ar[1].html).toContain("عملية جراحية");
    const en = await publicCards(
      new Request("http://localhost/needs", { headers: { Cookie: await localeCookie.serialize("en") } }),
      [need],
    );
    expect(en[0].html).toContain("School fees for a student");
    expect(en[0].html).not.toContain("أقساط");
    expect(await publicCards(new Request("http://localhost/needs"), [])).toEqual([]);
  });
});

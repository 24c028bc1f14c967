import { describe, expect, it } from "vitest";
import type { FilterChoices } from "~/modules/marketplace/listing.server";
import { filtersHtmlMemo, needFiltersHtml } from "./filters-html.server";

const choices = (version: number, extraRegion = false): FilterChoices => ({
  version,
  orgs: [{ slug: "amal-tripoli", nameAr: "جمعية الأمل", nameEn: "Amal Association", country: "LB", defaultCurrency: "USD" }],
  governorates: [
    { id: "11111111-1111-4111-8111-111111111111", nameAr: "عكار", nameEn: "Akkar", orgSlug: "amal-tripoli" },
    ...(extraRegion ? [{ id: "22222222-2222-4222-8222-222222222222", nameAr: "بعلبك", nameEn: "Baalbek", orgSlug: "amal-tripoli" }] : []),
  ],
});
const none = { category: null, region: null, urgency: null, org: null, currency: null, match: null, sort: "urgent" as const, q: "" };
const request = (lang: "ar" | "en") => new Request(`http://localhost/needs?lng=${lang}`, { headers: { "accept-language": lang } });

describe("the listing's filters, rendered on their own and remembered (decision 082)", () => {
  it("a plain GET form to /needs with the filters in use selected, in the request's language", async () => {
    filtersHtmlMemo.clear();
    const html = await needFiltersHtml(request("en"), { ...none, region: "11111111-1111-4111-8111-111111111111", q: "goat" }, choices(1), ["USD"]);
    expect(html).toMatch(/^<section /);
    expect(html).toContain('<form method="get" action="/needs"');
    expect(html).toContain('value="goat"');
    expect(html).toContain('<option value="11111111-1111-4111-8111-111111111111" selected="">Akkar (Amal Association)</option>');
    expect(html).toContain("<details open=");
    const ar = await needFiltersHtml(request("ar"), none, choices(1), ["USD"]);
    expect(ar).toContain("عكار");
    expect(ar).not.toContain("<details open=");
  });

  it("the same filters, language and choices give the remembered HTML; anything else renders anew", async () => {
    filtersHtmlMemo.clear();
    const first = await needFiltersHtml(request("en"), none, choices(7), ["USD"]);
    expect(await needFiltersHtml(request("en"), { ...none }, choices(7), ["USD"])).toBe(first);
    expect(filtersHtmlMemo.size()).toBe(1);
    const searched = await needFiltersHtml(request("en"), { ...none, q: "school" }, choices(7), ["USD"]);
    expect(searched).toContain('value="school"');
    // New choices (a governorate added): a new version, a new form that lists it.
    const grown = await needFiltersHtml(request("en"), none, choices(8, true), ["USD"]);
    expect(grown).toContain("Baalbek");
    expect(filtersHtmlMemo.size()).toBe(3);
  });

  it("a visitor's words are escaped in the form", async () => {
    const html = await needFiltersHtml(request("en"), { ...none, q: '"><script>alert(1)</script>' }, choices(9), ["USD"]);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
  });
});

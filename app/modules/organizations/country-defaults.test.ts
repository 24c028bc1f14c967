import { describe, expect, it } from "vitest";
import { COUNTRY_DEFAULTS, countryTimeZones, currencyChoices, defaultsForCountry, timeZoneChoices } from "./country-defaults";
import { CreateOrganizationSchema, OrgProfileSchema, isCurrencyCode } from "./schemas";

const base = { slug: "new-org", nameAr: "جمعية", nameEn: "Association", adminEmail: "admin@example.test" };

describe("an organisation's country sets its defaults", () => {
  it("maps the region's countries to their currency and zone (Lebanon in dollars)", () => {
    expect(defaultsForCountry("LB")).toEqual({ currency: "USD", timeZone: "Asia/Beirut" });
    expect(defaultsForCountry("eg")).toEqual({ currency: "EGP", timeZone: "Africa/Cairo" });
    expect(defaultsForCountry("SY")).toEqual({ currency: "SYP", timeZone: "Asia/Damascus" });
    expect(defaultsForCountry("JO")).toEqual({ currency: "JOD", timeZone: "Asia/Amman" });
    // Every table entry is a real ISO currency and an IANA zone this runtime knows.
    for (const d of Object.values(COUNTRY_DEFAULTS)) {
      expect(isCurrencyCode(d.currency)).toBe(true);
      expect(Intl.supportedValuesOf("timeZone")).toContain(d.timeZone);
    }
  });

  it("falls back to USD and the country's own zone for a country outside the table", () => {
    expect(defaultsForCountry("KW")).toEqual({ currency: "USD", timeZone: "Asia/Kuwait" });
  });

  it("lists the country's zones first, then every other zone once", () => {
    expect(countryTimeZones("PS").slice(0, 2).sort()).toEqual(["Asia/Gaza", "Asia/Hebron"]);
    const { lead, rest } = timeZoneChoices("EG");
    expect(lead[0]).toBe("Africa/Cairo");
    expect(rest).toContain("Asia/Beirut");
    expect(rest).not.toContain("Africa/Cairo");
    const currencies = currencyChoices(["EGP"]);
    expect(currencies[0]).toBe("EGP");
    expect(new Set(currencies).size).toBe(currencies.length);
    expect(currencies).toContain("SYP");
  });

  it("fills an empty currency and time zone of a new organisation from its country (no JavaScript)", () => {
    expect(CreateOrganizationSchema.parse({ ...base, country: "EG" })).toMatchObject({
      country: "EG",
      defaultCurrency: "EGP",
      timeZone: "Africa/Cairo",
    });
    expect(CreateOrganizationSchema.parse({ ...base, country: "other", countryOther: "kw" })).toMatchObject({
      country: "KW",
      defaultCurrency: "USD",
      timeZone: "Asia/Kuwait",
    });
    // What the admin chose wins over the country's default.
    expect(CreateOrganizationSchema.parse({ ...base, country: "EG", defaultCurrency: "USD", timeZone: "Asia/Beirut" })).toMatchObject({
      defaultCurrency: "USD",
      timeZone: "Asia/Beirut",
    });
    const bad = CreateOrganizationSchema.safeParse({ ...base, country: "XX" });
    expect(bad.success || bad.error.flatten().fieldErrors).toEqual({ country: ["errors:invalidChoice"] });
  });

  it("checks the public profile fields with translated messages", () => {
    const profile = { intent: "profile", nameAr: "ج", nameEn: "A" };
    expect(OrgProfileSchema.parse({ ...profile, foundedYear: 2016, missionAr: " رسالة " })).toMatchObject({ foundedYear: 2016, missionAr: "رسالة" });
    const early = OrgProfileSchema.safeParse({ ...profile, foundedYear: 1850 });
    expect(early.success || early.error.flatten().fieldErrors).toEqual({ foundedYear: ["staff:errors.foundedYear"] });
    const future = OrgProfileSchema.safeParse({ ...profile, foundedYear: new Date().getUTCFullYear() + 1 });
    expect(future.success || future.error.flatten().fieldErrors).toEqual({ foundedYear: ["staff:errors.foundedYearFuture"] });
    const long = OrgProfileSchema.safeParse({ ...profile, missionEn: "x".repeat(1001) });
    expect(long.success || long.error.flatten().fieldErrors).toEqual({ missionEn: ["errors:tooLong"] });
  });
});

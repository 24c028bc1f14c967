import { describe, expect, it } from "vitest";
import {
  AuditFilterSchema,
  ChangeRolesSchema,
  CreateOrganizationSchema,
  InviteSchema,
  OrgProfileSchema,
  canonicalTimeZone,
  isCountryCode,
  isCurrencyCode,
} from "./schemas";
import { buildRegionTree, childLevel } from "./regions";

const base = {
  slug: "new-org",
  nameAr: "جمعية",
  nameEn: "Association",
  country: "LB",
  defaultCurrency: "usd",
  timeZone: "asia/beirut",
  adminEmail: " Admin@Example.TEST ",
};

describe("organisation form rules", () => {
  it("knows time zones, currencies and countries through Intl", () => {
    expect(canonicalTimeZone("asia/beirut")).toBe("Asia/Beirut");
    expect(canonicalTimeZone("Africa/Cairo")).toBe("Africa/Cairo");
    expect(canonicalTimeZone("Mars/Olympus")).toBeNull();
    expect(canonicalTimeZone("'; drop table x")).toBeNull();
    expect(isCurrencyCode("SYP")).toBe(true);
    expect(isCurrencyCode("usd")).toBe(false);
    expect(isCurrencyCode("ABC")).toBe(false);
    expect(isCountryCode("JO")).toBe(true);
    expect(isCountryCode("PS")).toBe(true);
    expect(isCountryCode("ZZ")).toBe(false);
    expect(isCountryCode("AA")).toBe(false);
  });

  it("normalises a new organisation and resolves 'other' country", () => {
    const ok = CreateOrganizationSchema.parse(base);
    expect(ok).toMatchObject({ country: "LB", defaultCurrency: "USD", timeZone: "Asia/Beirut", adminEmail: "admin@example.test" });
    expect(CreateOrganizationSchema.parse({ ...base, country: "other", countryOther: "jo" }).country).toBe("JO");
    const missing = CreateOrganizationSchema.safeParse({ ...base, country: "other" });
    expect(missing.success || missing.error.flatten().fieldErrors).toEqual({ countryOther: ["errors:required"] });
    const bad = CreateOrganizationSchema.safeParse({ ...base, country: "other", countryOther: "QQ" });
    expect(bad.success || bad.error.flatten().fieldErrors).toEqual({ countryOther: ["admin:errors.invalidCountry"] });
  });

  it("answers every bad field with an i18n key", () => {
    const result = CreateOrganizationSchema.safeParse({
      ...base,
      slug: "Switch",
      defaultCurrency: "dollars",
      timeZone: "Nowhere/City",
      adminEmail: "not-an-email",
    });
    expect(result.success || result.error.flatten().fieldErrors).toEqual({
      slug: ["admin:errors.slugReserved"],
      defaultCurrency: ["staff:errors.invalidCurrency"],
      timeZone: ["staff:errors.invalidTimeZone"],
      adminEmail: ["errors:invalidEmail"],
    });
    const slug = CreateOrganizationSchema.safeParse({ ...base, slug: "bad_slug!" });
    expect(slug.success || slug.error.flatten().fieldErrors.slug).toEqual(["admin:errors.slugFormat"]);
    const invite = InviteSchema.safeParse({ intent: "invite", email: "x@example.test", role: "owner" });
    expect(invite.success || invite.error.flatten().fieldErrors.role).toEqual(["errors:invalidChoice"]);
    const roles = ChangeRolesSchema.safeParse({ intent: "roles", membershipId: crypto.randomUUID() });
    expect(roles.success || roles.error.flatten().fieldErrors.roles).toEqual(["staff:errors.rolesRequired"]);
    const profile = OrgProfileSchema.safeParse({ intent: "profile", nameAr: " ", nameEn: "x", timeZone: "UTC", defaultCurrency: "EGP" });
    expect(profile.success || profile.error.flatten().fieldErrors.nameAr).toEqual(["errors:required"]);
  });

  it("checks audit filter dates and their order", () => {
    expect(AuditFilterSchema.safeParse({ from: "2025-01-01", to: "2025-01-31" }).success).toBe(true);
    expect(AuditFilterSchema.safeParse({ from: "2025-02-30" }).success).toBe(false);
    const reversed = AuditFilterSchema.safeParse({ from: "2025-02-01", to: "2025-01-31" });
    expect(reversed.success || reversed.error.flatten().fieldErrors.to).toEqual(["staff:audit.errors.range"]);
    const junk = AuditFilterSchema.safeParse({ from: "yesterday", actor: "me" });
    expect(junk.success || junk.error.flatten().fieldErrors).toEqual({
      from: ["staff:audit.errors.date"],
      actor: ["errors:invalid"],
    });
  });
});

describe("region tree", () => {
  it("nests governorate → district → locality in order", () => {
    const tree = buildRegionTree([
      { id: "d1", parentId: "g1", level: "district", nameAr: "ب", nameEn: "Tyre", sortOrder: 1 },
      { id: "g1", parentId: null, level: "governorate", nameAr: "أ", nameEn: "South", sortOrder: 0 },
      { id: "d0", parentId: "g1", level: "district", nameAr: "ج", nameEn: "Saida", sortOrder: 0 },
      { id: "l1", parentId: "d0", level: "locality", nameAr: "د", nameEn: "Camp", sortOrder: 0 },
    ]);
    expect(tree.map((g) => [g.id, g.children.map((d) => [d.id, d.children.map((l) => l.id)])])).toEqual([
      ["g1", [["d0", ["l1"]], ["d1", []]]],
    ]);
    expect(childLevel(null)).toBe("governorate");
    expect(childLevel("governorate")).toBe("district");
    expect(childLevel("district")).toBe("locality");
    expect(childLevel("locality")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { homeAfterSignIn, isPrivatePath } from "./home";

const donor = { isPlatformAdmin: false, memberships: [] };

describe("where a person lands after signing in", () => {
  it("sends a donor back to the page they were on, else home", () => {
    expect(homeAfterSignIn({ ...donor, from: "/needs/abc/pledge?amount=50" })).toBe("/needs/abc/pledge?amount=50");
    expect(homeAfterSignIn({ ...donor, from: null })).toBe("/");
    expect(homeAfterSignIn({ ...donor, from: "/" })).toBe("/");
  });

  it("sends staff to their staff home, finance-only people to finance, a platform admin to admin", () => {
    const one = (roles: string[]) => ({ isPlatformAdmin: false, memberships: [{ slug: "bayader", roles }], from: null });
    expect(homeAfterSignIn(one(["caseworker"]))).toBe("/staff/bayader");
    expect(homeAfterSignIn(one(["finance", "verifier"]))).toBe("/staff/bayader");
    expect(homeAfterSignIn(one(["finance"]))).toBe("/finance/bayader");
    expect(
      homeAfterSignIn({ isPlatformAdmin: false, memberships: [{ slug: "a", roles: ["finance"] }, { slug: "b", roles: ["caseworker"] }], from: null }),
    ).toBe("/staff");
    expect(homeAfterSignIn({ isPlatformAdmin: true, memberships: [], from: null })).toBe("/admin/organizations");
    expect(homeAfterSignIn({ isPlatformAdmin: true, memberships: [{ slug: "a", roles: ["org_admin"] }], from: null })).toBe("/staff/a");
  });

  it("keeps staff on a private page that sent them to sign in, not on a public page", () => {
    const staff = { isPlatformAdmin: false, memberships: [{ slug: "bayader", roles: ["verifier"] }] };
    expect(homeAfterSignIn({ ...staff, from: "/staff/bayader/verification" })).toBe("/staff/bayader/verification");
    expect(homeAfterSignIn({ ...staff, from: "/invites/tok123" })).toBe("/invites/tok123");
    expect(homeAfterSignIn({ ...staff, from: "/needs?category=food" })).toBe("/staff/bayader");
    expect(homeAfterSignIn({ ...staff, from: "/" })).toBe("/staff/bayader");
    expect(isPrivatePath("/staffroom")).toBe(false);
    expect(isPrivatePath("/account")).toBe(true);
  });
});

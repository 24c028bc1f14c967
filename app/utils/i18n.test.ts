import { describe, expect, it } from "vitest";
import { areaOf } from "./i18n";
import { clientResources } from "./i18next.server";

describe("strings sent to the browser", () => {
  it("donor pages get only the public namespaces; staff pages get every client namespace", () => {
    expect(areaOf("/")).toBe("public");
    expect(areaOf("/needs/ABC")).toBe("public");
    expect(areaOf("/staff/bayader-camps/households")).toBe("staff");
    expect(areaOf("/invites/token")).toBe("staff");
    expect(areaOf("/staffing")).toBe("public");
    const donor = Object.keys(clientResources("ar", "/needs"));
    expect(donor).toEqual(expect.arrayContaining(["common", "public", "pledging", "needs"]));
    expect(donor).not.toContain("staff");
    expect(donor).not.toContain("registry");
    expect(donor).not.toContain("admin");
    expect(Object.keys(clientResources("en", "/staff/x"))).toEqual(expect.arrayContaining(["staff", "registry", "admin"]));
  });
});

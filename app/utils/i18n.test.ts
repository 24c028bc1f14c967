import { describe, expect, it } from "vitest";
import { areaOf } from "./i18n";
import { clientResources } from "./i18next.server";

describe("strings sent to the browser", () => {
  it("donor pages get no strings (rendered on the server only); staff pages get every client namespace", () => {
    expect(areaOf("/")).toBe("public");
    expect(areaOf("/needs/ABC")).toBe("public");
    expect(areaOf("/staff/bayader-camps/households")).toBe("staff");
    expect(areaOf("/invites/token")).toBe("staff");
    expect(areaOf("/staffing")).toBe("public");
    expect(clientResources("ar", "/needs")).toEqual({});
    expect(clientResources("en", "/login")).toEqual({});
    expect(Object.keys(clientResources("en", "/staff/x"))).toEqual(expect.arrayContaining(["staff", "registry", "admin"]));
  });
});

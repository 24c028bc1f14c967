import { describe, expect, it } from "vitest";
import { availableActions, canEditNeed, decideTransition, mayEditContent, NEED_STATES, TRANSITIONS } from "./lifecycle";

const author = "author-1";
const verifier = "verifier-2";

describe("need life cycle", () => {
  it("walks draft → submitted → verified → published with two different people", () => {
    expect(decideTransition({ action: "submit", state: "draft", actorId: author, actorRoles: ["caseworker"], authorId: author }))
      .toEqual({ ok: true, to: "submitted", guarded: true });
    expect(decideTransition({ action: "verify", state: "submitted", actorId: verifier, actorRoles: ["verifier"], authorId: author }))
      .toEqual({ ok: true, to: "verified", guarded: true });
    expect(decideTransition({ action: "publish", state: "verified", actorId: verifier, actorRoles: ["verifier"], authorId: author }))
      .toEqual({ ok: true, to: "published", guarded: true });
  });

  it("never lets the author verify, return, reject or publish their own need — even holding the verifier role", () => {
    for (const action of ["verify", "return", "reject"] as const) {
      expect(decideTransition({ action, state: "submitted", actorId: author, actorRoles: ["caseworker", "verifier"], authorId: author, reason: "r" }))
        .toEqual({ ok: false, refusal: "author_cannot_verify" });
    }
    expect(decideTransition({ action: "publish", state: "verified", actorId: author, actorRoles: ["org_admin"], authorId: author }))
      .toEqual({ ok: false, refusal: "author_cannot_verify" });
    expect(availableActions("submitted", author, ["caseworker", "verifier"], author)).toEqual(["cancel"]);
  });

  it("requires a reason to return, reject or cancel", () => {
    expect(decideTransition({ action: "return", state: "submitted", actorId: verifier, actorRoles: ["verifier"], authorId: author, reason: "  " }))
      .toEqual({ ok: false, refusal: "reason_required" });
    expect(decideTransition({ action: "return", state: "submitted", actorId: verifier, actorRoles: ["verifier"], authorId: author, reason: "Missing school letter" }))
      .toEqual({ ok: true, to: "returned", guarded: false });
  });

  it("refuses transitions that do not exist and roles that may not make them", () => {
    expect(decideTransition({ action: "verify", state: "draft", actorId: verifier, actorRoles: ["verifier"], authorId: author }))
      .toEqual({ ok: false, refusal: "invalid_transition" });
    expect(decideTransition({ action: "verify", state: "submitted", actorId: "fin", actorRoles: ["finance"], authorId: author }))
      .toEqual({ ok: false, refusal: "role_not_allowed" });
    expect(decideTransition({ action: "submit", state: "published", actorId: author, actorRoles: ["caseworker"], authorId: author }))
      .toEqual({ ok: false, refusal: "invalid_transition" });
  });

  it("moves the later states (funded, disbursed, closed, expired) only through later work, not these actions", () => {
    const reachable = new Set(Object.values(TRANSITIONS).map((t) => t.to));
    for (const state of ["funded", "disbursed", "closed", "expired"] as const) {
      expect(NEED_STATES).toContain(state);
      expect(reachable.has(state)).toBe(false);
    }
  });
});

describe("who may edit a need's content", () => {
  it("its author (caseworker or admin) or an org admin, and only while draft or returned", () => {
    expect(canEditNeed("draft", author, author, ["caseworker"])).toBe(true);
    expect(canEditNeed("returned", author, "admin-3", ["org_admin"])).toBe(true);
    expect(canEditNeed("draft", author, verifier, ["verifier"])).toBe(false);
    expect(canEditNeed("draft", author, "other-caseworker", ["caseworker"])).toBe(false);
    expect(canEditNeed("submitted", author, author, ["caseworker"])).toBe(false);
    expect(mayEditContent(author, author, ["verifier"])).toBe(false);
  });
});

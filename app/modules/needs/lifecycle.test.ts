import { describe, expect, it } from "vitest";
import {
  availableActions,
  canEditNeed,
  deadlinePassed,
  decideSystemTransition,
  decideTransition,
  mayEditContent,
  NEED_STATES,
  SYSTEM_NEED_ACTIONS,
  TRANSITIONS,
} from "./lifecycle";

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

  it("no staff action reaches funded, disbursed, closed or expired: the system moves those", () => {
    const reachable = new Set(Object.values(TRANSITIONS).map((t) => t.to));
    for (const state of ["funded", "disbursed", "closed", "expired"] as const) {
      expect(NEED_STATES).toContain(state);
      expect(reachable.has(state)).toBe(false);
    }
  });

  it("expire, fund and unfund are system transitions: never a button, whatever the roles", () => {
    const roles = ["caseworker", "verifier", "finance", "org_admin"] as const;
    for (const state of NEED_STATES) {
      const actions = availableActions(state, "someone", roles, author);
      for (const system of SYSTEM_NEED_ACTIONS) expect(actions).not.toContain(system);
    }
    expect(decideSystemTransition("expire", "published")).toEqual({ ok: true, to: "expired" });
    expect(decideSystemTransition("fund", "published")).toEqual({ ok: true, to: "funded" });
    expect(decideSystemTransition("unfund", "funded")).toEqual({ ok: true, to: "published" });
    for (const state of NEED_STATES.filter((s) => s !== "published")) {
      expect(decideSystemTransition("expire", state)).toEqual({ ok: false, refusal: "invalid_transition" });
      expect(decideSystemTransition("fund", state)).toEqual({ ok: false, refusal: "invalid_transition" });
    }
    expect(decideSystemTransition("unfund", "published")).toEqual({ ok: false, refusal: "invalid_transition" });
  });

  it("cancel is open to staff from published and verified (the release of pledges is the module's)", () => {
    for (const state of ["verified", "published"] as const) {
      expect(decideTransition({ action: "cancel", state, actorId: author, actorRoles: ["caseworker"], authorId: author, reason: "Family moved" }))
        .toEqual({ ok: true, to: "cancelled", guarded: false });
    }
    expect(decideTransition({ action: "cancel", state: "funded", actorId: author, actorRoles: ["org_admin"], authorId: author, reason: "r" }))
      .toEqual({ ok: false, refusal: "invalid_transition" });
  });

  it("a deadline lasts until the end of its day in the organisation's time zone", () => {
    // 2026-03-10 ends at 22:00 UTC in Beirut (UTC+2 in March).
    expect(deadlinePassed("2026-03-10", "Asia/Beirut", new Date("2026-03-10T21:59:59Z"))).toBe(false);
    expect(deadlinePassed("2026-03-10", "Asia/Beirut", new Date("2026-03-10T22:00:00Z"))).toBe(true);
    // The same instant is still the 10th in UTC.
    expect(deadlinePassed("2026-03-10", "UTC", new Date("2026-03-10T22:00:00Z"))).toBe(false);
    expect(deadlinePassed("2026-03-10", "UTC", new Date("2026-03-11T00:00:00Z"))).toBe(true);
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

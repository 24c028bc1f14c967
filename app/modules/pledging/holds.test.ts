import { describe, expect, it } from "vitest";
import { CARD_HOLD_MS, UNCONFIRMED_HOLD_MS, canConfirm, fullHoldUntil, initialHold } from "./holds";
import { hasDetailsFor, methodsMissingDetails, offeredMethods } from "./methods";

const now = new Date("2030-03-01T12:00:00Z");
const H = 3600_000;

describe("hold periods (pure, clock passed in)", () => {
  it("a guest's offline pledge: 24 hours, unconfirmed", () => {
    expect(initialHold("offline", { now, verifiedDonor: false, expiryDays: 7 })).toEqual({
      expiresAt: new Date(now.getTime() + 24 * H),
      confirmed: false,
    });
    expect(UNCONFIRMED_HOLD_MS).toBe(24 * H);
  });
  it("a verified donor's offline pledge: the organisation's full period at once, confirmed", () => {
    expect(initialHold("offline", { now, verifiedDonor: true, expiryDays: 10 })).toEqual({
      expiresAt: new Date(now.getTime() + 10 * 24 * H),
      confirmed: true,
    });
    expect(initialHold("offline", { now, verifiedDonor: true, expiryDays: null }).expiresAt).toEqual(new Date(now.getTime() + 7 * 24 * H));
  });
  it("card a day, delivery never; the full period counts from creation and is never shorter than 24 hours", () => {
    expect(initialHold("card", { now, verifiedDonor: false, expiryDays: 7 }).expiresAt).toEqual(new Date(now.getTime() + CARD_HOLD_MS));
    expect(initialHold("delivery", { now, verifiedDonor: false, expiryDays: 7 })).toEqual({ expiresAt: null, confirmed: true });
    expect(fullHoldUntil(now, 1)).toEqual(new Date(now.getTime() + 24 * H));
  });
  it("can be confirmed only while pending, unconfirmed and inside its 24 hours", () => {
    const expiresAt = new Date(now.getTime() + 24 * H);
    expect(canConfirm({ status: "pending", confirmedAt: null, expiresAt }, new Date(now.getTime() + 23 * H))).toBe(true);
    expect(canConfirm({ status: "pending", confirmedAt: null, expiresAt }, new Date(now.getTime() + 25 * H))).toBe(false);
    expect(canConfirm({ status: "expired", confirmedAt: null, expiresAt }, now)).toBe(false);
    expect(canConfirm({ status: "pending", confirmedAt: now, expiresAt }, now)).toBe(false);
  });
});

describe("offered methods (pure)", () => {
  const all = {
    accountNumber: "LB62",
    officeInstructionsAr: "المكتب",
    transferShopInstructionsEn: "Shop",
  };
  it("by default, every offline method whose details exist; never card while the platform takes none", () => {
    expect(offeredMethods(all, "USD")).toEqual(["bank_transfer", "cash", "money_transfer"]);
    expect(offeredMethods({ accountNumber: " " }, "USD")).toEqual([]);
    expect(offeredMethods(null, "USD")).toEqual([]);
    expect(offeredMethods(all, "USD")).not.toContain("card");
  });
  it("only the ticked ones; card once the platform takes cards and only in a card currency", () => {
    expect(offeredMethods({ ...all, offeredMethods: ["cash"] }, "USD")).toEqual(["cash"]);
    expect(offeredMethods({ ...all, offeredMethods: [] }, "USD")).toEqual([]);
    expect(offeredMethods(all, "USD", true)).not.toContain("card"); // the organisation has not switched card on
    expect(offeredMethods({ ...all, cardEnabled: true }, "USD", true)).toContain("card");
    expect(offeredMethods({ ...all, cardEnabled: true }, "USD", false)).not.toContain("card"); // the platform cannot take cards
    expect(offeredMethods({ ...all, cardEnabled: true }, "SYP", true)).not.toContain("card"); // Stripe does not take SYP
  });
  it("a ticked method without its details is reported", () => {
    expect(hasDetailsFor("cash", { officeInstructionsEn: "x" })).toBe(true);
    expect(methodsMissingDetails(["bank_transfer", "money_transfer"], { accountNumber: "1" })).toEqual(["money_transfer"]);
  });
});

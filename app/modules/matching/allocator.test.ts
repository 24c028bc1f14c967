import { describe, expect, it } from "vitest";
import { allocate, scoreNeed, type AllocatorGift, type AllocatorNeed } from "./allocator";

const NOW = new Date("2026-11-28T10:00:00Z");

function need(id: string, over: Partial<AllocatorNeed> = {}): AllocatorNeed {
  return {
    id,
    orgId: "org-a",
    category: "school_fees",
    currency: "USD",
    urgency: "normal",
    regionIds: ["gov-1", "dist-1"],
    zakatEligible: false,
    deadline: null,
    publishedAt: new Date("2026-11-20T00:00:00Z"),
    targetMinor: 100_00,
    committedMinor: 0,
    ...over,
  };
}

function gift(id: string, availableMinor: number, over: Partial<AllocatorGift> = {}): AllocatorGift {
  return { id, currency: "USD", availableMinor, receivedAt: new Date("2026-11-01T00:00:00Z"), restrictions: {}, ...over };
}

const CAP = { capPerNeedMinor: { USD: 50_00 }, now: NOW };

describe("scoring a need", () => {
  it("adds documented points: urgency, deadline, waiting, how little it got, close to done", () => {
    const s = scoreNeed(
      need("n", { urgency: "critical", deadline: "2026-12-28", publishedAt: new Date("2026-09-29T00:00:00Z"), committedMinor: 50_00 }),
      NOW,
      50_00,
    );
    // 30 days to the deadline → half of 25; 60 days waiting → 15; half received → 5; 50 left fits the cap → 10.
    expect(s.parts).toEqual({ urgency: 40, deadline: 13, waiting: 15, received: 5, closeToDone: 10 });
    expect(s.score).toBe(83);
    expect(s.daysToDeadline).toBe(30);
    expect(s.daysWaiting).toBe(60);
  });

  it("a past deadline scores the full 25, no deadline scores 0", () => {
    expect(scoreNeed(need("n", { deadline: "2026-11-01" }), NOW, 1).parts.deadline).toBe(25);
    expect(scoreNeed(need("n"), NOW, 1).parts.deadline).toBe(0);
  });

  it("the more urgent need goes first", () => {
    const r = allocate([gift("g", 10_00)], [need("a"), need("b", { urgency: "critical" })], CAP);
    expect(r.allocations).toEqual([expect.objectContaining({ giftId: "g", needId: "b", amountMinor: 10_00 })]);
    expect(r.ranking.map((s) => s.needId)).toEqual(["b", "a"]);
  });
});

describe("allocating", () => {
  it("spreads under the cap: no need gets more than the cap in one run", () => {
    const r = allocate([gift("g", 120_00)], [need("a", { urgency: "critical" }), need("b", { urgency: "high" }), need("c")], CAP);
    expect(r.allocations.map((a) => [a.needId, a.amountMinor])).toEqual([
      ["a", 50_00],
      ["b", 50_00],
      ["c", 20_00],
    ]);
    expect(r.leftovers).toEqual([{ giftId: "g", currency: "USD", availableMinor: 0 }]);
  });

  it("never gives a need more than it has left", () => {
    const r = allocate([gift("g", 100_00)], [need("a", { committedMinor: 93_00 })], CAP);
    expect(r.allocations.map((a) => a.amountMinor)).toEqual([7_00]);
    expect(r.leftovers[0]!.availableMinor).toBe(93_00);
  });

  it("respects restrictions: organisation, category, region (any ancestor) and zakat", () => {
    const needs = [
      need("other-org", { orgId: "org-b", urgency: "critical" }),
      need("medical", { category: "medical_treatment", urgency: "critical" }),
      need("far", { regionIds: ["gov-2"], urgency: "critical" }),
      need("not-zakat", { urgency: "critical" }),
      need("ok", { zakatEligible: true }),
    ];
    const g = gift("g", 500_00, { restrictions: { orgIds: ["org-a"], categories: ["school_fees"], regionIds: ["gov-1"], zakat: true } });
    const r = allocate([g], needs, CAP);
    expect(r.allocations.map((a) => a.needId)).toEqual(["ok"]);
  });

  it("never mixes currencies, and leaves a currency without a cap alone", () => {
    const r = allocate([gift("usd", 10_00), gift("lbp", 1_000_000, { currency: "LBP" })], [need("lbp-need", { currency: "LBP", targetMinor: 5_000_000 })], CAP);
    expect(r.allocations).toEqual([]);
    const r2 = allocate([gift("usd", 10_00), gift("lbp", 1_000_000, { currency: "LBP" })], [need("lbp-need", { currency: "LBP", targetMinor: 5_000_000 })], {
      ...CAP,
      capPerNeedMinor: { USD: 50_00, LBP: 2_000_000 },
    });
    expect(r2.allocations).toEqual([expect.objectContaining({ giftId: "lbp", needId: "lbp-need", amountMinor: 1_000_000 })]);
  });

  it("spends restricted money where only it can go, leaving flexible money for the rest", () => {
    // Zakat money can only go to "z"; the free gift can go anywhere. Spending the free gift on "z"
    // first would strand the zakat money.
    const needs = [need("z", { zakatEligible: true, urgency: "critical", targetMinor: 30_00 }), need("plain", { targetMinor: 30_00 })];
    const r = allocate([gift("free", 30_00, { receivedAt: new Date("2026-01-01T00:00:00Z") }), gift("zakat", 30_00, { restrictions: { zakat: true } })], needs, CAP);
    expect(r.allocations.map((a) => [a.giftId, a.needId, a.amountMinor])).toEqual([
      ["zakat", "z", 30_00],
      ["free", "plain", 30_00],
    ]);
  });

  it("uses the oldest money first among equally restricted gifts", () => {
    const r = allocate([gift("new", 10_00, { receivedAt: new Date("2026-11-20T00:00:00Z") }), gift("old", 10_00)], [need("a", { targetMinor: 10_00 })], CAP);
    expect(r.allocations.map((a) => a.giftId)).toEqual(["old"]);
  });

  it("skips needs already fully committed and needs no gift can reach", () => {
    const r = allocate([gift("g", 10_00, { restrictions: { orgIds: ["org-a"] } })], [need("full", { committedMinor: 100_00 }), need("b-org", { orgId: "org-b" })], CAP);
    expect(r.allocations).toEqual([]);
    expect(r.ranking).toEqual([]);
  });
});

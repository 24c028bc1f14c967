import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { assertBalanced } from "~/modules/ledger/ledger";
import {
  availableMinor,
  becomesDisbursed,
  checkClaims,
  decisionRefusal,
  disbursementPostings,
  formatDisbursementNumber,
  type NeedBalance,
} from "./rules";

const NEEDS = ["n1", "n2", "n3"];

describe("claims on needs' funds", () => {
  it("property: whatever batches are asked, accepted and withdrawn, the open claims on a need never exceed its fund", () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant("ask" as const), items: fc.array(fc.record({ needId: fc.constantFrom(...NEEDS), amountMinor: fc.integer({ min: -5, max: 6_000 }) }), { maxLength: 4 }) }),
      fc.record({ type: fc.constant("close" as const), index: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.tuple(...NEEDS.map(() => fc.integer({ min: 0, max: 10_000 }))), fc.array(op, { maxLength: 30 }), (funds, ops) => {
        const fund = new Map(NEEDS.map((n, i) => [n, funds[i]]));
        const open: { needId: string; amountMinor: number }[][] = [];
        for (const o of ops) {
          if (o.type === "close") {
            if (open.length) open.splice(o.index % open.length, 1);
            continue;
          }
          const balances = new Map<string, NeedBalance>(
            NEEDS.map((n) => [n, { fundMinor: fund.get(n)!, claimedMinor: open.flat().filter((c) => c.needId === n).reduce((s, c) => s + c.amountMinor, 0) }]),
          );
          const decision = checkClaims(o.items, balances);
          if (decision.ok) {
            expect(decision.totalMinor).toBe(o.items.reduce((s, i) => s + i.amountMinor, 0));
            expect(o.items.every((i) => i.amountMinor > 0)).toBe(true);
            open.push(o.items);
          }
          for (const n of NEEDS) {
            const claimed = open.flat().filter((c) => c.needId === n).reduce((s, c) => s + c.amountMinor, 0);
            expect(claimed).toBeLessThanOrEqual(fund.get(n)!);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("property: a claim that fits is accepted (the rule is not simply refusing everything)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (fundMinor, claimedMinor) => {
        const left = availableMinor(fundMinor, claimedMinor);
        const balances = new Map([["n", { fundMinor, claimedMinor }]]);
        if (left > 0) expect(checkClaims([{ needId: "n", amountMinor: left }], balances)).toEqual({ ok: true, totalMinor: left });
        expect(checkClaims([{ needId: "n", amountMinor: left + 1 }], balances)).toMatchObject({ ok: false, code: "over_balance", availableMinor: left });
      }),
    );
  });

  it("refuses no items, a need twice, zero, fractions and unknown needs", () => {
    const b = new Map([["a", { fundMinor: 100, claimedMinor: 0 }]]);
    expect(checkClaims([], b)).toMatchObject({ ok: false, code: "items_invalid" });
    expect(checkClaims([{ needId: "a", amountMinor: 1 }, { needId: "a", amountMinor: 1 }], b)).toMatchObject({ ok: false, code: "items_invalid" });
    expect(checkClaims([{ needId: "a", amountMinor: 0 }], b)).toMatchObject({ ok: false, code: "amount_invalid" });
    expect(checkClaims([{ needId: "a", amountMinor: 1.5 }], b)).toMatchObject({ ok: false, code: "amount_invalid" });
    expect(checkClaims([{ needId: "z", amountMinor: 1 }], b)).toMatchObject({ ok: false, code: "need_not_found" });
  });
});

describe("posting, numbering, deciding", () => {
  it("property: the paid entry balances — each need's fund debited, the money account credited the total", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ needId: fc.uuid(), amountMinor: fc.integer({ min: 1, max: 10_000_000 }) }), { minLength: 1, maxLength: 8, selector: (i) => i.needId }), (items) => {
        const postings = disbursementPostings(items, { kind: "bank", moneyAccountId: "acc" });
        assertBalanced(postings);
        expect(postings.at(-1)!.amountMinor).toBe(-items.reduce((s, i) => s + i.amountMinor, 0));
      }),
    );
  });

  it("numbers DSB-YYYY-NNNNNN", () => {
    expect(formatDisbursementNumber(2026, 12)).toBe("DSB-2026-000012");
    expect(() => formatDisbursementNumber(2026, 0)).toThrow(RangeError);
  });

  it("a funded need whose fund is emptied is disbursed; not before, not from another state", () => {
    expect(becomesDisbursed("funded", 0)).toBe(true);
    expect(becomesDisbursed("funded", 1)).toBe(false);
    expect(becomesDisbursed("published", 0)).toBe(false);
  });

  it("the requester never decides; only a requested batch is decided", () => {
    expect(decisionRefusal({ status: "requested", requestedBy: "u1" }, "u1")).toBe("four_eyes_same_person");
    expect(decisionRefusal({ status: "requested", requestedBy: "u1" }, null)).toBe("four_eyes_same_person");
    expect(decisionRefusal({ status: "approved", requestedBy: "u1" }, "u2")).toBe("invalid_state");
    expect(decisionRefusal({ status: "requested", requestedBy: "u1" }, "u2")).toBeNull();
  });
});

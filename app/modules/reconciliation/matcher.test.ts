import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newReference } from "~/modules/pledging/reference";
import { buildMatchIndex, compareAmount, DEFAULT_MATCH_OPTIONS, matchLine, maxFee, type Candidate, type MatchLineInput, type PledgeCandidate } from "./matcher";

const ORG = "00000000-0000-4000-8000-00000000000a";
const OTHER_ORG = "00000000-0000-4000-8000-00000000000b";
const ACCOUNT = "00000000-0000-4000-8000-0000000000ac";

let seq = 0;
function seededRef(seed: number): string {
  let s = seed;
  return newReference((n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 1) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      out[i] = s >> 16;
    }
    return out;
  });
}

function pledge(overrides: Partial<PledgeCandidate> = {}): PledgeCandidate {
  seq += 1;
  return {
    kind: "pledge",
    id: `p-${String(seq).padStart(6, "0")}`,
    orgId: ORG,
    currency: "USD",
    reference: seededRef(seq * 7919),
    outstandingMinor: 10_000,
    createdDate: "2026-03-01",
    expiresDate: "2026-03-08",
    donorKey: `donor${seq}@example.test`,
    donorName: null,
    ...overrides,
  };
}

function line(overrides: Partial<MatchLineInput> = {}): MatchLineInput {
  return { id: "l-1", orgId: ORG, moneyAccountId: ACCOUNT, currency: "USD", amountMinor: 10_000, valueDate: "2026-03-04", description: "", reference: null, ...overrides };
}

const body = (ref: string) => ref.replace(/[^0-9A-Z]/g, "").slice(3);
const arabic = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

describe("matchLine: confirmed references, however the bank wrote them", () => {
  const p = pledge();
  const others = [pledge(), pledge(), pledge({ outstandingMinor: 10_000 })];
  const index = buildMatchIndex([p, ...others]);
  const b = body(p.reference);
  it.each([
    ["as printed", `TRF ${p.reference}`],
    ["lower case, no dashes", `trf ${p.reference.toLowerCase().replace(/-/g, "")}`],
    ["spaces", `tdm ${b.slice(0, 4)} ${b.slice(4)}`],
    ["Arabic-Indic digits", `حوالة tdm${arabic(b)}`],
    ["O for 0 and l for 1", `TDM-${b.replace(/0/g, "O").replace(/1/g, "l")}`],
    ["dashes everywhere", `T-D-M-${b.split("").join("-")}`],
    ["in the reference column only", ""],
  ])("%s", (_label, description) => {
    const d = matchLine(line({ description, reference: description ? null : p.reference.toLowerCase() }), index);
    expect(d.status).toBe("matched");
    if (d.status !== "matched") return;
    expect(d.kind).toBe("reference");
    expect(d.allocations).toEqual([expect.objectContaining({ kind: "pledge", id: p.id, amountMinor: 10_000, feeMinor: 0 })]);
    expect(d.allocations[0].reasons.map((r) => r.code)).toContain("reference_confirmed");
  });

  it("a lost check symbol (tdm 7k3q9f) is a partial clue: matched only when it names one pledge with the amount", () => {
    const d = matchLine(line({ description: `tdm ${b.slice(0, 6).toLowerCase()}` }), index);
    expect(d).toMatchObject({ status: "matched", allocations: [{ id: p.id, reasons: expect.arrayContaining([{ code: "reference_partial", value: b.slice(0, 6) }]) }] });
    const wrongAmount = matchLine(line({ description: `tdm ${b.slice(0, 6)}`, amountMinor: 3_000 }), index);
    expect(wrongAmount.status).toBe("suggested");
  });

  it("fee-short: matched with the fee recorded; a half payment is a part payment, not a fee", () => {
    const d = matchLine(line({ description: p.reference, amountMinor: 9_800 }), index);
    expect(d).toMatchObject({ status: "matched", allocations: [{ id: p.id, amountMinor: 9_800, feeMinor: 200, reasons: expect.arrayContaining([{ code: "amount_fee_short", value: 200 }]) }] });
    const half = matchLine(line({ description: p.reference, amountMinor: 5_000 }), index);
    expect(half).toMatchObject({ status: "matched", allocations: [{ id: p.id, amountMinor: 5_000, feeMinor: 0, reasons: expect.arrayContaining([{ code: "amount_part", value: 5_000 }]) }] });
  });

  it("over: the whole line goes to the pledge's payment (the surplus goes to the unrestricted fund when booked)", () => {
    const d = matchLine(line({ description: p.reference, amountMinor: 12_000 }), index);
    expect(d).toMatchObject({ status: "matched", allocations: [{ id: p.id, amountMinor: 12_000, reasons: expect.arrayContaining([{ code: "amount_over", value: 2_000 }]) }] });
  });

  it("another organisation's or another currency's pledge is never matched", () => {
    const foreign = pledge({ orgId: OTHER_ORG });
    const euro = pledge({ currency: "EUR" });
    const idx = buildMatchIndex([foreign, euro]);
    expect(matchLine(line({ description: foreign.reference }), idx).status).toBe("unmatched");
    expect(matchLine(line({ description: euro.reference }), idx).status).toBe("unmatched");
  });
});

describe("matchLine: one line for several pledges of one donor", () => {
  const a = pledge({ donorKey: "samira@example.test", outstandingMinor: 5_000 });
  const b = pledge({ donorKey: "samira@example.test", outstandingMinor: 3_000 });
  const c = pledge({ donorKey: "other@example.test", outstandingMinor: 3_000 });
  const index = buildMatchIndex([a, b, c]);

  it("combined: each pledge gets its outstanding amount, in the order found", () => {
    const d = matchLine(line({ amountMinor: 8_000, description: `${b.reference} + ${a.reference.toLowerCase()}` }), index);
    expect(d).toMatchObject({ status: "matched", allocations: [{ id: b.id, amountMinor: 3_000 }, { id: a.id, amountMinor: 5_000 }] });
  });

  it("combined and fee-short: the fee on the last", () => {
    const d = matchLine(line({ amountMinor: 7_900, description: `${a.reference} ${b.reference}` }), index);
    expect(d).toMatchObject({ status: "matched", allocations: [{ id: a.id, amountMinor: 5_000, feeMinor: 0 }, { id: b.id, amountMinor: 2_900, feeMinor: 100 }] });
  });

  it("combined but short: in the order found", () => {
    const d = matchLine(line({ amountMinor: 6_000, description: `${a.reference} ${b.reference}` }), index);
    expect(d).toMatchObject({ status: "matched", allocations: [{ id: a.id, amountMinor: 5_000 }, { id: b.id, amountMinor: 1_000 }] });
  });

  it("references of two different donors: only suggested", () => {
    const d = matchLine(line({ amountMinor: 8_000, description: `${a.reference} ${c.reference}` }), index);
    expect(d.status).toBe("suggested");
  });
});

describe("matchLine: no reference", () => {
  it("a single open pledge with the amount and the date in its window: matched (amount_date)", () => {
    const p = pledge({ outstandingMinor: 12_345 });
    const d = matchLine(line({ amountMinor: 12_345, description: "TRANSFER FROM A FRIEND" }), buildMatchIndex([p, pledge()]));
    expect(d).toMatchObject({ status: "matched", kind: "amount_date", allocations: [{ id: p.id, reasons: expect.arrayContaining([{ code: "single_candidate" }, { code: "date_in_window" }]) }] });
  });

  it("fee-short by amount alone: suggested by default, matched with the option when single", () => {
    const p = pledge({ outstandingMinor: 50_000 });
    expect(matchLine(line({ amountMinor: 49_500 }), buildMatchIndex([p]))).toMatchObject({ status: "suggested", suggestions: [{ id: p.id, reasons: expect.arrayContaining([{ code: "amount_fee_short", value: 500 }]) }] });
    const d = matchLine(line({ amountMinor: 49_500 }), buildMatchIndex([p]), { autoFeeShortWithoutReference: true });
    expect(d).toMatchObject({ status: "matched", kind: "amount_date", allocations: [{ id: p.id, amountMinor: 49_500, feeMinor: 500 }] });
  });

  it("an exact amount wins over fee-short neighbours; two exact ones never match", () => {
    const p = pledge({ outstandingMinor: 100_003 });
    const near = pledge({ outstandingMinor: 100_013 });
    expect(matchLine(line({ amountMinor: 100_003 }), buildMatchIndex([p, near]))).toMatchObject({ status: "matched", allocations: [{ id: p.id }] });
    expect(matchLine(line({ amountMinor: 100_003 }), buildMatchIndex([p, near, pledge({ outstandingMinor: 100_003, createdDate: "2025-01-01", expiresDate: "2025-01-08" })])).status).toBe("suggested");
  });

  it("two candidates with the amount: never matched, both suggested with reasons", () => {
    const p1 = pledge({ outstandingMinor: 7_000 });
    const p2 = pledge({ outstandingMinor: 7_000, donorName: "Samira Haddad" });
    const d = matchLine(line({ amountMinor: 7_000, description: "from samira haddad" }), buildMatchIndex([p1, p2]));
    expect(d.status).toBe("suggested");
    if (d.status !== "suggested") return;
    expect(d.suggestions[0]).toMatchObject({ id: p2.id, reasons: expect.arrayContaining([{ code: "amount_equal" }, { code: "donor_name_in_text" }]) });
    expect(d.suggestions.map((s) => s.id)).toContain(p1.id);
  });

  it("outside the date window: suggested only", () => {
    const p = pledge({ outstandingMinor: 4_444 });
    const d = matchLine(line({ amountMinor: 4_444, valueDate: "2026-06-01" }), buildMatchIndex([p]));
    expect(d).toMatchObject({ status: "suggested", suggestions: [{ id: p.id, reasons: expect.arrayContaining([{ code: "date_out_of_window" }]) }] });
  });

  it("a line naming another (unknown) code is not matched by amount", () => {
    const p = pledge({ outstandingMinor: 3_210 });
    const d = matchLine(line({ amountMinor: 3_210, description: seededRef(999_999) }), buildMatchIndex([p]));
    expect(d.status).not.toBe("matched");
  });

  it("a hand-recorded payment of the pledge with the amount is linked, not booked again", () => {
    const p = pledge();
    const payment: Candidate = { kind: "payment", id: "pay-1", orgId: ORG, currency: "USD", moneyAccountId: ACCOUNT, onDefaultAccount: true, amountMinor: 10_000, feeMinor: 0, valueDate: "2026-03-04", pledgeReference: p.reference };
    const d = matchLine(line({ description: p.reference }), buildMatchIndex([p, payment]));
    expect(d).toMatchObject({ status: "matched", allocations: [{ kind: "payment", id: "pay-1", amountMinor: 10_000 }] });
  });
});

describe("matchLine: money out and payouts", () => {
  it("a disbursement batch by its number, or by amount and date when single", () => {
    const batch: Candidate = { kind: "disbursement", id: "b-1", orgId: ORG, currency: "USD", number: "DSB-2026-000012", totalMinor: 250_000, date: "2026-03-02" };
    const idx = buildMatchIndex([batch]);
    expect(matchLine(line({ amountMinor: -250_000, description: "transfer dsb 2026 12 school fees" }), idx)).toMatchObject({ status: "matched", kind: "disbursement", allocations: [{ id: "b-1" }] });
    expect(matchLine(line({ amountMinor: -250_000, description: "OUTGOING TRANSFER" }), idx)).toMatchObject({ status: "matched", kind: "disbursement" });
    expect(matchLine(line({ amountMinor: -250_000, valueDate: "2026-02-01" }), idx).status).toBe("suggested");
  });

  it("a Stripe payout by its descriptor", () => {
    const payout: Candidate = { kind: "payout", id: "po_123", orgId: ORG, currency: "USD", amountMinor: 98_765, arrivalDate: "2026-03-05", descriptor: "TADAMON PO 8XK2" };
    expect(matchLine(line({ amountMinor: 98_765, description: "STRIPE TADAMON PO 8XK2" }), buildMatchIndex([payout]))).toMatchObject({ status: "matched", kind: "payout", allocations: [{ id: "po_123" }] });
  });
});

describe("fee band", () => {
  it("per currency digits, capped", () => {
    expect(maxFee(10_000, "USD")).toBe(500); // max(2 % = 200, 5.00 = 500), cap 10 % = 1 000
    expect(maxFee(1_000, "USD")).toBe(100); // capped at 10 %
    expect(maxFee(10_000_000, "JOD")).toBe(200_000); // 2 %
    expect(maxFee(100_000, "JOD")).toBe(5_000); // 5.000 JOD
    expect(compareAmount(9_600, 10_000, "USD", DEFAULT_MATCH_OPTIONS.feeBand)).toBe("fee_short");
    expect(compareAmount(9_400, 10_000, "USD", DEFAULT_MATCH_OPTIONS.feeBand)).toBe("part");
    expect(maxFee(10_000, "LBP", { ...DEFAULT_MATCH_OPTIONS.feeBand, fixedMinor: { LBP: 700 } })).toBe(700);
  });
});

describe("properties", () => {
  const pledgeArb = fc.record({
    n: fc.integer({ min: 1, max: 1_000_000 }),
    org: fc.constantFrom(ORG, OTHER_ORG),
    currency: fc.constantFrom("USD", "EUR"),
    outstanding: fc.integer({ min: 1, max: 50_000 }),
    donor: fc.constantFrom("a", "b"),
  });
  const world = fc.array(pledgeArb, { minLength: 1, maxLength: 12 }).map((rows) => {
    const seen = new Set<string>();
    return rows
      .map((r, i) => pledge({ id: `q-${i}`, orgId: r.org, currency: r.currency, outstandingMinor: r.outstanding, reference: seededRef(r.n), donorKey: r.donor }))
      .filter((p) => (seen.has(p.reference) ? false : (seen.add(p.reference), true)));
  });
  const lineArb = (pledges: PledgeCandidate[]) =>
    fc.record({
      amount: fc.oneof(fc.integer({ min: 1, max: 120_000 }), fc.constantFrom(...pledges.map((p) => p.outstandingMinor))),
      refs: fc.subarray(pledges.map((p) => p.reference), { maxLength: Math.min(3, pledges.length) }),
      noise: fc.constantFrom("", "trf", "حوالة", "tdm"),
      lower: fc.boolean(),
    });

  it("never a pledge of another organisation or currency; allocations never exceed the line; deterministic", () => {
    fc.assert(
      fc.property(
        world.chain((pledges) => fc.tuple(fc.constant(pledges), lineArb(pledges))),
        ([pledges, l]) => {
          const text = `${l.noise} ${l.refs.join(" ")}`;
          const input = line({ amountMinor: l.amount, description: l.lower ? text.toLowerCase() : text });
          const index = buildMatchIndex(pledges);
          const d = matchLine(input, index);
          expect(matchLine(input, buildMatchIndex([...pledges].reverse()))).toEqual(d);
          if (d.status === "matched") {
            const total = d.allocations.reduce((t, a) => t + a.amountMinor, 0);
            expect(total).toBeLessThanOrEqual(input.amountMinor);
            for (const a of d.allocations) {
              expect(a.amountMinor).toBeGreaterThan(0);
              const p = pledges.find((x) => x.id === a.id)!;
              expect(p.orgId).toBe(ORG);
              expect(p.currency).toBe("USD");
            }
          }
          if (d.status === "suggested") for (const s of d.suggestions) expect(pledges.find((x) => x.id === s.id)).toMatchObject({ orgId: ORG, currency: "USD" });
        },
      ),
      { numRuns: 400 },
    );
  });

  it("amount alone never matches when two open pledges could take it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 1_000_000 }), fc.integer({ min: 0, max: 3 }), (amount, extra) => {
        const pledges = [pledge({ outstandingMinor: amount }), pledge({ outstandingMinor: amount }), ...Array.from({ length: extra }, () => pledge())];
        const d = matchLine(line({ amountMinor: amount, description: "transfer" }), buildMatchIndex(pledges));
        expect(d.status).toBe("suggested");
      }),
      { numRuns: 200 },
    );
  });

  it("100 000 lines against 100 000 pledges in a few seconds", () => {
    const pledges: PledgeCandidate[] = [];
    for (let i = 0; i < 100_000; i += 1) pledges.push(pledge({ id: `big-${i}`, reference: seededRef(i + 17), outstandingMinor: 1_000 + ((i * 37) % 90_000) }));
    const t0 = performance.now();
    const index = buildMatchIndex(pledges);
    let matched = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const p = pledges[i];
      const d = matchLine(line({ id: `l${i}`, amountMinor: p.outstandingMinor, description: i % 2 ? `trf ${p.reference.toLowerCase()}` : `TDM ${body(p.reference)}` }), index);
      if (d.status === "matched") matched += 1;
    }
    const ms = performance.now() - t0;
    expect(matched).toBeGreaterThan(95_000);
    expect(ms).toBeLessThan(15_000);
  }, 30_000);
});

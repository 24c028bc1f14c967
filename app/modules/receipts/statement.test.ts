import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { statementTotals } from "./receipts.server";

const row = fc.record({
  kind: fc.constantFrom("receipt" as const, "credit_note" as const),
  amountMinor: fc.integer({ min: 1, max: 10_000_000 }),
  currency: fc.constantFrom("USD", "EUR", "LBP"),
});

describe("statement totals", () => {
  it("per currency: receipts minus credit notes, in integer minor units", () => {
    expect(
      statementTotals([
        { kind: "receipt", amountMinor: 3_000, currency: "USD" },
        { kind: "receipt", amountMinor: 500, currency: "EUR" },
        { kind: "credit_note", amountMinor: 1_000, currency: "USD" },
        { kind: "receipt", amountMinor: 1_250, currency: "USD" },
      ]),
    ).toEqual([
      { currency: "EUR", receiptsMinor: 500, creditNotesMinor: 0, netMinor: 500 },
      { currency: "USD", receiptsMinor: 4_250, creditNotesMinor: 1_000, netMinor: 3_250 },
    ]);
    expect(statementTotals([])).toEqual([]);
  });

  it("any list: the totals add up to the rows, currency by currency, whatever the order", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const totals = statementTotals(rows);
        const shuffled = statementTotals([...rows].reverse());
        expect(shuffled).toEqual(totals);
        for (const t of totals) {
          const mine = rows.filter((r) => r.currency === t.currency);
          const sum = (k: string) => mine.filter((r) => r.kind === k).reduce((s, r) => s + r.amountMinor, 0);
          expect(t.receiptsMinor).toBe(sum("receipt"));
          expect(t.creditNotesMinor).toBe(sum("credit_note"));
          expect(t.netMinor).toBe(t.receiptsMinor - t.creditNotesMinor);
          expect(Number.isInteger(t.netMinor)).toBe(true);
        }
        expect(new Set(totals.map((t) => t.currency))).toEqual(new Set(rows.map((r) => r.currency)));
      }),
    );
  });
});

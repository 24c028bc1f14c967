import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  LedgerError,
  STRIPE,
  SUSPENSE,
  UNRESTRICTED,
  accountKey,
  accountType,
  assertBalanced,
  movePostings,
  need,
  paidOutPostings,
  paymentPostings,
  refundRequestPostings,
  refundSettlePostings,
  reversalPostings,
  takeFrom,
  type AccountRef,
  type Posting,
} from "./ledger";

const BANK: AccountRef = { kind: "bank", moneyAccountId: "blom-usd" };
const CASH: AccountRef = { kind: "cash", moneyAccountId: "office" };

/** An entry as an accountant reads it. */
function table(postings: Posting[]): string {
  const name = (a: AccountRef) => (a.needId ? `need_fund (${a.needId})` : a.moneyAccountId ? `${a.kind} (${a.moneyAccountId})` : a.kind);
  const rows = postings.map((p) => `| ${name(p.account)} | ${p.amountMinor > 0 ? p.amountMinor : ""} | ${p.amountMinor < 0 ? -p.amountMinor : ""} |`);
  return ["| account | debit | credit |", ...rows].join("\n");
}

describe("accounts", () => {
  it("have a type and a key per organisation and currency", () => {
    expect(accountType("bank")).toBe("asset");
    expect(accountType("need_fund")).toBe("liability");
    expect(accountType("processing_fees")).toBe("expense");
    expect(accountType("fee_cover")).toBe("income");
    expect(accountKey(need("n1"))).toBe("need_fund:n1");
    expect(accountKey(BANK)).toBe("bank:blom-usd");
    expect(accountKey(UNRESTRICTED)).toBe("unrestricted_fund");
    expect(() => accountKey({ kind: "need_fund" })).toThrow(LedgerError);
    expect(() => accountKey({ kind: "cash" })).toThrow(LedgerError);
  });
});

describe("assertBalanced", () => {
  it("refuses one posting, a zero, a fraction and a sum other than zero", () => {
    expect(() => assertBalanced([{ account: STRIPE, amountMinor: 0 }])).toThrow(LedgerError);
    expect(() => assertBalanced([{ account: STRIPE, amountMinor: 5 }, { account: SUSPENSE, amountMinor: -4 }])).toThrow(/sum to zero/);
    expect(() => assertBalanced([{ account: STRIPE, amountMinor: 0.5 }, { account: SUSPENSE, amountMinor: -0.5 }])).toThrow(LedgerError);
    expect(() => assertBalanced([{ account: STRIPE, amountMinor: 0 }, { account: SUSPENSE, amountMinor: 0 }])).toThrow(LedgerError);
    expect(() => assertBalanced([{ account: STRIPE, amountMinor: 5 }, { account: SUSPENSE, amountMinor: -5 }])).not.toThrow();
  });
});

describe("payments", () => {
  it("a bank transfer of 100.00 short by a 2.50 bank fee, for a pledge", () => {
    expect(table(paymentPostings({ asset: BANK, grossMinor: 10_000, feeMinor: 250, target: need("N1") }))).toBe(
      ["| account | debit | credit |", "| bank (blom-usd) | 9750 |  |", "| processing_fees | 250 |  |", "| need_fund (N1) |  | 10000 |"].join("\n"),
    );
  });

  it("a card payment of 103.20 with the donor covering the 3.20 fee and 10.00 beyond the pledge", () => {
    expect(table(paymentPostings({ asset: STRIPE, grossMinor: 10_320, feeMinor: 330, coverFeeMinor: 320, surplusMinor: 1_000, target: need("N1") }))).toBe(
      [
        "| account | debit | credit |",
        "| stripe | 9990 |  |",
        "| processing_fees | 330 |  |",
        "| need_fund (N1) |  | 9000 |",
        "| fee_cover |  | 320 |",
        "| unrestricted_fund |  | 1000 |",
      ].join("\n"),
    );
  });

  it("cash with no usable reference goes to suspense", () => {
    expect(table(paymentPostings({ asset: CASH, grossMinor: 5_000, target: SUSPENSE }))).toBe(
      ["| account | debit | credit |", "| cash (office) | 5000 |  |", "| suspense |  | 5000 |"].join("\n"),
    );
  });

  it("all of it beyond the pledge lands once in the unrestricted fund", () => {
    expect(table(paymentPostings({ asset: BANK, grossMinor: 700, surplusMinor: 700, target: UNRESTRICTED }))).toBe(
      ["| account | debit | credit |", "| bank (blom-usd) | 700 |  |", "| unrestricted_fund |  | 700 |"].join("\n"),
    );
  });

  it("refuses nonsense: no amount, a fee as large as the gift, cover plus surplus beyond it, money arriving in a fund", () => {
    expect(() => paymentPostings({ asset: BANK, grossMinor: 0, target: SUSPENSE })).toThrow(LedgerError);
    expect(() => paymentPostings({ asset: BANK, grossMinor: 100, feeMinor: 100, target: SUSPENSE })).toThrow(LedgerError);
    expect(() => paymentPostings({ asset: BANK, grossMinor: 100, coverFeeMinor: 60, surplusMinor: 50, target: SUSPENSE })).toThrow(LedgerError);
    expect(() => paymentPostings({ asset: UNRESTRICTED, grossMinor: 100, target: SUSPENSE })).toThrow(LedgerError);
  });
});

describe("moves, refunds, reversals", () => {
  it("suspense money attached to a pledge, its excess to the unrestricted fund", () => {
    expect(table(movePostings(SUSPENSE, [{ account: need("N2"), amountMinor: 4_000 }, { account: UNRESTRICTED, amountMinor: 1_000 }]))).toBe(
      ["| account | debit | credit |", "| suspense | 5000 |  |", "| need_fund (N2) |  | 4000 |", "| unrestricted_fund |  | 1000 |"].join("\n"),
    );
  });

  it("a card refund: asked (to refunds payable), then confirmed by Stripe", () => {
    expect(table(refundRequestPostings([{ account: need("N1"), amountMinor: 2_000 }]))).toBe(
      ["| account | debit | credit |", "| need_fund (N1) | 2000 |  |", "| refunds_payable |  | 2000 |"].join("\n"),
    );
    expect(table(refundSettlePostings(2_000))).toBe(["| account | debit | credit |", "| refunds_payable | 2000 |  |", "| stripe |  | 2000 |"].join("\n"));
  });

  it("an offline refund already paid out, from the gift then the surplus", () => {
    const sources = takeFrom(
      [
        { account: need("N1"), amountMinor: 3_000 },
        { account: UNRESTRICTED, amountMinor: 500 },
      ],
      3_200,
    );
    expect(table(paidOutPostings(sources, BANK))).toBe(
      ["| account | debit | credit |", "| need_fund (N1) | 3000 |  |", "| unrestricted_fund | 200 |  |", "| bank (blom-usd) |  | 3200 |"].join("\n"),
    );
    expect(() => takeFrom([{ account: need("N1"), amountMinor: 3_000 }], 3_001)).toThrow(LedgerError);
  });

  it("a reversal turns every sign", () => {
    const original = paymentPostings({ asset: BANK, grossMinor: 1_000, feeMinor: 10, target: need("N1") });
    expect(table(reversalPostings(original))).toBe(
      ["| account | debit | credit |", "| need_fund (N1) | 1000 |  |", "| bank (blom-usd) |  | 990 |", "| processing_fees |  | 10 |"].join("\n"),
    );
  });

  it("property: every payment split balances and never loses a minor unit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (gross, f, c, s) => {
          const fee = f % gross;
          const cover = c % (gross + 1);
          const surplus = s % (gross - cover + 1);
          const postings = paymentPostings({ asset: STRIPE, grossMinor: gross, feeMinor: fee, coverFeeMinor: cover, surplusMinor: surplus, target: need("N") });
          assertBalanced(postings);
          const credits = postings.filter((p) => p.amountMinor < 0).reduce((t, p) => t - p.amountMinor, 0);
          expect(credits).toBe(gross);
        },
      ),
      { numRuns: 300 },
    );
  });
});

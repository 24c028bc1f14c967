import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkRunningBalance,
  closingBalance,
  decodeStatement,
  headerField,
  parseAmount,
  parseDate,
  parseRows,
  resolveDateOrder,
  sniffLayout,
  StatementError,
  type StatementMapping,
} from "./statement-parse";

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, "../../../tests/fixtures/statements", name)));
const utf8 = (text: string) => new TextEncoder().encode(text);

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatementError) return error.code;
    throw error;
  }
  return undefined;
}

function importText(text: string, currency = "USD") {
  const layout = sniffLayout(text);
  return { layout, ...parseRows(text, layout.guess, { currency }) };
}

describe("decodeStatement", () => {
  it("reads UTF-8 with and without a BOM", () => {
    expect(decodeStatement(utf8("Date,Amount\n2026-01-01,1\n"))).toEqual({ text: "Date,Amount\n2026-01-01,1\n", encoding: "utf-8" });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("التاريخ,المبلغ\n")]);
    expect(decodeStatement(bom)).toEqual({ text: "التاريخ,المبلغ\n", encoding: "utf-8" });
  });

  it("reads Windows-1256 when the bytes are not UTF-8 (Arabic headers)", () => {
    const { text, encoding } = decodeStatement(fixture("arab-bank-1256.csv"));
    expect(encoding).toBe("windows-1256");
    expect(text).toContain("التاريخ,البيان,المرجع,مدين,دائن,الرصيد");
    // A hand-built Windows-1256 byte string: "مبلغ" = e3 c8 e1 db.
    expect(decodeStatement(new Uint8Array([0xe3, 0xc8, 0xe1, 0xdb, 0x2c, 0x31])).text).toBe("مبلغ,1");
  });

  it("refuses empty and binary files", () => {
    expect(code(() => decodeStatement(new Uint8Array()))).toBe("empty_file");
    expect(code(() => decodeStatement(utf8("  \n\n")))).toBe("empty_file");
    expect(code(() => decodeStatement(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])))).toBe("binary_file");
    expect(code(() => decodeStatement(utf8("%PDF-1.7 ...")))).toBe("binary_file");
    expect(code(() => decodeStatement(new Uint8Array([0x41, 0x00, 0x42])))).toBe("binary_file");
    expect(code(() => decodeStatement(new Uint8Array(Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? 0x01 : 0x41)))))).toBe("binary_file");
  });
});

describe("headerField", () => {
  it.each([
    ["التاريخ", "date"],
    ["تاريخ الحركة", "date"],
    ["تاريخ القيمة", "valueDate"],
    ["المبلغ", "amount"],
    ["مدين", "debit"],
    ["دائن", "credit"],
    ["سحب", "debit"],
    ["إيداع", "credit"],
    ["الوصف", "description"],
    ["البيان", "description"],
    ["التفاصيل", "description"],
    ["المرجع", "reference"],
    ["الرصيد", "balance"],
    ["Date", "date"],
    ["Value Date", "valueDate"],
    ["Amount (SAR)", "amount"],
    ["Debit", "debit"],
    ["Credit", "credit"],
    ["Withdrawal", "debit"],
    ["Deposit", "credit"],
    ["Description", "description"],
    ["Narrative", "description"],
    ["Transaction Details", "description"],
    ["Reference No.", "reference"],
    ["Running Balance", "balance"],
    ["Account holder", null],
  ])("%s → %s", (header, field) => {
    expect(headerField(header)).toBe(field);
  });
});

describe("parseDate", () => {
  it.each([
    ["12/01/2026", "dmy", "2026-01-12"],
    ["12/01/2026", "auto", "2026-01-12"],
    ["01/12/2026", "mdy", "2026-01-12"],
    ["2026-01-12", "auto", "2026-01-12"],
    ["2026/1/2", "auto", "2026-01-02"],
    ["12-01-2026", "auto", "2026-01-12"],
    ["12.01.2026", "auto", "2026-01-12"],
    ["2/1/26", "auto", "2026-01-02"],
    ["12-Jan-2026", "auto", "2026-01-12"],
    ["12 Jan 2026", "auto", "2026-01-12"],
    ["Jan 12, 2026", "auto", "2026-01-12"],
    ["12 يناير 2026", "auto", "2026-01-12"],
    ["12 كانون الثاني 2026", "auto", "2026-01-12"],
    ["3 أيلول 2026", "auto", "2026-09-03"],
    ["١٢/٠١/٢٠٢٦", "auto", "2026-01-12"],
    ["۱۲/۰۱/۲۰۲۶", "auto", "2026-01-12"],
    ["2026-01-12T10:30:00Z", "auto", "2026-01-12"],
    ["2026-01-12 10:30", "auto", "2026-01-12"],
    ["12/01/2026 09:15", "auto", "2026-01-12"],
    ["20260112", "auto", "2026-01-12"],
    ["31/02/2026", "auto", null],
    ["13/13/2026", "auto", null],
    ["yesterday", "auto", null],
    ["", "auto", null],
  ] as const)("%s (%s) → %s", (raw, order, expected) => {
    expect(parseDate(raw, order)).toBe(expected);
  });

  it("decides day/month order from the whole column", () => {
    expect(resolveDateOrder(["01/02/2026", "03/04/2026", "25/04/2026"], "auto")).toBe("dmy");
    expect(resolveDateOrder(["01/02/2026", "04/25/2026"], "auto")).toBe("mdy");
    expect(resolveDateOrder(["01/02/2026"], "auto")).toBe("dmy");
    expect(resolveDateOrder(["04/25/2026"], "dmy")).toBe("dmy");
    const { lines } = importText("Date,Description,Amount\n01/02/2026,a,1\n04/25/2026,b,2\n");
    expect(lines.map((l) => l.valueDate)).toEqual(["2026-01-02", "2026-04-25"]);
  });

  it("property: any valid calendar day round-trips in every layout", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1990-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split("-");
        expect(parseDate(iso)).toBe(iso);
        expect(parseDate(`${day}/${m}/${y}`, "dmy")).toBe(iso);
        expect(parseDate(`${m}/${day}/${y}`, "mdy")).toBe(iso);
        expect(parseDate(`${Number(day)}.${Number(m)}.${y}`, "dmy")).toBe(iso);
        const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        expect(parseDate(`${day}-${months[Number(m) - 1]}-${y}`)).toBe(iso);
      }),
    );
  });
});

describe("parseAmount", () => {
  const usd = { currency: "USD" };
  it.each([
    ["1,234.50", usd, 123450],
    ["1234.5", usd, 123450],
    ["1234", usd, 123400],
    ["-1,234.50", usd, -123450],
    ["(1,234.50)", usd, -123450],
    ["1,234.50-", usd, -123450],
    ["1,234.50 DR", usd, -123450],
    ["1,234.50 CR", usd, 123450],
    ["$1,234.50", usd, 123450],
    ["USD 1,234.50", usd, 123450],
    ["1 234.50", usd, 123450],
    ["1'234.50", usd, 123450],
    ["١٬٢٣٤٫٥٠", usd, 123450],
    ["۱۲۳۴٫۵", usd, 123450],
    ["1.234,50", { currency: "EUR", decimalMark: "," as const }, 123450],
    ["-5,00", { currency: "EUR", decimalMark: "," as const }, -500],
    ["1 234,5", { currency: "EUR", decimalMark: "," as const }, 123450],
    ["1,234.567", { currency: "JOD" }, 1234567],
    ["12.5 د.ا", { currency: "JOD" }, 12500],
    ["250 ر.س", { currency: "SAR" }, 25000],
    ["1,500", { currency: "JPY" }, 1500],
    ["+20.00", usd, 2000],
    ["0.10", usd, 10],
  ] as const)("%s → %s", (raw, opts, minor) => {
    expect(parseAmount(raw, opts)).toEqual({ ok: true, minor });
  });

  it.each([
    ["", usd, "empty_amount"],
    ["abc", usd, "bad_amount"],
    ["1.2.3", usd, "bad_amount"],
    ["12,34.50", usd, "bad_amount"],
    ["1.234", usd, "too_many_decimals"],
    ["1.5", { currency: "JPY" }, "too_many_decimals"],
    ["1,2345", { currency: "EUR", decimalMark: "," as const }, "too_many_decimals"],
    ["1-2", usd, "bad_amount"],
  ] as const)("%s refused (%s)", (raw, opts, error) => {
    expect(parseAmount(raw, opts)).toEqual({ ok: false, code: error });
  });

  it("property: a formatted amount reads back to its minor units, whatever the style", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -9_999_999_999, max: 9_999_999_999 }),
        fc.constantFrom("USD", "JOD", "JPY", "EGP"),
        fc.constantFrom("en", "de", "ar-EG", "de-CH"),
        fc.constantFrom("minus", "parens", "trailing"),
        (minor, currency, style, neg) => {
          const digits = { USD: 2, JOD: 3, JPY: 0, EGP: 2 }[currency]!;
          const abs = Math.abs(minor);
          let text = new Intl.NumberFormat(style, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true }).format(abs / 10 ** digits);
          const decimalMark = style === "de" ? "," : ".";
          if (minor < 0) text = neg === "minus" ? `-${text}` : neg === "parens" ? `(${text})` : `${text}-`;
          expect(parseAmount(text, { currency, decimalMark })).toEqual({ ok: true, minor: minor === 0 ? 0 : minor });
        },
      ),
    );
  });
});

describe("sniffLayout + parseRows", () => {
  it("Windows-1256 Arabic statement: preamble skipped, debit/credit columns, line numbers, balances", () => {
    const { text, encoding } = decodeStatement(fixture("arab-bank-1256.csv"));
    const layout = sniffLayout(text, encoding);
    expect(layout.delimiter).toBe(",");
    expect(layout.headerRow).toBe(3);
    expect(layout.guess).toMatchObject({ date: 0, description: 1, reference: 2, debit: 3, credit: 4, balance: 5, skipRows: 4, hasHeader: true, encoding: "windows-1256" });
    const { lines, problems } = parseRows(text, layout.guess, { currency: "JOD" });
    expect(problems).toEqual([]);
    expect(lines.map((l) => [l.lineNo, l.valueDate, l.amountMinor, l.balanceMinor])).toEqual([
      [5, "2026-01-02", 1_000_000, 1_000_000],
      [6, "2026-01-05", 250_000, 1_250_000],
      [7, "2026-01-13", -5_000, 1_245_000],
      [8, "2026-01-13", -5_000, 1_240_000],
      [9, "2026-01-20", -1_000_000, 240_000],
    ]);
    expect(lines[1]).toMatchObject({ description: "حوالة واردة TDM-7K3Q-9XH2", reference: "FT26005001" });
    expect(new Set(lines.map((l) => l.fingerprint)).size).toBe(5);
    expect(checkRunningBalance(lines)).toEqual([]);
    expect(closingBalance(lines)).toBe(240_000);
  });

  it("semicolon, BOM, CRLF, decimal comma, quoted embedded newline; a malformed row by its line number", () => {
    const { text } = decodeStatement(fixture("eu-semicolon-bom.csv"));
    const layout = sniffLayout(text);
    expect(layout.delimiter).toBe(";");
    expect(layout.guess).toMatchObject({ date: 0, valueDate: 1, description: 2, reference: 3, amount: 4, balance: 5, decimalMark: "," });
    const { lines, problems, totalRows } = parseRows(text, layout.guess, { currency: "EUR" });
    expect(totalRows).toBe(3);
    expect(lines.map((l) => [l.lineNo, l.valueDate, l.amountMinor, l.balanceMinor])).toEqual([
      [2, "2026-01-12", 123_450, 1_123_450],
      [4, "2026-01-13", -500, 1_122_950],
    ]);
    expect(lines[0].description).toBe("Transfer from Ahmed TDM-AB12");
    expect(problems).toEqual([{ line: 5, code: "bad_amount", detail: "abc" }]);
  });

  it("reports each malformed row by its line number and imports the rest", () => {
    const text = [
      "Date,Description,Amount", // 1
      "2026-01-01,ok,10.00", // 2
      "", // 3 (blank: skipped, not a problem)
      "not a date,x,1.00", // 4
      "2026-01-02,no amount,", // 5
      "2026-01-03,too precise,1.001", // 6
      "2026-01-04,zero,0.00", // 7
      ",,", // 8 empty cells: skipped
      "2026-01-05,ok again,-3.00", // 9
    ].join("\n");
    const { lines, problems } = importText(text);
    expect(lines.map((l) => l.lineNo)).toEqual([2, 9]);
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [4, "bad_date"],
      [5, "missing_amount"],
      [6, "too_many_decimals"],
      [7, "zero_amount"],
    ]);
  });

  it("without a header row: columns guessed from the data", () => {
    const { layout, lines } = importText("12/01/2026,Transfer from Sara TDM-AB12,100.00,1100.00\n13/01/2026,Fee,-1.00,1099.00\n");
    expect(layout.guess).toMatchObject({ hasHeader: false, skipRows: 0, date: 0, description: 1, amount: 2, balance: 3 });
    expect(lines.map((l) => l.amountMinor)).toEqual([10_000, -100]);
  });

  it("tab and pipe delimited files", () => {
    expect(importText("Date\tAmount\tDetails\n2026-01-01\t5.00\tx\n").lines[0].amountMinor).toBe(500);
    expect(importText("Date|Amount|Details\n2026-01-01|5.00|x\n").layout.delimiter).toBe("|");
  });

  it("refuses a file that is not a CSV, and a mapping with no date or amount", () => {
    expect(code(() => sniffLayout("just one line of prose without separators\nand another\n"))).toBe("not_csv");
    const mapping: StatementMapping = { date: 0, amount: 1, dateOrder: "auto", decimalMark: ".", delimiter: ",", skipRows: 1, hasHeader: true, encoding: "utf-8" };
    expect(code(() => parseRows("a,b\n", { ...mapping, date: -1 }, { currency: "USD" }))).toBe("no_date_column");
    expect(code(() => parseRows("a,b\n", { ...mapping, amount: null }, { currency: "USD" }))).toBe("no_amount_column");
  });

  it("two identical rows are two lines; an overlapping file gives the same fingerprints", () => {
    const a = importText("Date,Description,Amount\n2026-01-11,Transfer,50.00\n2026-01-11,Transfer,50.00\n2026-01-12,Fee,-1.00\n").lines;
    const b = importText("Date,Description,Amount\n2026-01-11,Transfer,50.00\n2026-01-11,Transfer,50.00\n2026-01-12,Fee,-1.00\n2026-01-13,New,2.00\n").lines;
    expect(new Set(a.map((l) => l.fingerprint)).size).toBe(3);
    expect(b.slice(0, 3).map((l) => l.fingerprint)).toEqual(a.map((l) => l.fingerprint));
    // Whitespace/case in the description does not change the identity.
    const c = importText("Date,Description,Amount\n2026-01-11,  TRANSFER ,50.00\n").lines;
    expect(c[0].fingerprint).toBe(a[0].fingerprint);
    const fa = importText(new TextDecoder().decode(fixture("overlap-a.csv"))).lines;
    const fb = importText(new TextDecoder().decode(fixture("overlap-b.csv"))).lines;
    const shared = fb.filter((l) => fa.some((x) => x.fingerprint === l.fingerprint));
    expect(shared.map((l) => l.description)).toEqual(["Transfer", "Transfer", "Bank fee"]);
  });

  it("property: fingerprints are unique within a file and stable under re-reading any suffix of whole days", () => {
    const row = fc.record({
      day: fc.integer({ min: 1, max: 5 }),
      amount: fc.constantFrom("10.00", "-2.50", "50.00"),
      text: fc.constantFrom("Transfer", "Fee", "Deposit"),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 5 }), (rows, fromDay) => {
        const sorted = [...rows].sort((x, y) => x.day - y.day);
        const csv = (rs: typeof rows) => "Date,Description,Amount\n" + rs.map((r) => `2026-01-0${r.day},${r.text},${r.amount}`).join("\n");
        const all = importText(csv(sorted)).lines;
        expect(new Set(all.map((l) => l.fingerprint)).size).toBe(sorted.length);
        const suffix = sorted.filter((r) => r.day >= fromDay);
        if (suffix.length === 0) return;
        const again = importText(csv(suffix)).lines;
        const allSet = new Set(all.map((l) => l.fingerprint));
        expect(again.every((l) => allSet.has(l.fingerprint))).toBe(true);
      }),
    );
  });
});

describe("checkRunningBalance", () => {
  it("reports the line numbers whose balance does not follow", () => {
    const lines = [
      { lineNo: 2, amountMinor: 100, balanceMinor: 100 },
      { lineNo: 3, amountMinor: 50, balanceMinor: 150 },
      { lineNo: 4, amountMinor: -20, balanceMinor: 140 }, // should be 130
      { lineNo: 5, amountMinor: 10, balanceMinor: 150 },
    ];
    expect(checkRunningBalance(lines)).toEqual([{ line: 4, code: "balance_break", detail: "130/140" }]);
  });

  it("accepts newest-first files and lines without balances", () => {
    expect(
      checkRunningBalance([
        { lineNo: 2, amountMinor: 10, balanceMinor: 160 },
        { lineNo: 3, amountMinor: 50, balanceMinor: 150 },
        { lineNo: 4, amountMinor: 100, balanceMinor: 100 },
      ]),
    ).toEqual([]);
    expect(checkRunningBalance([{ lineNo: 2, amountMinor: 10, balanceMinor: null }, { lineNo: 3, amountMinor: 5, balanceMinor: 7 }])).toEqual([]);
  });

  it("property: a consistent running balance has no breaks; changing one balance breaks it", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100000, max: 100000 }).filter((n) => n !== 0), { minLength: 3, maxLength: 40 }), fc.nat(), (amounts, pick) => {
        let balance = 0;
        const lines = amounts.map((amountMinor, i) => ({ lineNo: i + 2, amountMinor, balanceMinor: (balance += amountMinor) }));
        expect(checkRunningBalance(lines)).toEqual([]);
        const i = 1 + (pick % (lines.length - 1));
        lines[i] = { ...lines[i], balanceMinor: lines[i].balanceMinor + 1 };
        expect(checkRunningBalance(lines).length).toBeGreaterThan(0);
      }),
    );
  });
});

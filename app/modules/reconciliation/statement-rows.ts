import { createHash } from "node:crypto";
import type { StatementMapping, StatementProblem } from "#db/schema";
import { foldText, StatementError, normalizeLineBreaks, readCsv, sampleRecords, type ParsedLine, type CsvRecord } from "./statement-csv";
import { resolveDateOrder, parseDate, parseAmount } from "./statement-values";

// ————————————————————————————————————————— rows

function normalizeDescription(value: string): string {
  return foldText(value).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** The identity of a line within its account: same day, amount, text, reference and balance, and which of the identical rows it is. */
export function lineFingerprint(line: Pick<ParsedLine, "valueDate" | "amountMinor" | "description" | "reference" | "balanceMinor">, occurrence: number): string {
  return fingerprintOf(fingerprintKey(line), occurrence);
}

function fingerprintKey(line: Pick<ParsedLine, "valueDate" | "amountMinor" | "description" | "reference" | "balanceMinor">): string {
  return [line.valueDate, line.amountMinor, normalizeDescription(line.description), normalizeDescription(line.reference ?? ""), line.balanceMinor ?? ""].join("|");
}

function fingerprintOf(key: string, occurrence: number): string {
  return `${createHash("sha256").update(key).digest("hex").slice(0, 40)}:${occurrence}`;
}

function validateMapping(mapping: StatementMapping) {
  if (!Number.isInteger(mapping.date) || mapping.date < 0) throw new StatementError("no_date_column");
  const hasAmount = mapping.amount != null && mapping.amount >= 0;
  const hasSplit = (mapping.debit != null && mapping.debit >= 0) || (mapping.credit != null && mapping.credit >= 0);
  if (!hasAmount && !hasSplit) throw new StatementError("no_amount_column");
}

/** Every data row of the file under `mapping`. */
function dataRecords(text: string, mapping: StatementMapping): CsvRecord[] {
  const normalized = normalizeLineBreaks(text);
  const skip = Math.max(0, mapping.skipRows);
  if (skip === 0) return readCsv(normalized, mapping.delimiter);
  // Start parsing at the first data row's line: preamble rows of another width would otherwise make
  // csv-parse flag (and allocate an error for) every following row.
  const head = sampleRecords(normalized, mapping.delimiter);
  if (head && head.length > skip) return readCsv(normalized, mapping.delimiter, head[skip].lineNo);
  return readCsv(normalized, mapping.delimiter).slice(skip);
}

/** How many data rows the file has under `mapping` (the progress bar's total). */
export function countRows(text: string, mapping: StatementMapping): number {
  return dataRecords(text, mapping).length;
}

/**
 * Reads every data row: a ParsedLine per good row, a problem (with the row's line number in the
 * file) per malformed one; the rest still import. Amount: the amount column, or credit − debit.
 * Value date: the value-date column when set and filled, else the date column.
 */
export function parseRows(
  text: string,
  mapping: StatementMapping,
  options: { currency: string; limit?: number },
): { lines: ParsedLine[]; problems: StatementProblem[]; totalRows: number } {
  validateMapping(mapping);
  const records = dataRecords(text, mapping);
  const order = resolveDateOrder(
    records.slice(0, 5000).flatMap((r) => [r.cells[mapping.date] ?? "", mapping.valueDate != null ? (r.cells[mapping.valueDate] ?? "") : ""]),
    mapping.dateOrder,
  );
  const money = { currency: options.currency, decimalMark: mapping.decimalMark };
  const lines: ParsedLine[] = [];
  const problems: StatementProblem[] = [];
  const seen = new Map<string, number>();
  const limit = options.limit ?? Infinity;
  for (const record of records) {
    if (lines.length + problems.length >= limit) break;
    const cell = (index: number | null | undefined) => (index != null && index >= 0 ? (record.cells[index] ?? "") : "");
    const line = record.lineNo;
    const dateCell = cell(mapping.valueDate) || cell(mapping.date);
    if (!dateCell) {
      problems.push({ line, code: "missing_date" });
      continue;
    }
    const valueDate = parseDate(dateCell, order);
    if (!valueDate) {
      problems.push({ line, code: "bad_date", detail: dateCell });
      continue;
    }
    let amountMinor: number;
    if (mapping.amount != null && mapping.amount >= 0) {
      const a = parseAmount(cell(mapping.amount), money);
      if (!a.ok) {
        problems.push({ line, code: a.code === "empty_amount" ? "missing_amount" : a.code, detail: cell(mapping.amount) });
        continue;
      }
      amountMinor = a.minor;
    } else {
      const d = cell(mapping.debit) ? parseAmount(cell(mapping.debit), money) : null;
      const c = cell(mapping.credit) ? parseAmount(cell(mapping.credit), money) : null;
      const bad = [d, c].find((x) => x && !x.ok);
      if (bad && !bad.ok) {
        problems.push({ line, code: bad.code, detail: bad === d ? cell(mapping.debit) : cell(mapping.credit) });
        continue;
      }
      if (!d && !c) {
        problems.push({ line, code: "missing_amount" });
        continue;
      }
      amountMinor = (c && c.ok ? Math.abs(c.minor) : 0) - (d && d.ok ? Math.abs(d.minor) : 0);
    }
    if (amountMinor === 0) {
      problems.push({ line, code: "zero_amount" });
      continue;
    }
    let balanceMinor: number | null = null;
    const balanceCell = cell(mapping.balance);
    if (balanceCell) {
      const b = parseAmount(balanceCell, money);
      if (!b.ok) {
        problems.push({ line, code: b.code === "too_many_decimals" ? "too_many_decimals" : "bad_balance", detail: balanceCell });
        continue;
      }
      balanceMinor = b.minor;
    }
    const description = cell(mapping.description).replace(/\s+/g, " ").trim().slice(0, 1000);
    const reference = cell(mapping.reference).trim().slice(0, 200) || null;
    const base = { lineNo: line, valueDate, amountMinor, description, reference, balanceMinor };
    const key = fingerprintKey(base);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    lines.push({ ...base, fingerprint: fingerprintOf(key, occurrence) });
  }
  return { lines, problems, totalRows: records.length };
}

/**
 * Running balance: each line's printed balance = the previous line's + its amount. Files may be
 * oldest-first or newest-first; the direction with fewer breaks is taken. Returns the breaks by
 * line number ("balance_break", detail "expected X, printed Y").
 */
export function checkRunningBalance(lines: Pick<ParsedLine, "lineNo" | "amountMinor" | "balanceMinor">[]): StatementProblem[] {
  const forward: StatementProblem[] = [];
  const backward: StatementProblem[] = [];
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1];
    const cur = lines[i];
    if (prev.balanceMinor == null || cur.balanceMinor == null) continue;
    const expectedForward = prev.balanceMinor + cur.amountMinor;
    if (expectedForward !== cur.balanceMinor) forward.push({ line: cur.lineNo, code: "balance_break", detail: `${expectedForward}/${cur.balanceMinor}` });
    const expectedBackward = cur.balanceMinor + prev.amountMinor;
    if (expectedBackward !== prev.balanceMinor) backward.push({ line: prev.lineNo, code: "balance_break", detail: `${expectedBackward}/${prev.balanceMinor}` });
  }
  return backward.length < forward.length ? backward : forward;
}

/** The closing balance: the printed balance of the latest line (by date, then file order). */
export function closingBalance(lines: Pick<ParsedLine, "valueDate" | "balanceMinor">[]): number | null {
  const withBalance = lines.filter((l) => l.balanceMinor != null);
  if (withBalance.length === 0) return null;
  const newestFirst = withBalance.length > 1 && withBalance[0].valueDate > withBalance[withBalance.length - 1].valueDate;
  return (newestFirst ? withBalance[0] : withBalance[withBalance.length - 1]).balanceMinor;
}

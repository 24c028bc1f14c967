// Bank statement files (CSV exports) → statement lines. Pure: no database, no clock.
//
// decodeStatement: bytes → text (UTF-8 with or without BOM, else Windows-1256, the Arabic
// Windows code page most local banks still export in); refuses binary files.
// sniffLayout: delimiter, the header row (banks put preamble rows — bank name, account, period —
// before it) and a guessed column mapping from Arabic and English header names.
// parseRows: every data row → a ParsedLine (value date, signed amount in minor units, description,
// reference, running balance, fingerprint) or a problem with the row's line number in the file.
import { createHash } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import type { StatementMapping, StatementProblem } from "#db/schema";
import { currencyDigits } from "~/utils/format";

export type { StatementMapping, StatementProblem };

export type StatementErrorCode =
  | "empty_file"
  | "binary_file"
  | "not_csv"
  | "bad_csv"
  | "too_big"
  | "no_date_column"
  | "no_amount_column"
  | "bad_mapping"
  | "no_lines";

/** A file or mapping that cannot be imported at all (the route translates `code`). */
export class StatementError extends Error {
  constructor(
    readonly code: StatementErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = "StatementError";
  }
}

export type ParsedLine = {
  /** Line number in the file (1-based) where the row starts. */
  lineNo: number;
  /** YYYY-MM-DD. */
  valueDate: string;
  /** Signed minor units: money in positive, money out negative. */
  amountMinor: number;
  description: string;
  reference: string | null;
  balanceMinor: number | null;
  fingerprint: string;
};

/** Largest file the import accepts. */
export const MAX_STATEMENT_BYTES = 20 * 1024 * 1024;

// ————————————————————————————————————————— decoding

/**
 * Decodes a statement file: UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else
 * Windows-1256. Refuses empty and binary files (NUL or other control bytes, zip/PDF/OLE magic —
 * an .xlsx or a PDF statement is not a CSV).
 */
export function decodeStatement(bytes: Uint8Array): { text: string; encoding: "utf-8" | "windows-1256" } {
  if (bytes.length === 0) throw new StatementError("empty_file");
  if (bytes.length > MAX_STATEMENT_BYTES) throw new StatementError("too_big");
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic.startsWith("PK\u0003\u0004") || magic === "%PDF" || (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0)) {
    throw new StatementError("binary_file");
  }
  const probe = bytes.subarray(0, 64 * 1024);
  let controls = 0;
  for (const b of probe) {
    if (b === 0) throw new StatementError("binary_file");
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  }
  if (controls > 0 && controls / probe.length > 0.01) throw new StatementError("binary_file");
  let text: string;
  let encoding: "utf-8" | "windows-1256";
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    encoding = "utf-8";
  } catch {
    if (bom) throw new StatementError("not_csv", "invalid UTF-8 after a UTF-8 BOM");
    text = new TextDecoder("windows-1256").decode(bytes);
    encoding = "windows-1256";
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw new StatementError("empty_file");
  return { text, encoding };
}

// ————————————————————————————————————————— text helpers

const ARABIC_INDIC_ZERO = 0x0660;
const PERSIAN_ZERO = 0x06f0;

/** Arabic-Indic (٠-٩) and Persian (۰-۹) digits → ASCII. */
export function asciiDigits(value: string): string {
  return value.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= PERSIAN_ZERO ? code - PERSIAN_ZERO : code - ARABIC_INDIC_ZERO);
  });
}

/** For comparing Arabic/English words: no tashkeel/tatweel, one alef, ى→ي, ة→ه, lower case, single spaces. */
export function foldText(value: string): string {
  return asciiDigits(value.normalize("NFKC"))
    .replace(/[\u064b-\u065f\u0670\u0640\u200c-\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[أإآٱ]/g, "ا")
    .replace(/ى/g, "ي")
    .replace(/ة/g, "ه")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

// ————————————————————————————————————————— CSV

type CsvRecord = { cells: string[]; lineNo: number };

const DELIMITERS = [",", ";", "\t", "|"] as const;

/** The first ~200 lines parsed (the whole file is not read to sniff it); null when unreadable. */
function sampleRecords(text: string, delimiter: string): CsvRecord[] | null {
  for (let lines = 200; lines >= 25; lines = Math.floor(lines / 2)) {
    let end = -1;
    for (let n = 0; n < lines; n++) {
      end = text.indexOf("\n", end + 1);
      if (end < 0) break;
    }
    const sample = end < 0 ? text : text.slice(0, end + 1);
    try {
      return readCsv(sample, delimiter);
    } catch {
      if (end < 0) return null;
    }
  }
  return null;
}

function readCsv(text: string, delimiter: string, fromLine = 1): CsvRecord[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, {
      delimiter,
      info: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      from_line: fromLine,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new StatementError("bad_csv", line ? `line ${line}` : (error as Error).message);
  }
  return rows
    .map(({ record, info }) => {
      const embedded = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      return { cells: record.map((c) => c.trim()), lineNo: info.lines - embedded };
    })
    .filter((r) => r.cells.some((c) => c !== ""));
}

// ————————————————————————————————————————— header names

type Field = "date" | "valueDate" | "amount" | "debit" | "credit" | "description" | "reference" | "balance";

const HEADER_NAMES: Record<Field, string[]> = {
  valueDate: ["تاريخ القيمه", "تاريخ الاستحقاق", "value date", "valuedate", "val date", "value dt", "effective date"],
  date: [
    "التاريخ",
    "تاريخ",
    "تاريخ الحركه",
    "تاريخ العمليه",
    "تاريخ القيد",
    "تاريخ المعامله",
    "date",
    "transaction date",
    "txn date",
    "trans date",
    "posting date",
    "post date",
    "booking date",
    "entry date",
  ],
  balance: ["الرصيد", "رصيد", "الرصيد الجاري", "balance", "running balance", "ledger balance", "available balance"],
  debit: ["مدين", "المدين", "سحب", "سحوبات", "مسحوبات", "الخصم", "خصم", "مدين/سحب", "debit", "debits", "withdrawal", "withdrawals", "paid out", "money out", "dr", "debit amount"],
  credit: ["دائن", "الدائن", "ايداع", "ايداعات", "الايداع", "اضافه", "دائن/ايداع", "credit", "credits", "deposit", "deposits", "paid in", "money in", "cr", "credit amount"],
  reference: ["المرجع", "مرجع", "رقم المرجع", "الرقم المرجعي", "رقم العمليه", "رقم الشيك", "reference", "ref", "ref no", "ref.", "reference no", "reference number", "cheque no", "check no", "transaction id"],
  description: ["الوصف", "البيان", "التفاصيل", "تفاصيل", "الشرح", "ملاحظات", "وصف العمليه", "تفاصيل العمليه", "description", "narrative", "narration", "details", "particulars", "transaction details", "memo", "remarks"],
  amount: ["المبلغ", "مبلغ", "القيمه", "مبلغ العمليه", "amount", "transaction amount", "txn amount", "value"],
};

/** Order for "contains" matches: the more specific names first ("تاريخ القيمة" is a date, not an amount). */
const CONTAINS_ORDER: Field[] = ["valueDate", "date", "balance", "debit", "credit", "reference", "description", "amount"];

const exactNames = new Map<string, Field>();
for (const field of CONTAINS_ORDER) for (const name of HEADER_NAMES[field]) if (!exactNames.has(foldText(name))) exactNames.set(foldText(name), field);

/** The field a header name stands for, or null. */
export function headerField(header: string): Field | null {
  const h = foldText(header).replace(/[:*_]/g, " ").replace(/\s*\(.*?\)\s*/g, " ").replace(/\s+/g, " ").trim();
  if (!h) return null;
  const exact = exactNames.get(h);
  if (exact) return exact;
  const words = h.split(/[\s/.-]+/);
  for (const field of CONTAINS_ORDER) {
    for (const name of HEADER_NAMES[field]) {
      const n = foldText(name);
      if (n.length <= 3 ? words.includes(n) : h.includes(n)) return field;
    }
  }
  return null;
}

// ————————————————————————————————————————— layout

export type StatementLayout = {
  delimiter: StatementMapping["delimiter"];
  /** Index among the file's non-empty rows of the header row, or -1 when none was recognised. */
  headerRow: number;
  headers: string[];
  /** The most columns a row has (for the mapping form's column choices). */
  width: number;
  guess: StatementMapping;
};

/**
 * Finds the delimiter (the one giving most rows of one column count > 1), the header row (the
 * first row among the first 30 naming a date and an amount/debit/credit column) and guesses the
 * mapping. Without a recognised header, columns are guessed from the data.
 */
export function sniffLayout(text: string, encoding: StatementMapping["encoding"] = "utf-8"): StatementLayout {
  const normalized = normalizeLineBreaks(text);
  let best: { delimiter: StatementMapping["delimiter"]; records: CsvRecord[]; score: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const records = sampleRecords(normalized, delimiter);
    if (!records) continue;
    const counts = new Map<number, number>();
    for (const r of records) if (r.cells.length > 1) counts.set(r.cells.length, (counts.get(r.cells.length) ?? 0) + 1);
    let score = 0;
    for (const [, n] of counts) score = Math.max(score, n);
    if (!best || score > best.score) best = { delimiter, records, score };
  }
  if (!best || best.score < 1) throw new StatementError("not_csv");
  const { delimiter, records } = best;

  let headerRow = -1;
  for (let i = 0; i < Math.min(records.length, 30); i++) {
    const fields = records[i].cells.map(headerField);
    const hasDate = fields.includes("date") || fields.includes("valueDate");
    const hasMoney = fields.includes("amount") || fields.includes("debit") || fields.includes("credit");
    if (hasDate && hasMoney) {
      headerRow = i;
      break;
    }
  }
  const width = Math.max(...records.map((r) => r.cells.length));
  const base = { delimiter, dateOrder: "auto" as const, encoding, decimalMark: "." as "." | "," };
  if (headerRow >= 0) {
    const headers = records[headerRow].cells;
    const mapping: StatementMapping = { ...base, date: -1, skipRows: headerRow + 1, hasHeader: true, headers };
    headers.forEach((h, index) => {
      const field = headerField(h);
      if (field && (mapping[field] === undefined || mapping[field] === null || mapping[field] === -1)) mapping[field] = index;
    });
    if (mapping.date === -1) {
      mapping.date = mapping.valueDate ?? 0;
      if (mapping.valueDate === mapping.date) mapping.valueDate = null;
    }
    if (mapping.amount != null && (mapping.debit != null || mapping.credit != null)) {
      mapping.debit = null;
      mapping.credit = null;
    }
    mapping.decimalMark = guessDecimalMark(records.slice(headerRow + 1, headerRow + 101), mapping);
    return { delimiter, headerRow, headers, width, guess: mapping };
  }
  // No header: the first row whose first date-like cell parses starts the data.
  const first = records.findIndex((r) => r.cells.length > 1 && r.cells.some((c) => parseDate(c, "auto") !== null));
  if (first < 0) throw new StatementError("no_date_column");
  const data = records.slice(first, first + 100);
  const share = (col: number, ok: (cell: string) => boolean) => data.filter((r) => ok(r.cells[col] ?? "")).length / data.length;
  const columns = Array.from({ length: width }, (_, i) => i);
  const dateCol = columns.find((c) => share(c, (v) => parseDate(v, "auto") !== null) > 0.8) ?? 0;
  const numeric = columns.filter((c) => c !== dateCol && share(c, (v) => /\d/.test(v) && isAmount(v)) > 0.8);
  const textual = columns
    .filter((c) => c !== dateCol && !numeric.includes(c))
    .sort((a, b) => avgLength(data, b) - avgLength(data, a));
  const mapping: StatementMapping = {
    ...base,
    date: dateCol,
    amount: numeric[0] ?? null,
    balance: numeric.length > 1 ? numeric[numeric.length - 1] : null,
    description: textual[0] ?? null,
    skipRows: first,
    hasHeader: false,
    headers: [],
  };
  mapping.decimalMark = guessDecimalMark(data, mapping);
  return { delimiter, headerRow: -1, headers: [], width, guess: mapping };
}

function avgLength(rows: CsvRecord[], col: number) {
  return rows.reduce((n, r) => n + (r.cells[col]?.length ?? 0), 0) / Math.max(1, rows.length);
}

function isAmount(value: string): boolean {
  return parseAmount(value, { currency: "XXX", decimalMark: "." }).ok || parseAmount(value, { currency: "XXX", decimalMark: "," }).ok;
}

/** "," when the money cells end in ",dd" (and none in ".dd"), else ".". */
function guessDecimalMark(rows: CsvRecord[], mapping: StatementMapping): "." | "," {
  const cols = [mapping.amount, mapping.debit, mapping.credit, mapping.balance].filter((c): c is number => c != null && c >= 0);
  let comma = 0;
  let dot = 0;
  for (const r of rows) {
    for (const c of cols) {
      const v = asciiDigits(r.cells[c] ?? "");
      if (/\d,\d{1,3}\s*\)?-?\s*\D*$/.test(v) && !/\d\.\d{1,3}\s*\)?-?\s*\D*$/.test(v) && (/,\d{1,2}\D*$/.test(v) || /\.\d{3},/.test(v))) comma++;
      else if (/\d\.\d{1,3}\D*$/.test(v)) dot++;
    }
  }
  return comma > dot ? "," : ".";
}

// ————————————————————————————————————————— dates

const MONTHS: [string, number][] = [
  ["january", 1], ["jan", 1], ["february", 2], ["feb", 2], ["march", 3], ["mar", 3], ["april", 4], ["apr", 4],
  ["may", 5], ["june", 6], ["jun", 6], ["july", 7], ["jul", 7], ["august", 8], ["aug", 8], ["september", 9],
  ["sept", 9], ["sep", 9], ["october", 10], ["oct", 10], ["november", 11], ["nov", 11], ["december", 12], ["dec", 12],
  ["يناير", 1], ["فبراير", 2], ["مارس", 3], ["ابريل", 4], ["ابربل", 4], ["مايو", 5], ["يونيو", 6], ["يونيه", 6],
  ["يوليو", 7], ["يوليه", 7], ["اغسطس", 8], ["سبتمبر", 9], ["اكتوبر", 10], ["نوفمبر", 11], ["ديسمبر", 12],
  ["كانون الثاني", 1], ["شباط", 2], ["اذار", 3], ["نيسان", 4], ["ايار", 5], ["حزيران", 6], ["تموز", 7], ["اب", 8],
  ["ايلول", 9], ["تشرين الاول", 10], ["تشرين الثاني", 11], ["كانون الاول", 12],
];
const MONTH_BY_NAME = new Map(MONTHS.map(([name, n]) => [foldText(name), n]));

function monthNumber(name: string): number | null {
  return MONTH_BY_NAME.get(foldText(name).replace(/[.,]/g, "")) ?? null;
}

function ymd(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function fullYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? (n < 70 ? 2000 + n : 1900 + n) : n;
}

export type DateOrder = StatementMapping["dateOrder"];

/**
 * A statement date → "YYYY-MM-DD", or null. Accepts yyyy-mm-dd (also with / or . and a time),
 * dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, d/m/yy (or m/d with order "mdy"), yyyymmdd, 12-Jan-2026,
 * "12 يناير 2026", "12 كانون الثاني 2026", "Jan 12, 2026", with Arabic-Indic or Persian digits.
 * With order "auto" a numeric date is read day first.
 */
export function parseDate(raw: string, order: DateOrder = "auto"): string | null {
  const v = asciiDigits(raw.normalize("NFKC")).replace(/[\u200e\u200f\u061c]/g, "").trim();
  if (!v) return null;
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$/.exec(v);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = fullYear(m[3]);
    if (order === "mdy") return ymd(y, a, b);
    if (order === "ymd") return null;
    return ymd(y, b, a);
  }
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})(?:\s*[-/.\s]\s*|\s*)([^\d\s/.,-][^\d/,-]*?)\s*[-/.,\s]\s*(\d{4}|\d{2})$/.exec(v);
  if (m) {
    const month = monthNumber(m[2]);
    if (month) return ymd(fullYear(m[3]), month, Number(m[1]));
  }
  m = /^([^\d\s][^\d]*?)\s+(\d{1,2}),?\s+(\d{4})$/.exec(v);
  if (m) {
    const month = monthNumber(m[1]);
    if (month) return ymd(Number(m[3]), month, Number(m[2]));
  }
  return null;
}

/**
 * Decides day/month order for a whole date column: "mdy" when some numeric date can only be
 * month-first (second part > 12) and none only day-first; else "dmy".
 */
export function resolveDateOrder(cells: string[], order: DateOrder): Exclude<DateOrder, "auto"> {
  if (order !== "auto") return order;
  let dayFirst = 0;
  let monthFirst = 0;
  for (const cell of cells) {
    const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})/.exec(asciiDigits(cell.trim()));
    if (!m) continue;
    if (Number(m[1]) > 12) dayFirst++;
    if (Number(m[2]) > 12) monthFirst++;
  }
  return monthFirst > 0 && dayFirst === 0 ? "mdy" : "dmy";
}

// ————————————————————————————————————————— amounts

export type AmountResult = { ok: true; minor: number } | { ok: false; code: "empty_amount" | "bad_amount" | "too_many_decimals" };

/**
 * A money cell → signed minor units of `currency`. Thousands separators , . space ' ٬; the
 * decimal mark `decimalMark` or ٫; Arabic-Indic/Persian digits; "(1,234.50)", "1,234.50-",
 * "-1,234.50", "1,234.50 DR" negative ("CR" positive); currency symbols and codes ignored. More
 * decimals than the currency has is refused, as is anything that is not one number.
 */
export function parseAmount(raw: string, options: { currency: string; decimalMark?: "." | "," }): AmountResult {
  const decimalMark = options.decimalMark ?? ".";
  const digits = options.currency === "XXX" ? 3 : currencyDigits(options.currency);
  let v = asciiDigits(raw.normalize("NFKC")).replace(/[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g, "").trim();
  if (!v) return { ok: false, code: "empty_amount" };
  let negative = false;
  const drcr = /\s*\b(DR|CR|Dr|Cr|dr|cr)\.?$/.exec(v);
  if (drcr) {
    negative = drcr[1].toLowerCase() === "dr";
    v = v.slice(0, drcr.index).trim();
  }
  // Currency codes and symbols (letters, possibly dotted as in "ر.س" / "د.ا").
  v = v.replace(/(?:\p{L}+\.?)+/gu, " ").replace(/\p{Sc}/gu, " ").trim();
  if (/^\(.*\)$/.test(v)) {
    negative = !negative;
    v = v.slice(1, -1).trim();
  }
  if (/^[-\u2212]/.test(v)) {
    negative = !negative;
    v = v.slice(1).trim();
  } else if (/^\+/.test(v)) v = v.slice(1).trim();
  if (/[-\u2212]$/.test(v)) {
    negative = !negative;
    v = v.slice(0, -1).trim();
  }
  if (/^\(.*\)$/.test(v)) {
    negative = !negative;
    v = v.slice(1, -1).trim();
  }
  v = v.replace(/\u066b/g, decimalMark).replace(/['’\s\u00a0\u202f]/g, "\u066c");
  const thousands = decimalMark === "." ? "," : ".";
  // Now: digits, the decimal mark, thousands separators (the other mark or ٬).
  if (!/^[\d.,\u066c]+$/.test(v) || !/\d/.test(v)) return { ok: false, code: "bad_amount" };
  const parts = v.split(decimalMark);
  if (parts.length > 2) return { ok: false, code: "bad_amount" };
  const [intRaw, frac = ""] = parts;
  if (parts.length === 2 && !/^\d+$/.test(frac)) return { ok: false, code: "bad_amount" };
  const groups = intRaw.split(new RegExp(`[${thousands === "." ? "\\." : ","}\u066c]`));
  if (groups.length > 1) {
    if (!/^\d{1,3}$/.test(groups[0]) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return { ok: false, code: "bad_amount" };
  } else if (!/^\d*$/.test(intRaw) || (intRaw === "" && frac === "")) return { ok: false, code: "bad_amount" };
  const fracDigits = frac.replace(/0+$/, "");
  if (fracDigits.length > digits) return { ok: false, code: "too_many_decimals" };
  const int = groups.join("") || "0";
  const minorText = (int + frac.padEnd(digits, "0").slice(0, digits)).replace(/^0+(?=\d)/, "");
  const minor = Number(minorText);
  if (!Number.isSafeInteger(minor)) return { ok: false, code: "bad_amount" };
  return { ok: true, minor: negative && minor !== 0 ? -minor : minor };
}

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

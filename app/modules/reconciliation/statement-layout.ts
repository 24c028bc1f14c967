import type { StatementMapping } from "#db/schema";
import { foldText, normalizeLineBreaks, DELIMITERS, sampleRecords, StatementError, asciiDigits, type CsvRecord } from "./statement-csv";
import { parseDate, parseAmount } from "./statement-values";

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

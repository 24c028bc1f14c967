import type { StatementMapping } from "#db/schema";
import { currencyDigits } from "~/utils/format";
import { foldText, asciiDigits } from "./statement-csv";

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

/**
 * CSV for spreadsheets and accounting software (RFC 4180): UTF-8 with a byte-order mark (Excel
 * then reads Arabic), CRLF line ends, a cell quoted when it holds a comma, quote or line break.
 * Text cells that a spreadsheet would run as a formula (= + - @, tab, carriage return) get a
 * leading apostrophe; numbers are written as they are (`{ number }` for a decimal string).
 */

export type CsvCell = string | number | null | undefined | { number: string };

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let s: string;
  if (typeof value === "number") s = Number.isFinite(value) ? String(value) : "";
  else if (typeof value === "object") s = value.number;
  else s = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Minor units as a plain decimal in the currency's digits (USD 1234 → "12.34", JOD 1234 → "1.234", LBP 1234 → "1234"). */
export function decimalOf(minor: number, digits: number): { number: string } {
  const negative = minor < 0;
  const abs = String(Math.abs(minor));
  if (digits === 0) return { number: `${negative ? "-" : ""}${abs}` };
  const padded = abs.padStart(digits + 1, "0");
  return { number: `${negative ? "-" : ""}${padded.slice(0, -digits)}.${padded.slice(-digits)}` };
}

/** A minimal CSV reader for tests and round trips (quoted cells, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, "");
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && src[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

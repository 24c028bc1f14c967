import { parse as parseCsv } from "csv-parse/sync";

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

export function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

// ————————————————————————————————————————— CSV

export type CsvRecord = { cells: string[]; lineNo: number };

export const DELIMITERS = [",", ";", "\t", "|"] as const;

/** The first ~200 lines parsed (the whole file is not read to sniff it); null when unreadable. */
export function sampleRecords(text: string, delimiter: string): CsvRecord[] | null {
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

export function readCsv(text: string, delimiter: string, fromLine = 1): CsvRecord[] {
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

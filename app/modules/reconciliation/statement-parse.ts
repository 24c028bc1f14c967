// Bank statement files (CSV exports) → statement lines. Pure: no database, no clock.
//
// decodeStatement: bytes → text (UTF-8 with or without BOM, else Windows-1256, the Arabic
// Windows code page most local banks still export in); refuses binary files.
// sniffLayout: delimiter, the header row (banks put preamble rows — bank name, account, period —
// before it) and a guessed column mapping from Arabic and English header names.
// parseRows: every data row → a ParsedLine (value date, signed amount in minor units, description,
// reference, running balance, fingerprint) or a problem with the row's line number in the file.
//
// Split by what it does (decision 061): statement-csv (decoding, text folding, CSV records),
// statement-values (dates, amounts), statement-layout (header sniffing), statement-rows (rows,
// fingerprints, balances).
export type { StatementMapping, StatementProblem } from "#db/schema";
export { StatementError, MAX_STATEMENT_BYTES, decodeStatement, asciiDigits, foldText } from "./statement-csv";
export type { StatementErrorCode, ParsedLine } from "./statement-csv";
export { parseDate, resolveDateOrder, parseAmount } from "./statement-values";
export type { DateOrder, AmountResult } from "./statement-values";
export { headerField, sniffLayout } from "./statement-layout";
export type { StatementLayout } from "./statement-layout";
export { lineFingerprint, countRows, parseRows, checkRunningBalance, closingBalance } from "./statement-rows";

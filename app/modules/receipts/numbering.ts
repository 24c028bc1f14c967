/** Receipt and credit-note numbers: per organisation, kind and year, without gaps (decision 056). */

export type ReceiptKind = "receipt" | "credit_note";

const PREFIX: Record<ReceiptKind, string> = { receipt: "R", credit_note: "CN" };

/** e.g. R-2026-000012, CN-2026-000003. */
export function formatReceiptNumber(kind: ReceiptKind, year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError("sequence must be a positive integer");
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError("year must have four digits");
  return `${PREFIX[kind]}-${year}-${String(sequence).padStart(6, "0")}`;
}

/** The org_counters row that numbers one kind in one year, e.g. `receipt:2026`. */
export function counterName(kind: ReceiptKind, year: number): string {
  return `${kind}:${year}`;
}

/** The calendar year of an instant in the organisation's time zone. */
export function yearIn(now: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en", { year: "numeric", timeZone }).format(now));
}

/** The YYYY-MM-DD calendar date of an instant in a time zone. */
export function dateIn(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

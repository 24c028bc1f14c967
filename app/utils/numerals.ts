/**
 * How a person's numbers are written: Latin digits (the default, also with Arabic text) or
 * Arabic-Indic digits, chosen in the profile (users.numerals, db/schema/identity.ts
 * NUMERAL_SYSTEMS — a test keeps the two lists equal). Plain and browser-safe: no schema import.
 */
export const NUMERALS = ["latn", "arab"] as const;
export type Numerals = (typeof NUMERALS)[number];

export function isNumerals(value: unknown): value is Numerals {
  return (NUMERALS as readonly unknown[]).includes(value);
}

const ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";
const ARABIC_GROUP = "\u066c"; // ٬
const ARABIC_DECIMAL = "\u066b"; // ٫

/**
 * Formatted text (money, a count, a date) in the person's digits. Latin text is returned as it is;
 * for Arabic-Indic, every digit is replaced and a comma or point between two digits becomes the
 * Arabic thousands or decimal separator ("2,400.50" → "٢٬٤٠٠٫٥٠"). Letters, currency symbols,
 * slashes and spaces stay.
 */
export function withNumerals(text: string, numerals: Numerals): string {
  if (numerals !== "arab") return text;
  return text
    .replace(/(?<=[0-9])[,.](?=[0-9])/g, (sep) => (sep === "," ? ARABIC_GROUP : ARABIC_DECIMAL))
    .replace(/[0-9]/g, (d) => ARABIC_INDIC[Number(d)]);
}

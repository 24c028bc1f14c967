/**
 * Arabic-aware text normalization used to compare public text with a household's private
 * strings, and to search names. Pure functions, no I/O.
 */

const DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;
const ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";
const PERSIAN = "۰۱۲۳۴۵۶۷۸۹";

/** Arabic-Indic (٠-٩) and Persian (۰-۹) digits → ASCII digits. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[٠-٩۰-۹]/g, (d) => {
    const i = ARABIC_INDIC.indexOf(d);
    return String(i >= 0 ? i : PERSIAN.indexOf(d));
  });
}

/**
 * Folds the spellings people use for the same Arabic word into one: alef forms (أ إ آ ٱ → ا),
 * ta marbuta → ha (ة → ه), alef maqsura → ya (ى → ي), hamza seats (ؤ → و, ئ → ي), Persian
 * letters (ک → ك, ی → ي), no diacritics or tatweel, ASCII digits, lower-case Latin without accents.
 */
export function normalizeText(text: string): string {
  return toAsciiDigits(text.normalize("NFKC"))
    .replace(DIACRITICS, "")
    .replace(TATWEEL, "")
    .replace(/[أإآٱ]/g, "ا")
    .replace(/ة/g, "ه")
    .replace(/[ىی]/g, "ي")
    .replace(/ؤ/g, "و")
    .replace(/ئ/g, "ي")
    .replace(/ک/g, "ك")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .normalize("NFC")
    .toLowerCase();
}

/** Words of a text after normalization: runs of letters or digits, in any script. */
export function words(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

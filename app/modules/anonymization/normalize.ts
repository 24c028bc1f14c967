/**
 * Text normalization used to compare public text with a household's private strings, and to
 * search names. One folding, applied code point by code point so that every folded character
 * keeps a pointer back to the original text (the guard highlights the original). Pure, no I/O.
 *
 * Per code point: Unicode format characters (\p{Cf}: ZWJ, ZWNJ, ZWSP, soft hyphen, bidi marks,
 * BOM, Arabic letter mark …) are dropped; NFKC (fullwidth and compatibility forms, Arabic
 * presentation forms such as ﻻ); any decimal digit (\p{Nd}, every script) → ASCII; Arabic folding
 * (alef forms → ا, ة → ه, ى → ي, ؤ → و, ئ → ي, Persian ک/ی); diacritics, tatweel and every
 * combining mark dropped; Latin lower-cased without accents.
 */

const ARABIC_FOLD: Record<string, string> = {
  "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ؤ": "و", "ئ": "ي", "ک": "ك", "ـ": "",
  // ʿayn and hamza in scholarly transliteration (ʿAlī, Abd al-ʿAziz) are apostrophes, not letters
  "ʿ": "'", "ʾ": "'", "ʻ": "'", "ʼ": "'", "ʽ": "'", "ˈ": "'",
};
const FORMAT = /\p{Cf}/u;
const DIGIT = /\p{Nd}/u;
const MARKS = /\p{M}/gu;

const cache = new Map<string, string>();

/** The folded form of one code point (may be empty or several characters). */
export function foldChar(ch: string): string {
  const cached = cache.get(ch);
  if (cached !== undefined) return cached;
  let out = "";
  if (!FORMAT.test(ch)) {
    for (const c of ch.normalize("NFKC")) {
      if (FORMAT.test(c)) continue;
      if (DIGIT.test(c)) {
        out += c >= "0" && c <= "9" ? c : String(digitValueOf(c));
        continue;
      }
      const arabic = ARABIC_FOLD[c];
      if (arabic !== undefined) {
        out += arabic;
        continue;
      }
      out += c.toLowerCase().normalize("NFD").replace(MARKS, "");
    }
  }
  if (cache.size < 5000) cache.set(ch, out);
  return out;
}

/** Value of a decimal digit in any script (runs of ten starting at a code point whose predecessor is no digit). */
function digitValueOf(c: string): number {
  const cp = c.codePointAt(0)!;
  // Each script's digits are runs of ten (some scripts' runs are adjacent): count from the run's start.
  let zero = cp;
  while (DIGIT.test(String.fromCodePoint(zero - 1))) zero -= 1;
  return (cp - zero) % 10;
}

export interface Folded {
  /** The folded text. */
  text: string;
  /** For each code unit of `text`: start and end offsets of the original code point it came from. */
  starts: number[];
  ends: number[];
}

/** Folds a text and keeps, for every folded code unit, where it came from in the original. */
export function foldWithMap(text: string): Folded {
  let out = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of text) {
    const folded = foldChar(ch);
    for (let k = 0; k < folded.length; k++) {
      starts.push(i);
      ends.push(i + ch.length);
    }
    out += folded;
    i += ch.length;
  }
  return { text: out, starts, ends };
}

/** Any decimal digit (Arabic-Indic, Persian, Devanagari, fullwidth, …) → ASCII; other characters unchanged. */
export function toAsciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => (d >= "0" && d <= "9" ? d : String(digitValueOf(d))));
}

/**
 * Folds the spellings people use for the same word into one: alef forms (أ إ آ ٱ → ا),
 * ta marbuta → ha (ة → ه), alef maqsura → ya (ى → ي), hamza seats (ؤ → و, ئ → ي), Persian
 * letters (ک → ك, ی → ي), no diacritics, tatweel or format characters, NFKC, ASCII digits,
 * lower-case Latin without accents.
 */
export function normalizeText(text: string): string {
  return foldWithMap(text).text;
}

/**
 * A lighter Arabic normalization that keeps what tells words apart as written (ى vs ي, ة vs ه,
 * hamza seats): format characters, diacritics and tatweel dropped, NFKC, Latin lower-cased.
 * Used to tell the preposition على from the name علي.
 */
export function lightArabic(text: string): string {
  return text
    .replace(/\p{Cf}/gu, "")
    .normalize("NFKC")
    .replace(/[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g, "")
    .replace(/ٱ/g, "ا")
    .toLowerCase();
}

/** Words of a text after normalization: runs of letters or digits, in any script. */
export function words(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

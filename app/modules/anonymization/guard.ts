import { normalizeText, toAsciiDigits } from "./normalize";

/**
 * The anonymization guard: before a need is submitted or published, its public fields are
 * checked against the household's own private strings and against phone- or ID-shaped numbers.
 * Pure: the caller gathers the strings, this finds the offending words and where they are.
 */

export interface PrivateStrings {
  /** Every member's full name (any script); split into parts here. */
  names: string[];
  phones: string[];
  idNumbers: string[];
  /** The exact address and place details the household gave. */
  addresses: string[];
}

/** What is public by design and never a hit. */
export interface PublicContext {
  /** The need's public region and its governorate's names (ar and en), e.g. ["الجنوب","South Lebanon"]. */
  publicPlaces?: string[];
}

export type HitReason = "name" | "possible_name" | "phone" | "id_number" | "address" | "number_shaped";

export interface GuardHit {
  field: string;
  /** The text as written in the field. */
  text: string;
  /** Offsets in the original field text. */
  start: number;
  end: number;
  reason: HitReason;
  /** "block": must go. "confirm": a member's name that is also an ordinary word in that language
   *  (possible_name) — the author may confirm per occurrence that it is not the person's name. */
  severity: "block" | "confirm";
  /** Stable id of this occurrence: `${field}:${normalizedWord}:${n}` — the n-th (from 0) occurrence
   *  of that normalized word (or number) in that field. */
  occurrence: string;
}

/** The hits that still stand once the author's confirmations (occurrence ids) are applied:
 *  every "block" hit, and "confirm" hits whose occurrence is not in `confirmed`. */
export function blockingHits(hits: readonly GuardHit[], confirmed: readonly string[]): GuardHit[] {
  const ok = new Set(confirmed);
  return hits.filter((h) => h.severity === "block" || !ok.has(h.occurrence));
}

/** Particles that are part of names but also ordinary words; never matched alone. */
const NAME_PARTICLES = new Set(
  ["بن", "ابن", "بنت", "ابو", "ام", "ال", "عبد", "al", "el", "bin", "ibn", "abu", "abou", "um", "umm", "bint", "abd"].map(
    normalizeText,
  ),
);
/** Words of an address too common to mean anything on their own. */
const ADDRESS_STOPWORDS = new Set(
  [
    "شارع", "حي", "بناء", "بناية", "مبنى", "طابق", "الطابق", "قرب", "مقابل", "جانب", "خلف", "امام", "منطقه", "مخيم",
    "street", "st", "road", "building", "floor", "near", "camp", "area", "block", "apt", "apartment", "the", "and",
  ].map(normalizeText),
);
/** One-letter Arabic prefixes (and, so, with, for) and the article, as they attach to names. */
const ARABIC_PREFIXES = ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك"];

const ARABIC_TO_LATIN: Record<string, string> = {
  ب: "b", ت: "t", ث: "th", ج: "j", ح: "h", خ: "kh", د: "d", ذ: "dh", ر: "r", ز: "z", س: "s", ش: "sh",
  ص: "s", ض: "d", ط: "t", ظ: "z", غ: "gh", ف: "f", ق: "q", ك: "k", ل: "l", م: "m", ن: "n", ه: "h",
};

/**
 * A consonant skeleton shared by a name's Arabic and Latin spellings: محمد, Mohammad, Muhammad
 * and Mohamed all give "mhmd"; فاطمة, Fatima and Fatmeh give "ftm".
 */
export function skeleton(word: string): string {
  const normalized = normalizeText(word);
  let latin = "";
  for (const ch of normalized) {
    if (ARABIC_TO_LATIN[ch] !== undefined) latin += ARABIC_TO_LATIN[ch];
    else if (/[a-z]/.test(ch)) latin += ch;
    // alef, waw, ya, ain, hamza and digits carry no consonant here
  }
  return latin
    .replace(/ou|oo|ee/g, "")
    .replace(/[aeiouyw']/g, "")
    .replace(/(.)\1+/g, "$1")
    .replace(/h$/, "")
    .replace(/^q/, "k")
    .replace(/q/g, "k")
    .replace(/g(?!h)/g, "j");
}

const isLatin = (s: string) => /[a-z]/.test(s);

/** The word and what remains after taking off up to two attached prefixes (و + ل + محمد). */
function stripArabicPrefix(word: string, depth = 2): string[] {
  const out = [word];
  if (depth === 0) return out;
  for (const prefix of ARABIC_PREFIXES) {
    if (word.startsWith(prefix) && word.length - prefix.length >= 2) {
      out.push(...stripArabicPrefix(word.slice(prefix.length), depth - 1));
    }
  }
  return out;
}

interface Token {
  text: string;
  start: number;
  end: number;
  norm: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/[\p{L}\p{M}\p{N}\u0640]+/gu)) {
    tokens.push({ text: m[0], start: m.index!, end: m.index! + m[0].length, norm: normalizeText(m[0]) });
  }
  return tokens;
}

function nameParts(names: string[]): { norm: string; skel: string }[] {
  const parts = new Map<string, { norm: string; skel: string }>();
  for (const name of names) {
    for (const token of tokenize(name)) {
      if (token.norm.length < 2 || NAME_PARTICLES.has(token.norm) || /^\d+$/.test(token.norm)) continue;
      parts.set(token.norm, { norm: token.norm, skel: skeleton(token.norm) });
    }
  }
  return [...parts.values()];
}

const digitsOnly = (s: string) => toAsciiDigits(s).replace(/\D/g, "");

/** Runs of digits, allowing the separators people type inside phone and ID numbers. */
function numberRuns(text: string): { start: number; end: number; digits: string }[] {
  const ascii = toAsciiDigits(text); // same length as text: each digit is one code unit
  const runs: { start: number; end: number; digits: string }[] = [];
  for (const m of ascii.matchAll(/\+?\d(?:[\d\s\-./()]*\d)?/g)) {
    runs.push({ start: m.index!, end: m.index! + m[0].length, digits: m[0].replace(/\D/g, "") });
  }
  return runs;
}

export const MIN_NUMBER_DIGITS = 7;

export function checkPublicText(
  fields: Record<string, string | null | undefined>,
  secrets: PrivateStrings,
  context: PublicContext = {},
): GuardHit[] {
  void context;
  const parts = nameParts(secrets.names);
  const addressWords = new Set(
    secrets.addresses.flatMap((a) => tokenize(a).map((t) => t.norm)).filter((w) => w.length >= 3 && !ADDRESS_STOPWORDS.has(w) && !/^\d+$/.test(w)),
  );
  const secretNumbers = [
    ...secrets.phones.map((p) => ({ digits: digitsOnly(p), reason: "phone" as const })),
    ...secrets.idNumbers.map((p) => ({ digits: digitsOnly(p), reason: "id_number" as const })),
  ].filter((s) => s.digits.length >= 4);

  const hits: GuardHit[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (!value) continue;
    const seen = new Map<string, number>();
    const hit = (start: number, end: number, reason: HitReason, key: string) => {
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      hits.push({ field, text: value.slice(start, end), start, end, reason, severity: "block", occurrence: `${field}:${key}:${n}` });
    };
    for (const token of tokenize(value)) {
      if (/^\d+$/.test(token.norm)) continue;
      const candidates = isLatin(token.norm) ? [token.norm] : stripArabicPrefix(token.norm);
      const tokenSkel = skeleton(token.norm);
      const isName = parts.some(
        (part) =>
          candidates.includes(part.norm) ||
          (part.skel.length >= 3 && (isLatin(token.norm) || isLatin(part.norm)) && tokenSkel === part.skel),
      );
      if (isName) {
        hit(token.start, token.end, "name", token.norm);
        continue;
      }
      if (candidates.some((c) => addressWords.has(c))) {
        hit(token.start, token.end, "address", token.norm);
      }
    }
    for (const run of numberRuns(value)) {
      const secret = secretNumbers.find(
        (s) => run.digits.length >= 4 && (s.digits.includes(run.digits) || run.digits.includes(s.digits.slice(-7))),
      );
      if (secret && (run.digits.length >= 6 || run.digits === secret.digits)) {
        hit(run.start, run.end, secret.reason, run.digits);
      } else if (run.digits.length >= MIN_NUMBER_DIGITS) {
        hit(run.start, run.end, "number_shaped", run.digits);
      }
    }
  }
  return hits.sort((a, b) => (a.field === b.field ? a.start - b.start : a.field.localeCompare(b.field)));
}

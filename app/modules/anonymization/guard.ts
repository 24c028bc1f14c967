import { ARABIC_FUNCTION_WORDS, ARABIC_ORDINARY } from "./lexicon-ar";
import { ENGLISH_FUNCTION_WORDS, englishLexicon } from "./lexicon-en.server";
import { foldWithMap, lightArabic, normalizeText, type Folded } from "./normalize";
import { ARABIC_PARTICLES, MAX_TOKEN, anchored, arabicLatinSource, latinVariantSource } from "./romanize";

/**
 * The anonymization guard (decision 050): before a need is saved, submitted, verified or
 * published, its public fields are checked against the household's own private strings (names,
 * phones, ID numbers, address) and against phone- or ID-shaped numbers. Pure apart from the
 * English lexicon, read once from an npm package (server-only, see lexicon-en.server.ts).
 *
 * One normalization (normalize.ts: format characters out, NFKC, any digit set, Arabic folding,
 * Latin without accents) with a map back to the original text, so highlights point at what the
 * author wrote. Names are matched in Arabic as written (prefixes و ف ب ل ك ال stripped), in Latin
 * through a romanization table (romanize.ts), compounds (عبد/أبو/أم/ابن/بنت + next part) joined or
 * apart; a hit on a word that is also an ordinary word of the text's language is a possible name
 * the author may confirm per occurrence.
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

/** A number with this many digits or more is phone- or ID-shaped (unless public by design). */
export const MIN_NUMBER_DIGITS = 7;

// ---------------------------------------------------------------- words

type Script = "ar" | "latin" | "other";

interface Word {
  /** Folded (normalizeText) form, apostrophes inside the word removed. */
  norm: string;
  /** Arabic as written (lightArabic), same length as norm for Arabic words. */
  light: string;
  script: Script;
  /** Offsets in the folded text. */
  fStart: number;
  fEnd: number;
  /** How it is joined to the next word: by spaces, by a hyphen (or dot, underscore), or not at all. */
  next: "space" | "hyphen" | "break";
}

const ARABIC = /[\u0600-\u06FF]/;
const WORD = /[\p{L}\p{N}]+(?:['’ʼ`‘][\p{L}\p{N}]+)*/gu;

function scriptOf(norm: string): Script {
  if (ARABIC.test(norm)) return "ar";
  if (/^[a-z0-9]+$/.test(norm) && /[a-z]/.test(norm)) return "latin";
  return "other";
}

function wordsOf(folded: Folded, original: string): Word[] {
  const out: Word[] = [];
  const text = folded.text;
  for (const m of text.matchAll(WORD)) {
    const fStart = m.index!;
    const fEnd = fStart + m[0].length;
    // Apostrophes inside a word join it (Sa'id); an English possessive is not part of the name (Huda's).
    const norm = m[0].replace(/['’ʼ`‘]s$/, "").replace(/['’ʼ`‘]/g, "");
    const script = scriptOf(norm);
    let light = norm;
    if (script === "ar") {
      const candidate = lightArabic(original.slice(folded.starts[fStart], folded.ends[fEnd - 1]));
      if (candidate.length === norm.length) light = candidate;
    }
    out.push({ norm, light, script, fStart, fEnd, next: "break" });
  }
  for (let i = 0; i + 1 < out.length; i++) {
    const between = text.slice(out[i]!.fEnd, out[i + 1]!.fStart);
    if (/^[^\S\r\n]+$/.test(between)) out[i]!.next = "space";
    else if (/^[^\S\r\n]?[-\u2010-\u2015\u2212._][^\S\r\n]?$/.test(between)) out[i]!.next = "hyphen";
  }
  return out;
}

/** One-letter Arabic prefixes (and, so, with, for, like) and the article, as they attach to words. */
const ARABIC_PREFIXES = ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك"];

/** The word and what remains after taking off up to two attached prefixes (و + ل + محمد), with the prefix length. */
function arabicCandidates(word: string, depth = 2, offset = 0): { text: string; offset: number }[] {
  const out = [{ text: word, offset }];
  if (depth === 0) return out;
  for (const prefix of ARABIC_PREFIXES) {
    if (word.startsWith(prefix) && word.length - prefix.length >= 2) {
      out.push(...arabicCandidates(word.slice(prefix.length), depth - 1, offset + prefix.length));
    }
  }
  return out;
}

const withoutArticle = (s: string) => (s.startsWith("ال") && s.length >= 4 ? s.slice(2) : s);
const bareAlef = (s: string) => s.replace(/[أإآ]/g, "ا");

// ---------------------------------------------------------------- private parts

interface Part {
  kind: "name" | "address";
  script: Script;
  /** Folded, joined without spaces (عبدالرحمن, abdalrahman). */
  joined: string;
  /** Folded keys an Arabic text word must equal (with and without the article). */
  keys: Set<string>;
  /** As written (light), for telling a name from a function word. */
  light: string;
  /** Tokens as written, for romanization of an Arabic part. */
  tokens: string[];
  /** Matches the Latin spellings (Latin text). */
  latin: RegExp | null;
}

const LATIN_PARTICLES = new Set(["abd", "abdel", "abdul", "abdal", "abdol", "abdu", "abu", "abou", "abo", "um", "umm", "om", "oum", "ibn", "bin", "ben", "bint", "al", "el", "ul"]);
/** Particles whose next part is not a name on its own (عبد الله: "الله" alone is not the person's name). */
const BOUND_PARTICLES = new Set(["عبد", "abd", "abdel", "abdul", "abdal", "abdol", "abdu"]);
const isParticle = (w: Word) => (w.script === "ar" ? ARABIC_PARTICLES.has(bareAlef(w.norm)) : LATIN_PARTICLES.has(w.norm));

function makePart(kind: Part["kind"], words: Word[], original: string[]): Part | null {
  const joined = words.map((w) => w.norm).join("");
  const script = words.every((w) => w.script === words[0]!.script) ? words[0]!.script : "other";
  if (joined.length < 2 || /^\d+$/.test(joined) || joined.length > MAX_TOKEN) return null;
  const keys = new Set([joined, withoutArticle(joined)]);
  let latin: RegExp | null = null;
  if (script === "ar") latin = anchored(arabicLatinSource(original));
  else if (script === "latin") {
    latin =
      kind === "name"
        ? anchored(latinVariantSource(joined, words.length > 1))
        : anchored(`(?:[aeiou]l)?${joined.replace(/^(?:al|el)(?=[a-z]{4})/, "")}`);
  }
  return { kind, script, joined, keys, light: words.map((w) => w.light).join(""), tokens: original, latin };
}

function nameParts(names: string[]): Part[] {
  const parts = new Map<string, Part>();
  const add = (p: Part | null) => {
    if (p && !parts.has(`${p.script}:${p.joined}`)) parts.set(`${p.script}:${p.joined}`, p);
  };
  for (const name of names) {
    const folded = foldWithMap(name);
    const ws = wordsOf(folded, name);
    const tokenText = (w: Word) => name.slice(folded.starts[w.fStart], folded.ends[w.fEnd - 1]);
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      if (isParticle(w)) {
        const group = [w];
        let j = i + 1;
        // the particle, an optional article, and the part it binds (عبد ال رحمن, Abd al Rahman)
        while (j < ws.length && isParticle(ws[j]!) && group.length < 3) group.push(ws[j++]!);
        if (j < ws.length) {
          group.push(ws[j]!);
          add(makePart("name", group, group.map(tokenText)));
          const bound = group.slice(0, -1).some((g) => BOUND_PARTICLES.has(bareAlef(g.norm)));
          if (!bound) add(makePart("name", [ws[j]!], [tokenText(ws[j]!)]));
          i = j;
        }
        continue;
      }
      add(makePart("name", [w], [tokenText(w)]));
    }
  }
  return [...parts.values()];
}

/** Words of an address too common to mean anything on their own. */
const ADDRESS_TERMS = new Set(
  [
    "شارع", "حي", "بناء", "بناية", "بنايه", "مبنى", "عمارة", "طابق", "الطابق", "قرب", "مقابل", "جانب", "خلف", "امام", "منطقة",
    "مخيم", "مدينة", "قرية", "بلدة", "محافظة", "مركز", "زقاق", "حارة", "دوار", "ساحة", "جادة", "طريق", "مفرق", "بجانب", "بالقرب", "من",
    "street", "st", "road", "rd", "building", "bldg", "floor", "near", "camp", "area", "block", "apt", "apartment",
    "the", "and", "of", "behind", "opposite", "next", "to", "district", "village", "town", "city", "quarter", "lane",
    "square", "avenue", "ave", "hay", "haret", "neighbourhood", "neighborhood", "governorate",
  ].map(normalizeText),
);

function addressParts(addresses: string[], publicWords: Set<string>): { parts: Part[]; neighbours: Set<string> } {
  const parts = new Map<string, Part>();
  const neighbours = new Set<string>(ADDRESS_TERMS);
  for (const address of addresses) {
    const folded = foldWithMap(address);
    for (const w of wordsOf(folded, address)) {
      for (const c of w.script === "ar" ? arabicCandidates(w.norm) : [{ text: w.norm, offset: 0 }]) neighbours.add(c.text);
      const bases = w.script === "ar" ? arabicCandidates(w.norm).map((c) => c.text) : [w.norm];
      if (bases.some((b) => ADDRESS_TERMS.has(b) || publicWords.has(b) || publicWords.has(withoutArticle(b)))) continue;
      if (withoutArticle(w.norm).length < 3 || /\d/.test(w.norm) || isParticle(w)) continue;
      const original = address.slice(folded.starts[w.fStart], folded.ends[w.fEnd - 1]);
      const part = makePart("address", [w], [original]);
      // Romanized address words match Latin text only when long enough to be distinctive.
      if (part && part.script === "ar" && withoutArticle(w.norm).length < 4) part.latin = null;
      if (part) parts.set(`${part.script}:${part.joined}`, part);
    }
  }
  return { parts: [...parts.values()], neighbours };
}

// ---------------------------------------------------------------- numbers

const COUNTRY_CODES = ["961", "963", "962", "970", "972", "964", "966", "971", "965", "974", "968", "973", "967", "218", "216", "213", "212", "249", "357", "20", "90", "49", "33", "44", "46", "31", "45", "47", "41", "43", "32", "39", "34", "30", "1"];

/** A phone number's national significant digits: no 00/+, no country code, no trunk 0. */
function phoneCore(digits: string): string {
  let d = digits.replace(/^00/, "");
  const cc = COUNTRY_CODES.find((c) => d.startsWith(c) && d.length - c.length >= 7);
  if (cc && (digits.startsWith("00") || d.length >= 10)) d = d.slice(cc.length);
  return d.replace(/^0+/, "");
}

interface SecretNumber {
  digits: string;
  core: string;
  reason: "phone" | "id_number";
}

function matchesSecret(run: string, s: SecretNumber): boolean {
  if (run.length < 4) return false;
  if (run === s.digits || run === s.core) return true;
  const core = s.reason === "phone" ? phoneCore(run) : run;
  if (core.length >= 4 && core === s.core) return true;
  if (run.length >= 6 && (s.digits.includes(run) || s.core.includes(core))) return true;
  return s.core.length >= 6 && run.includes(s.core);
}

const SPACE = "[^\\S\\r\\n]";
const NUMBER_RUN = new RegExp(
  `\\+?\\d(?:(?:[,\\u066b\\u066c'\\u2019](?=\\d)|${SPACE}?[-\\u2010-\\u2015\\u2212\\ufe58\\ufe63._/()+]{1,2}${SPACE}?|${SPACE}{1,2})?\\d)*`,
  "g",
);
const CURRENCY =
  "(?:\\$|€|£|₪|¥|us\\$|usd|eur|gbp|lbp|syp|egp|jod|sar|aed|ils|try|dollars?|euros?|pounds?|liras?|lire|dinars?|riyals?|dirhams?|shekels?|cents?|piastres?|l\\.l\\.?|ll|s\\.p\\.?|e\\.p\\.?|ل\\.?ل|ل\\.?س|ج\\.?م|د\\.?ا|ليره|ليرات|جنيه|جنيهات|جنيها|دولار|دولارات|دينار|دنانير|يورو|ريال|درهم|شيكل|قرش)";
const CURRENCY_BEFORE = new RegExp(`(?<![a-z\\u0621-\\u064a])${CURRENCY}${SPACE}*$`);
const CURRENCY_AFTER = new RegExp(`^${SPACE}*${CURRENCY}(?![a-z])`);
/** A currency after a second amount of a range ("1.500.000 و 2.000.000 ل.س"). */
const CURRENCY_AFTER_RANGE = new RegExp(
  `^${SPACE}*(?:and|to|or|و|او|الي|حتي|-|–|—)${SPACE}*\\d{1,3}(?:(?:[.,\\u066c]|${SPACE})\\d{3})+${SPACE}*${CURRENCY}(?![a-z])`,
);

const GROUPED_AMOUNT = /^\d{1,3}(?:([,\u066c'\u2019.]|[^\S\r\n])\d{3})(?:\1\d{3})*(?:[.,\u066b]\d{1,2})?$/;
const isYear = (g: string) => g.length === 4 && +g >= 1900 && +g <= 2099;

function publicByDesign(run: string, groups: string[], before: string, after: string): boolean {
  // Years and year ranges: 2019, 2024-2025, 2024/25.
  if (groups.length <= 3 && groups.every(isYear)) return true;
  if (groups.length === 2 && isYear(groups[0]!) && groups[1]!.length === 2) return true;
  // Dates: 12/05/2024, 2024-05-12, 12.5.24.
  if (groups.length === 3) {
    const [a, b, c] = groups.map(Number) as [number, number, number];
    const dm = (d: number, m: number) => d >= 1 && d <= 31 && m >= 1 && m <= 12;
    if (groups[2]!.length === 4 || groups[2]!.length === 2) if (dm(a, b) || dm(b, a)) return true;
    if (isYear(groups[0]!) && (dm(c, b) || dm(b, c))) return true;
  }
  const currency = CURRENCY_BEFORE.test(before) || CURRENCY_AFTER.test(after);
  const currencyOfRange = currency || CURRENCY_AFTER_RANGE.test(after);
  // Amounts: thousands-grouped (1,500,000 / ١٬٥٠٠٬٠٠٠ / 1.500.000 ل.س), or any run by a currency.
  const grouped = GROUPED_AMOUNT.exec(run);
  if (grouped && (/[,\u066c'\u2019]/.test(grouped[1]!) || currencyOfRange)) return true;
  // A range of amounts: 1,500,000-2,000,000 / 1.500.000 – 2.000.000 ل.س
  const range = run.split(/[^\S\r\n]?[-\u2010-\u2015\u2212][^\S\r\n]?/);
  if (range.length === 2 && range.every((r) => GROUPED_AMOUNT.test(r)) && (currency || range.every((r) => /[,\u066c'\u2019]/.test(r)))) return true;
  // A plain run right by a currency is an amount, unless it looks dialled (trunk 0, separators).
  if (currency && /^[1-9]\d*$/.test(run)) return true;
  return false;
}

// ---------------------------------------------------------------- matching

interface Candidate {
  fStart: number;
  fEnd: number;
  reason: HitReason;
  severity: "block" | "confirm";
  key: string;
}

export function checkPublicText(
  fields: Record<string, string | null | undefined>,
  secrets: PrivateStrings,
  context: PublicContext = {},
): GuardHit[] {
  const publicWords = new Set<string>();
  for (const place of context.publicPlaces ?? []) {
    for (const w of wordsOf(foldWithMap(place), place)) {
      for (const c of w.script === "ar" ? arabicCandidates(w.norm) : [{ text: w.norm, offset: 0 }]) publicWords.add(c.text);
    }
  }
  const names = nameParts(secrets.names);
  const address = addressParts(secrets.addresses, publicWords);
  const parts = [...names, ...address.parts];
  const latinParts = parts.filter((p) => p.script === "latin");
  const secretNumbers: SecretNumber[] = [
    ...secrets.phones.map((p) => ({ digits: digitsOf(p), reason: "phone" as const })),
    ...secrets.idNumbers.map((p) => ({ digits: digitsOf(p), reason: "id_number" as const })),
  ]
    .filter((s) => s.digits.length >= 4)
    .map((s) => ({ ...s, core: s.reason === "phone" ? phoneCore(s.digits) : s.digits }));

  const hits: GuardHit[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (!value) continue;
    const folded = foldWithMap(value);
    const ws = wordsOf(folded, value);
    const found: Candidate[] = [];
    if (parts.length > 0) found.push(...wordHits(ws, parts, latinParts, publicWords, address.neighbours));
    found.push(...numberHits(folded.text, secretNumbers));
    hits.push(...toHits(field, value, folded, found));
  }
  return hits.sort((a, b) => (a.field === b.field ? a.start - b.start : a.field < b.field ? -1 : 1));
}

const digitsOf = (s: string) => normalizeText(s).replace(/\D/g, "");

function numberHits(text: string, secrets: SecretNumber[]): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(NUMBER_RUN)) {
    const digits = m[0].replace(/\D/g, "");
    const secret = secrets.find((s) => matchesSecret(digits, s));
    if (secret) {
      out.push({ fStart: m.index!, fEnd: m.index! + m[0].length, reason: secret.reason, severity: "block", key: digits });
      continue;
    }
    for (const piece of splitAtYears(m[0], m.index!)) {
      const hit = numberShaped(text, piece.run, piece.start);
      if (hit) out.push(hit);
    }
  }
  return out;
}

/** A year set off by spaces is a number of its own ("born 2010 2012"), not part of a phone number. */
function splitAtYears(run: string, start: number): { run: string; start: number }[] {
  const pieces: { run: string; start: number }[] = [];
  let from = 0;
  for (const m of run.matchAll(/(?<=^|[^\S\r\n])(?:19|20)\d\d(?=$|[^\S\r\n])/g)) {
    const before = run.slice(from, m.index!).trimEnd();
    if (before) pieces.push({ run: before, start: start + from });
    pieces.push({ run: m[0], start: start + m.index! });
    from = m.index! + m[0].length;
    while (from < run.length && /\s/.test(run[from]!)) from++;
  }
  if (from === 0) return [{ run, start }];
  if (from < run.length) pieces.push({ run: run.slice(from), start: start + from });
  return pieces;
}

/** A phone- or ID-shaped number that is not public by design (years, dates, amounts). */
function numberShaped(text: string, run: string, start: number): Candidate | null {
  const end = start + run.length;
  const digits = run.replace(/\D/g, "");
  if (digits.length < MIN_NUMBER_DIGITS) return null;
  const groups = run.split(/\D+/).filter(Boolean);
  if (publicByDesign(run.replace(/^\+/, ""), groups, text.slice(Math.max(0, start - 14), start), text.slice(end, end + 40))) return null;
  return { fStart: start, fEnd: end, reason: "number_shaped", severity: "block", key: digits };
}

interface WordMatch {
  part: Part;
  /** The folded word (or joined window) that matched, for the lexicon. */
  text: string;
}

function wordHits(ws: Word[], parts: Part[], latinParts: Part[], publicWords: Set<string>, neighbours: Set<string>): Candidate[] {
  const out: Candidate[] = [];
  const english = englishLexicon();
  const arabicCache = new Map<string, WordMatch | null>();
  const latinCache = new Map<string, WordMatch | null>();

  /** An Arabic text word (or joined window, with its light form) against every part. */
  const matchArabic = (norm: string, light: string, single: boolean): WordMatch | null => {
    const cacheKey = `${norm}|${light}|${single}`;
    const cached = arabicCache.get(cacheKey);
    if (cached !== undefined) return cached;
    let result: WordMatch | null = null;
    const candidates = arabicCandidates(norm);
    outer: for (const c of candidates) {
      if (publicWords.has(c.text)) continue;
      const cLight = light.length === norm.length ? light.slice(c.offset) : c.text;
      for (const part of parts) {
        if (part.script === "latin") continue;
        if (!part.keys.has(c.text) && !part.keys.has(withoutArticle(c.text))) continue;
        // A function word spelled differently from the name as written (على for علي) is no hit.
        if (ARABIC_FUNCTION_WORDS.has(cLight) && cLight !== part.light && cLight !== withoutArticle(part.light)) continue;
        result = { part, text: c.text };
        break outer;
      }
      if (latinParts.length > 0 && c.text.length <= MAX_TOKEN && !ARABIC_FUNCTION_WORDS.has(cLight)) {
        const re = anchored(arabicLatinSource([cLight], true));
        for (const part of latinParts) {
          if (re.test(part.joined) || (/[^aeiou]e$/.test(part.joined) && re.test(part.joined.slice(0, -1)))) {
            result = { part, text: c.text };
            break outer;
          }
        }
      }
    }
    arabicCache.set(cacheKey, result);
    return result;
  };

  /** A Latin text word (or joined window) against every part. */
  const matchLatin = (text: string): WordMatch | null => {
    const cached = latinCache.get(text);
    if (cached !== undefined) return cached;
    let result: WordMatch | null = null;
    if (text.length <= MAX_TOKEN * 2 && !publicWords.has(text)) {
      for (const part of parts) {
        if (!part.latin) continue;
        if (ENGLISH_FUNCTION_WORDS.has(text) && text !== part.joined) continue;
        if (part.latin.test(text)) {
          result = { part, text };
          break;
        }
      }
    }
    latinCache.set(text, result);
    return result;
  };

  const ordinary = (m: WordMatch, script: Script, single: boolean) => {
    if (!single) return false;
    if (script === "ar") return ARABIC_ORDINARY.has(m.text) || ARABIC_ORDINARY.has(withoutArticle(m.text));
    return english.has(m.text);
  };

  const push = (from: number, to: number, m: WordMatch, script: Script, single: boolean, key: string) => {
    const isOrdinary = ordinary(m, script, single);
    if (m.part.kind === "address") {
      // An ordinary word of the address counts only next to another address word (بناية الزيتون).
      if (isOrdinary) {
        const near = (k: number) => {
          const w = ws[k];
          if (!w) return false;
          const forms = w.script === "ar" ? arabicCandidates(w.norm).map((c) => c.text) : [w.norm];
          return forms.some((f) => neighbours.has(f) || parts.some((p) => p.kind === "address" && p.keys.has(f)));
        };
        const linked = (from > 0 && ws[from - 1]!.next !== "break" && near(from - 1)) || (ws[to]!.next !== "break" && near(to + 1));
        if (!linked) return;
      }
      out.push({ fStart: ws[from]!.fStart, fEnd: ws[to]!.fEnd, reason: "address", severity: "block", key });
      return;
    }
    out.push({
      fStart: ws[from]!.fStart,
      fEnd: ws[to]!.fEnd,
      reason: isOrdinary ? "possible_name" : "name",
      severity: isOrdinary ? "confirm" : "block",
      key,
    });
  };

  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (w.script === "other") {
      const part = parts.find((p) => p.joined === w.norm);
      if (part) push(i, i, { part, text: w.norm }, "other", true, w.norm);
      continue;
    }
    if (/^\d+$/.test(w.norm)) continue;
    // Windows of 2–3 words for compounds (عبد الرحمن, Abd al-Rahman, Abu Bakr) and hyphenated names (Al-Hassan).
    for (let size = 3; size >= 2; size--) {
      const window = ws.slice(i, i + size);
      if (window.length < size || window.some((x) => x.script !== w.script)) continue;
      if (window.slice(0, -1).some((x) => x.next === "break")) continue;
      const firstIsParticle =
        w.script === "ar" ? arabicCandidates(w.norm).some((c) => ARABIC_PARTICLES.has(bareAlef(c.text))) : LATIN_PARTICLES.has(w.norm);
      const hyphenated = window.slice(0, -1).every((x) => x.next === "hyphen");
      if (!firstIsParticle && !hyphenated) continue;
      const joined = window.map((x) => x.norm).join("");
      const m = w.script === "ar" ? matchArabic(joined, window.map((x) => x.light).join(""), false) : matchLatin(joined);
      if (m) {
        push(i, i + size - 1, m, w.script, false, window.map((x) => x.norm).join(" "));
        break;
      }
    }
    const m = w.script === "ar" ? matchArabic(w.norm, w.light, true) : matchLatin(w.norm);
    if (m) push(i, i, m, w.script, true, w.norm);
  }
  return out;
}

const RANK: Record<HitReason, number> = { phone: 0, id_number: 0, name: 1, address: 2, number_shaped: 3, possible_name: 4 };

/** Overlapping candidates: the blocking, then the longer, wins; offsets mapped back to the original. */
function toHits(field: string, value: string, folded: Folded, found: Candidate[]): GuardHit[] {
  const ordered = [...found].sort((a, b) => RANK[a.reason] - RANK[b.reason] || b.fEnd - b.fStart - (a.fEnd - a.fStart) || a.fStart - b.fStart);
  const kept: Candidate[] = [];
  for (const c of ordered) {
    if (kept.some((k) => c.fStart < k.fEnd && k.fStart < c.fEnd)) continue;
    kept.push(c);
  }
  kept.sort((a, b) => a.fStart - b.fStart);
  const seen = new Map<string, number>();
  return kept.map((c) => {
    const start = folded.starts[c.fStart]!;
    const end = folded.ends[c.fEnd - 1]!;
    const n = seen.get(c.key) ?? 0;
    seen.set(c.key, n + 1);
    return { field, text: value.slice(start, end), start, end, reason: c.reason, severity: c.severity, occurrence: `${field}:${c.key}:${n}` };
  });
}

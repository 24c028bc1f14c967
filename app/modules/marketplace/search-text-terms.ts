/**
 * The words a need is indexed by and the terms a query looks for (issue 11). Pure, no I/O.
 *
 * Arabic: a light stemmer. A word may carry attached particles — the conjunctions و ف, the
 * prepositions ب ل ك, the article ال and their combinations (وال بال فال كال لل وبال ولل …). The
 * text indexes every reading of a word (the word as written and each form with a prefix taken
 * off, as long as a stem of at least MIN_STEM letters remains, e.g. بالمدرسه → بالمدرسه, المدرسه,
 * مدرسه), and a query looks for each reading of its own words, so ماعز finds الماعز, الماعز finds
 * ماعز and بالمدرسة finds مدرسة. A word that only looks prefixed (كتاب → تاب) keeps its own form,
 * and a query's doubtful readings (a short stem or a single-letter particle) match whole words
 * only, never as prefixes, so they do not drag in unrelated words.
 *
 * Latin letters: every Arabic reading is also indexed by its consonant skeleton (romanize.ts),
 * marked with SKELETON_MARK; a Latin query word looks for itself (English text) and for its
 * skeletons, so «madrasa» finds مدرسة and «maiz» finds ماعز. A short skeleton (fewer than three
 * consonants) matches whole skeletons only.
 */
import { arabicSkeleton, latinSkeletons } from "~/modules/anonymization/romanize";
import { normalizeText } from "~/modules/anonymization/normalize";

/** Marks a skeleton token in the search text (letters only, so PostgreSQL keeps it one word). */
export const SKELETON_MARK = "xq";
/** The shortest stem a prefix may leave. */
export const MIN_STEM = 2;

/** Attached prefixes (normalized spelling), longest first; `article`: ends in the article. */
const PREFIXES: { prefix: string; article: boolean }[] = [
  ...["وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال"].map((prefix) => ({ prefix, article: true })),
  ...["وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك"].map((prefix) => ({ prefix, article: false })),
];

const ARABIC = /[\u0621-\u064A\u0671-\u06D3]/;
const LATIN = /[a-z]/;

export const isArabicWord = (word: string) => ARABIC.test(word);

export interface Reading {
  form: string;
  /** The form is the word itself or lost an article with ≥ 3 letters left: safe as a prefix. */
  sure: boolean;
}

/**
 * Every reading of a normalized Arabic word: itself first, then each form with attached prefixes
 * removed (repeatedly: وبالمدرسه → بالمدرسه → المدرسه → مدرسه …), each leaving ≥ MIN_STEM letters,
 * and ≥ 3 for a prefix without the article (a single letter is too often part of the word).
 */
export function arabicReadings(word: string): Reading[] {
  const out = new Map<string, boolean>([[word, true]]);
  // Each step takes letters off the front, so this ends; each suffix of the word is visited at most twice.
  const visit = (w: string, sure: boolean) => {
    for (const { prefix, article } of PREFIXES) {
      if (!w.startsWith(prefix)) continue;
      const rest = w.slice(prefix.length);
      const restLetters = [...rest].length;
      if (restLetters < (article ? MIN_STEM : 3)) continue;
      const restSure = sure && article && restLetters >= 3;
      if (!out.has(rest) || (restSure && !out.get(rest))) {
        out.set(rest, restSure);
        visit(rest, restSure);
      }
    }
  };
  visit(word, true);
  return [...out].map(([form, sure]) => ({ form, sure }));
}

/** The tokens a normalized word is indexed by: its readings and, for Arabic, their skeletons. */
export function indexTokens(word: string): string[] {
  if (!isArabicWord(word)) return [word];
  const readings = arabicReadings(word).map((r) => r.form);
  const skeletons = readings.map(arabicSkeleton).filter((s) => s !== "").map((s) => SKELETON_MARK + s);
  return [...new Set([...readings, ...skeletons])];
}

/**
 * The normalized words of a text for search, as written: runs of letters and digits, Latin ones
 * joined across an apostrophe (ma'iz, Ba'albek: the apostrophe writes a hamza or an ʿayn).
 */
function rawWords(text: string): string[] {
  const runs = normalizeText(text).match(/[\p{L}\p{N}]+(?:'+[\p{L}\p{N}]+)*/gu) ?? [];
  // Keep an apostrophe only between two Latin letters or digits.
  return runs.flatMap((run) => run.split(/(?<![a-z0-9'])'+|'+(?![a-z0-9'])/)).filter((w) => w !== "");
}
const joined = (raw: string) => raw.replace(/'+/g, "");

/** The normalized words of a text for search (a Latin word's apostrophes removed). */
export function searchWords(text: string): string[] {
  return rawWords(text).map(joined);
}

/** Every token of a text, in first-seen order, each once. */
export function textTokens(text: string): string[] {
  const seen = new Set<string>();
  for (const word of searchWords(text)) for (const token of indexTokens(word)) seen.add(token);
  return [...seen];
}

/** One alternative of a query word: a token, matched as a prefix of an indexed token or whole. */
export interface QueryTerm {
  token: string;
  prefix: boolean;
}

/** Latin forms of the Arabic article written on its own (al-madrasa, el madrasa). */
const LATIN_ARTICLE = new Set(["al", "el"]);

/**
 * The alternatives a normalized query word matches (any one of them is enough). A Latin word may
 * keep its apostrophes (ma'iz): they are silent in its skeletons and gone from the word itself.
 */
export function queryAlternatives(raw: string): QueryTerm[] {
  const word = joined(raw);
  const terms: QueryTerm[] = [];
  const add = (token: string, prefix: boolean) => {
    const same = terms.find((t) => t.token === token);
    if (same) same.prefix ||= prefix;
    else terms.push({ token, prefix });
  };
  if (isArabicWord(word)) {
    for (const { form, sure } of arabicReadings(word)) add(form, sure || [...form].length >= 4);
    return terms;
  }
  add(word, true);
  if (LATIN.test(word) && word.length >= 2) {
    const bodies = [raw];
    const article = /^(?:al|el|il|ul)'*([a-z0-9']{2,})$/.exec(raw);
    if (article && /[a-z]/.test(article[1]!)) bodies.push(article[1]!);
    for (const body of bodies) for (const s of latinSkeletons(body)) add(SKELETON_MARK + s, s.length >= 3);
  }
  return terms;
}

/** At most this many words of a query are used, each at most this long (a query is a few words). */
export const MAX_QUERY_WORDS = 8;
export const MAX_WORD_LENGTH = 40;

/**
 * A query as groups of alternatives: every group must match (AND), any alternative in a group
 * will do (OR). A Latin article written apart (al, el) is dropped when other words remain.
 */
export function queryGroups(query: string | null | undefined): QueryTerm[][] {
  if (!query) return [];
  let terms = [...new Set(rawWords(query.slice(0, 500)))].map((w) => w.slice(0, MAX_WORD_LENGTH));
  const content = terms.filter((w) => !LATIN_ARTICLE.has(joined(w)));
  if (content.length > 0) terms = content;
  return terms.slice(0, MAX_QUERY_WORDS).map(queryAlternatives);
}

/** Does a set of indexed tokens satisfy the query groups (the same rule PostgreSQL applies)? */
export function tokensMatch(tokens: readonly string[], groups: QueryTerm[][]): boolean {
  return groups.every((group) =>
    group.some((term) => tokens.some((t) => (term.prefix ? t.startsWith(term.token) : t === term.token))),
  );
}

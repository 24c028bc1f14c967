/**
 * Romanization for the anonymization guard (decision 050): an Arabic word (or a Latin-written
 * name) becomes an anchored regular expression that matches its common Latin spellings, built
 * from a per-letter table — never from a list of names.
 *
 * Arabic: each consonant has its Latin options (ح → h/7, خ → kh/5/x/ch, ق → q/k/g/2 …), each may
 * be doubled (gemination, shadda); the unwritten short vowels between consonants are optional
 * vowel clusters; the long vowels ا و ي ى ة have their Latin variants (و → u/o/ou/oo/w,
 * ة → a/ah/e/eh/at …); an initial ا أ إ آ ع is realised as a vowel, never as nothing (so عمر is
 * Omar/Umar but not "more"). The article ال and the particles عبد أبو أم ابن بن بنت are
 * romanized as the forms people write (Abdel-, Abdul-, Abdur-, Abu, Umm, Ibn, Bint, Al-, El-).
 * Latin: a Latin-written name is parsed into consonants and vowel clusters and rebuilt with the
 * same classes, so Mohammad matches Mohamed and Yusuf matches Youssef.
 *
 * Inputs are bounded (MAX_TOKEN) and every quantifier is bounded, so matching stays linear-ish.
 */
import { lightArabic } from "./normalize";

/** Words longer than this (in letters) are not romanized (no real name part is this long). */
export const MAX_TOKEN = 32;

const SHORT = "[aeiou]{0,2}";
const INITIAL = "(?:3|2)?[aeiou]{1,2}";

/** Arabic consonants → their Latin spellings (chat-alphabet digits included). */
const AR_CONSONANTS: Record<string, string[]> = {
  "ب": ["b"], "ت": ["t"], "ث": ["th", "t", "s"], "ج": ["j", "g", "dj", "dg"], "ح": ["h", "7"],
  "خ": ["kh", "5", "x", "ch"], "د": ["d"], "ذ": ["dh", "th", "z", "d"], "ر": ["r"], "ز": ["z"], "س": ["s", "c"],
  "ش": ["sh", "ch", "sch"], "ص": ["s", "9"], "ض": ["d", "dh", "z"], "ط": ["t", "6"], "ظ": ["z", "dh", "th"],
  "غ": ["gh", "g", "8"], "ف": ["f", "ph"], "ق": ["q", "k", "g", "2", "c"], "ك": ["k", "c", "ck"], "ل": ["l"],
  "م": ["m"], "ن": ["n"], "ه": ["h"], "ڤ": ["v", "f"], "پ": ["p", "b"], "گ": ["g"], "چ": ["ch", "j"],
};
/** How Arabic script writes foreign sounds (P as ب, V as ف, G as ج/غ): only when reading Arabic text for a Latin-written name. */
const FOREIGN: Record<string, string[]> = { "ب": ["b", "p"], "ف": ["f", "ph", "v"], "ج": ["j", "g", "dj", "dg"], "غ": ["gh", "g", "8"] };
const SUN = new Set(["ت", "ث", "د", "ذ", "ر", "ز", "س", "ش", "ص", "ض", "ط", "ظ", "ل", "ن"]);

/** Long vowels and the other vowel-like letters. */
const LONG_A = "(?:aa|a|ae)";
const FINAL_A = "(?:aa|ah|a|e)";
const W_MED = "(?:ou|oo|uu|u|o|w|ow|aw|v)";
const Y_MED = "(?:ee|ii|ie|ei|ey|ay|ai|iy|i|y|e)";
const Y_FINAL = "(?:ee|ie|iy|ey|ii|i|y)";
const MAQSURA = "(?:aa|ah|a|ee|i|y)";
const TA_MARBUTA = "(?:ah|a|eh|e|at|et|ih|i)";
const HA_FINAL = "(?:ha|he|ah|eh|h|a|e)";
const AIN_MED = "(?:3|')?";
const HAMZA: Record<string, string> = { "ء": "(?:2|')?", "أ": "(?:2|')?", "إ": "(?:2|')?", "ؤ": "(?:2|'|u|o|w)?", "ئ": "(?:2|'|i|e|y)?" };

const alt = (options: string[]) => `(?:${options.join("|")})`;
const gem = (options: string[]) => `${alt(options)}{1,2}`;
const ARABIC_LETTER = /[\u0621-\u064A\u0671-\u06D3\u06A4\u067E\u06AF\u0686]/;

/** Regex source (unanchored) for the body of an Arabic word: letters as written, no article. */
function arabicBody(letters: string[], foreign: boolean): string {
  let out = "";
  let prev: "start" | "C" | "V" | "W" = "start";
  letters.forEach((ch, i) => {
    const first = i === 0;
    const last = i === letters.length - 1;
    if (first && "اأإآع".includes(ch)) {
      out += INITIAL;
      prev = "V";
      return;
    }
    if (first && ch === "و") {
      out += "(?:w|ou|o|u|v)";
      prev = "C";
      return;
    }
    if (first && ch === "ي") {
      out += "(?:y|j|i|e)";
      prev = "C";
      return;
    }
    let consonant = foreign ? (FOREIGN[ch] ?? AR_CONSONANTS[ch]) : AR_CONSONANTS[ch];
    if (ch === "ن" && letters[i + 1] === "ب") consonant = ["n", "m"]; // نب is said and often written mb
    if (consonant && !(ch === "ه" && last)) {
      if (prev === "C" || prev === "W") out += SHORT;
      out += gem(consonant);
      prev = "C";
      return;
    }
    switch (ch) {
      case "ا":
      case "آ":
        out += prev === "C" ? (last ? FINAL_A : LONG_A) : "(?:aa|a)?";
        prev = "V";
        return;
      case "و":
        if (prev === "C") out += SHORT;
        out += prev === "V" ? `${W_MED}?` : W_MED;
        prev = "W";
        return;
      case "ي":
        if (last && prev !== "V") {
          out += Y_FINAL;
        } else {
          if (prev === "C") out += SHORT;
          out += prev === "V" ? `${Y_MED}?` : Y_MED;
        }
        prev = "W";
        return;
      case "ى":
        out += MAQSURA;
        prev = "V";
        return;
      case "ة":
        out += TA_MARBUTA;
        prev = "V";
        return;
      case "ه":
        if (prev === "C") out += SHORT;
        out += HA_FINAL;
        prev = "V";
        return;
      case "ع":
        if (prev === "C" || prev === "W") out += SHORT;
        out += AIN_MED;
        prev = "C";
        return;
      default:
        if (HAMZA[ch] !== undefined) {
          if (prev === "C" || prev === "W") out += SHORT;
          out += HAMZA[ch];
          prev = "C";
        }
    }
  });
  return out;
}

/** The Latin forms of the article before a body whose first letter is `first`. */
function articleFor(first: string | undefined): string {
  const consonant = first ? AR_CONSONANTS[first] : undefined;
  if (first && SUN.has(first) && consonant) {
    return `(?:[aeiou]l|[aeiou](?=${alt(consonant.map((c) => c + c))}))`;
  }
  return "(?:[aeiou]l)";
}

/** Particles that make compounds with the next name part, and how they are written in Latin. */
const AR_PARTICLES: { prefix: string; latin: string; minRest: number; needsArticle: boolean }[] = [
  { prefix: "عبد", latin: "(?:3|')?(?:abd|abed)[aeiou]?", minRest: 2, needsArticle: false },
  { prefix: "ابو", latin: "(?:abu|abou|abo|aboo|abi)", minRest: 3, needsArticle: false },
  { prefix: "بنت", latin: "(?:bint|bent|binte)", minRest: 3, needsArticle: true },
  { prefix: "ابن", latin: "(?:ibn|ebn|iben|bin|ben)", minRest: 3, needsArticle: true },
  { prefix: "بن", latin: "(?:bin|ben|ibn)", minRest: 3, needsArticle: true },
  { prefix: "ام", latin: "(?:umm?|omm?|oumm?|em)", minRest: 3, needsArticle: true },
];
export const ARABIC_PARTICLES = new Set(["عبد", "ابو", "بنت", "ابن", "بن", "ام", "ال"]);

const letterArray = (word: string) =>
  [...lightArabic(word)].map((c) => (c === "ٱ" ? "ا" : c)).filter((c) => ARABIC_LETTER.test(c));

/** Alef forms to bare alef, only to detect particles. */
const bareAlef = (s: string) => s.replace(/[أإآ]/g, "ا");

/**
 * Regex source (unanchored) of the Latin spellings of an Arabic word or of an Arabic compound
 * given as tokens (["عبد", "الرحمن"] or ["عبدالرحمن"]). `foreign`: the Arabic is a transcription of
 * a Latin-written name (ب may stand for p).
 */
export function arabicLatinSource(tokens: string[], foreign = false): string {
  const key = `${foreign ? "f" : "n"}:${tokens.join(" ")}`;
  let source = sources.get(key);
  if (source === undefined) {
    source = buildArabicLatinSource(tokens, foreign);
    if (sources.size > 20000) sources.clear();
    sources.set(key, source);
  }
  return source;
}
const sources = new Map<string, string>();

function buildArabicLatinSource(tokens: string[], foreign: boolean): string {
  let letters = tokens.flatMap(letterArray);
  if (letters.length === 0 || letters.length > MAX_TOKEN) return "(?!)";
  let head = "";
  const joined = bareAlef(letters.join(""));
  for (const p of AR_PARTICLES) {
    const firstToken = tokens.length > 1 ? bareAlef(letterArray(tokens[0]!).join("")) : null;
    const isParticle = firstToken !== null ? firstToken === p.prefix : joined.startsWith(p.prefix);
    if (!isParticle) continue;
    const rest = letters.slice(p.prefix.length);
    const restHasArticle = rest[0] === "ا" && rest[1] === "ل" && rest.length >= 4;
    if (rest.length < p.minRest || (p.needsArticle && !restHasArticle && tokens.length === 1)) continue;
    head = p.latin;
    letters = restHasArticle ? rest.slice(2) : rest;
    head += restHasArticle ? `(?:[aeiou]?l|${articleFor(letters[0])})?` : "(?:[aeiou]?l)?";
    return head + arabicBody(letters, foreign);
  }
  if (letters[0] === "ا" && letters[1] === "ل" && letters.length >= 4) letters = letters.slice(2);
  return `${articleFor(letters[0])}?${arabicBody(letters, foreign)}`;
}

// ---------------------------------------------------------------- Latin-written names

const LATIN_CONSONANTS: Record<string, string[]> = {
  b: ["b", "p"], p: ["p", "b"], t: ["t", "th"], th: ["th", "t", "s", "z", "dh"], d: ["d", "dh"], dh: ["dh", "d", "z", "th"],
  j: ["j", "g", "dj", "dg"], g: ["g", "j", "dj", "gh"], dj: ["dj", "j", "g"], h: ["h", "7"], "7": ["7", "h"],
  kh: ["kh", "5", "x", "ch"], ch: ["ch", "sh", "kh", "sch"], sh: ["sh", "ch", "sch"], sch: ["sch", "sh", "ch"],
  s: ["s", "c", "9"], c: ["c", "k", "q", "s", "ck"], k: ["k", "c", "q", "ck"], q: ["q", "k", "c", "g", "2"],
  ck: ["ck", "k", "c", "q"], z: ["z", "th", "dh"], f: ["f", "ph", "v"], ph: ["ph", "f"], v: ["v", "w", "f"],
  w: ["w", "v", "ou", "u", "o"], y: ["y", "i", "j"], x: ["x", "kh", "ks"], "5": ["5", "kh"], "6": ["6", "t"], "9": ["9", "s"],
  gh: ["gh", "g", "8"], zh: ["zh", "j"],
};
const DIGRAPHS = ["sch", "sh", "ch", "kh", "gh", "th", "dh", "ph", "dj", "ck", "zh"];
const VOWELS = "aeiou";

interface Unit {
  kind: "C" | "V";
  text: string;
}

function latinUnits(word: string): Unit[] {
  const units: Unit[] = [];
  const s = word;
  const isVowelAt = (i: number): boolean => {
    const c = s[i]!;
    if (VOWELS.includes(c)) return true;
    const next = s[i + 1];
    const nextIsVowel = next !== undefined && VOWELS.includes(next);
    if (c === "y") return i > 0 && !nextIsVowel;
    if (c === "w") return i > 0 && VOWELS.includes(s[i - 1]!) && !nextIsVowel;
    return false;
  };
  let i = 0;
  while (i < s.length) {
    if (isVowelAt(i)) {
      let cluster = "";
      while (i < s.length && isVowelAt(i)) cluster += s[i++];
      if (s[i] === "h" && i === s.length - 1) cluster += s[i++];
      units.push({ kind: "V", text: cluster });
      continue;
    }
    const digraph = DIGRAPHS.find((d) => s.startsWith(d, i));
    const text = digraph ?? s[i]!;
    i += text.length;
    if (text === "3" || text === "2" || text === "'") {
      units.push({ kind: "C", text: "2" });
      continue;
    }
    const last = units[units.length - 1];
    if (last?.kind === "C" && last.text === text) continue; // doubled consonant
    units.push({ kind: "C", text });
  }
  return units;
}

function finalVowel(cluster: string): string {
  const v = cluster.replace(/h$/, "");
  if (/^[ou]+$|^(?:ow)$/.test(v)) return "(?:ou|oo|ow|o|u)h?";
  if (/^(?:i|y|ee|ie|iy|ey|ii)$/.test(v)) return "(?:ee|ie|iy|ey|ii|i|y)";
  if (/^a+$/.test(v)) return "(?:aa|ah|a|eh|e|at|et)";
  if (/^e+$/.test(v)) return "(?:eh|e|ah|a|ee|i|y)";
  if (/^(?:ai|ay|aye)$/.test(v)) return "(?:aye|ai|ay|ei|ey)";
  return "[aeiouy]{1,3}h?";
}

function medialVowel(cluster: string): string {
  if (/^[aeiou]$/.test(cluster)) return "[aeiou]{1,2}";
  if (/^(?:ou|oo|uu|o|u|ow|uw)$/.test(cluster)) return "(?:ou|oo|uu|ow|u|o|w)";
  if (/^(?:y|ee|ii|ie|iy|ea)$/.test(cluster)) return "(?:ee|ii|ie|iy|ea|ei|i|y|e)";
  if (/^(?:aa|ae)$/.test(cluster)) return "(?:aa|ae|a|e)";
  if (/^(?:ai|ay|ei|ey|aye)$/.test(cluster)) return "(?:aye|ei|ai|ay|ey|ee|e|i|y|a)";
  if (/^(?:au|aw)$/.test(cluster)) return "(?:aw|au|ow|ou|o)";
  return "[aeiouy]{1,3}";
}

const LATIN_PARTICLE = /^(abd|abu|abou|abo|ibn|bint|bin|ben)([aeiou]?l|[aeiou])?([a-z]{3,})$/;
const LATIN_PARTICLE_SRC: Record<string, string> = {
  abd: "(?:3|')?(?:abd|abed)[aeiou]?", abu: "(?:abu|abou|abo|aboo|abi)", abou: "(?:abu|abou|abo|aboo|abi)",
  abo: "(?:abu|abou|abo|aboo|abi)", ibn: "(?:ibn|ebn|iben|bin|ben)", bin: "(?:bin|ben|ibn)", ben: "(?:bin|ben|ibn)",
  bint: "(?:bint|bent|binte)", umm: "(?:umm?|omm?|oumm?|em)", um: "(?:umm?|omm?|oumm?|em)",
};

function latinBody(word: string): string {
  const units = latinUnits(word);
  return units
    .map((u, i) => {
      if (u.kind === "C") return u.text === "2" ? "(?:2|3|')?" : gem(LATIN_CONSONANTS[u.text] ?? [u.text]);
      if (i === 0) return INITIAL;
      if (i === units.length - 1) return finalVowel(u.text);
      return medialVowel(u.text);
    })
    .join("");
}

/**
 * Regex source (unanchored) of the spelling variants of a Latin-written name part (already
 * normalized: lower-case, no accents). `compound`: the part was written as several words
 * (Umm Kulthum), so a leading umm/um is a particle too.
 */
export function latinVariantSource(word: string, compound = false): string {
  if (word.length === 0 || word.length > MAX_TOKEN || !/^[a-z0-9]+$/.test(word)) return "(?!)";
  const particle = (compound ? /^(umm|um|abd|abu|abou|abo|ibn|bint|bin|ben)([aeiou]?l|[aeiou])?([a-z]{3,})$/ : LATIN_PARTICLE).exec(word);
  if (particle) {
    const [, p, link, rest] = particle;
    return `${LATIN_PARTICLE_SRC[p!]}${link ? "(?:[aeiou]?l)?" : "(?:[aeiou]?l)?"}${latinBody(rest!)}`;
  }
  const article = /^(?:al|el)([a-z]{4,})$/.exec(word);
  if (article && compound) return `(?:[aeiou]l)?${latinBody(article[1]!)}`;
  return `(?:[aeiou]l)?${latinBody(word)}`;
}

// ---------------------------------------------------------------- compiled, cached

const compiled = new Map<string, RegExp>();

/** An anchored, cached RegExp for a source. */
export function anchored(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`);
    if (compiled.size > 20000) compiled.clear();
    compiled.set(source, re);
  }
  return re;
}

/** Does a Latin (normalized) word spell the Arabic word or compound? */
export function spellsArabic(latin: string, arabicTokens: string[]): boolean {
  if (latin.length > MAX_TOKEN * 2) return false;
  return anchored(arabicLatinSource(arabicTokens, true)).test(latin);
}

// ---------------------------------------------------------------- search skeletons

/**
 * A consonant skeleton for public search (issue 11): an Arabic word and its common Latin spellings
 * fold to the same short string, so «madrasa», «madrasah» and «al-madrasa» find مدرسة and «maiz»,
 * «maaz», «ma3z» find ماعز. Built from a per-letter table, never from a list of words.
 *
 * The rule, on both sides: vowels (Latin a e i o u y w, Arabic ا و ي and the hamza/ʿayn, which
 * Latin writes as a vowel, an apostrophe, 2 or 3) are dropped; each consonant becomes its class
 * (ح and ه → h, ق and ك → k, ت and ط → t, د and ض → d, س and ص → s, ث ذ ظ → v, ش → c, خ → x,
 * غ → g, ب/p → b, ف/v → f …; Latin digraphs sh ch kh gh th dh ph dj ck, chat digits 5 6 7 8 9);
 * runs of one class collapse (shadda and doubled Latin letters); a word-final ه (almost always a
 * ta marbuta: ة is folded to ه before this) is dropped. Inputs are normalized words (normalize.ts).
 */
const AR_CLASS: Record<string, string> = {
  "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "v", "ذ": "v", "ظ": "v", "ج": "j", "ح": "h", "ه": "h", "خ": "x",
  "د": "d", "ض": "d", "ر": "r", "ز": "z", "س": "s", "ص": "s", "ش": "c", "چ": "c", "غ": "g", "گ": "g", "ف": "f",
  "ڤ": "f", "ق": "k", "ك": "k", "ک": "k", "ل": "l", "م": "m", "ن": "n",
};
const LATIN_CLASS: Record<string, string> = {
  b: "b", p: "b", t: "t", d: "d", j: "j", h: "h", x: "x", s: "s", c: "k", z: "z", g: "g", f: "f", v: "f", q: "k",
  k: "k", l: "l", m: "m", n: "n", r: "r", "5": "x", "6": "t", "7": "h", "8": "g", "9": "s",
};
const LATIN_SILENT = new Set(["a", "e", "i", "o", "u", "y", "w", "2", "3", "'"]);
/** Latin digraphs and the classes they may stand for (first: the usual reading). */
const LATIN_DIGRAPH: Record<string, string[][]> = {
  sh: [["c"]], ch: [["c"]], kh: [["x"]], gh: [["g"]], ph: [["f"]], dj: [["j"]], ck: [["k"]], zh: [["j"]],
  th: [["v"], ["t", "h"]],
  dh: [["v"], ["d"], ["d", "h"]],
};
/** Single Latin letters read several ways in common spellings: g (غ, Egyptian ج), z (ذ ظ in dialect). */
const LATIN_ALSO: Record<string, string[]> = { g: ["j"], z: ["v"] };

/** At most this many Latin readings of one word are tried. */
export const MAX_SKELETONS = 24;

const collapse = (classes: string[]) => classes.filter((c, i) => c !== "" && c !== classes[i - 1]).join("");
const dropEmpties = (classes: string[]) => classes.filter((c) => c !== "");

/** The skeleton of a normalized Arabic word ('' when it has no consonant). */
export function arabicSkeleton(word: string): string {
  const letters = [...word];
  if (letters[letters.length - 1] === "ه" && letters.length > 1) letters.pop();
  return collapse(dropEmpties(letters.map((ch) => AR_CLASS[ch] ?? "")));
}

/**
 * The skeletons of a normalized Latin word, the usual reading first (at most MAX_SKELETONS):
 * ambiguous letters (th, dh, g, z, a final h) give the other readings too. [] when the word has
 * no Latin letter (a number) or is too long.
 */
export function latinSkeletons(word: string): string[] {
  if (word.length === 0 || word.length > MAX_TOKEN * 2 || !/[a-z]/.test(word) || /[^a-z0-9']/.test(word)) return [];
  // Letters and digraphs, a doubled one (shadda, madrassa) counted once.
  const units: string[] = [];
  for (let i = 0; i < word.length; ) {
    const unit = LATIN_DIGRAPH[word.slice(i, i + 2)] ? word.slice(i, i + 2) : word[i]!;
    i += unit.length;
    if (unit !== units[units.length - 1]) units.push(unit);
  }
  // Every reading, built left to right as collapsed skeletons (bounded breadth, usual reading first).
  let readings: string[] = [""];
  const extend = (options: string[][]) => {
    const next = new Set<string>();
    for (const r of readings) {
      for (const o of options) {
        let s = r;
        for (const c of o) if (c !== s[s.length - 1]) s += c;
        if (next.size < MAX_SKELETONS) next.add(s);
      }
    }
    readings = [...next];
  };
  units.forEach((unit, i) => {
    const digraph = LATIN_DIGRAPH[unit];
    if (digraph) return extend(digraph);
    if (LATIN_SILENT.has(unit)) return;
    if (unit === "h" && i === units.length - 1 && i > 0) {
      // A final h: Arabic drops a final ه (ta marbuta, madrasah), keeps ح (fath, sabah).
      return extend(LATIN_SILENT.has(units[i - 1]!) ? [[], ["h"]] : [["h"], []]);
    }
    const cls = LATIN_CLASS[unit];
    if (cls) extend([[cls], ...(LATIN_ALSO[unit] ?? []).map((c) => [c])]);
  });
  return readings.filter((r) => r !== "");
}

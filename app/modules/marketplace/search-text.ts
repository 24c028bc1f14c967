/**
 * Public search over needs: the text a need is found by, and a donor's query turned into a
 * PostgreSQL tsquery. Pure functions, no I/O; both sides go through the same Arabic
 * normalization (normalize.ts), so «مدرسيه» finds «مدرسية» and «أدوية» finds «ادويه».
 */
import arNeeds from "~/locales/ar/needs.json";
import enNeeds from "~/locales/en/needs.json";
import { words } from "~/modules/anonymization/normalize";

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
 * The normalized words of everything public about a need (titles, stories, item labels, the
 * category's and the governorate's names in both languages), space-separated. Only public
 * fields go in: this column is searched by anyone.
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
  return words(parts.filter(Boolean).join(" ")).join(" ");
}

/** At most this many words of a query are used, each at most this long (a query is a few words). */
const MAX_QUERY_WORDS = 8;
const MAX_WORD_LENGTH = 40;

/**
 * A donor's query as a prefix-matching tsquery (`w1:* & w2:*`), or null when it has no word.
 * Only runs of letters and digits survive `words()`, so no tsquery operator (& | ! ( ) : * < > ')
 * can reach PostgreSQL; the result is still sent as a bound parameter, never spliced into SQL.
 */
export function toPrefixQuery(query: string | null | undefined): string | null {
  if (!query) return null;
  const terms = [...new Set(words(query.slice(0, 500)))]
    .map((w) => w.slice(0, MAX_WORD_LENGTH))
    .slice(0, MAX_QUERY_WORDS);
  if (terms.length === 0) return null;
  return terms.map((w) => `${w}:*`).join(" & ");
}

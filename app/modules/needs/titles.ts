/** A need's public title in a language: the other language's title when it has only one, else "". */
export function publicTitleIn(need: { titleAr: string | null; titleEn: string | null }, locale: "ar" | "en"): string {
  return (locale === "ar" ? (need.titleAr ?? need.titleEn) : (need.titleEn ?? need.titleAr)) ?? "";
}

/**
 * What a gift to an organisation's solidarity fund (issue 12) is called where a need's title would
 * be (the pledge page, checkout, receipts, the donor's list): the zakat fund for zakat.
 */
export function fundTitleIn(org: { nameAr: string; nameEn: string }, zakat: boolean, locale: "ar" | "en"): string {
  if (locale === "ar") return zakat ? `صندوق الزكاة — ${org.nameAr}` : `صندوق التضامن — ${org.nameAr}`;
  return zakat ? `${org.nameEn} zakat fund` : `${org.nameEn} solidarity fund`;
}

/** A pledge's title: its need's public title, or its organisation's fund for a fund pledge. */
export function pledgeTitleIn(
  target: { need: { titleAr: string | null; titleEn: string | null } | null; org: { nameAr: string; nameEn: string }; zakat: boolean },
  locale: "ar" | "en",
): string {
  return target.need ? publicTitleIn(target.need, locale) : fundTitleIn(target.org, target.zakat, locale);
}

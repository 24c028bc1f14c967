/** A need's public title in a language: the other language's title when it has only one, else "". */
export function publicTitleIn(need: { titleAr: string | null; titleEn: string | null }, locale: "ar" | "en"): string {
  return (locale === "ar" ? (need.titleAr ?? need.titleEn) : (need.titleEn ?? need.titleAr)) ?? "";
}

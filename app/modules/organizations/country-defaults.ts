/**
 * What an organisation's country sets by default: its currency and its time zone. Both stay
 * editable; these only fill what was left empty (server) or what the country choice changes
 * (browser). Plain data and Intl: safe in the browser bundle.
 *
 * Choices (documented in README-less form here, as the one place they are decided):
 * - LB → USD: since 2019 Lebanese associations, donors and schools price and pay in dollars;
 *   the lira lost over 95% of its value and bank lira ("lollars") is not cash. LBP stays a choice.
 * - SY → SYP: local giving, school fees and rent are in pounds; card payment is never offered for
 *   SYP (sanctions), so Syrian organisations that take diaspora money in USD change the currency.
 * - PS → ILS, Asia/Hebron: the shekel is what households pay in (West Bank and Gaza); JOD and USD
 *   remain choices. Asia/Gaza is listed next to it (same offsets most of the year).
 * - Other countries of the region: their own currency and capital's zone.
 * - A country not in the table: USD and the country's first IANA zone (or UTC).
 */
export interface CountryDefaults {
  currency: string;
  timeZone: string;
}

export const COUNTRY_DEFAULTS: Readonly<Record<string, CountryDefaults>> = {
  LB: { currency: "USD", timeZone: "Asia/Beirut" },
  SY: { currency: "SYP", timeZone: "Asia/Damascus" },
  EG: { currency: "EGP", timeZone: "Africa/Cairo" },
  JO: { currency: "JOD", timeZone: "Asia/Amman" },
  IQ: { currency: "IQD", timeZone: "Asia/Baghdad" },
  PS: { currency: "ILS", timeZone: "Asia/Hebron" },
  TR: { currency: "TRY", timeZone: "Europe/Istanbul" },
  YE: { currency: "YER", timeZone: "Asia/Aden" },
  SD: { currency: "SDG", timeZone: "Africa/Khartoum" },
  LY: { currency: "LYD", timeZone: "Africa/Tripoli" },
};

/** Countries offered by name in the new-organisation form (the rest through "another country"). */
export const OFFERED_COUNTRIES = Object.keys(COUNTRY_DEFAULTS);

/** The IANA zones of a country as the runtime knows them (`Intl.Locale#timeZones`), else the table's one. */
export function countryTimeZones(country: string): string[] {
  const code = country.toUpperCase();
  const table = COUNTRY_DEFAULTS[code]?.timeZone;
  let zones: string[] = [];
  try {
    const locale = new Intl.Locale(`und-${code}`) as Intl.Locale & { timeZones?: string[]; getTimeZones?: () => string[] };
    zones = locale.getTimeZones?.() ?? locale.timeZones ?? [];
  } catch {
    zones = [];
  }
  const out = table ? [table, ...zones.filter((z) => z !== table)] : zones;
  return out;
}

/** A country's default currency and time zone. */
export function defaultsForCountry(country: string): CountryDefaults {
  const code = country.toUpperCase();
  const known = COUNTRY_DEFAULTS[code];
  if (known) return known;
  return { currency: "USD", timeZone: countryTimeZones(code)[0] ?? "UTC" };
}

/** Every ISO 4217 code the runtime knows (for the currency select), common ones of the region first. */
export function currencyChoices(first: readonly string[] = []): string[] {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : [];
  const lead = [...new Set([...first, ...Object.values(COUNTRY_DEFAULTS).map((d) => d.currency), "USD", "EUR"])].filter(
    (c) => all.length === 0 || all.includes(c),
  );
  return [...lead, ...all.filter((c) => !lead.includes(c))];
}

/** Every IANA zone the runtime knows, the country's zones first (then UTC, then the rest A–Z). */
export function timeZoneChoices(country: string | null, current?: string): { lead: string[]; rest: string[] } {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  // No country yet (the new-organisation form): the zones of the offered countries lead.
  const countryZones = country ? countryTimeZones(country) : Object.values(COUNTRY_DEFAULTS).map((d) => d.timeZone);
  const lead = [...new Set([...countryZones, ...(current ? [current] : [])])];
  return { lead, rest: [...(lead.includes("UTC") ? [] : ["UTC"]), ...all.filter((z) => !lead.includes(z) && z !== "UTC")] };
}

/** A currency's name in a language, e.g. "US Dollar" / "دولار أمريكي" (the code when Intl cannot name it). */
export function currencyLabel(code: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: "currency" }).of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}

/** A country's name in a language (the code when Intl cannot name it). */
export function countryLabel(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Everything the currency, time-zone and country selects list, computed once on the server and
 * sent with the loader data: the lists and names come from the runtime's ICU, which differs
 * between Node and the visitor's browser, so a component building them itself renders other
 * text in the browser than the server sent (a hydration error).
 */
export interface OrgChoices {
  /** The country whose defaults lead (null: not chosen yet). */
  country: string | null;
  defaults: CountryDefaults | null;
  currencies: { code: string; label: string }[];
  zones: { lead: string[]; rest: string[] };
  /** Country code → its name in the page's language. */
  countries: Record<string, string>;
}

export function orgChoices(
  locale: string,
  { country, currentZone, countries = [] }: { country: string | null; currentZone?: string; countries?: readonly string[] },
): OrgChoices {
  const defaults = country ? defaultsForCountry(country) : null;
  return {
    country,
    defaults,
    currencies: currencyChoices(defaults ? [defaults.currency] : []).map((code) => ({ code, label: currencyLabel(code, locale) })),
    zones: timeZoneChoices(country, currentZone),
    countries: Object.fromEntries([...new Set([...OFFERED_COUNTRIES, ...countries])].map((code) => [code, countryLabel(code, locale)])),
  };
}

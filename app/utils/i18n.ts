/** Shared by the server and the browser. */
export const supportedLngs = ["ar", "en"] as const;
export type Locale = (typeof supportedLngs)[number];
export const fallbackLng: Locale = "ar";
export const defaultNS = "common";
/** Namespaces the browser needs (emails are rendered on the server only). */
export const clientNamespaces = ["common", "auth", "staff", "admin", "errors", "registry", "needs", "public", "pledging", "payments", "ledger", "finance", "card", "receipts", "payouts", "payees", "disbursements", "reports", "reconciliation", "statements", "giving"] as const;

export const i18nConfig = {
  supportedLngs: [...supportedLngs],
  fallbackLng,
  defaultNS,
  ns: [...clientNamespaces],
  react: { useSuspense: false },
  interpolation: { escapeValue: false },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (supportedLngs as readonly string[]).includes(value);
}

export function dirOf(locale: Locale): "rtl" | "ltr" {
  return locale === "ar" ? "rtl" : "ltr";
}

/**
 * The two halves of the app: the staff half hydrates and gets its strings in the root loader's
 * data; the donor half is server-rendered HTML without the React app (decision 032).
 */
export function areaOf(pathname: string): "staff" | "public" {
  return /^\/(staff|finance|admin|invites|dev)(\/|$)/.test(pathname) ? "staff" : "public";
}

/** Shared by the server and the browser. */
export const supportedLngs = ["ar", "en"] as const;
export type Locale = (typeof supportedLngs)[number];
export const fallbackLng: Locale = "ar";
export const defaultNS = "common";
/** Namespaces the browser needs (emails are rendered on the server only). */
export const clientNamespaces = ["common", "auth", "staff", "admin", "errors", "registry", "needs", "public", "pledging"] as const;

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

/** Namespaces a donor's pages need; staff areas get every client namespace. Keeps public pages light. */
export const publicNamespaces = ["common", "auth", "errors", "needs", "public", "pledging"] as const;

/** The two halves of the app whose pages need different strings. */
export function areaOf(pathname: string): "staff" | "public" {
  return /^\/(staff|finance|admin|invites|dev)(\/|$)/.test(pathname) ? "staff" : "public";
}

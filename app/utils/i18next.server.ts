import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { resources } from "~/locales";
import { i18nConfig, isLocale, fallbackLng, clientNamespaces, publicNamespaces, areaOf, type Locale } from "./i18n";

export const localeCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...i18nConfig.supportedLngs],
    fallbackLanguage: fallbackLng,
    cookie: localeCookie,
    // ?lng= switches, then the cookie (which also carries the signed-in user's choice), then Accept-Language.
    order: ["searchParams", "cookie", "header"],
  },
  i18next: { ...i18nConfig, resources },
});

export async function getLocale(request: Request): Promise<Locale> {
  const locale = await i18nServer.getLocale(request);
  return isLocale(locale) ? locale : fallbackLng;
}

export function getFixedT(request: Request, ns?: string | readonly [string, ...string[]]) {
  return i18nServer.getFixedT(request, ns ?? "common");
}

export function getFixedTForLocale(locale: Locale, ns?: string | readonly [string, ...string[]]) {
  return i18nServer.getFixedT(locale, ns ?? "common");
}

/** The strings the browser needs for the given locale (one locale only, to keep pages light). */
export function clientResources(locale: Locale, pathname = "/staff") {
  const bundle = resources[locale];
  const namespaces: readonly (typeof clientNamespaces)[number][] =
    areaOf(pathname) === "staff" ? clientNamespaces : publicNamespaces;
  return Object.fromEntries(namespaces.map((ns) => [ns, bundle[ns]]));
}

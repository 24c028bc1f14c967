import { createCookie } from "@remix-run/node";
import { createInstance, type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { RemixI18Next } from "remix-i18next/server";
import { resources } from "~/locales";
import { i18nConfig, isLocale, fallbackLng, clientNamespaces, areaOf, type Locale } from "./i18n";

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

/**
 * One i18next instance per language for the whole process, built on first use. Server rendering
 * only reads from it (nothing on the server changes its language or adds resources), so requests
 * share it instead of building an instance, and copying every string, each time (remix-i18next's
 * own getFixedT builds one per call).
 */
const instances = new Map<Locale, Promise<I18n>>();
export function serverI18n(locale: Locale): Promise<I18n> {
  let instance = instances.get(locale);
  if (!instance) {
    const created = createInstance();
    instance = created
      .use(initReactI18next)
      .init({ ...i18nConfig, lng: locale, resources })
      .then(() => created);
    instances.set(locale, instance);
  }
  return instance;
}

export async function getFixedT(request: Request, ns?: string | readonly [string, ...string[]]) {
  return getFixedTForLocale(await getLocale(request), ns);
}

export async function getFixedTForLocale(locale: Locale, ns?: string | readonly [string, ...string[]]) {
  return (await serverI18n(locale)).getFixedT(locale, (ns ?? "common") as string | string[]);
}

/**
 * The strings the browser needs: every client namespace of one locale on a staff page; none on a
 * donor page, which is rendered on the server only (decisions 031, 032).
 */
export function clientResources(locale: Locale, pathname: string): Record<string, unknown> {
  if (areaOf(pathname) !== "staff") return {};
  const bundle = resources[locale];
  return Object.fromEntries(clientNamespaces.map((ns) => [ns, bundle[ns]]));
}

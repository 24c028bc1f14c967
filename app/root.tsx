import {
  data,
  redirect,
  type LinksFunction,
  type MetaFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  type ShouldRevalidateFunction,
  useLocation,
  useRouteError,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import stylesheet from "~/tailwind.css?url";
import type enCommon from "~/locales/en/common.json";
import { appName as arAppName, errorPage as arErrorPage } from "~/locales/ar/common.json";
import { appName as enAppName, errorPage as enErrorPage } from "~/locales/en/common.json";
import { getAuth, listMyOrganizations } from "~/utils/auth.server";
import { clientResources, getLocale, localeCookie } from "~/utils/i18next.server";
import { areaOf, dirOf, isLocale, type Locale } from "~/utils/i18n";
import { env } from "~/utils/env.server";
import { boot } from "~/utils/boot.server";
import { EnhanceScript } from "~/components/enhance";
import { useNonce } from "~/components/nonce";
import { ownRun } from "~/components/bidi";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

const ERROR_TITLES: Record<Locale, Pick<typeof enCommon, "appName" | "errorPage">> = {
  ar: { appName: arAppName, errorPage: arErrorPage },
  en: { appName: enAppName, errorPage: enErrorPage },
};

/** Error pages get a title too (in the visitor's language); other pages set their own. */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (!error) return [];
  // Donor pages get no strings in the loader data (decision 032), so the error titles travel with
  // the bundle (only these keys: JSON named imports are tree-shaken) in the visitor's language.
  const common = (data?.messages.common as typeof enCommon | undefined) ?? ERROR_TITLES[data?.locale ?? "ar"];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const entry = common.errorPage[errorPageKey(status)];
  return [{ title: `${entry.title} — ${common.appName}` }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const requested = url.searchParams.get("lng");
  if (requested !== null) {
    // `?lng=ar|en` switches the language and remembers it; the clean URL is then shown.
    url.searchParams.delete("lng");
    if (!isLocale(requested)) throw redirect(url.pathname + url.search);
    throw redirect(url.pathname + url.search, {
      headers: { "Set-Cookie": await localeCookie.serialize(requested) },
    });
  }
  await boot(); // already done by server.js; under the Vite dev server the first request does it
  const [locale, auth] = await Promise.all([getLocale(request), getAuth(request)]);
  const orgs = auth ? await listMyOrganizations(auth.user.id) : [];
  const headers = new Headers();
  if (auth?.refreshedCookie) headers.append("Set-Cookie", auth.refreshedCookie);
  return data(
    {
      locale,
      messages: clientResources(locale, url.pathname),
      showDevMailbox: env().NODE_ENV !== "production",
      user: auth
        ? {
            id: auth.user.id,
            displayName: auth.user.displayName,
            email: auth.user.email,
            isPlatformAdmin: auth.user.isPlatformAdmin,
            // Latin or Arabic-Indic digits (the profile's choice), read by app/components/bidi.tsx.
            numerals: auth.user.numerals,
          }
        : null,
      activeOrgId: auth?.session.activeOrgId ?? null,
      orgs: orgs.map(({ org, roles }) => ({
        id: org.id,
        slug: org.slug,
        nameAr: org.nameAr,
        nameEn: org.nameEn,
        roles,
      })),
    },
    { headers },
  );
}

/** Crossing between the public and the staff halves brings the other half's strings. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, defaultShouldRevalidate }) =>
  areaOf(currentUrl.pathname) !== areaOf(nextUrl.pathname) || defaultShouldRevalidate;

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

/**
 * In the browser, follow the root loader's language: after the switcher posts and the root
 * revalidates, the new strings are added and i18next changes language before this render.
 */
function useSyncLanguage(root: ReturnType<typeof useRootData>) {
  const { i18n } = useTranslation();
  if (typeof document === "undefined" || !root) return;
  for (const [ns, bundle] of Object.entries(root.messages)) {
    if (!i18n.hasResourceBundle(root.locale, ns)) i18n.addResourceBundle(root.locale, ns, bundle, true, true);
  }
  if (i18n.language !== root.locale) void i18n.changeLanguage(root.locale);
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const locale: Locale = root?.locale ?? "ar";
  useSyncLanguage(root);
  // The donor half is sent as plain HTML with one small inline script; the staff half hydrates
  // (decision 032). A render in the browser means the app is already running: it keeps its scripts.
  const { pathname } = useLocation();
  const hydrate = typeof document !== "undefined" || areaOf(pathname) === "staff";
  // Every inline script carries the response's CSP nonce (decision 052).
  const nonce = useNonce();
  return (
    <html lang={locale} dir={dirOf(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col bg-stone-50 text-stone-900">
        {children}
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : (
          <EnhanceScript nonce={nonce} />
        )}
      </body>
    </html>
  );
}

function LocaleSwitcher() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const other: Locale = i18n.language === "ar" ? "en" : "ar";
  return (
    <Form method="post" action="/locale" className="inline">
      <input type="hidden" name="lng" value={other} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button
        type="submit"
        lang={other}
        className="rounded border border-white/40 px-3 py-1 text-sm hover:bg-white/10"
      >
        {t("locale.switchTo")}
      </button>
    </Form>
  );
}

function Header() {
  const { t, i18n } = useTranslation();
  const root = useRootData();
  const user = root?.user;
  const orgs = root?.orgs ?? [];
  const active = orgs.find((o) => o.id === root?.activeOrgId) ?? orgs[0];
  // Signing in from a page comes back to it (the login action checks it is same-origin).
  const location = useLocation();
  const here = location.pathname + location.search;
  const authPage = /^\/(login|signup|logout|verify-email|forgot-password|reset-password)(\/|$)/.test(location.pathname);
  const signInHref = here === "/" || authPage ? "/login" : `/login?redirectTo=${encodeURIComponent(here)}`;
  const orgName = (o: { nameAr: string; nameEn: string }) => (i18n.language === "ar" ? o.nameAr : o.nameEn);
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `rounded px-2 py-1 hover:bg-white/10 ${isActive ? "bg-white/15 font-bold" : ""}`;
  return (
    <header className="bg-brand-700 text-white">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:bg-white focus:px-3 focus:py-2 focus:text-stone-900">
        {t("nav.skip")}
      </a>
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
        <Link to="/" className="text-xl font-bold">
          {t("appName")}
        </Link>
        <nav aria-label={t("nav.main")} className="flex flex-1 flex-wrap items-center gap-1 text-sm">
          <NavLink to="/" end className={navClass}>
            {t("nav.home")}
          </NavLink>
          <NavLink to="/needs" className={navClass}>
            {t("nav.needs")}
          </NavLink>
          {user && (
            <NavLink to="/account" className={navClass}>
              {t("nav.account")}
            </NavLink>
          )}
          {active && (
            <NavLink to={`/staff/${active.slug}`} className={navClass}>
              {t("nav.staff")}
            </NavLink>
          )}
          {active && (active.roles.includes("finance") || active.roles.includes("org_admin")) && (
            <NavLink to={`/finance/${active.slug}`} className={navClass}>
              {t("nav.finance")}
            </NavLink>
          )}
          {user?.isPlatformAdmin && (
            <NavLink to="/admin/organizations" className={navClass}>
              {t("nav.admin")}
            </NavLink>
          )}
          {root?.showDevMailbox && (
            <NavLink to="/dev/mailbox" className={navClass}>
              {t("nav.devMailbox")}
            </NavLink>
          )}
        </nav>
        <div className="flex items-center gap-2 text-sm">
          <LocaleSwitcher />
          {user ? (
            <>
              <span className="hidden sm:inline" data-testid="signed-in-as">
                {t("auth.signedInAs", { name: ownRun(user.displayName) })}
                {active ? ` · ${ownRun(orgName(active))}` : ""}
              </span>
              <Form method="post" action="/logout">
                {/* Never an empty body: an empty post is refused (docs/decisions/051). */}
                <input type="hidden" name="intent" value="signOut" />
                <button type="submit" className="rounded bg-white px-3 py-1 font-bold text-brand-800 hover:bg-brand-50">
                  {t("auth.signOut")}
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to={signInHref} className="rounded px-2 py-1 hover:bg-white/10">
                {t("auth.signIn")}
              </Link>
              <Link to="/signup" className="rounded bg-white px-3 py-1 font-bold text-brand-800 hover:bg-brand-50">
                {t("auth.signUp")}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="mt-12 border-t border-stone-200 bg-white">
      <div className="mx-auto max-w-6xl px-4 py-6 text-sm text-stone-700">
        <p>{t("footer.tagline")}</p>
        <p className="mt-1">{t("footer.privacy")}</p>
      </div>
    </footer>
  );
}

export default function App() {
  // A route with handle.bare (the bench yardstick, app/routes/bench.trivial.tsx) gets the document only.
  const bare = useMatches().some((m) => (m.handle as { bare?: boolean } | undefined)?.bare === true);
  if (bare)
    return (
      <main id="main">
        <Outlet />
      </main>
    );
  return (
    <>
      <Header />
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
        <Outlet />
      </main>
      <Footer />
    </>
  );
}

const REFUSAL_REASONS = new Set(["emptyBody", "malformed", "tooManyFields", "badFieldName", "listIndex", "controlCharacter", "fieldTooLong"]);

/** The error page for a status: 400 and 414 (a refused form or address), 415 (not a form), 403, 404, 413. */
function errorPageKey(status: number) {
  if (status === 404) return "notFound" as const;
  if (status === 403) return "forbidden" as const;
  if (status === 413) return "tooLarge" as const;
  if (status === 400 || status === 414) return "badRequest" as const;
  if (status === 415) return "unsupportedMediaType" as const;
  return "unexpected" as const;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = errorPageKey(status);
  // A refused form (app/utils/forms.server.ts) says why: its body is a reason code.
  const reason = isRouteErrorResponse(error) && typeof error.data === "string" && REFUSAL_REASONS.has(error.data) ? error.data : null;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <>
      <Header />
      <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 py-10">
        <h1 className="text-2xl font-bold">{t(`errorPage.${key}.title`)}</h1>
        <p className="mt-3">{t(`errorPage.${key}.body`)}</p>
        {reason && (
          <p className="mt-3" role="alert" data-testid="refusal-reason">
            {t(`errorPage.reasons.${reason}`)}
          </p>
        )}
        <p className="mt-6">
          <Link to="/" className="text-brand-700 underline">
            {t("errorPage.home")}
          </Link>
        </p>
      </main>
      <Footer />
    </>
  );
}

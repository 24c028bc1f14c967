/**
 * i18next's `t()` for server rendering, without its per-call cost. A `/needs` render calls `t()`
 * about 600 times (twenty-odd per need card), and each call walks i18next's whole pipeline: key
 * and namespace parsing, resource lookup with fallbacks, nesting, post-processing, interpolation's
 * regular expressions — about a fifth of the page's server CPU in the profile
 * (notes: profile-findings). Server i18next instances are built once per language and never
 * change (app/utils/i18next.server.ts), so a string's template can be looked up once and kept.
 *
 * `fastT(i18n, ns)` answers exactly what i18next would for the calls it takes: a key found in the
 * instance's language whose template has no nesting (`$t(`), no formatting (`{{x, fmt}}`) and no
 * unescaped marker (`{{-`), with no options or only plain interpolation values (the app sets
 * `escapeValue: false`). Anything else — plurals (`count`), context, defaultValue, a missing key
 * (fallback language), a missing value — goes to i18next itself. In the browser it is i18next's
 * own `t` (resources are added there as the person moves around). app/utils/fast-t.test.ts
 * compares both on every string of the donor namespaces.
 */
import { Fragment, useContext, type ReactNode } from "react";
import { I18nContext, useTranslation } from "react-i18next";
import type { i18n as I18n } from "i18next";

export type FastT = (key: string, options?: Record<string, unknown>) => string;

const SERVER = typeof document === "undefined";
/** Options only i18next itself knows how to handle. */
const SPECIAL = ["count", "context", "defaultValue", "lng", "lngs", "ns", "returnObjects", "joinArrays", "postProcess", "replace", "interpolation", "ordinal", "keySeparator", "nsSeparator"];
const VARIABLE = /{{\s*([^{}\s,-][^{}\s,]*)\s*}}/g;

const byInstance = new WeakMap<I18n, Map<string, FastT>>();

function templateOf(i18n: I18n, lng: string, ns: string, key: string): string | null {
  let namespace = ns;
  let path = key;
  const colon = key.indexOf(":");
  if (colon > 0) {
    namespace = key.slice(0, colon);
    path = key.slice(colon + 1);
  }
  const value: unknown = i18n.getResource(lng, namespace, path);
  if (typeof value !== "string" || value === "") return null;
  if (value.includes("$t(") || value.includes("{{-") || /{{[^}]*,[^}]*}}/.test(value)) return null;
  return value;
}

/** A `t` for one namespace of a server i18next instance (see the header); i18next's own in the browser. */
export function fastT(i18n: I18n, ns: string): FastT {
  let perNs = byInstance.get(i18n);
  if (!perNs) {
    perNs = new Map();
    byInstance.set(i18n, perNs);
  }
  const found = perNs.get(ns);
  if (found) return found;
  const t = i18n.getFixedT(null, ns) as unknown as FastT;
  const lng = i18n.language;
  const templates = new Map<string, string | null>();
  const fast: FastT = (key, options) => {
    if (options) for (const name of SPECIAL) if (name in options) return t(key, options);
    let template = templates.get(key);
    if (template === undefined) {
      template = templateOf(i18n, lng, ns, key);
      templates.set(key, template);
    }
    if (template === null) return t(key, options);
    if (template.indexOf("{{") < 0) return template;
    if (!options) return t(key, options);
    let complete = true;
    const out = template.replace(VARIABLE, (_, name: string) => {
      const value = options[name];
      if (value === undefined || value === null || typeof value === "object") {
        complete = false;
        return "";
      }
      return String(value);
    });
    return complete ? out : t(key, options);
  };
  perNs.set(ns, SERVER ? fast : t);
  return perNs.get(ns)!;
}

/**
 * `useTranslation(ns).t` for components rendered on donor pages: on the server, the cached
 * `fastT` of the request's instance (without useTranslation's per-call work); in the browser,
 * useTranslation's `t` as before.
 */
export function useFastT(ns: string): FastT {
  if (SERVER) {
    // eslint-disable-next-line react-hooks/rules-of-hooks -- SERVER is a module constant: the same branch on every render
    const context = useContext(I18nContext);
    if (context?.i18n) return fastT(context.i18n, ns);
  }
  // eslint-disable-next-line react-hooks/rules-of-hooks -- as above
  return useTranslation(ns).t as unknown as FastT;
}

/**
 * A translated sentence with elements in it (an amount as <Money>, a name as <Bdi>): the string is
 * translated with markers in place of the named values, then cut at the markers. Any `t` works.
 */
export function tNodes(t: FastT, key: string, nodes: Record<string, ReactNode>, options: Record<string, unknown> = {}): ReactNode[] {
  const names = Object.keys(nodes);
  const marked = t(key, { ...options, ...Object.fromEntries(names.map((n, i) => [n, `\uE000${i}\uE001`])) });
  return marked.split(/\uE000(\d+)\uE001/).map((part, i) => (i % 2 === 0 ? part : <Fragment key={i}>{nodes[names[Number(part)]]}</Fragment>));
}

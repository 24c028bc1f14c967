import { describe, expect, it } from "vitest";
import { resources } from "~/locales";
import { fastT } from "./fast-t";
import { serverI18n } from "./i18next.server";

function leaves(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  return [];
}

describe("fastT answers exactly what i18next's t answers", () => {
  for (const locale of ["ar", "en"] as const) {
    it(`every string of the donor namespaces (${locale}), with and without values`, async () => {
      const i18n = await serverI18n(locale);
      let checked = 0;
      for (const ns of ["common", "public", "needs", "pledging"] as const) {
        const t = i18n.getFixedT(locale, ns);
        const fast = fastT(i18n, ns);
        for (const [key, template] of leaves(resources[locale][ns])) {
          const base = key.replace(/_(zero|one|two|few|many|other)$/, "");
          const names = [...template.matchAll(/{{\s*([^{}\s,]+)\s*}}/g)].map((m) => m[1]);
          const values = Object.fromEntries(names.map((n, i) => [n, i % 2 ? 1234 + i : `v«${n}»`]));
          expect(fast(base), `${ns}:${base}`).toBe(t(base));
          if (names.length) expect(fast(base, values), `${ns}:${base} with values`).toBe(t(base, values));
          expect(fast(`${ns}:${base}`, values), `${ns}:${base} prefixed`).toBe(t(`${ns}:${base}`, values));
          // A missing value and a plural go to i18next itself.
          if (names.length) expect(fast(base, {})).toBe(t(base, {}));
          expect(fast(base, { count: 3, n: "3" })).toBe(t(base, { count: 3, n: "3" }));
          checked += 1;
        }
      }
      expect(fast404(i18n)).toBe(i18n.getFixedT(locale, "public")("no.such.key"));
      expect(checked).toBeGreaterThan(300);
    });
  }
});

function fast404(i18n: Awaited<ReturnType<typeof serverI18n>>) {
  return fastT(i18n, "public")("no.such.key");
}

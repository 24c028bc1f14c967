import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resources } from "./index";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

const namespaces = Object.keys(resources.ar) as (keyof typeof resources.ar)[];
const flat = {
  ar: Object.fromEntries(namespaces.map((ns) => [ns, flatten(resources.ar[ns] as Tree)])),
  en: Object.fromEntries(namespaces.map((ns) => [ns, flatten(resources.en[ns] as Tree)])),
} as Record<"ar" | "en", Record<string, Map<string, string>>>;

describe("translations", () => {
  it.each(namespaces)("namespace %s has the same keys in Arabic and English, none empty", (ns) => {
    const ar = [...flat.ar[ns].keys()].sort();
    const en = [...flat.en[ns].keys()].sort();
    expect(ar).toEqual(en);
    for (const [key, value] of flat.ar[ns]) expect(value.trim(), `ar ${ns}:${key}`).not.toBe("");
    for (const [key, value] of flat.en[ns]) expect(value.trim(), `en ${ns}:${key}`).not.toBe("");
  });

  it("Arabic strings are written in Arabic", () => {
    for (const ns of namespaces) {
      for (const [key, value] of flat.ar[ns]) {
        const letters = value.replace(/\{\{[^}]*\}\}|<[^>]*>|https?:\S+|[\d\s\p{P}\p{S}]/gu, "");
        if (letters.length < 3) continue; // codes, symbols, «English» switch label and the like
        if (key.endsWith("switchTo")) continue;
        const arabic = (letters.match(/\p{Script=Arabic}/gu) ?? []).length;
        expect(arabic / letters.length, `ar ${ns}:${key} = ${value}`).toBeGreaterThan(0.5);
      }
    }
  });

  it("every literal key used in a component exists in both languages", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) files.push(p);
      }
    };
    walk(path.resolve(__dirname, ".."));
    walk(path.resolve(__dirname, "../../emails"));
    const missing: string[] = [];
    for (const file of files) {
      const source = fs.readFileSync(file, "utf8");
      // A page's sections take `t` from the page's hook: they say its namespace with @i18n-namespace.
      const declared = source.match(/(?:useTranslation|useFastT)\(\s*["'](\w+)["']/) ?? source.match(/@i18n-namespace (\w+)/);
      const fixed = source.match(/getFixedT\w*\([^)]*?["'](\w+)["']\s*\)/);
      const defaultNs = declared?.[1] ?? fixed?.[1] ?? "common";
      for (const match of source.matchAll(/\bt\(\s*["']([\w-]+:)?([\w.-]+)["']/g)) {
        const ns = match[1] ? match[1].slice(0, -1) : defaultNs;
        const key = match[2];
        if (!(ns in flat.ar)) continue;
        for (const lng of ["ar", "en"] as const) {
          const keys = flat[lng][ns];
          const hasKey = keys.has(key) || [...keys.keys()].some((k) => k.startsWith(`${key}_`) || k.startsWith(`${key}.`));
          if (!hasKey) missing.push(`${path.relative(process.cwd(), file)}: ${lng} ${ns}:${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

/**
 * The JavaScript a donor page makes the browser load, gzipped (zlib level 9), against a budget.
 *
 * What counts is what the HTML references directly: every `<script src>`, every
 * `<link rel="modulepreload" href>` (Remix lists the entry client, every matched route module and
 * their static imports there), any module an inline script imports (Remix's bootstrap imports the
 * routes, and the manifest-*.js when the build emits one; with lazy route discovery the manifest
 * is inline), deduplicated, and the bytes of the inline scripts themselves (the bootstrap,
 * `window.__remixContext` and its streamed data, the app's own small scripts). Each file is fetched once, without Accept-Encoding, and gzipped
 * here; `application/json` / `ld+json` scripts are data, not code, and are not counted.
 * Lazily imported chunks (`import()` inside a module) are not followed.
 *
 * CLI, against an already running server:
 *   npx tsx bench/js-budget.ts http://127.0.0.1:3000 [paths...]
 * Without paths it measures /, /needs, the first need's page and pledge form, its organisation's
 * page, /login and /signup. Budget: BENCH_JS_BUDGET_KB (default 100; 1 KB = 1024 bytes).
 */
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { request } from "./http";

export interface JsFile {
  url: string;
  /** Where the HTML references it: script src, modulepreload, or an inline script's import. */
  via: "script" | "modulepreload" | "inline-import";
  status: number;
  rawBytes: number;
  gzipBytes: number;
}

export interface PageJs {
  path: string;
  status: number;
  htmlBytes: number;
  files: JsFile[];
  inline: { count: number; rawBytes: number; gzipBytes: number };
  /** External files plus inline scripts. */
  totalRawBytes: number;
  totalGzipBytes: number;
}

const DATA_TYPES = /^(application\/(ld\+)?json|importmap|text\/template|speculationrules)$/i;

function attr(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  if (!match) return null;
  return (match[1] ?? match[2] ?? match[3] ?? "").replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
}

const gzipSize = (bytes: Buffer | string) => gzipSync(bytes, { level: 9 }).length;

/** Fetches `path` from `baseUrl` and measures the JavaScript its HTML makes the browser load. */
export async function measurePageJs(baseUrl: string, path: string): Promise<PageJs> {
  const pageUrl = new URL(path, baseUrl);
  const page = await request(pageUrl, { headers: { accept: "text/html" } });
  const html = page.body.toString("utf8");

  const external = new Map<string, JsFile["via"]>();
  const add = (href: string | null, via: JsFile["via"]) => {
    if (!href || href.startsWith("data:")) return;
    const url = new URL(href, pageUrl).href;
    if (!external.has(url)) external.set(url, via);
  };

  for (const match of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(match[0], "rel") ?? "").toLowerCase().split(/\s+/);
    if (rel.includes("modulepreload")) add(attr(match[0], "href"), "modulepreload");
  }

  let inlineCount = 0;
  let inlineRaw = 0;
  let inlineGzip = 0;
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const tag = `<script ${match[1]}>`;
    const type = attr(tag, "type");
    if (type && DATA_TYPES.test(type.trim())) continue;
    const src = attr(tag, "src");
    if (src !== null) {
      add(src, "script");
      continue;
    }
    const code = match[2];
    if (code.trim() === "") continue;
    inlineCount += 1;
    inlineRaw += Buffer.byteLength(code);
    inlineGzip += gzipSize(code);
    // Static and dynamic imports of an inline module (Remix's bootstrap imports the manifest and routes).
    for (const imp of code.matchAll(/\bimport\s*(?:[^"'();]*?\bfrom\s*)?\(?\s*["']([^"']+)["']/g)) add(imp[1], "inline-import");
  }

  const files: JsFile[] = [];
  for (const [url, via] of external) {
    const res = await request(url);
    files.push({ url, via, status: res.status, rawBytes: res.body.length, gzipBytes: gzipSize(res.body) });
  }
  const totalRawBytes = files.reduce((s, f) => s + f.rawBytes, 0) + inlineRaw;
  const totalGzipBytes = files.reduce((s, f) => s + f.gzipBytes, 0) + inlineGzip;
  return {
    path,
    status: page.status,
    htmlBytes: page.body.length,
    files,
    inline: { count: inlineCount, rawBytes: inlineRaw, gzipBytes: inlineGzip },
    totalRawBytes,
    totalGzipBytes,
  };
}

export const budgetKb = () => Number(process.env.BENCH_JS_BUDGET_KB ?? 100) || 100;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The per-page table (and a line per page over budget). */
export function formatJsTable(pages: readonly PageJs[], budget = budgetKb()): string {
  const rows = pages.map((p) => [
    p.path.length > 48 ? `${p.path.slice(0, 45)}...` : p.path,
    String(p.status),
    String(p.files.length),
    kb(p.totalRawBytes),
    kb(p.totalGzipBytes),
    kb(p.inline.gzipBytes),
    p.totalGzipBytes <= budget * 1024 ? "PASS" : `OVER by ${kb(p.totalGzipBytes - budget * 1024)} KB`,
  ]);
  const header = ["page", "HTTP", "JS files", "raw KB", "gzip KB", "inline gzip KB", `budget ${budget} KB`];
  return table(header, rows, [false, true, true, true, true, true, false]);
}

/** A plain text table; `right[i]` right-aligns column i. */
export function table(header: string[], rows: string[][], right: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

/** Default pages for the CLI: the fixed ones plus a need, its pledge form and its organisation, found by following links. */
async function discoverPaths(baseUrl: string): Promise<string[]> {
  const paths = ["/", "/needs"];
  const listing = (await request(new URL("/needs", baseUrl), { headers: { accept: "text/html" } })).body.toString("utf8");
  const need = /href="(\/needs\/[0-9A-Za-z]{6,32})"/.exec(listing)?.[1];
  if (need) {
    paths.push(need, `${need}/pledge`);
    const page = (await request(new URL(need, baseUrl), { headers: { accept: "text/html" } })).body.toString("utf8");
    const org = /href="(\/orgs\/[a-z0-9-]+)"/.exec(page)?.[1];
    if (org) paths.push(org);
  }
  paths.push("/login", "/signup");
  return paths;
}

async function main(argv: string[]) {
  const [baseUrl, ...given] = argv;
  if (!baseUrl || !/^https?:\/\//.test(baseUrl)) {
    console.error("usage: tsx bench/js-budget.ts <baseUrl> [paths...]   e.g. tsx bench/js-budget.ts http://127.0.0.1:3000 / /needs");
    process.exit(2);
  }
  const paths = given.length ? given : await discoverPaths(baseUrl);
  const pages: PageJs[] = [];
  for (const path of paths) pages.push(await measurePageJs(baseUrl, path));
  console.log(`JavaScript per page at ${baseUrl} (gzip level 9; budget ${budgetKb()} KB; 1 KB = 1024 bytes)\n`);
  console.log(formatJsTable(pages));
  if (process.env.BENCH_JS_FILES === "1") {
    for (const p of pages) {
      console.log(`\n${p.path}`);
      for (const f of p.files) console.log(`  ${kb(f.gzipBytes).padStart(6)} KB gz  ${kb(f.rawBytes).padStart(7)} KB  ${f.via.padEnd(13)} ${f.url}`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

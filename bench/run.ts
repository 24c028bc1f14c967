/**
 * `npm run bench` — how fast the donor side of Tadamon is on a realistic database, and how much
 * JavaScript each donor page ships.
 *
 * What it does, in order:
 *  1. Bench database (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/tadamon_bench):
 *     created if missing, migrated by the app's own migration code, seeded once with BENCH_NEEDS
 *     published needs (default 50,000) and four pledges each (bench/seed.ts; skipped when the rows
 *     are already there; BENCH_RESEED=1 starts over), then VACUUM (ANALYZE)d — every run, so
 *     earlier runs' pledge posts do not leave it in another state.
 *  2. The production build (`npm run build`, unless BENCH_SKIP_BUILD=1) served by `node server.js`
 *     with NODE_ENV=production, JOBS=off, SEED_DEMO=never, on a free port in 3400–3499.
 *     The server runs with PAGE_CACHE=off (the in-process page cache for anonymous visitors, when
 *     the build has one, is bypassed): these are the "uncached" rows.
 *  3. The targets, each under autocannon for BENCH_DURATION seconds (default 10) with
 *     BENCH_CONNECTIONS connections (default 10), after a BENCH_WARMUP-second warm-up (default 2).
 *     Each donor page's BENCH_DURATION is split into BENCH_ROUNDS slices (default 3), and each slice
 *     runs between two slices of the trivial page (T P T P … P T): its ratio to the trivial page is
 *     the median, over the rounds, of the slice's req/s ÷ the mean of the trivial slices beside it
 *     (bench/ratios.ts). So a machine whose speed drifts during the run (shared CPUs) moves the page
 *     and its yardstick together instead of moving the ratio:
 *       GET  /bench/trivial                      the yardstick: one route, one string, no data
 *                                                (app/routes/bench.trivial.tsx), same server and build
 *       GET  /                                   the home page
 *       GET  /needs                              the listing, default sort
 *       GET  /needs?category&region&sort&q       a filtered, sorted, searched listing (Arabic word)
 *       GET  /needs/:publicId                    a need's page
 *       GET  /orgs/:slug                         an organisation's page
 *       GET  /needs/:publicId/pledge             the pledge form
 *       POST /needs/:publicId/pledge             the pledge action as the no-JS form posts it
 *                                                (bank transfer, guest email, the currency's
 *                                                minimum, a fresh idempotency key per request,
 *                                                spread over the BENCH_PLEDGE_NEEDS needs with the
 *                                                most room left, so posts rarely queue on one row lock)
 *     Requests are anonymous (no cookie, so no If-None-Match/304 either) and, by default, without
 *     Accept-Encoding (identity bodies); BENCH_ACCEPT_ENCODING=gzip sends `Accept-Encoding: gzip`
 *     to both servers instead.
 *  4. The same targets, in the same run and with the same settings, against a bare `node:http`
 *     server (bench/bare-server.ts) that replays the exact status, headers and body bytes the app
 *     sent for each of them. Why: req/s alone depends on this machine, on how many cores autocannon,
 *     PostgreSQL and the server share, and on the response size. The bare server pays the same
 *     costs for the socket, HTTP parsing and the bytes on the wire but does no work, so
 *     app ÷ bare is the share of the machine's HTTP capacity the app keeps — comparable across
 *     machines and runs, and it points at the app (Express, Remix, rendering, queries), not the box.
 *     Every row shows its req/s ÷ the trivial page's req/s (goal: ≥ 0.50 for each donor page) and
 *     ÷ the bare server's req/s for the same bytes.
 *  4b. "cached" rows: a second server as configured by default (page cache on). When its responses
 *     say `X-Page-Cache: hit` on a repeated anonymous GET, the anonymous GET targets are measured
 *     against it too (goal: ≥ 0.20 of bare on /needs and a need page); otherwise the bench says the
 *     build has no page cache and skips them. BENCH_CACHED=0 skips them anyway.
 *  5. The JavaScript each donor page makes the browser load, gzipped (bench/js-budget.ts), against
 *     BENCH_JS_BUDGET_KB (default 100). An overrun is reported, never a failure.
 *  6. EXPLAIN ANALYZE of both listings' count and rows queries (the full plan when one takes more
 *     than BENCH_SLOW_MS, default 50, or with BENCH_EXPLAIN=1).
 *
 * BENCH_TARGETS=POST,/needs measures only the targets whose name contains one of the
 * comma-separated strings (and the trivial page, the yardstick), and skips steps 5 and 6.
 *
 * Everything printed also goes to tmp/bench/results.json; the server's output is in
 * tmp/bench/server.log. Exit code: 0, or 1 when the database, the build or the server fails.
 * Only the processes started here are stopped at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type Request as LoadRequest, type Result } from "autocannon";
import pg from "pg";
import { minimumFor } from "~/modules/pledging/amounts";
import { replayableHeaders, type CannedResponse, type CannedRoutes } from "./bare-server";
import { BENCH_IDENTITY_HASH_SECRET, freePort, request, waitFor200, type RawResponse } from "./http";
import { budgetKb, formatJsTable, measurePageJs, table, type PageJs } from "./js-budget";
import { merge, roundRatios, type Measured } from "./ratios";
import { nextDonor, pledgeRequests, pledgeTargets, type PledgeTarget } from "./pledge-post";
import { benchNeeds } from "./seed-data";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT_DIR = path.join(ROOT, "tmp/bench");
const PORT_RANGE = [3400, 3499] as const;
/** The demo seed's keyed hashes and the server must share it; a fixed bench-only value. */
const IDENTITY_HASH_SECRET = BENCH_IDENTITY_HASH_SECRET;

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

const config = {
  databaseUrl: process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/tadamon_bench",
  duration: num("BENCH_DURATION", 10),
  connections: num("BENCH_CONNECTIONS", 10),
  warmup: num("BENCH_WARMUP", 2),
  /** Each donor page is measured in this many slices, each between two slices of the trivial page. */
  rounds: Math.round(num("BENCH_ROUNDS", 3)),
  reseed: process.env.BENCH_RESEED === "1",
  needs: benchNeeds(),
  cached: process.env.BENCH_CACHED !== "0",
  skipBuild: process.env.BENCH_SKIP_BUILD === "1",
  acceptEncoding: process.env.BENCH_ACCEPT_ENCODING === "gzip" ? ("gzip" as const) : ("identity" as const),
  pledgeNeeds: num("BENCH_PLEDGE_NEEDS", 200),
  budgetKb: budgetKb(),
  slowMs: num("BENCH_SLOW_MS", 50),
  explainAll: process.env.BENCH_EXPLAIN === "1",
  /** BENCH_TARGETS=POST,/needs: only the targets whose name contains one of these (the trivial page always). */
  only: (process.env.BENCH_TARGETS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
};

// ---------------------------------------------------------------- processes we start (and only those)

const children = new Set<ChildProcess>();

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function stopAll() {
  await Promise.all([...children].map(stopChild));
  children.clear();
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers this bench started`);
    void stopAll().finally(() => process.exit(130));
  });
}

class SetupError extends Error {}

function logFile(name: string): number {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  return fs.openSync(path.join(OUT_DIR, name), "w");
}

function runToEnd(command: string, args: string[], log: string): Promise<number> {
  const fd = logFile(log);
  const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", fd, fd], env: process.env });
  children.add(child);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      children.delete(child);
      fs.closeSync(fd);
      resolve(code ?? 1);
    });
  });
}

interface Started {
  child: ChildProcess;
  /** Why it is no longer running, or null. */
  gone: () => string | null;
}

function startProcess(args: string[], env: NodeJS.ProcessEnv, log: string): Started {
  const fd = logFile(log);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", fd, fd], env });
  children.add(child);
  let gone: string | null = null;
  child.once("exit", (code, signal) => {
    gone = `${args.join(" ")} exited (${signal ?? `code ${code}`}); see ${path.relative(ROOT, path.join(OUT_DIR, log))}`;
    children.delete(child);
    fs.closeSync(fd);
  });
  child.once("error", (error) => {
    gone = `${args.join(" ")} failed to start: ${error.message}`;
  });
  return { child, gone: () => gone };
}

// ---------------------------------------------------------------- load

interface Target {
  name: string;
  method: "GET" | "POST";
  /** The URL path as sent (query already percent-encoded). */
  path: string;
  /** autocannon requests (POST: a fresh form per request). */
  requests?: LoadRequest[];
  /** An anonymous donor GET the page cache may serve (measured again against the cached server). */
  cacheable?: boolean;
}

const TRIVIAL = "GET /bench/trivial (yardstick)";
/** The goals (issue 11): a donor page uncached ≥ this share of the trivial page's req/s… */
const GOAL_OF_TRIVIAL = 0.5;
/** …and, cached, ≥ this share of the bare server's on /needs and a need page. */
const GOAL_CACHED_OF_BARE = 0.2;
const CACHED_GOAL_TARGETS = new Set(["GET /needs", "GET /needs/:publicId"]);


const baseHeaders = (): Record<string, string> => ({
  accept: "text/html,application/xhtml+xml",
  ...(config.acceptEncoding === "gzip" ? { "accept-encoding": "gzip" } : {}),
});

async function load(base: string, target: Target, seconds: number): Promise<Result> {
  const instance = autocannon({
    url: new URL(target.path, base).href,
    connections: config.connections,
    duration: seconds,
    timeout: 10,
    headers: baseHeaders(),
    ...(target.requests ? { requests: target.requests } : {}),
  });
  return await instance;
}

function summarize(result: Result, method: Target["method"]): Measured {
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const ok = (code: number) => (method === "GET" ? code >= 200 && code < 300 : code >= 200 && code < 400);
  const unexpected = Object.entries(statusCodes).reduce((n, [code, count]) => n + (ok(Number(code)) ? 0 : count), 0);
  return {
    // Completed responses over the measured time (not the mean of whole-second samples: a
    // round's slice need not be a whole number of seconds).
    rps: result.duration > 0 ? result.requests.total / result.duration : 0,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    bad: result.errors + unexpected,
  };
}

// ---------------------------------------------------------------- helpers

function canned(res: RawResponse): CannedResponse {
  return { status: res.status, headers: replayableHeaders(res.rawHeaders), bodyBase64: res.body.toString("base64") };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "—");
const codes = (m: Measured) =>
  Object.entries(m.statusCodes)
    .map(([code, count]) => `${code}×${count}`)
    .join(" ") || "none";

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  process.chdir(ROOT);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const started = new Date();
  const cpus = os.cpus();
  const pgVersion = await (async () => {
    const admin = new URL(config.databaseUrl);
    admin.pathname = "/postgres";
    const c = new pg.Client({ connectionString: admin.href });
    try {
      await c.connect();
      return (await c.query<{ v: string }>("select split_part(version(), ' on ', 1) as v")).rows[0].v;
    } catch (error) {
      throw new SetupError(`cannot reach PostgreSQL at ${admin.host}: ${error instanceof Error ? error.message : error}`);
    } finally {
      await c.end().catch(() => undefined);
    }
  })();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: pgVersion,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  console.log("Tadamon bench");
  console.log(`machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB RAM, ${machine.platform}`);
  console.log(`node ${machine.node}; ${machine.postgres}; load average ${machine.loadAverage.join(" ")}`);
  console.log(
    `settings: ${config.duration} s per target, ${config.connections} connections, ${config.warmup} s warm-up, ` +
      `Accept-Encoding: ${config.acceptEncoding === "gzip" ? "gzip" : "none (identity bodies)"}; database ${redact(config.databaseUrl)}`,
  );
  console.log("autocannon, the server, the bare server and PostgreSQL all share this machine's CPUs.\n");

  // 1. Database.
  const { prepareBenchDatabase } = await import("./seed");
  console.log("database:");
  let seed;
  try {
    seed = await prepareBenchDatabase(config.databaseUrl, {
      reseed: config.reseed,
      needs: config.needs,
      identitySecret: IDENTITY_HASH_SECRET,
      log: (line) => console.log(`  ${line}`),
    });
  } catch (error) {
    throw new SetupError(`bench database: ${error instanceof Error ? error.stack ?? error.message : error}`);
  }
  console.log(
    seed.seeded
      ? `  seeded in ${seed.seedSeconds.toFixed(1)} s (${seed.reason})`
      : `  ${seed.reason}: seed skipped (BENCH_RESEED=1 to start over)`,
  );
  console.log(
    `  ${seed.counts.organizations} organisations, ${seed.counts.households} households, ${seed.counts.published} published needs, ${seed.counts.pledges} seeded pledges\n`,
  );

  // Targets from the data.
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  let needId: string;
  let regionId: string;
  let orgSlug: string;
  let pledgeTo: PledgeTarget[];
  try {
    needId = (
      await client.query<{ public_id: string }>(
        "select public_id from needs where state = 'published' and story_ar is not null order by public_id limit 1",
      )
    ).rows[0].public_id;
    const region = await client.query<{ id: string; slug: string }>(
      `select r.id, o.slug from regions r join organizations o on o.id = r.org_id
       where r.level = 'governorate' and o.slug = 'bayader-camps' and r.name_en = 'South Lebanon' limit 1`,
    );
    regionId = region.rows[0].id;
    orgSlug = region.rows[0].slug;
    pledgeTo = await pledgeTargets(client, config.pledgeNeeds);
  } finally {
    await client.end();
  }
  const minRoom = Math.min(...pledgeTo.map((t) => t.remainingMinor / minimumFor(t.currency)));
  const searchWord = "طالبة";
  const filteredQuery = `category=school_fees&region=${regionId}&sort=closing&q=${encodeURIComponent(searchWord)}`;

  // 2. Build and start the server.
  if (config.skipBuild) {
    console.log("build: skipped (BENCH_SKIP_BUILD=1)");
    if (!fs.existsSync(path.join(ROOT, "build/server/index.js"))) throw new SetupError("BENCH_SKIP_BUILD=1 but build/server/index.js is missing");
  } else {
    const t = performance.now();
    const code = await runToEnd("npm", ["run", "build"], "build.log");
    if (code !== 0) throw new SetupError(`npm run build failed (exit ${code}); see tmp/bench/build.log`);
    console.log(`build: ${((performance.now() - t) / 1000).toFixed(1)} s (log: tmp/bench/build.log)`);
  }
  const serverEnv = (port: number, base: string, pageCache: "off" | "default"): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: config.databaseUrl,
    DATA_DIR: path.join(OUT_DIR, "data"),
    APP_URL: base,
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    IDENTITY_HASH_SECRET,
    JOBS: "off",
    SEED_DEMO: "never",
    LOG_LEVEL: "warn",
    // Pledge posts come from many donors' addresses (X-Forwarded-For, see nextDonor).
    TRUST_PROXY: "true",
    ...(pageCache === "off" ? { PAGE_CACHE: "off" } : {}),
  });
  const appPort = await freePort(PORT_RANGE[0], PORT_RANGE[1]);
  const appBase = `http://127.0.0.1:${appPort}`;
  const app = startProcess(["server.js"], serverEnv(appPort, appBase, "off"), "server.log");
  try {
    await waitFor200(`${appBase}/healthz`, 60_000, app.gone);
  } catch (error) {
    throw new SetupError(`server: ${error instanceof Error ? error.message : error}`);
  }
  console.log(`server: node server.js (pid ${app.child.pid}) at ${appBase}, NODE_ENV=production JOBS=off SEED_DEMO=never PAGE_CACHE=off`);
  // The server for the cached rows starts now too, from the same build (it idles until then).
  let cached: { server: Started; base: string; port: number } | null = null;
  if (config.cached) {
    const port = await freePort(PORT_RANGE[0], PORT_RANGE[1], [appPort]);
    const base = `http://127.0.0.1:${port}`;
    cached = { server: startProcess(["server.js"], serverEnv(port, base, "default"), "server-cached.log"), base, port };
  }

  const allTargets: Target[] = [
    { name: TRIVIAL, method: "GET", path: "/bench/trivial" },
    { name: "GET /", method: "GET", path: "/", cacheable: true },
    { name: "GET /needs", method: "GET", path: "/needs", cacheable: true },
    { name: `GET /needs?category=school_fees&region=…&sort=closing&q=${searchWord}`, method: "GET", path: `/needs?${filteredQuery}`, cacheable: true },
    { name: "GET /needs/:publicId", method: "GET", path: `/needs/${needId}`, cacheable: true },
    { name: "GET /orgs/:slug", method: "GET", path: `/orgs/${orgSlug}`, cacheable: true },
    { name: "GET /needs/:publicId/pledge", method: "GET", path: `/needs/${pledgeTo[0].publicId}/pledge` },
    { name: "POST /needs/:publicId/pledge", method: "POST", path: `/needs/${pledgeTo[0].publicId}/pledge`, requests: pledgeRequests(appBase, pledgeTo) },
  ];
  const targets = config.only.length ? allTargets.filter((t) => t.name === TRIVIAL || config.only.some((o) => t.name.includes(o))) : allTargets;
  console.log(`need page: /needs/${needId}; filtered listing: /needs?${decodeURIComponent(filteredQuery)}`);
  console.log(
    `pledge posts: ${pledgeTo.length} needs (${[...new Set(pledgeTo.map((t) => t.currency))].join(", ")}), ` +
      `each with room for at least ${Math.floor(minRoom)} minimum pledges; amount = the currency's minimum`,
  );

  // 3. Capture one response per target, for the bare server.
  const routes: CannedRoutes = { get: {}, post: null };
  const captured: Record<
    string,
    { status: number; bytes: number; contentType: string; encoding: string; cacheControl: string; pageCache?: string; location?: string }
  > = {};
  let pledgeReference: string | null = null;
  for (const target of targets) {
    let res: RawResponse;
    if (target.method === "GET") {
      res = await request(new URL(target.path, appBase), { headers: baseHeaders() });
      routes.get[target.path] = canned(res);
    } else {
      const t = pledgeTo[0];
      const donor = nextDonor();
      res = await request(new URL(target.path, appBase), {
        method: "POST",
        headers: { ...baseHeaders(), "content-type": "application/x-www-form-urlencoded", origin: new URL(appBase).origin, "x-forwarded-for": donor.ip },
        body: new URLSearchParams({
          currency: t.currency,
          idempotencyKey: randomBytes(18).toString("base64url"),
          amountChoice: t.amount,
          amount: t.amount,
          method: "bank_transfer",
          email: donor.email,
          displayName: "",
          message: "",
        }).toString(),
      });
      routes.post = canned(res);
      const location = String(res.headers.location ?? "");
      pledgeReference = /^\/pledges\/(TDM-[0-9A-Z-]+)$/.exec(location)?.[1] ?? null;
    }
    captured[target.name] = {
      status: res.status,
      bytes: res.body.length,
      contentType: String(res.headers["content-type"] ?? ""),
      encoding: String(res.headers["content-encoding"] ?? "identity"),
      cacheControl: String(res.headers["cache-control"] ?? ""),
      ...(res.headers["x-page-cache"] ? { pageCache: String(res.headers["x-page-cache"]).toLowerCase() } : {}),
      ...(res.headers.location ? { location: String(res.headers.location) } : {}),
    };
    const expected = target.method === "GET" ? res.status === 200 : res.status >= 300 && res.status < 400;
    console.log(
      `  captured ${target.method} ${target.path.length > 60 ? `${target.path.slice(0, 57)}...` : target.path}: HTTP ${res.status}, ` +
        `${res.body.length} bytes ${captured[target.name].encoding}${res.headers.location ? ` → ${res.headers.location}` : ""}` +
        `${res.headers["set-cookie"] ? " (sets a cookie)" : ""}${expected ? "" : "  <-- unexpected status"}`,
    );
  }
  const routesFile = path.join(OUT_DIR, "bare-routes.json");
  fs.writeFileSync(routesFile, JSON.stringify(routes));
  const barePort = await freePort(PORT_RANGE[0], PORT_RANGE[1], [appPort, ...(cached ? [cached.port] : [])]);
  const bareBase = `http://127.0.0.1:${barePort}`;
  const bare = startProcess(["--import", "tsx", "bench/bare-server.ts", routesFile, String(barePort)], { ...process.env }, "bare-server.log");
  try {
    await waitFor200(`${bareBase}/bench/trivial`, 30_000, bare.gone);
  } catch (error) {
    throw new SetupError(`bare server: ${error instanceof Error ? error.message : error}`);
  }
  console.log(`bare server: node:http (pid ${bare.child.pid}) at ${bareBase}\n`);

  // 4. Load: per target, the app then the bare server, each after its warm-up. A donor page is
  // measured in BENCH_ROUNDS slices, each between two slices of the trivial page (T P T … P T),
  // and its ratio to the trivial page is the median of the rounds' (bench/ratios.ts): the machine's
  // speed may drift during a run, and a yardstick measured once at the start drifts away from it.
  const results: { target: Target; app: Measured; bare: Measured; cached: Measured | null; rounds: ReturnType<typeof roundRatios> | null }[] = [];
  const measureFor = async (base: string, target: Target, server: Started, seconds: number) => {
    const spec = target.requests ? { ...target, requests: pledgeRequests(base, pledgeTo) } : target;
    const m = summarize(await load(base, spec, seconds), target.method);
    if (server.gone()) throw new SetupError(`server: ${server.gone()}`);
    return m;
  };
  const measure = async (base: string, target: Target, server: Started) => {
    await measureFor(base, target, server, config.warmup);
    return await measureFor(base, target, server, config.duration);
  };
  const trivialTarget = targets.find((t) => t.name === TRIVIAL);
  if (!trivialTarget) throw new SetupError("the trivial page is not among the targets");
  const slice = config.duration / config.rounds;
  for (const target of targets) {
    process.stdout.write(`load: ${target.name} … app`);
    let appM: Measured;
    let rounds: ReturnType<typeof roundRatios> | null = null;
    if (target === trivialTarget) {
      appM = await measure(appBase, target, app);
    } else {
      await measureFor(appBase, target, app, config.warmup);
      const trivialSlices = [await measureFor(appBase, trivialTarget, app, slice)];
      const pageSlices: Measured[] = [];
      for (let round = 0; round < config.rounds; round++) {
        pageSlices.push(await measureFor(appBase, target, app, slice));
        trivialSlices.push(await measureFor(appBase, trivialTarget, app, slice));
      }
      appM = merge(pageSlices);
      rounds = roundRatios(
        trivialSlices.map((m) => m.rps),
        pageSlices.map((m) => m.rps),
      );
    }
    process.stdout.write(
      ` ${fmt(appM.rps)} req/s${rounds ? ` (÷ trivial by round: ${rounds.ratios.map((r) => fmt(r, 2)).join(" ")}; trivial beside it ${fmt(rounds.beside)} req/s)` : ""} … bare`,
    );
    const bareM = await measure(bareBase, target, bare);
    console.log(` ${fmt(bareM.rps)} req/s`);
    results.push({ target, app: appM, bare: bareM, cached: null, rounds });
  }

  // 4b. The page cache: a second server as configured by default; measured only if it says it hit.
  let cacheNote = "";
  const pageCacheOf = async (base: string) => String((await request(new URL("/needs", base), { headers: baseHeaders() })).headers["x-page-cache"] ?? "");
  const uncachedSaysHit = (await pageCacheOf(appBase)).toLowerCase() === "hit";
  if (uncachedSaysHit) cacheNote = "WARNING: the PAGE_CACHE=off server answered X-Page-Cache: hit — the uncached rows are not uncached.";
  if (!cached) {
    cacheNote ||= "cached rows skipped (BENCH_CACHED=0)";
  } else {
    const { server: cachedServer, base: cachedBase } = cached;
    try {
      await waitFor200(`${cachedBase}/healthz`, 60_000, cachedServer.gone);
      await pageCacheOf(cachedBase);
      const second = await pageCacheOf(cachedBase);
      if (second.toLowerCase() !== "hit") {
        cacheNote ||= `cached rows skipped: a repeated anonymous GET /needs on the default server answered X-Page-Cache: ${second || "(none)"} — no page cache in this build`;
      } else {
        console.log(`\ncached server: node server.js (pid ${cachedServer.child.pid}) at ${cachedBase}, page cache as configured`);
        for (const r of results.filter((x) => x.target.cacheable)) {
          process.stdout.write(`load (cached): ${r.target.name} … app`);
          r.cached = await measure(cachedBase, r.target, cachedServer);
          console.log(` ${fmt(r.cached.rps)} req/s`);
        }
      }
    } catch (error) {
      if (error instanceof SetupError) throw error;
      cacheNote ||= `cached rows skipped: ${error instanceof Error ? error.message : error}`;
    } finally {
      await stopChild(cachedServer.child);
    }
  }

  const trivialRps = results.find((r) => r.target.name === TRIVIAL)?.app.rps ?? 0;
  /** The trivial page's req/s measured beside a target (its own first measurement for itself). */
  const besideOf = (r: (typeof results)[number]) => r.rounds?.beside ?? trivialRps;
  const ofTrivial = (m: Measured, beside: number) => (beside > 0 ? m.rps / beside : null);
  const ofBare = (m: Measured, b: Measured) => (b.rps > 0 ? m.rps / b.rps : null);
  interface Row {
    target: string;
    mode: "uncached" | "cached";
    rps: number;
    p50: number;
    p99: number;
    bareRps: number;
    /** The trivial page's req/s beside this row (mean of its slices). */
    trivialRps: number;
    ofTrivial: number | null;
    /** Uncached donor pages: the ratio in each round (ofTrivial is their median). */
    roundRatios: number[] | null;
    ofBare: number | null;
    goal: string;
    met: boolean | null;
  }
  const rows: Row[] = [];
  for (const r of results) {
    const trivial = r.target.name === TRIVIAL;
    const t = r.rounds ? r.rounds.ratio : ofTrivial(r.app, besideOf(r));
    rows.push({
      target: r.target.name,
      mode: "uncached",
      rps: r.app.rps,
      p50: r.app.p50,
      p99: r.app.p99,
      bareRps: r.bare.rps,
      trivialRps: besideOf(r),
      ofTrivial: t,
      roundRatios: r.rounds?.ratios ?? null,
      ofBare: ofBare(r.app, r.bare),
      goal: trivial ? "—" : `≥ ${GOAL_OF_TRIVIAL.toFixed(2)} of trivial`,
      met: trivial || t === null ? null : t >= GOAL_OF_TRIVIAL,
    });
  }
  for (const r of results) {
    if (!r.cached) continue;
    const b = ofBare(r.cached, r.bare);
    const goal = CACHED_GOAL_TARGETS.has(r.target.name);
    rows.push({
      target: r.target.name,
      mode: "cached",
      rps: r.cached.rps,
      p50: r.cached.p50,
      p99: r.cached.p99,
      bareRps: r.bare.rps,
      trivialRps: besideOf(r),
      ofTrivial: ofTrivial(r.cached, besideOf(r)),
      roundRatios: null,
      ofBare: b,
      goal: goal ? `≥ ${GOAL_CACHED_OF_BARE.toFixed(2)} of bare` : "—",
      met: goal && b !== null ? b >= GOAL_CACHED_OF_BARE : null,
    });
  }

  console.log(
    `\nResults (${config.duration} s each, ${config.connections} connections; latency in ms; ` +
      `÷ trivial: an uncached donor page was measured in ${config.rounds} slices of ${fmt(slice, 1)} s, each between two ` +
      `slices of the trivial page; its ÷ trivial is the median of the rounds' page req/s ÷ the mean of the trivial slices on ` +
      `either side ("rounds" shows each; "trivial" the trivial page's req/s beside it). Cached rows: ÷ the trivial req/s ` +
      `beside the same page uncached. ÷ bare = req/s ÷ the bare server's req/s for the same bytes)\n`,
  );
  console.log(
    table(
      ["target", "mode", "req/s", "p50", "p99", "trivial", "÷ trivial", "rounds", "bare req/s", "÷ bare", "goal", "met"],
      rows.map((r) => [
        r.target.length > 56 ? `${r.target.slice(0, 53)}...` : r.target,
        r.mode,
        fmt(r.rps),
        fmt(r.p50, 1),
        fmt(r.p99, 1),
        fmt(r.trivialRps),
        r.ofTrivial === null ? "—" : fmt(r.ofTrivial, 2),
        r.roundRatios ? r.roundRatios.map((x) => fmt(x, 2)).join(" ") : "",
        fmt(r.bareRps),
        r.ofBare === null ? "—" : fmt(r.ofBare, 3),
        r.goal,
        r.met === null ? "" : r.met ? "yes" : "NO",
      ]),
      [false, false, true, true, true, true, true, false, true, true, false, false],
    ),
  );
  if (cacheNote) console.log(`\n${cacheNote}`);
  console.log("\nStatus codes and errors (errors = socket errors and timeouts + unexpected statuses: GET not 2xx, POST not 2xx/3xx)");
  for (const { target, app: a, bare: b } of results) {
    const c = captured[target.name];
    console.log(`  ${target.name}`);
    console.log(`    response: HTTP ${c.status}, ${c.bytes} bytes (${c.encoding}), ${c.contentType || "no content-type"}${c.cacheControl ? `, Cache-Control: ${c.cacheControl}` : ""}`);
    console.log(`    app:  ${a.total} requests; ${codes(a)}; errors ${a.bad} (socket errors ${a.errors}, of which timeouts ${a.timeouts})`);
    console.log(`    bare: ${b.total} requests; ${codes(b)}; errors ${b.bad} (socket errors ${b.errors}, of which timeouts ${b.timeouts})`);
  }

  // 5. Listing queries.
  const { explainListing } = await import("./explain");
  console.log(`\nListing queries (EXPLAIN ANALYZE on the bench database; full plan when over ${config.slowMs} ms${config.explainAll ? " or BENCH_EXPLAIN=1" : ""})`);
  const explained = [];
  // A BENCH_TARGETS run measures only its targets: no plans, no JavaScript budget.
  for (const query of config.only.length ? [] : ["", filteredQuery]) {
    const plans = await explainListing(config.databaseUrl, query);
    explained.push({ query: query ? `/needs?${decodeURIComponent(query)}` : "/needs", plans });
    for (const p of plans) {
      const slow = p.executionMs > config.slowMs;
      console.log(
        `  ${(query ? "filtered" : "/needs").padEnd(8)} ${p.name.padEnd(10)} planning ${fmt(p.planningMs, 2)} ms, execution ${fmt(p.executionMs, 2)} ms${slow ? "  <-- slow" : ""}`,
      );
      if (slow || config.explainAll) console.log(p.plan.replace(/^/gm, "      "));
    }
  }

  // 6. JavaScript per donor page.
  const pages = [
    "/",
    "/needs",
    `/needs/${needId}`,
    `/needs/${needId}/pledge`,
    `/orgs/${orgSlug}`,
    ...(pledgeReference ? [`/pledges/${pledgeReference}`] : []),
    "/login",
    "/signup",
  ];
  const js: PageJs[] = [];
  for (const page of config.only.length ? [] : pages) js.push(await measurePageJs(appBase, page));
  console.log(`\nJavaScript per donor page (what the HTML loads: script src + modulepreload + inline scripts; gzip -9; 1 KB = 1024 bytes)\n`);
  console.log(formatJsTable(js, config.budgetKb));
  if (!pledgeReference) console.log("  (no /pledges/:reference page: the captured pledge post did not redirect to one)");
  const over = js.filter((p) => p.totalGzipBytes > config.budgetKb * 1024);
  console.log(over.length ? `\nOVER BUDGET: ${over.map((p) => p.path).join(", ")}` : `\nEvery donor page is within ${config.budgetKb} KB.`);
  const notOk = js.filter((p) => p.status !== 200);
  if (notOk.length) console.log(`Pages that did not answer 200: ${notOk.map((p) => `${p.path} (${p.status})`).join(", ")}`);

  const output = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    config: { ...config, databaseUrl: redact(config.databaseUrl), appBase, bareBase },
    seed,
    trivialRps,
    goals: { ofTrivial: GOAL_OF_TRIVIAL, cachedOfBare: GOAL_CACHED_OF_BARE, cachedTargets: [...CACHED_GOAL_TARGETS] },
    ratios: rows,
    cacheNote: cacheNote || null,
    targets: results.map(({ target, app: a, bare: b, cached: c, rounds }) => ({
      name: target.name,
      method: target.method,
      path: target.path,
      response: captured[target.name],
      app: a,
      bare: b,
      cached: c,
      rounds,
      ratio: b.rps > 0 ? a.rps / b.rps : null,
      ofTrivial: rows.find((row) => row.target === target.name && row.mode === "uncached")?.ofTrivial ?? null,
    })),
    pledgeNeeds: pledgeTo.length,
    explain: explained,
    jsBudget: { budgetKb: config.budgetKb, pages: js },
  };
  fs.writeFileSync(path.join(OUT_DIR, "results.json"), `${JSON.stringify(output, null, 2)}\n`);
  console.log(`\nResults written to tmp/bench/results.json`);
  return 0;
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.href;
}

main()
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    await stopAll();
    console.error(`\nbench failed: ${error instanceof SetupError ? error.message : error instanceof Error ? error.stack : error}`);
    process.exit(1);
  });

/**
 * Where a donor page's server CPU goes: `npx tsx bench/profile.ts [path ...]`.
 *
 * Starts the production build (`node --import bench/profile-hook.mjs server.js`, NODE_ENV=production, JOBS=off,
 * PAGE_CACHE=off, on the bench database — run `npm run bench` once first to create it; build with
 * `npm run build`), loads each path with autocannon for PROFILE_SECONDS (default 8) at
 * PROFILE_CONNECTIONS (default 4) after a 3-second warm-up, profiling only the measured seconds
 * (SIGUSR2 starts and stops V8's profiler through the hook), and reads the profile. Prints,
 * per run: the CPU milliseconds per request (sampled non-idle time ÷ requests), the self time by
 * area (React server rendering, i18next, Remix, Express, the database driver, the app's own code in
 * the bundle, garbage collection, …) and the inclusive time of named steps (the loaders, t(),
 * the render, the loader-data encoding). The profile stays in tmp/bench/profile/ (open it in Chrome
 * DevTools' Performance panel) and the summary is written to tmp/bench/profile/summary.json.
 *
 * Paths default to /needs. The request is anonymous, like a first-time visitor's. The path
 * `POST:pledge` profiles the pledge form's post as `npm run bench` sends it (bench/pledge-post.ts:
 * a fresh form, idempotency key, donor email and X-Forwarded-For address per post, spread over
 * PROFILE_PLEDGE_NEEDS needs, default 200); the server trusts the proxy header for it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { benchServerEnv, freePort, waitFor200 } from "./http";
import { pledgeRequests, pledgeTargets } from "./pledge-post";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "tmp/bench/profile");
const DATABASE_URL = process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/tadamon_bench";
const SECONDS = Number(process.env.PROFILE_SECONDS || 8);
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS || 4);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The area a frame belongs to, by its script's URL. */
export function areaOf(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "garbage collection";
  if (fn === "(idle)") return "idle";
  if (fn === "(program)") return "V8/native (program)";
  if (!url) return "native / builtins";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    if (pkg.startsWith("react-dom") || pkg === "react") return "React (react-dom/server)";
    if (pkg === "i18next" || pkg === "react-i18next" || pkg === "remix-i18next") return "i18next";
    if (pkg.startsWith("@remix-run") || pkg === "turbo-stream" || pkg === "@web3-storage/multipart-parser") return `Remix (${pkg})`;
    if (pkg === "express" || pkg === "compression" || pkg === "body-parser" || pkg === "send" || pkg === "finalhandler" || pkg === "router")
      return "Express";
    if (pkg === "pg" || pkg === "pg-protocol" || pkg === "pg-types" || pkg === "postgres-array" || pkg === "pg-pool") return "PostgreSQL driver (pg)";
    if (pkg === "drizzle-orm") return "drizzle-orm (query building, row mapping)";
    if (pkg === "zod") return "zod";
    return `other package (${pkg})`;
  }
  if (url.includes("build/server/")) return "app code (build/server bundle)";
  if (url.startsWith("node:")) return "Node core";
  return "other";
}

function summarize(profile: CpuProfile, requests: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  let busyUs = 0;
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const area = areaOf(n.callFrame.url, n.callFrame.functionName);
    if (area === "idle") continue;
    busyUs += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const key = `${n.callFrame.functionName || "(anonymous)"} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  // Inclusive time of named steps: a sample counts once for a step if any frame on its stack matches.
  const steps: [string, (n: ProfileNode) => boolean][] = [
    ["React render (renderToPipeableStream's work)", (n) => /react-dom/.test(n.callFrame.url) && /^(performWork|renderNode|retryTask|performUnitOfWork|renderElement)$/.test(n.callFrame.functionName)],
    ["i18next t()", (n) => /node_modules\/i18next\//.test(n.callFrame.url) && /^(t|translate)$/.test(n.callFrame.functionName)],
    ["loader data encoding (turbo-stream / single fetch)", (n) => /turbo-stream/.test(n.callFrame.url) || /^(encode|encodeViaTurboStream|flatten)$/.test(n.callFrame.functionName)],
    ["drizzle query building", (n) => /drizzle-orm/.test(n.callFrame.url) && /^(buildSelectQuery|sqlToQuery|buildQueryFromSourceParams|toSQL|build|mapResultRow)$/.test(n.callFrame.functionName)],
    ["pg driver (protocol, parsing rows)", (n) => /node_modules\/pg(-protocol|-types)?\//.test(n.callFrame.url)],
    ["root loader", (n) => /build\/server/.test(n.callFrame.url) && n.callFrame.functionName === "loader$1" ],
    ["Express middleware", (n) => /node_modules\/(express|router)\//.test(n.callFrame.url) && n.callFrame.functionName === "handle"],
    ["compression", (n) => /node_modules\/compression\//.test(n.callFrame.url)],
    ["getAuth / session", (n) => /^(getAuth|readSession|getSession)$/.test(n.callFrame.functionName)],
    ["getLocale (remix-i18next detection)", (n) => /^(getLocale)$/.test(n.callFrame.functionName)],
    ["ETag (sha256 of the body)", (n) => n.callFrame.functionName === "weakEtag"],
    ["CSP nonce replacement", (n) => n.callFrame.functionName === "withNonce"],
    ["createPledge (the pledge transaction)", (n) => n.callFrame.functionName === "createPledge"],
    ["renderEmail (an outbox email's HTML and text)", (n) => n.callFrame.functionName === "renderEmail"],
    ["zod (form schemas)", (n) => /node_modules\/zod\//.test(n.callFrame.url)],
    ["readForm (the posted form)", (n) => n.callFrame.functionName === "readForm"],
    ["garbage collection", (n) => n.callFrame.functionName === "(garbage collector)"],
  ];
  const stepUs = new Map<string, number>(steps.map(([name]) => [name, 0]));
  for (let i = 0; i < profile.samples.length; i += 1) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const leaf = byId.get(profile.samples[i])!;
    if (leaf.callFrame.functionName === "(idle)") continue;
    const hit = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id)!;
      for (const [name, match] of steps) if (!hit.has(name) && match(n)) hit.add(name);
    }
    for (const name of hit) stepUs.set(name, stepUs.get(name)! + dt);
  }
  const ms = (us: number) => Number((us / 1000 / Math.max(1, requests)).toFixed(3));
  return {
    requests,
    cpuMsPerRequest: ms(busyUs),
    areasMsPerRequest: [...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: ms(us), share: Number((us / busyUs).toFixed(3)) })),
    stepsMsPerRequest: [...stepUs].map(([step, us]) => ({ step, ms: ms(us), share: Number((us / busyUs).toFixed(3)) })),
    topSelf: [...functions].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([fn, us]) => ({ fn, ms: ms(us) })),
  };
}

async function profilePath(target: string) {
  fs.mkdirSync(OUT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(OUT, "run-"));
  const port = await freePort(3500, 3599);
  const base = `http://127.0.0.1:${port}`;
  const file = path.join(dir, "steady.cpuprofile");
  const child = spawn(process.execPath, ["--import", "./bench/profile-hook.mjs", "server.js"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    // The pledge posts come from many donors' addresses (X-Forwarded-For), as in npm run bench.
    env: benchServerEnv({ port, databaseUrl: DATABASE_URL, dataDir: path.join(ROOT, "tmp/bench/data"), extra: { TRUST_PROXY: "true", PROFILE_OUT: file } }),
  });
  let exited = false;
  const done = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  try {
    await waitFor200(`${base}/healthz`, 60_000, () => (exited ? "server exited" : null));
    const headers = { accept: "text/html" };
    let url = base + target;
    let requests: ReturnType<typeof pledgeRequests> | undefined;
    if (target === "POST:pledge") {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        const targets = await pledgeTargets(client, Number(process.env.PROFILE_PLEDGE_NEEDS || 200));
        url = `${base}/needs/${targets[0].publicId}/pledge`;
        requests = pledgeRequests(base, targets);
      } finally {
        await client.end();
      }
    }
    const load = (duration: number) => autocannon({ url, connections: CONNECTIONS, duration, headers, ...(requests ? { requests } : {}) });
    await load(3);
    child.kill("SIGUSR2");
    await new Promise((r) => setTimeout(r, 200));
    const result = await load(SECONDS);
    child.kill("SIGUSR2");
    for (let i = 0; i < 100 && !fs.existsSync(file); i += 1) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGTERM");
    await done;
    if (!fs.existsSync(file)) throw new Error(`no profile written to ${file}`);
    const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
    return { path: target, rps: result.requests.average, non2xx: result.non2xx, statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([c, v]) => [c, v.count])), profile: path.relative(ROOT, file), ...summarize(profile, result.requests.total) };
  } finally {
    if (!exited) {
      child.kill("SIGTERM");
      await done;
    }
  }
}

async function main() {
  process.chdir(ROOT);
  const paths = process.argv.slice(2).length ? process.argv.slice(2) : ["/needs"];
  const out = [];
  for (const p of paths) {
    const s = await profilePath(p);
    out.push(s);
    console.log(`\n${p}: ${s.rps.toFixed(0)} req/s under profiling (${CONNECTIONS} connections; HTTP ${Object.entries(s.statusCodes).map(([c, n]) => `${c}×${n}`).join(" ")}), ${s.cpuMsPerRequest} ms CPU per request (profile: ${s.profile})`);
    console.log("  by area (self time, ms per request):");
    for (const a of s.areasMsPerRequest.slice(0, 14)) console.log(`    ${a.area.padEnd(44)} ${a.ms.toFixed(2).padStart(7)}  ${(a.share * 100).toFixed(1).padStart(5)}%`);
    console.log("  named steps (inclusive, ms per request):");
    for (const a of s.stepsMsPerRequest) console.log(`    ${a.step.padEnd(50)} ${a.ms.toFixed(2).padStart(7)}  ${(a.share * 100).toFixed(1).padStart(5)}%`);
    console.log("  top functions (self):");
    for (const f of s.topSelf.slice(0, 15)) console.log(`    ${f.ms.toFixed(3).padStart(7)}  ${f.fn}`);
  }
  fs.writeFileSync(path.join(OUT, "summary.json"), `${JSON.stringify(out, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

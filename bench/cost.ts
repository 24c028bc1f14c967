/**
 * What each donor page costs the machine per request, measured so that a noisy machine says the
 * same thing twice: `npx tsx bench/cost.ts [path ...]` (Linux: it reads /proc).
 *
 * Why: `npm run bench` measures req/s, which on a shared virtual machine moves by ±15% between
 * runs, more than most changes it is meant to judge. This script measures CPU time instead, and
 * interleaves the pages: ROUNDS (default 12) rounds, each sending BURST (default 150) requests to
 * the trivial page and then to every path, 4 connections, and charging each burst with the server
 * process's CPU time and all PostgreSQL processes' CPU time (/proc/<pid>/schedstat) spent
 * during it. A slow minute of the machine then falls on every page alike. It prints, per path, the
 * median over rounds of the server's and PostgreSQL's milliseconds per request, their sum, and
 * the trivial page's sum ÷ the path's — what the bench's "÷ trivial" would be if the CPUs were
 * the only limit (autocannon's own share is left out).
 *
 * Starts the production build like bench/profile.ts (build first with `npm run build`; the bench
 * database from `npm run bench`), PAGE_CACHE=off. Paths default to the bench's donor GETs
 * (the filtered listing and the pages that need a public id are found in the database).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { benchServerEnv, freePort, waitFor200 } from "./http";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DATABASE_URL = process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/tadamon_bench";
const ROUNDS = Number(process.env.ROUNDS || 12);
const BURST = Number(process.env.BURST || 150);

/** CPU time a process has run, in ms (/proc/<pid>/schedstat: nanoseconds, unlike stat's 10 ms ticks). */
function cpuMsOf(pid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  } catch {
    return 0;
  }
}

function postgresCpuMs(): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (comm === "postgres") total += cpuMsOf(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

async function defaultPaths(): Promise<string[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const need = (await client.query<{ public_id: string }>("select public_id from needs where state = 'published' and story_ar is not null order by public_id limit 1")).rows[0];
    const region = (
      await client.query<{ id: string }>(
        "select r.id from regions r join organizations o on o.id = r.org_id where r.level = 'governorate' and o.slug = 'bayader-camps' and r.name_en = 'South Lebanon' limit 1",
      )
    ).rows[0];
    return [
      "/",
      "/needs",
      `/needs?category=school_fees&region=${region.id}&sort=closing&q=${encodeURIComponent("طالبة")}`,
      `/needs/${need.public_id}`,
      "/orgs/bayader-camps",
      `/needs/${need.public_id}/pledge`,
    ];
  } finally {
    await client.end();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  if (os.platform() !== "linux") throw new Error("bench/cost.ts reads /proc: Linux only");
  process.chdir(ROOT);
  const paths = ["/bench/trivial", ...(process.argv.slice(2).length ? process.argv.slice(2) : await defaultPaths())];
  const port = await freePort(3500, 3599);
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["server.js"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: benchServerEnv({ port, databaseUrl: DATABASE_URL, dataDir: path.join(ROOT, "tmp/bench/data") }),
  });
  let exited = false;
  const done = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  try {
    await waitFor200(`${base}/healthz`, 60_000, () => (exited ? "server exited" : null));
    const burst = (p: string, amount: number) => autocannon({ url: base + p, connections: 4, amount, headers: { accept: "text/html" } });
    for (const p of paths) await burst(p, 100); // warm-up
    const samples = new Map(paths.map((p) => [p, { node: [] as number[], pg: [] as number[], bad: 0 }]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const p of paths) {
        const n0 = cpuMsOf(child.pid!);
        const g0 = postgresCpuMs();
        const result = await burst(p, BURST);
        const n = result.requests.total || BURST;
        const s = samples.get(p)!;
        s.node.push((cpuMsOf(child.pid!) - n0) / n);
        s.pg.push((postgresCpuMs() - g0) / n);
        s.bad += result.non2xx + result.errors;
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS}\r`);
    }
    const rows = paths.map((p) => {
      const s = samples.get(p)!;
      const node = median(s.node);
      const pgMs = median(s.pg);
      return { path: p, node, pg: pgMs, total: node + pgMs, bad: s.bad };
    });
    const trivial = rows[0].total;
    console.log(`\n${ROUNDS} rounds × ${BURST} requests per page, interleaved; CPU ms per request (median over rounds)\n`);
    console.log(`${"path".padEnd(60)} | server |    pg |  total | trivial ÷ this`);
    for (const r of rows) {
      const name = decodeURIComponent(r.path).slice(0, 60).padEnd(60);
      console.log(`${name} | ${r.node.toFixed(2).padStart(6)} | ${r.pg.toFixed(2).padStart(5)} | ${r.total.toFixed(2).padStart(6)} | ${(trivial / r.total).toFixed(2).padStart(5)}${r.bad ? `  (${r.bad} bad answers)` : ""}`);
    }
  } finally {
    if (!exited) {
      child.kill("SIGTERM");
      await done;
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

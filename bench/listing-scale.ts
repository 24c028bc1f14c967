/**
 * `npm run bench:scale`: the public listing's latency at 50,000 and at 500,000 published needs
 * (issue 11: within 1.5×). Two bench databases (tadamon_scale_50000 and tadamon_scale_500000 on
 * BENCH_PG, default postgresql://postgres@127.0.0.1:5432) are seeded once by bench/seed.ts
 * (prepareBenchDatabase: the same data as `npm run bench`, four pledges per need; a second run
 * reuses them) and migrated by the app's own migrations. Then each listing is timed in-process
 * through the app's own functions (listPublicNeeds: the count and the rows, as the loader runs
 * them), so the numbers are the database work of a `/needs` request and nothing else:
 *   default          /needs
 *   filtered         /needs?category=school_fees&sort=closing
 *   filtered+region  /needs?currency=USD&urgency=critical
 *   searched         /needs?q=school
 *   deep cursor      the page after the middle row of "most urgent" (a cursor 25,000 / 250,000 rows in)
 *   deep newest      the same for "newest"
 *   home totals      platformTotals (the maintained aggregate)
 * Each: WARMUP runs, then RUNS timed runs, one at a time; median and p95 in ms, and the 500k/50k
 * ratio of the medians. Sizes: SCALE_SIZES=50000,500000 (comma-separated, smallest first);
 * SCALE_DB_<size>=url measures an already-filled database instead of seeding one.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { connect, migrate } from "../db/client.server";
import { parsePublicFilters, type PublicFilters, type PublicSort } from "~/modules/marketplace/filters";
import { listPublicNeeds, platformTotals } from "~/modules/marketplace/listing.server";
import { prepareBenchDatabase } from "./seed";

const BASE = process.env.BENCH_PG || "postgresql://postgres@127.0.0.1:5432";
const SIZES = (process.env.SCALE_SIZES || "50000,500000").split(",").map((s) => Number(s.trim()));
const WARMUP = Number(process.env.SCALE_WARMUP || 20);
const RUNS = Number(process.env.SCALE_RUNS || 100);
const IDENTITY_HASH_SECRET = "bench-only-identity-hash-secret-not-for-production-000";

interface Case {
  name: string;
  filters: (middle: Record<PublicSort, string[]>) => Partial<PublicFilters>;
}

const query = (q: string) => parsePublicFilters(new URLSearchParams(q)).filters;

const CASES: Case[] = [
  { name: "default", filters: () => query("") },
  { name: "filtered", filters: () => query("category=school_fees&sort=closing") },
  { name: "filtered+urgency", filters: () => query("currency=USD&urgency=critical") },
  { name: "searched", filters: () => query("q=school") },
  { name: "deep cursor", filters: (m) => ({ ...query(""), cursor: { sort: "urgent", dir: "after", page: 1000, key: m.urgent } }) },
  { name: "deep newest", filters: (m) => ({ ...query("sort=newest"), cursor: { sort: "newest", dir: "after", page: 1000, key: m.newest } }) },
];

/** The sort key (as the listing's cursor holds it) of the row in the middle of each sort's order. */
async function middleKeys(client: pg.Client, published: number): Promise<Record<PublicSort, string[]>> {
  const at = Math.floor(published / 2);
  const one = async (sql: string) => {
    const { rows } = await client.query(sql + ` offset ${at} limit 1`);
    return Object.values(rows[0] as Record<string, string>).map(String);
  };
  const where = "from needs where state = 'published'";
  return {
    urgent: await one(`select urgency::text, deadline::text, id::text ${where} order by urgency, deadline, id`),
    closing: await one(`select deadline::text, urgency::text, id::text ${where} order by deadline, urgency, id`),
    nearly_funded: await one(
      `select (-((paid_minor + reserved_minor)::float8 / target_minor))::text, deadline::text, id::text ${where} order by 1, deadline, id`,
    ),
    newest: await one(
      `select (extract(epoch from coalesce(published_at, created_at)) * 1000000)::bigint::text, id::text ${where} order by coalesce(published_at, created_at) desc, id desc`,
    ),
  };
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95) };
}

async function timeIt(fn: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

async function measure(size: number) {
  // SCALE_DB_<size>=url: an already-filled database (e.g. the 50k one cloned and its needs copied
  // ×10 by INSERT … SELECT), only migrated here; otherwise the bench seed's own database.
  const given = process.env[`SCALE_DB_${size}`];
  const url = given || `${BASE}/tadamon_scale_${size}`;
  console.log(`\n${size.toLocaleString("en")} needs: ${url.replace(/:[^:@/]*@/, ":***@")}`);
  const t0 = performance.now();
  if (given) {
    const db = await connect({ databaseUrl: url, dataDir: "memory://" });
    await migrate(db);
    await db.close();
  } else {
    const seed = await prepareBenchDatabase(url, {
      reseed: process.env.BENCH_RESEED === "1",
      needs: size,
      identitySecret: IDENTITY_HASH_SECRET,
      log: (line) => console.log(`  ${line}`),
    });
    console.log(`  database ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${seed.seeded ? "seeded" : "reused"})`);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const database = await connect({ databaseUrl: url, dataDir: "memory://" });
  try {
    const { rows } = await client.query("select count(*)::int as n from needs where state = 'published'");
    const published = (rows[0] as { n: number }).n;
    const middle = await middleKeys(client, published);
    const out: Record<string, { median: number; p95: number; shown: number }> = {};
    for (const c of CASES) {
      const filters = c.filters(middle);
      const sample = await listPublicNeeds(database.db, filters);
      const r = await timeIt(() => listPublicNeeds(database.db, filters));
      out[c.name] = { ...r, shown: sample.needs.length };
      console.log(
        `  ${c.name.padEnd(18)} median ${r.median.toFixed(2).padStart(7)} ms  p95 ${r.p95.toFixed(2).padStart(7)} ms  ` +
          `(${sample.needs.length} rows, ${sample.capped ? "more than " : ""}${sample.total} counted)`,
      );
    }
    const totals = await timeIt(() => platformTotals(database.db));
    out["home totals"] = { ...totals, shown: 0 };
    console.log(`  ${"home totals".padEnd(18)} median ${totals.median.toFixed(2).padStart(7)} ms  p95 ${totals.p95.toFixed(2).padStart(7)} ms`);
    // Keep the aggregate honest on the big database too.
    const scan = await client.query(
      "select coalesce(sum(paid_minor), 0)::bigint as raised, count(*) filter (where state = 'published')::int as published from needs where state in ('published','funded','disbursed','closed')",
    );
    const agg = await client.query("select coalesce(sum(raised_minor), 0)::bigint as raised, coalesce(sum(published), 0)::int as published from public_need_totals");
    const same = String(scan.rows[0].raised) === String(agg.rows[0].raised) && scan.rows[0].published === agg.rows[0].published;
    console.log(`  aggregate equals the scan: ${same ? "yes" : "NO"} (published ${agg.rows[0].published})`);
    if (!same) process.exitCode = 1;
    return out;
  } finally {
    await client.end();
    await database.close();
  }
}

const results: Record<number, Awaited<ReturnType<typeof measure>>> = {};
for (const size of SIZES) results[size] = await measure(size);
if (SIZES.length >= 2) {
  const [small, big] = [SIZES[0], SIZES[SIZES.length - 1]];
  console.log(`\nratio of medians, ${big.toLocaleString("en")} ÷ ${small.toLocaleString("en")} (target ≤ 1.5):`);
  let worst = 0;
  for (const name of Object.keys(results[small])) {
    const ratio = results[big][name].median / results[small][name].median;
    worst = Math.max(worst, ratio);
    console.log(
      `  ${name.padEnd(18)} ${results[small][name].median.toFixed(2).padStart(7)} ms → ${results[big][name].median.toFixed(2).padStart(7)} ms  ×${ratio.toFixed(2)}${ratio > 1.5 ? "  over" : ""}`,
    );
  }
  console.log(`worst ratio ×${worst.toFixed(2)}`);
}

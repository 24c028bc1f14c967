/**
 * The bench database: created if missing, migrated with the app's own migration code, and seeded
 * once with `needs` published needs (BENCH_NEEDS, default 50,000) and four pledges per need (a
 * second run finds the rows and skips it; BENCH_RESEED=1 drops and recreates the database; another
 * BENCH_NEEDS re-seeds). `prepareBenchDatabase` is the one entry point (bench/run.ts,
 * bench/listing-scale.ts).
 *
 * The demo seed (db/seed.ts, through the domain functions) writes the three demo organisations,
 * their regions, staff and a few needs; two more fictional organisations (JOD, IQD) are added
 * here; then everything large is set-based SQL in one transaction (generate_series,
 * INSERT … SELECT) over small temporary tables of organisations, governorates and templates:
 * households; the pledges are planned first (status, amount, dates) so each need is inserted once
 * with reserved/paid/donor counters summed from its own pledges (`reserved + paid <= target` by
 * construction); then the needs (+ item lines of in-kind needs, + their submit/verify/publish
 * transitions) and the pledges. Not seeded: household members and identifiers, audit-log rows,
 * outbox emails — no donor page reads them. Then VACUUM (ANALYZE).
 *
 * Search text: needs are drawn from templates (bench/seed-data.ts), so the app's own
 * buildSearchText is run once per (template, governorate) pair and joined in — the same text
 * createNeed would have written. Public ids and pledge references have the app's shapes (12
 * Crockford symbols; TDM-XXXX-XXC from the app's newReference, check symbol included), drawn in
 * TypeScript into sets that start with the ones already in the database (the demo seed's), so a
 * draw never collides with a demo row: the seed cannot fail at random on a unique key.
 *
 * Every string written comes from bench/seed-data.ts and is checked by `assertSeedText` (no NUL or
 * other control characters, no lone surrogates, NFC) before the transaction starts; after the
 * inserts one query checks the text columns for control characters again.
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { connect, migrate } from "../db/client.server";
import { DEMO_CASE_STAFF } from "../db/demo-data";
import { seedDemo } from "../db/seed";
import { buildSearchText } from "~/modules/marketplace/search-text";
import { minimumFor } from "~/modules/pledging/amounts";
import { newReference } from "~/modules/pledging/reference";
import { currencyDigits } from "~/utils/format";
import type { DemoRegion } from "../db/demo-data";
import {
  BENCH_ORGS,
  CATEGORY_WEIGHTS,
  DONOR_MESSAGES,
  DONOR_NAMES,
  NEED_TEMPLATES,
  ORG_WEIGHTS,
  TARGET_RANGES,
  assertSeedText,
  benchNeeds,
  DEFAULT_PUBLISHED_NEEDS,
  type Category,
} from "./seed-data";

/** Bump when the generated data changes shape: an older bench database is then re-seeded. */
export const SEED_VERSION = 2;
/** Seeded pledges per published need. */
export const PLEDGES_PER_NEED = 4;
/** Seeded pledges' emails end with this; the bench's own posts use another domain. */
export const SEED_EMAIL_DOMAIN = "bench.tadamon.test";
/** Households per organisation: one per 20 needs (2,500 at 50,000 needs), at least 100. */
const householdsPerOrg = (needs: number) => Math.max(100, Math.ceil(needs / 20));
const MARKER_TABLE = "bench_seed_info";
export { benchNeeds, DEFAULT_PUBLISHED_NEEDS };


const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `n` new values from `draw`, none already in `taken` (which they are added to) nor repeated. */
export function drawUnique(n: number, taken: Set<string>, draw: () => string): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const v = draw();
    if (taken.has(v)) continue;
    taken.add(v);
    out.push(v);
  }
  return out;
}

/** A need's public id in the app's shape (12 Crockford symbols, as newPublicId). */
function publicIdDraw(): string {
  const bytes = randomBytes(12);
  let out = "";
  for (let i = 0; i < 12; i += 1) out += CROCKFORD[bytes[i] & 31];
  return out;
}

export interface PrepareResult {
  seeded: boolean;
  /** Why it seeded (or that it did not need to). */
  reason: string;
  /** Seconds spent seeding (0 when skipped). */
  seedSeconds: number;
  counts: { published: number; pledges: number; households: number; organizations: number };
}

type Log = (line: string) => void;

function dbNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`BENCH_DATABASE_URL: database name "${name}" must be letters, digits and _`);
  if (name === "postgres" || name.startsWith("template")) throw new Error(`BENCH_DATABASE_URL: refusing to use "${name}" as the bench database`);
  return name;
}

function adminUrlOf(url: string): string {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return admin.href;
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrlOf(url) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropDatabase(url: string) {
  const name = dbNameOf(url);
  await withAdmin(url, (c) => c.query(`drop database if exists "${name}" with (force)`));
}

/** Creates the database if missing; answers whether it did. */
async function ensureDatabase(url: string): Promise<boolean> {
  const name = dbNameOf(url);
  return withAdmin(url, async (c) => {
    const found = await c.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount) return false;
    await c.query(`create database "${name}"`);
    return true;
  });
}

async function countsOf(client: pg.Client) {
  const { rows } = await client.query<{ published: number; pledges: number; households: number; organizations: number; marker: string | null }>(
    `select (select count(*) from needs where state = 'published')::int as published,
            (select count(*) from pledges where email like $1)::int as pledges,
            (select count(*) from households)::int as households,
            (select count(*) from organizations)::int as organizations,
            to_regclass('public.${MARKER_TABLE}')::text as marker`,
    [`%@${SEED_EMAIL_DOMAIN}`],
  );
  const version = rows[0].marker
    ? ((await client.query<{ v: number | null }>(`select max(version) as v from ${MARKER_TABLE}`)).rows[0].v ?? null)
    : null;
  return { ...rows[0], version };
}

/**
 * Creates, migrates and (when needed) seeds the bench database. `identitySecret` becomes
 * IDENTITY_HASH_SECRET for the demo seed's keyed hashes, the same one the server is given.
 */
export async function prepareBenchDatabase(
  url: string,
  options: { reseed: boolean; identitySecret: string; log: Log; needs?: number },
): Promise<PrepareResult> {
  const { log } = options;
  const needs = options.needs ?? DEFAULT_PUBLISHED_NEEDS;
  const pledges = needs * PLEDGES_PER_NEED;
  if (options.reseed) {
    log(`BENCH_RESEED=1: dropping ${dbNameOf(url)}`);
    await dropDatabase(url);
  }
  if (await ensureDatabase(url)) log(`created database ${dbNameOf(url)}`);
  await migrateWithApp(url);

  let reason: string;
  {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const c = await countsOf(client);
      if (c.version === SEED_VERSION && c.published === needs && c.pledges === pledges) {
        // Earlier runs' pledge posts updated needs rows; vacuum them so every run starts alike.
        const t = performance.now();
        await client.query("vacuum (analyze) needs, pledges");
        log(`VACUUM (ANALYZE) needs, pledges: ${((performance.now() - t) / 1000).toFixed(1)} s`);
        return {
          seeded: false,
          reason: `already seeded (v${SEED_VERSION}: ${c.published} published needs, ${c.pledges} seeded pledges)`,
          seedSeconds: 0,
          counts: { published: c.published, pledges: c.pledges, households: c.households, organizations: c.organizations },
        };
      }
      reason =
        c.organizations === 0
          ? "empty database"
          : `unexpected contents (seed v${c.version ?? "none"}, ${c.published} published needs, ${c.pledges} seeded pledges)`;
      if (c.organizations > 0) {
        log(`bench database has ${reason}: dropping and recreating it`);
      }
    } finally {
      await client.end();
    }
  }
  if (!reason.startsWith("empty")) {
    await dropDatabase(url);
    await ensureDatabase(url);
    await migrateWithApp(url);
  }

  const started = performance.now();
  // The demo seed hashes identifiers with the platform secret; it must be the server's.
  process.env.IDENTITY_HASH_SECRET = options.identitySecret;
  const database = await connect({ databaseUrl: url, dataDir: "memory://" });
  try {
    log("seeding: demo organisations, regions, staff and needs (db/seed.ts)…");
    await seedDemo(database.db);
  } finally {
    await database.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await bulkSeed(client, log, needs);
    // VACUUM too, not only ANALYZE: a freshly loaded table has no visibility map, so the listing's
    // count could not use an index-only scan — unlike a database autovacuum has been through.
    const t = performance.now();
    await client.query("vacuum (analyze)");
    log(`VACUUM (ANALYZE): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const c = await countsOf(client);
    const seedSeconds = (performance.now() - started) / 1000;
    await client.query(`update ${MARKER_TABLE} set seconds = $1`, [seedSeconds.toFixed(1)]);
    return {
      seeded: true,
      reason,
      seedSeconds,
      counts: { published: c.published, pledges: c.pledges, households: c.households, organizations: c.organizations },
    };
  } finally {
    await client.end();
  }
}

async function migrateWithApp(url: string) {
  const database = await connect({ databaseUrl: url, dataDir: "memory://" });
  try {
    await migrate(database);
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------- bulk seed

interface RegionRow {
  id: string;
  orgId: string;
  parentId: string | null;
  level: "governorate" | "district" | "locality";
  nameAr: string;
  nameEn: string;
  sortOrder: number;
}

function flattenRegions(orgId: string, tree: DemoRegion[], parentId: string | null = null, depth = 0): RegionRow[] {
  const levels = ["governorate", "district", "locality"] as const;
  return tree.flatMap((region, i) => {
    const id = randomUUID();
    return [
      { id, orgId, parentId, level: levels[depth], nameAr: region.nameAr, nameEn: region.nameEn, sortOrder: i },
      ...flattenRegions(orgId, region.children ?? [], id, depth + 1),
    ];
  });
}

/** Cumulative [lo, hi) buckets of weights, the last one open-ended so every random() in [0,1) lands. */
function buckets<T>(items: T[], weightOf: (item: T) => number): { item: T; lo: number; hi: number }[] {
  const total = items.reduce((s, i) => s + weightOf(i), 0);
  let acc = 0;
  return items.map((item, i) => {
    const lo = acc;
    acc += weightOf(item) / total;
    return { item, lo, hi: i === items.length - 1 ? 2 : acc };
  });
}

async function step(client: pg.Client, log: Log, label: string, text: string, values: unknown[] = []) {
  const t = performance.now();
  const res = await client.query(text, values);
  log(`  ${label}: ${res.rowCount ?? 0} rows, ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return res;
}

async function bulkSeed(client: pg.Client, log: Log, publishedNeeds: number) {
  const seededPledges = publishedNeeds * PLEDGES_PER_NEED;
  const hhPerOrg = householdsPerOrg(publishedNeeds);
  assertSeedText();
  await client.query("begin");
  try {
    await client.query("set local synchronous_commit = off");
    await client.query("set local work_mem = '64MB'");
    // Every foreign key of the bulk rows comes from the rows it points at (joined in below), so as a
    // superuser the per-row FK triggers are skipped (about half the seed's time) and the keys are
    // checked once, set-based, before commit (checkForeignKeys). CHECKs and NOT NULLs still apply.
    const { rows: su } = await client.query<{ rolsuper: boolean }>("select rolsuper from pg_roles where rolname = current_user");
    const skipFkTriggers = su[0]?.rolsuper === true;
    if (skipFkTriggers) await client.query("set local session_replication_role = replica");

    // Two more organisations, with regions and staff (same password hash as the demo accounts).
    const [{ password_hash: passwordHash }] = (
      await client.query<{ password_hash: string }>("select password_hash from users where email = $1", [DEMO_CASE_STAFF["bayader-camps"].caseworker])
    ).rows;
    for (const org of BENCH_ORGS) {
      const { rows } = await client.query<{ id: string }>(
        `insert into organizations (slug, name_ar, name_en, country, default_currency, time_zone) values ($1, $2, $3, $4, $5, $6) returning id`,
        [org.slug, org.nameAr, org.nameEn, org.country, org.defaultCurrency, org.timeZone],
      );
      const orgId = rows[0].id;
      for (const r of flattenRegions(orgId, org.regions)) {
        await client.query(
          `insert into regions (id, org_id, parent_id, level, name_ar, name_en, sort_order) values ($1, $2, $3, $4, $5, $6, $7)`,
          [r.id, r.orgId, r.parentId, r.level, r.nameAr, r.nameEn, r.sortOrder],
        );
      }
      for (const role of ["caseworker", "verifier", "finance", "org_admin"] as const) {
        const email = `${org.staffPrefix}.${role.replace("_", "-")}@${SEED_EMAIL_DOMAIN}`;
        const { rows: u } = await client.query<{ id: string }>(
          `insert into users (email, email_verified_at, password_hash, display_name, locale) values ($1, now(), $2, $3, 'ar') returning id`,
          [email, passwordHash, `${org.nameEn.split(" ")[0]} ${role}`],
        );
        await client.query(`insert into memberships (org_id, user_id, role) values ($1, $2, $3)`, [orgId, u[0].id, role]);
      }
    }
    // Where donors send offline money (the pledge instructions page shows it).
    await step(
      client,
      log,
      "org_payment_details",
      `insert into org_payment_details (org_id, bank_name, account_name, account_number, swift, currency,
         office_instructions_ar, office_instructions_en, transfer_shop_instructions_ar, transfer_shop_instructions_en, pledge_expiry_days)
       select o.id, 'Bench Bank', o.name_en, 'BENCH' || upper(substr(md5(o.slug), 1, 16)), 'BENCXXXX', o.default_currency,
         'يمكن الدفع نقداً في مكتب الجمعية من الأحد إلى الخميس.', 'Cash is accepted at our office, Sunday to Thursday.',
         'اذكر رمز المرجع عند التحويل.', 'Quote the reference code with the transfer.', 7
       from organizations o
       on conflict (org_id) do nothing`,
    );

    // Small lookup tables: organisations (weights, money), governorates, localities, templates, search texts.
    const orgs = (
      await client.query<{ id: string; slug: string; country: string; currency: string }>(
        "select id, slug, country, default_currency as currency from organizations order by created_at, slug",
      )
    ).rows;
    const staffEmail = (slug: string, role: "caseworker" | "verifier") => {
      const demo = DEMO_CASE_STAFF[slug];
      if (demo) return demo[role];
      const bench = BENCH_ORGS.find((o) => o.slug === slug);
      if (!bench) throw new Error(`no staff known for ${slug}`);
      return `${bench.staffPrefix}.${role}@${SEED_EMAIL_DOMAIN}`;
    };
    const userId = async (email: string) => (await client.query<{ id: string }>("select id from users where email = $1", [email])).rows[0].id;
    const govs = (
      await client.query<{ id: string; org_id: string; name_ar: string; name_en: string }>(
        "select id, org_id, name_ar, name_en from regions where level = 'governorate' order by org_id, sort_order, name_en",
      )
    ).rows;
    const locs = (
      await client.query<{ id: string; org_id: string }>("select id, org_id from regions where level = 'locality' order by org_id, name_en")
    ).rows;

    const orgRows = [];
    for (const b of buckets(orgs, (o) => ORG_WEIGHTS[o.slug] ?? 0.1)) {
      const o = b.item;
      const range = TARGET_RANGES[o.currency];
      if (!range) throw new Error(`no target range for ${o.currency}`);
      const unit = 10 ** currencyDigits(o.currency);
      orgRows.push({
        org_id: o.id,
        country: o.country,
        currency: o.currency,
        unit,
        min_minor: minimumFor(o.currency),
        lo: range.lo,
        hi: range.hi,
        step: range.step,
        caseworker: await userId(staffEmail(o.slug, "caseworker")),
        verifier: await userId(staffEmail(o.slug, "verifier")),
        w_lo: b.lo,
        w_hi: b.hi,
        n_gov: govs.filter((g) => g.org_id === o.id).length,
        n_loc: locs.filter((l) => l.org_id === o.id).length,
        n_hh: hhPerOrg,
      });
    }
    for (const o of orgRows) if (o.n_gov === 0 || o.n_loc === 0) throw new Error(`organisation ${o.org_id} has no governorate or locality`);

    const govRows: { org_id: string; gov_n: number; region_id: string }[] = [];
    const locRows: { org_id: string; loc_n: number; region_id: string }[] = [];
    for (const o of orgs) {
      govs.filter((g) => g.org_id === o.id).forEach((g, i) => govRows.push({ org_id: o.id, gov_n: i + 1, region_id: g.id }));
      locs.filter((l) => l.org_id === o.id).forEach((l, i) => locRows.push({ org_id: o.id, loc_n: i + 1, region_id: l.id }));
    }

    const categories = Object.keys(CATEGORY_WEIGHTS) as Category[];
    const catRows = buckets(categories, (c) => CATEGORY_WEIGHTS[c]).map((b, i) => ({ cat_n: i + 1, category: b.item, w_lo: b.lo, w_hi: b.hi }));
    const tplRows = NEED_TEMPLATES.map((t, i) => {
      const inCat = NEED_TEMPLATES.filter((x) => x.category === t.category);
      return {
        tpl_id: i + 1,
        cat_n: categories.indexOf(t.category) + 1,
        tpl_n: inCat.indexOf(t) + 1,
        n_in_cat: inCat.length,
        category: t.category,
        payee_kind: t.payeeKind,
        payee_name: t.payeeName,
        title_ar: t.titleAr,
        title_en: t.titleEn,
        story_ar: t.storyAr,
        story_en: t.storyEn,
        item_ar: t.item?.labelAr ?? null,
        item_en: t.item?.labelEn ?? null,
        min_qty: t.item?.minQty ?? null,
        max_qty: t.item?.maxQty ?? null,
      };
    });
    for (const c of categories) if (!tplRows.some((t) => t.category === c)) throw new Error(`no template for category ${c}`);
    // The app's own search text, once per template and governorate.
    const searchRows = tplRows.flatMap((t, i) =>
      govs.map((g) => ({
        tpl_id: t.tpl_id,
        region_id: g.id,
        search_text: buildSearchText({
          category: t.category,
          titleAr: t.title_ar,
          titleEn: t.title_en,
          storyAr: t.story_ar,
          storyEn: t.story_en,
          items: NEED_TEMPLATES[i].item ? [{ labelAr: t.item_ar, labelEn: t.item_en }] : [],
          governorate: { nameAr: g.name_ar, nameEn: g.name_en },
        }),
      })),
    );

    await client.query(`create temp table bench_org on commit drop as select * from json_to_recordset($1::json) as x(
      org_id uuid, country text, currency char(3), unit bigint, min_minor bigint, lo bigint, hi bigint, step bigint,
      caseworker uuid, verifier uuid, w_lo float8, w_hi float8, n_gov int, n_loc int, n_hh int)`, [JSON.stringify(orgRows)]);
    await client.query(`create temp table bench_gov on commit drop as select * from json_to_recordset($1::json) as x(org_id uuid, gov_n int, region_id uuid)`, [
      JSON.stringify(govRows),
    ]);
    await client.query(`create temp table bench_loc on commit drop as select * from json_to_recordset($1::json) as x(org_id uuid, loc_n int, region_id uuid)`, [
      JSON.stringify(locRows),
    ]);
    await client.query(`create temp table bench_cat on commit drop as select * from json_to_recordset($1::json) as x(cat_n int, category need_category, w_lo float8, w_hi float8)`, [
      JSON.stringify(catRows),
    ]);
    await client.query(`create temp table bench_tpl on commit drop as select * from json_to_recordset($1::json) as x(
      tpl_id int, cat_n int, tpl_n int, n_in_cat int, category need_category, payee_kind payee_kind, payee_name text,
      title_ar text, title_en text, story_ar text, story_en text, item_ar text, item_en text, min_qty int, max_qty int)`, [JSON.stringify(tplRows)]);
    await client.query(`create temp table bench_search on commit drop as select * from json_to_recordset($1::json) as x(tpl_id int, region_id uuid, search_text text)`, [
      JSON.stringify(searchRows),
    ]);

    // Households: householdsPerOrg per organisation, references like LB-100001-25 (the demo's are LB-0001-26).
    await step(
      client,
      log,
      "households",
      `insert into households (org_id, reference, region_id, status, consent_given_on, consent_recorded_by, consent_publish,
         consent_share_partners, created_by, created_at, updated_at)
       select o.org_id, o.country || '-' || (100000 + g) || '-25', l.region_id, 'active', (now() - make_interval(days => 30 + g % 600))::date,
         o.caseworker, true, g % 3 = 0, o.caseworker, now() - make_interval(days => 30 + g % 600), now() - make_interval(days => 30 + g % 600)
       from bench_org o
       cross join generate_series(1, o.n_hh) g
       join bench_loc l on l.org_id = o.org_id and l.loc_n = 1 + g % o.n_loc`,
    );
    await client.query(`create temp table bench_hh on commit drop as
      select id, org_id, row_number() over (partition by org_id order by reference)::int as hh_n
      from households where reference ~ '^[A-Z]{2}-1[0-9]{5}-25$'`);
    await client.query("create index on bench_hh (org_id, hh_n)");

    const { rows: pub } = await client.query<{ n: number }>("select count(*)::int as n from needs where state = 'published'");
    const toInsert = publishedNeeds - pub[0].n;
    log(`  demo needs already published: ${pub[0].n}; generating ${toInsert}`);
    // Public ids and references: drawn here, never one the demo seed already wrote.
    const takenIds = new Set((await client.query<{ v: string }>("select public_id as v from needs")).rows.map((r) => r.v));
    const publicIds = drawUnique(toInsert, takenIds, publicIdDraw);
    const takenRefs = new Set((await client.query<{ v: string }>("select reference as v from pledges")).rows.map((r) => r.v));
    const references = drawUnique(seededPledges, takenRefs, () => newReference());

    // Needs: one row of random draws each, then resolved against the lookup tables.
    await step(
      client,
      log,
      "need draws",
      `create temp table bench_nd on commit drop as
       select g as idx, gen_random_uuid() as id,
         random() as r_org, random() as r_cat, random() as r_tpl, random() as r_gov, random() as r_hh, random() as r_target,
         random() as r_qty, random() as r_urg, random() as r_age, random() as r_gender, random() as r_pub, random() as r_deadline,
         0.05 + 0.9 * random() as fill,
         ($2::text[])[g] as public_id
       from generate_series(1, $1::int) g`,
      [toInsert, publicIds],
    );
    await step(
      client,
      log,
      "need plan",
      `create temp table bench_need on commit drop as
       with base as (
         select d.*, o.org_id, o.currency, o.unit, o.min_minor, o.caseworker, o.verifier, t.tpl_id, t.category, t.payee_kind, t.payee_name,
           t.title_ar, t.title_en, t.story_ar, t.story_en, t.item_ar, t.item_en, gv.region_id as gov_id, hh.id as household_id,
           case when t.item_ar is null then null else t.min_qty + floor(d.r_qty * (t.max_qty - t.min_qty + 1))::int end as qty,
           greatest(o.lo, round((o.lo + (o.hi - o.lo) * d.r_target ^ 2) / o.step) * o.step)::bigint * o.unit as total_minor,
           now() - make_interval(secs => (10 + d.r_pub * 110) * 86400) as published_at
         from bench_nd d
         join bench_org o on d.r_org >= o.w_lo and d.r_org < o.w_hi
         join bench_cat c on d.r_cat >= c.w_lo and d.r_cat < c.w_hi
         join bench_tpl t on t.cat_n = c.cat_n and t.tpl_n = 1 + floor(d.r_tpl * t.n_in_cat)::int
         join bench_gov gv on gv.org_id = o.org_id and gv.gov_n = 1 + floor(d.r_gov * o.n_gov)::int
         join bench_hh hh on hh.org_id = o.org_id and hh.hh_n = 1 + floor(d.r_hh * o.n_hh)::int
       )
       select *,
         case when qty is null then null else greatest(1, round(total_minor::numeric / qty))::bigint end as unit_cost_minor,
         case when qty is null then total_minor else qty * greatest(1, round(total_minor::numeric / qty))::bigint end as target_minor
       from base`,
    );
    const { rows: planned } = await client.query<{ n: number }>("select count(*)::int as n from bench_need");
    if (planned[0].n !== toInsert) throw new Error(`need plan resolved ${planned[0].n} of ${toInsert} draws`);
    await client.query("create unique index on bench_need (idx)");

    // Pledges, planned before the needs so each need is written once with its counters: each pledge
    // picks a seeded need uniformly (about 4 per need, some needs none); the amount is the need's
    // fill fraction of its target shared among its pledges, in whole major units, at least the
    // currency's minimum — so all of a need's pledges together stay within its target.
    await step(
      client,
      log,
      "pledge draws",
      `create temp table bench_pd on commit drop as
       select g, 1 + floor(random() * $1::int)::int as need_idx, random() as r_status, random() as r_method, random() as r_time,
         random() as r_name, random() as r_msg, random() as r_loc, random() as r_email
       from generate_series(1, $2::int) g`,
      [toInsert, seededPledges],
    );
    await step(
      client,
      log,
      "pledge plan",
      `create temp table bench_pledge on commit drop as
       with p as (
         select pd.*, count(*) over (partition by need_idx) as k,
           (case when r_status < 0.40 then 'pending' when r_status < 0.75 then 'paid' when r_status < 0.90 then 'cancelled' else 'expired' end)::pledge_status as status
         from bench_pd pd
       ), q as (
         select p.*, n.id as need_id, n.org_id, n.currency,
           greatest(n.min_minor, floor(n.target_minor * n.fill / p.k / n.unit)::bigint * n.unit) as amount,
           case p.status
             when 'pending' then now() - p.r_time * interval '6 days'
             when 'expired' then n.published_at + p.r_time * ((now() - interval '8 days') - n.published_at)
             else n.published_at + p.r_time * (now() - n.published_at)
           end as created
         from p join bench_need n on n.idx = p.need_idx
       )
       select r.ref as reference, q.need_idx, q.need_id, q.org_id,
         'donor' || (1 + floor(q.r_email * 30000))::int || '@${SEED_EMAIL_DOMAIN}' as email,
         case when q.r_name < 0.2 then null else ($2::text[])[1 + floor((q.r_name - 0.2) / 0.8 * array_length($2::text[], 1))::int] end as display_name,
         q.r_name < 0.2 as anonymous,
         case when q.r_msg < 0.1 then ($3::text[])[1 + floor(q.r_msg * 10 * array_length($3::text[], 1))::int] end as message,
         q.amount as amount_minor, q.currency,
         (case
            when q.status = 'paid' and q.currency <> 'SYP' and q.r_method < 0.2 then 'card'
            when q.r_method < 0.55 then 'bank_transfer' when q.r_method < 0.75 then 'cash' else 'money_transfer'
          end)::pledge_method as method,
         q.status,
         translate(substr(encode(sha256(('bench-seed-' || q.g)::bytea), 'base64'), 1, 24), '+/', '-_') as idempotency_key,
         q.created + interval '7 days' as expires_at,
         case when q.status = 'paid' then least(now(), q.created + interval '2 days') end as paid_at,
         case when q.status = 'cancelled' then least(now(), q.created + interval '1 day') end as cancelled_at,
         case when q.status = 'cancelled' then least(now(), q.created + interval '1 day')
              when q.status = 'expired' then q.created + interval '7 days 5 minutes' end as released_at,
         (case when q.r_loc < 0.75 then 'ar' else 'en' end)::locale as locale,
         q.created as created_at,
         case q.status
           when 'paid' then least(now(), q.created + interval '2 days')
           when 'cancelled' then least(now(), q.created + interval '1 day')
           when 'expired' then q.created + interval '7 days 5 minutes'
           else q.created
         end as updated_at
       from q
       join unnest($1::text[]) with ordinality as r(ref, i) on r.i = q.g`,
      [references, DONOR_NAMES, DONOR_MESSAGES],
    );
    // Each need's counters from its pledges (pending reserves; paid counts; released ones count for nothing).
    await client.query(`create temp table bench_counts on commit drop as
      select need_idx,
        coalesce(sum(amount_minor) filter (where status in ('pending', 'awaiting_payment', 'offered')), 0)::bigint as reserved,
        coalesce(sum(amount_minor) filter (where status in ('paid', 'received')), 0)::bigint as paid,
        (count(*) filter (where status in ('pending', 'awaiting_payment', 'offered', 'paid', 'received')))::int as donors
      from bench_pledge group by need_idx`);

    await step(
      client,
      log,
      "needs",
      `insert into needs (id, public_id, org_id, household_id, category, target_minor, currency, deadline, urgency, payee_kind,
         payee_name, payee_details, title_ar, title_en, story_ar, story_en, public_region_id, age_band, gender, state,
         author_id, verifier_id, submitted_at, verified_at, published_at, reserved_minor, paid_minor, donor_count, search_text, created_at, updated_at)
       select n.id, n.public_id, n.org_id, n.household_id, n.category, n.target_minor, n.currency,
         (current_date + (3 + floor(n.r_deadline * 240))::int),
         (case when n.r_urg < 0.15 then 'critical' when n.r_urg < 0.5 then 'high' else 'normal' end)::need_urgency,
         n.payee_kind, n.payee_name, 'bench seed',
         n.title_ar, n.title_en, n.story_ar, n.story_en, n.gov_id,
         (array['0-4','5-11','12-17','18-29','30-59','60+'])[1 + floor(n.r_age * 7)::int]::age_band,
         (case when n.r_gender < 0.45 then 'female' when n.r_gender < 0.9 then 'male' end)::beneficiary_gender,
         'published', n.caseworker, n.verifier,
         n.published_at - interval '1 day', n.published_at, n.published_at,
         coalesce(cn.reserved, 0), coalesce(cn.paid, 0), coalesce(cn.donors, 0), s.search_text,
         n.published_at - interval '3 days', n.published_at
       from bench_need n
       join bench_search s on s.tpl_id = n.tpl_id and s.region_id = n.gov_id
       left join bench_counts cn on cn.need_idx = n.idx`,
    );
    await step(
      client,
      log,
      "need_items (in-kind)",
      `insert into need_items (need_id, org_id, position, label_ar, label_en, quantity, unit_cost_minor)
       select id, org_id, 0, item_ar, item_en, qty, unit_cost_minor from bench_need where qty is not null`,
    );
    await step(
      client,
      log,
      "need_transitions",
      `insert into need_transitions (need_id, org_id, action, from_state, to_state, actor_id, created_at)
       select id, org_id, 'submit', 'draft'::need_state, 'submitted'::need_state, caseworker, published_at - interval '1 day' from bench_need
       union all
       select id, org_id, 'verify', 'submitted'::need_state, 'verified'::need_state, verifier, published_at from bench_need
       union all
       select id, org_id, 'publish', 'verified'::need_state, 'published'::need_state, verifier, published_at from bench_need`,
    );

    await step(
      client,
      log,
      "pledges",
      `insert into pledges (reference, need_id, org_id, email, display_name, anonymous, message, amount_minor, currency, method, status,
         idempotency_key, expires_at, paid_at, cancelled_at, released_at, locale, created_at, updated_at)
       select reference, need_id, org_id, email, display_name, anonymous, message, amount_minor, currency, method, status,
         idempotency_key, expires_at, paid_at, cancelled_at, released_at, locale, created_at, updated_at
       from bench_pledge`,
    );

    if (skipFkTriggers) await checkForeignKeys(client, log);
    await checkText(client, log);

    await client.query(`create table if not exists ${MARKER_TABLE} (
      version int not null, needs int not null, pledges int not null, seeded_at timestamptz not null default now(), seconds numeric)`);
    await client.query(`insert into ${MARKER_TABLE} (version, needs, pledges) values ($1, $2, $3)`, [SEED_VERSION, publishedNeeds, seededPledges]);
    const t = performance.now();
    await client.query("commit");
    log(`  commit: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

/** No control character (NUL included) in any text the seed wrote; one pass per table. */
async function checkText(client: pg.Client, log: Log) {
  const t = performance.now();
  const { rows } = await client.query<{ what: string; n: number }>(`
    select 'needs' as what, count(*)::int as n from needs
      where concat_ws(' ', title_ar, title_en, story_ar, story_en, payee_name, payee_details, search_text, public_id) ~ '[[:cntrl:]]'
    union all
    select 'need_items', count(*)::int from need_items where concat_ws(' ', label_ar, label_en) ~ '[[:cntrl:]]'
    union all
    select 'pledges', count(*)::int from pledges
      where concat_ws(' ', reference, email, display_name, message, idempotency_key) ~ '[[:cntrl:]]'
    union all
    select 'households', count(*)::int from households where reference ~ '[[:cntrl:]]'`);
  const broken = rows.filter((r) => r.n > 0);
  if (broken.length) throw new Error(`seed wrote control characters: ${broken.map((r) => `${r.what}: ${r.n} rows`).join("; ")}`);
  log(`  text checked (no control characters): ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

/** The foreign keys of the bulk rows, checked in one pass each (the FK triggers were skipped). */
async function checkForeignKeys(client: pg.Client, log: Log) {
  const t = performance.now();
  const { rows } = await client.query<{ what: string; n: number }>(`
    select 'households.org_id/region_id/created_by' as what, count(*)::int as n from households h
      where not exists (select 1 from organizations o where o.id = h.org_id)
         or (h.region_id is not null and not exists (select 1 from regions r where r.id = h.region_id))
         or not exists (select 1 from users u where u.id = h.created_by)
    union all
    select 'needs.org_id/household_id/public_region_id/author_id/verifier_id', count(*)::int from needs n
      where not exists (select 1 from organizations o where o.id = n.org_id)
         or not exists (select 1 from households h where h.id = n.household_id)
         or (n.public_region_id is not null and not exists (select 1 from regions r where r.id = n.public_region_id))
         or not exists (select 1 from users u where u.id = n.author_id)
         or (n.verifier_id is not null and not exists (select 1 from users u where u.id = n.verifier_id))
    union all
    select 'need_items.need_id', count(*)::int from need_items i where not exists (select 1 from needs n where n.id = i.need_id)
    union all
    select 'need_transitions.need_id/actor_id', count(*)::int from need_transitions t
      where not exists (select 1 from needs n where n.id = t.need_id) or not exists (select 1 from users u where u.id = t.actor_id)
    union all
    select 'pledges.need_id/org_id', count(*)::int from pledges p
      where (p.need_id is not null and not exists (select 1 from needs n where n.id = p.need_id)) or not exists (select 1 from organizations o where o.id = p.org_id)`);
  const broken = rows.filter((r) => r.n > 0);
  if (broken.length) throw new Error(`seed broke foreign keys: ${broken.map((r) => `${r.what}: ${r.n}`).join("; ")}`);
  log(`  foreign keys checked: ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { inArray, sql } from "drizzle-orm";
import { needs } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { insertNeeds, needRow } from "../../../tests/fixtures/marketplace";
import { needsWorld } from "../../../tests/fixtures/needs";
import { platformTotals, platformTotalsByScan } from "./listing.server";

/**
 * The home page's totals come from public_need_totals, kept by triggers on needs (decision 059).
 * Any sequence of need inserts (one or many per statement), state changes, payments, reservations,
 * currency changes, bulk updates and deletes — written straight in SQL, as a job, a CLI script or
 * a migration would — leaves the aggregate equal to a scan of needs. Runs on PGlite and PostgreSQL
 * (where other test files write at the same time: the comparison is one statement, one snapshot).
 */

const STATES = ["draft", "submitted", "returned", "verified", "published", "rejected", "cancelled", "funded", "disbursed", "closed", "expired"] as const;
const state = fc.constantFrom(...STATES, "published", "published", "funded");

const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant("insert" as const), state, currency: fc.nat(2), paid: fc.nat(40_000) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("insertMany" as const), states: fc.array(state, { minLength: 2, maxLength: 6 }), currency: fc.nat(2) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("state" as const), need: fc.nat(30), state }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("pay" as const), need: fc.nat(30), paid: fc.nat(40_000) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("reserve" as const), need: fc.nat(30), reserved: fc.nat(5_000) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("currency" as const), need: fc.nat(30), currency: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("org" as const), need: fc.nat(30), other: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("closeAll" as const), state: fc.constantFrom("closed", "cancelled", "published") }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("delete" as const), need: fc.nat(30) }) },
);

/** Currencies only this test writes (three letters, Q…): their rows in the aggregate are ours alone. */
function testCurrencies(): string[] {
  const letters = "ABCDEFGHIJKLMNOPRSTUVWXYZ";
  const pick = () => letters[Math.floor(Math.random() * letters.length)];
  const prefix = `Q${pick()}`;
  return [`${prefix}A`, `${prefix}B`, `${prefix}C`];
}

/**
 * Organisations and currencies where the aggregate and the scan disagree, read in one statement
 * (one snapshot). Per organisation and currency: an organisation's listing reads its count there.
 */
async function mismatches(): Promise<unknown[]> {
  const db = await getDb();
  const result = await db.execute(sql`
    with scan as (
      select org_id, currency, coalesce(sum(paid_minor), 0)::bigint as raised,
             (count(*) filter (where state = 'published'))::bigint as published,
             (count(*) filter (where state <> 'published'))::bigint as funded
      from needs where state in ('published', 'funded', 'disbursed', 'closed') group by org_id, currency
    ), agg as (
      select org_id, currency, sum(raised_minor)::bigint as raised, sum(published)::bigint as published, sum(funded)::bigint as funded
      from public_need_totals group by org_id, currency
    )
    select coalesce(s.org_id, a.org_id) as org_id, coalesce(s.currency, a.currency) as currency, s.raised as scan_raised, a.raised as agg_raised,
           s.published as scan_published, a.published as agg_published, s.funded as scan_funded, a.funded as agg_funded
    from scan s full join agg a on a.currency = s.currency and a.org_id = s.org_id
    where coalesce(s.raised, 0) <> coalesce(a.raised, 0) or coalesce(s.published, 0) <> coalesce(a.published, 0)
       or coalesce(s.funded, 0) <> coalesce(a.funded, 0)`);
  return result.rows;
}

beforeAll(async () => {
  await getDb();
}, 300_000);

describe("home totals: the maintained aggregate equals the scan (fast-check)", () => {
  it("after any sequence of inserts, state changes, payments, reservations, currency and organisation changes and deletes", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const elsewhere = await needsWorld();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const currencies = testCurrencies();
        const made: string[] = [];
        const pick = (i: number) => (made.length ? made[i % made.length] : null);
        const row = (s: (typeof STATES)[number], currency: string, paid = 0) =>
          needRow(world, { state: s, currency, targetMinor: 30_000, paidMinor: Math.min(paid, 30_000) });
        for (const o of ops) {
          switch (o.t) {
            case "insert":
              made.push(...(await insertNeeds([row(o.state, currencies[o.currency], o.paid)])).map((n) => n.id));
              break;
            case "insertMany":
              // One statement, several rows: the per-statement trigger adds them up.
              made.push(...(await insertNeeds(o.states.map((s, i) => row(s, currencies[o.currency], i * 1_000)))).map((n) => n.id));
              break;
            case "state": {
              const id = pick(o.need);
              if (id) await db.execute(sql`update needs set state = ${o.state} where id = ${id}`);
              break;
            }
            case "pay": {
              const id = pick(o.need);
              if (id) await db.execute(sql`update needs set paid_minor = least(${o.paid}, target_minor - reserved_minor) where id = ${id}`);
              break;
            }
            case "reserve": {
              const id = pick(o.need);
              if (id) await db.execute(sql`update needs set reserved_minor = least(${o.reserved}, target_minor - paid_minor), donor_count = donor_count + 1 where id = ${id}`);
              break;
            }
            case "currency": {
              const id = pick(o.need);
              if (id) await db.execute(sql`update needs set currency = ${currencies[o.currency]} where id = ${id}`);
              break;
            }
            case "org": {
              // Never done by the app; a script could: the count moves with the need.
              const id = pick(o.need);
              if (id) await db.execute(sql`update needs set org_id = ${o.other ? elsewhere.org.id : world.org.id} where id = ${id}`);
              break;
            }
            case "closeAll":
              // One statement changing many rows (a job or a migration would).
              if (made.length) await db.update(needs).set({ state: o.state }).where(inArray(needs.id, made));
              break;
            case "delete": {
              const id = pick(o.need);
              if (id) {
                await db.execute(sql`delete from needs where id = ${id}`);
                made.splice(made.indexOf(id), 1);
              }
              break;
            }
          }
        }
        expect(await mismatches()).toEqual([]);
        // Only this run writes its currencies: the home page's reader gives the scan's numbers for them.
        const ours = (t: Awaited<ReturnType<typeof platformTotals>>) => t.raised.filter((r) => currencies.includes(r.currency));
        expect(ours(await platformTotals(db))).toEqual(ours(await platformTotalsByScan(db)));
        // Leave nothing published behind for the other tests' listings.
        if (made.length) await db.update(needs).set({ state: "closed" }).where(inArray(needs.id, made));
      }),
      { numRuns: 20 },
    );
  });

  it("a bulk writer that skips ordinary triggers (session_replication_role = replica) still keeps it right", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const [currency] = testCurrencies();
    const raisedOf = async () => (await platformTotals(db)).raised.find((r) => r.currency === currency)?.raisedMinor ?? 0;
    const before = await raisedOf();
    const rows = Array.from({ length: 5 }, (_, i) => needRow(world, { currency, targetMinor: 30_000, paidMinor: i * 100, state: i ? "published" : "funded" }));
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      const inserted = await tx.insert(needs).values(rows).returning({ id: needs.id });
      // Only these rows: the currency may hold public needs of other tests on a shared database.
      await tx.update(needs).set({ paidMinor: sql`${needs.paidMinor} + 1` }).where(inArray(needs.id, inserted.map((r) => r.id)));
    });
    expect(await mismatches()).toEqual([]);
    expect((await raisedOf()) - before).toBe(0 + 100 + 200 + 300 + 400 + 5);
    await db.update(needs).set({ state: "closed" }).where(sql`${needs.currency} = ${currency}`);
  });

  it("a pledge's reservation never touches the aggregate's rows (the trigger's WHEN); a payment does", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const [currency] = testCurrencies();
    const [need] = await insertNeeds([needRow(world, { currency, targetMinor: 30_000 })]);
    // xmin changes whenever a row is written: our currency's rows are written by nobody else.
    const versions = async () =>
      (await db.execute(sql`select slot, xmin::text as v from public_need_totals where currency = ${currency} order by slot`)).rows;
    const start = await versions();
    expect(start.length).toBeGreaterThan(0);
    await db.execute(sql`update needs set reserved_minor = 5000, donor_count = 1 where id = ${need.id}`);
    await db.execute(sql`update needs set reserved_minor = 2000, updated_at = now(), state = 'published', paid_minor = paid_minor where id = ${need.id}`);
    expect(await versions()).toEqual(start);
    await db.execute(sql`update needs set paid_minor = 1000 where id = ${need.id}`);
    expect(await versions()).not.toEqual(start);
    await db.update(needs).set({ state: "closed" }).where(inArray(needs.id, [need.id]));
    expect(await mismatches()).toEqual([]);
  });
});

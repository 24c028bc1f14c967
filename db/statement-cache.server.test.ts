import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_NAMED, StatementCachingClient, statementName } from "./statement-cache.server";

describe("statement names", () => {
  it("are a pure function of the text, distinct for distinct texts, and valid PostgreSQL identifiers", () => {
    const a = "select $1::int as n";
    expect(statementName(a)).toBe(statementName(`select $1::int as n`));
    expect(statementName(a)).not.toBe(statementName("select $1::int as m"));
    expect(statementName(a)).toMatch(/^tdm_[A-Za-z0-9_-]{24}$/);
    expect(statementName(a).length).toBeLessThan(64);
    expect(MAX_NAMED).toBeGreaterThan(0);
  });
});

const url = process.env.DATABASE_URL;

describe.skipIf(!url)("named prepared statements on PostgreSQL (decision 075)", () => {
  const pools: pg.Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });
  /** One connection, so what it prepared can be read back on it. */
  const onePool = (Client: typeof StatementCachingClient = StatementCachingClient) => {
    const pool = new pg.Pool({ connectionString: url, max: 1, Client });
    pools.push(pool);
    return pool;
  };
  // Read back by a command the client never names (not a select).
  const prepared = async (pool: pg.Pool) =>
    (await pool.query<{ name: string; statement: string }>({ text: "select name, statement from pg_prepared_statements", name: "" })).rows;

  it("prepares a parameterised query once per connection under the name of its text, and answers as before", async () => {
    const pool = onePool();
    const text = "select $1::int + 1 as n";
    expect((await pool.query(text, [41])).rows).toEqual([{ n: 42 }]);
    expect((await pool.query({ text, values: [1] })).rows).toEqual([{ n: 2 }]);
    const rows = await prepared(pool);
    expect(rows.filter((r) => r.statement === text)).toEqual([{ name: statementName(text), statement: text }]);
  });

  it("names drizzle's queries too (a query built with values)", async () => {
    const pool = onePool();
    const db = drizzle(pool);
    const result = await db.execute(sql`select ${"x"}::text || 'y' as s`);
    expect(result.rows).toEqual([{ s: "xy" }]);
    const rows = await prepared(pool);
    expect(rows.some((r) => r.statement === "select $1::text || 'y' as s" && r.name === statementName(r.statement))).toBe(true);
  });

  it("names one read without parameters (a select), so its plan can be kept", async () => {
    const pool = onePool();
    const text = "select count(*)::int as n from pg_class where relkind = 'r'";
    expect((await pool.query(text)).rows[0].n).toBeGreaterThan(0);
    expect((await prepared(pool)).some((r) => r.name === statementName(text))).toBe(true);
  });

  it("leaves alone several statements in one text (they still run), a command, one named by the caller, and one named '' (planned every time)", async () => {
    const pool = onePool();
    const multi = await pool.query("select 1 as a; select 2 as b");
    await pool.query("set application_name = 'statement-cache-test'");
    expect(Array.isArray(multi) ? multi.map((r) => r.rows[0]) : null).toEqual([{ a: 1 }, { b: 2 }]);
    await pool.query({ text: "select $1::int * 3 as n", values: [2], name: "" });
    await pool.query({ text: "select $1::int * 5 as n", values: [2], name: "mine_times_five" });
    const names = (await prepared(pool)).map((r) => r.name);
    expect(names).toContain("mine_times_five");
    expect(names).not.toContain(statementName("select $1::int * 3 as n"));
    expect(names).not.toContain(statementName("select 1 as a; select 2 as b"));
    expect(names).not.toContain(statementName("set application_name = 'statement-cache-test'"));
  });

  it("names at most maxNamed texts per connection; the rest run unnamed and still answer", async () => {
    class Small extends StatementCachingClient {
      static override maxNamed = 2;
    }
    const pool = onePool(Small);
    for (const k of [1, 2, 3, 4]) expect((await pool.query(`select $1::int + ${k} as n`, [1])).rows).toEqual([{ n: 1 + k }]);
    // Again: the first two stay named, the others unnamed.
    await pool.query("select $1::int + 1 as n", [1]);
    const names = new Set((await prepared(pool)).map((r) => r.name));
    expect(names.has(statementName("select $1::int + 1 as n"))).toBe(true);
    expect(names.has(statementName("select $1::int + 2 as n"))).toBe(true);
    expect(names.has(statementName("select $1::int + 3 as n"))).toBe(false);
    expect(names.has(statementName("select $1::int + 4 as n"))).toBe(false);
  });
});

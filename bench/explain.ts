/**
 * EXPLAIN ANALYZE of the public listing's two queries (the count and the page of rows) for a
 * `/needs?…` query string, built by the app's own code (parsePublicFilters + publicRowsQuery), so
 * the plan is the one the server runs. The count query is the rows query's WHERE clause over
 * `needs` alone, which is what listPublicNeeds counts.
 */
import pg from "pg";
import { connect } from "../db/client.server";
import { parsePublicFilters } from "~/modules/marketplace/filters";
import { publicRowsQuery } from "~/modules/marketplace/listing.server";

export interface QueryPlan {
  name: "rows" | "count";
  sql: string;
  params: unknown[];
  planningMs: number;
  executionMs: number;
  plan: string;
}

function countQueryOf(rowsSql: string, params: unknown[]): { sql: string; params: unknown[] } | null {
  const order = rowsSql.lastIndexOf(" order by ");
  const where = rowsSql.lastIndexOf(" where ", order);
  if (order < 0 || where < 0) return null;
  const clause = rowsSql.slice(where, order);
  const used = [...clause.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  const max = used.length ? Math.max(...used) : 0;
  return { sql: `select count(*)::int from "needs"${clause}`, params: params.slice(0, max) };
}

async function explain(client: pg.Client, name: QueryPlan["name"], sql: string, params: unknown[]): Promise<QueryPlan> {
  // Once to warm the cache, once measured.
  await client.query(sql, params);
  const { rows } = await client.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${sql}`, params);
  const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
  const ms = (label: string) => Number(new RegExp(`${label}: ([\\d.]+) ms`).exec(plan)?.[1] ?? NaN);
  return { name, sql, params, planningMs: ms("Planning Time"), executionMs: ms("Execution Time"), plan };
}

/** Plans of the listing's count and rows queries for `query` (e.g. "category=rent&sort=closing"). */
export async function explainListing(databaseUrl: string, query: string): Promise<QueryPlan[]> {
  const database = await connect({ databaseUrl, dataDir: "memory://" });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { filters } = parsePublicFilters(new URLSearchParams(query));
    const rows = publicRowsQuery(database.db, filters, filters.page).toSQL();
    const plans: QueryPlan[] = [];
    const count = countQueryOf(rows.sql, rows.params);
    if (count) plans.push(await explain(client, "count", count.sql, count.params));
    plans.push(await explain(client, "rows", rows.sql, rows.params));
    return plans;
  } finally {
    await client.end();
    await database.close();
  }
}

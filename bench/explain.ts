/**
 * EXPLAIN ANALYZE of the public listing's two queries (the count and the page of rows) for a
 * `/needs?…` query string, built by the app's own code (parsePublicFilters + publicRowsQuery), so
 * the plan is the one the server runs (countAndRowsQuery for a filtered listing, publicCountQuery
 * and publicRowsQuery for the others and when more than the count's cap match).
 */
import pg from "pg";
import { connect } from "../db/client.server";
import { parsePublicFilters } from "~/modules/marketplace/filters";
import { countAndRowsQuery, countedByAggregate, publicCountQuery, publicRowsQuery } from "~/modules/marketplace/listing.server";

export interface QueryPlan {
  name: "rows" | "count" | "count+rows";
  sql: string;
  params: unknown[];
  planningMs: number;
  executionMs: number;
  plan: string;
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
    const count = publicCountQuery(database.db, filters).toSQL();
    // A filtered listing runs one scan for its count and page (countAndRowsQuery); the count and
    // rows queries below it are what it falls back to when more than the count's cap match.
    if (!countedByAggregate(filters)) {
      const both = countAndRowsQuery(database.db, filters, filters.page ?? 1).toSQL();
      plans.push(await explain(client, "count+rows", both.sql, both.params));
    }
    plans.push(await explain(client, "count", count.sql, count.params));
    plans.push(await explain(client, "rows", rows.sql, rows.params));
    return plans;
  } finally {
    await client.end();
    await database.close();
  }
}

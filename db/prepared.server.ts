/**
 * Queries built once and then only run with their values (decisions 073, 080).
 *
 * Building a drizzle query (walking its columns, writing its SQL) costs more CPU than PostgreSQL
 * spends answering a small one: the pledge form's five queries took half a millisecond to build on
 * every request, the pledge post's about as much. A query here is built the first time its key is
 * asked for, with `sql.placeholder(...)` where its values go, and prepared without a name, so each
 * connection names it by its text (db/statement-cache.server.ts, decision 075).
 *
 * The SQL does not depend on the connection, so one built query serves every handle of the same
 * driver: a transaction (its own connection) or another pool runs the same prepared query on its
 * own client, logged by its own logger. Should drizzle's handles ever not carry these where this
 * looks for them, each handle builds its own, as before.
 *
 * `planEachRun` keeps the statement unnamed, planned for its values every time (a searched page,
 * decision 076).
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "./client.server";

export interface PreparedRun<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

interface Preparable<R> {
  prepare(name: string): PreparedRun<R>;
}

/** Built queries, per driver (its session class) or, failing that, per handle. */
const built = new WeakMap<object, Map<string, PreparedRun<unknown>>>();

/** The handle's session, the client its queries run on and its logger (drizzle keeps them on every handle). */
function sessionOf(db: DbOrTx): { flavour: object; client: unknown; logger: unknown } | null {
  const session = (db as unknown as { session?: { client?: unknown; logger?: unknown } }).session;
  if (!session || typeof session !== "object" || !session.client || !session.logger) return null;
  return { flavour: session.constructor, client: session.client, logger: session.logger };
}

export function preparedOnce<R>(db: DbOrTx, key: string, build: () => Preparable<R>, { planEachRun = false } = {}): PreparedRun<R> {
  const session = sessionOf(db);
  const owner = session?.flavour ?? db;
  let queries = built.get(owner);
  if (!queries) built.set(owner, (queries = new Map()));
  type Bound = PreparedRun<R> & { client?: unknown; logger?: unknown };
  let query = queries.get(key) as Bound | undefined;
  if (!query) {
    // drizzle hands the driver the name as given: "" stays unnamed; none is named by the client.
    query = build().prepare(planEachRun ? "" : (undefined as unknown as string)) as Bound;
    queries.set(key, query as PreparedRun<unknown>);
    return query;
  }
  if (!session || (query.client === session.client && query.logger === session.logger)) return query;
  // The same query on this handle's connection, logged by its logger: the rest is the built query's.
  const bound = Object.create(query) as Bound;
  bound.client = session.client;
  bound.logger = session.logger;
  return bound;
}

/** How many queries are built for this handle's driver (tests). */
export function preparedCount(db: DbOrTx): number {
  return built.get(sessionOf(db)?.flavour ?? db)?.size ?? 0;
}

/**
 * An insert's values for a query built once: each value a placeholder, except null, written as a
 * literal NULL (drizzle runs a placeholder's value through its column's encoder, which a null
 * would break), and undefined, left out (the column's default) as drizzle leaves it out. `shape`
 * tells these apart, so a different mix of values gets its own built query.
 */
export function insertShape(values: Record<string, unknown>): { shape: string; placeholders: Record<string, unknown>; params: Record<string, unknown> } {
  const placeholders: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  const shape: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (value === null) {
      placeholders[key] = sql`null`;
      shape.push(`${key}:null`);
    } else {
      placeholders[key] = sql.placeholder(key);
      params[key] = value;
      shape.push(key);
    }
  }
  return { shape: shape.join(","), placeholders, params };
}

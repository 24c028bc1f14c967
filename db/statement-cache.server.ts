/**
 * Every parameterised query runs as a named prepared statement on its connection (decision 075).
 *
 * node-postgres sends a query without a name as an unnamed statement: PostgreSQL parses and plans
 * it again on every run. Measured on the bench database, that was most of what PostgreSQL spent on
 * a donor page: the need page's query took 0.4 ms to parse, 0.9 ms to plan and 0.1 ms to run.
 * Drivers such as postgres.js and pgx prepare by default; this client does the same for
 * node-postgres: a query with parameters and no name is given a name derived from its text, so
 * each connection parses it once and PostgreSQL may keep its plan (plan_cache_mode = auto: a
 * generic plan only when it is estimated no worse than the plans made for the values).
 *
 * - A query without parameters is named only when it is one read (a `select` or `with`, no `;`):
 *   anything else is sent as before, by the simple protocol, which runs several statements in one
 *   text (migrations, pg-boss's scripts) and transaction commands.
 * - A query whose name is the empty string stays unnamed, planned for its values every time:
 *   a searched page of the listing, where the best plan depends on the words (listing.server.ts).
 * - A connection names at most MAX_NAMED distinct texts; more are sent unnamed, so a stream of
 *   ever-different texts cannot fill the server's memory.
 */
import { createHash } from "node:crypto";
import pg from "pg";

export const MAX_NAMED = 1000;

const names = new Map<string, string>();
/** One read without parameters: starts with select or with, and holds no `;`. */
const ONE_READ = /^\s*(?:select|with)\b[^;]*$/i;

/** The statement name of a query text: the same text always gives the same name. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `tdm_${createHash("sha1").update(text).digest("base64url").slice(0, 24)}`;
    if (names.size >= 10_000) names.clear();
    names.set(text, name);
  }
  return name;
}

type QueryConfigLike = { text?: unknown; name?: unknown; values?: unknown; submit?: unknown };

/** A node-postgres client that names its parameterised queries (give it to a Pool as `Client`). */
export class StatementCachingClient extends pg.Client {
  /** How many distinct texts one connection names (a subclass may lower it, as the tests do). */
  static maxNamed = MAX_NAMED;
  /** The names this connection has used (prepared, or being prepared). */
  readonly named = new Set<string>();

  // node-postgres' query has many overloads; this only adds a name and passes everything on.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    return super.query(this.withName(config, values), values, callback);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private withName(config: any, values: unknown): any {
    let text: string;
    let params: unknown;
    if (typeof config === "string") {
      text = config;
      params = values;
    } else if (config && typeof config === "object" && typeof (config as QueryConfigLike).submit !== "function") {
      const c = config as QueryConfigLike;
      if (c.name !== undefined || typeof c.text !== "string") return config;
      text = c.text;
      params = Array.isArray(values) ? values : c.values;
    } else {
      return config;
    }
    if (!(Array.isArray(params) && params.length > 0) && !ONE_READ.test(text)) return config;
    const name = statementName(text);
    if (!this.named.has(name)) {
      if (this.named.size >= (this.constructor as typeof StatementCachingClient).maxNamed) return config;
      this.named.add(name);
    }
    return typeof config === "string" ? { text, name } : { ...(config as object), name };
  }
}

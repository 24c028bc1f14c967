import path from "node:path";
import fs from "node:fs";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import * as schema from "./schema";
import { StatementCachingClient } from "./statement-cache.server";

/** Both drivers expose the same query builder; we type the app against node-postgres'. */
export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything that runs queries: the database or an open transaction. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /** Runs raw SQL with $1-style parameters; used by pg-boss. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
  /** The node-postgres pool, when on PostgreSQL. */
  pool?: pg.Pool;
}

export interface ConnectOptions {
  databaseUrl?: string;
  /** Folder for embedded PGlite, or "memory://" for an in-memory database. */
  dataDir: string;
}

export const MIGRATIONS_DIR = path.resolve(process.env.TADAMON_ROOT ?? process.cwd(), "db/migrations");

export async function connect(options: ConnectOptions): Promise<Database> {
  if (options.databaseUrl) {
    // Parameterised queries run as named prepared statements, parsed once per connection (decision 075).
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, Client: StatementCachingClient });
    pool.on("error", (err) => console.error("[db] idle client error", err));
    const db = drizzlePg(pool, { schema, casing: "snake_case" });
    return {
      db,
      kind: "postgres",
      executeSql: async (text, values) => {
        const result = await pool.query(text, values as unknown[]);
        return { rows: result.rows };
      },
      close: () => pool.end(),
      pool,
    };
  }
  const dataDir = options.dataDir;
  if (!dataDir.startsWith("memory://")) fs.mkdirSync(dataDir, { recursive: true });
  // btree_gin: the search index holds the listing's filter columns too (migration 0029, decision 076).
  const client = await PGlite.create(dataDir, { extensions: { btree_gin } });
  const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    executeSql: async (text, values) => {
      // pg-boss sends its schema scripts as several parameterless statements, which a
      // prepared statement refuses; those go through exec and answer with the last result.
      if (!values || values.length === 0) {
        const results = await client.exec(text);
        const last = results[results.length - 1];
        return { rows: (last?.rows ?? []) as unknown[] };
      }
      const result = await client.query(text, values as unknown[]);
      return { rows: result.rows as unknown[] };
    },
    close: () => client.close(),
  };
}

/** Applies the committed SQL migrations. On PostgreSQL an advisory lock keeps concurrent starts apart. */
export async function migrate(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  // The lock belongs to one connection, so take it, migrate and release it on the same client.
  const client = await database.pool!.connect();
  try {
    await client.query("select pg_advisory_lock(727274)");
    try {
      await migratePg(drizzlePg(client, { schema, casing: "snake_case" }), {
        migrationsFolder: MIGRATIONS_DIR,
      });
    } finally {
      await client.query("select pg_advisory_unlock(727274)");
    }
  } finally {
    client.release();
  }
}

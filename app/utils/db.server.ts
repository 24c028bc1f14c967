import { connect, migrate, type Database, type Db } from "#db/client.server";
import { env } from "./env.server";

/**
 * The one database of this process, opened and migrated on first use.
 * Kept on globalThis so the dev server's module reloads reuse it (PGlite is one connection).
 */
const globalForDb = globalThis as unknown as { __tadamonDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  if (!globalForDb.__tadamonDb) {
    const config = env();
    globalForDb.__tadamonDb = (async () => {
      const database = await connect({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
      await migrate(database);
      return database;
    })();
    globalForDb.__tadamonDb.catch(() => {
      globalForDb.__tadamonDb = undefined;
    });
  }
  return globalForDb.__tadamonDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

export async function closeDatabase(): Promise<void> {
  const pending = globalForDb.__tadamonDb;
  globalForDb.__tadamonDb = undefined;
  if (pending) await (await pending).close();
}

// Shared by the db:* scripts: open and migrate the database the app would use (DATABASE_URL, or
// the embedded PGlite in DATA_DIR), run one step, close, and exit non-zero with a plain message.
import { env } from "~/utils/env.server";
import { connect, migrate, type Database } from "./client.server";

export function runWithDatabase(step: (database: Database, where: string) => Promise<void>): void {
  (async () => {
    const config = env();
    const database = await connect({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
    const where = database.kind === "postgres" ? "PostgreSQL from DATABASE_URL" : `embedded PGlite in ${config.DATA_DIR}`;
    try {
      await migrate(database);
      await step(database, where);
    } finally {
      await database.close();
    }
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

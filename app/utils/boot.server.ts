import { closeDatabase, getDatabase } from "./db.server";
import { env } from "./env.server";
import { seedIfEmpty } from "#db/seed";
import { startJobs, stopJobs } from "./jobs.server";

let booted: Promise<void> | undefined;

/**
 * Start-up: validate the environment, open and migrate the database, seed the demo data into an
 * empty embedded database, start the job worker. server.js awaits it before listening; under the
 * Vite dev server the first request triggers it.
 */
export function boot(): Promise<void> {
  booted ??= (async () => {
    const config = env();
    const database = await getDatabase();
    if (config.SEED_DEMO === "always" || (config.SEED_DEMO === "auto" && database.kind === "pglite")) {
      await seedIfEmpty(database.db);
    }
    if (config.JOBS === "on") await startJobs(database);
  })();
  booted.catch(() => {
    booted = undefined;
  });
  return booted;
}

/** Stops the job worker and closes the database (an open PGlite keeps Node alive). */
export async function shutdown(): Promise<void> {
  await stopJobs();
  await closeDatabase();
}

import { closeDatabase, getDatabase } from "./db.server";
import { env } from "./env.server";
import { seedIfEmpty } from "#db/seed";
import { startJobs, stopJobs } from "./jobs.server";
import { backfillSearchText } from "~/modules/marketplace/search-text.server";

let booted: Promise<void> | undefined;

/**
 * Start-up: validate the environment, open and migrate the database, fill the search text of needs
 * written before it was kept (one cheap query when there are none), seed the demo data into an
 * empty embedded database, start the job worker. server.js awaits it before listening; under the
 * Vite dev server the first request triggers it.
 */
export function boot(): Promise<void> {
  booted ??= (async () => {
    const config = env();
    const database = await getDatabase();
    const filled = await backfillSearchText(database.db);
    if (filled > 0) console.log(`search text filled for ${filled} needs written before it was kept`);
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

// `npm run db:migrate`: applies the committed SQL migrations (db/migrations) to DATABASE_URL, or
// to the embedded database in DATA_DIR when DATABASE_URL is unset, as the app does at start-up.
import { runWithDatabase } from "./cli";

runWithDatabase(async (_database, where) => {
  console.log(`Migrations applied (${where}).`);
});

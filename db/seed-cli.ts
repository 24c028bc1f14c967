// `npm run db:seed`: migrates, then writes the demo data (idempotent: safe to run again) to
// DATABASE_URL, or to the embedded database in DATA_DIR when DATABASE_URL is unset.
import { runWithDatabase } from "./cli";
import { seedDemo } from "./seed";

runWithDatabase(async (database, where) => {
  const s = await seedDemo(database.db);
  console.log(
    `Demo data seeded (${where}): ${s.organizations} organisations, ${s.regions} regions, ` +
      `${s.users} users, ${s.memberships} memberships, ${s.households} households, ${s.needs} needs, ${s.pledges} pledges.`,
  );
});

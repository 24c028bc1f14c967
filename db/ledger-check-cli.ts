// `npm run ledger:check`: prints the trial balance per organisation and currency and each need's
// counters against its fund (DATABASE_URL, or the embedded PGlite in DATA_DIR), and exits 1 on any
// difference. CI runs it at the end against the e2e database.
//
// `--e2e` judges the database the end-to-end tests ran against (playwright.config.ts): E2E_DATABASE_URL,
// else DATABASE_URL, else the embedded one in tmp/e2e-db. `npm run test:e2e` ends with it.
import { asc } from "drizzle-orm";
import { organizations } from "#db/schema";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { runWithDatabase } from "./cli";

const pad = (value: string | number, width: number) => String(value).padStart(width);

if (process.argv.includes("--e2e")) {
  const url = process.env.E2E_DATABASE_URL || process.env.DATABASE_URL;
  if (url) process.env.DATABASE_URL = url;
  else process.env.DATA_DIR = "tmp/e2e-db";
}

runWithDatabase(async (database, where) => {
  const db = database.db;
  const orgs = await db.select({ id: organizations.id, slug: organizations.slug }).from(organizations).orderBy(asc(organizations.slug));
  const slug = new Map(orgs.map((o) => [o.id, o.slug]));
  const check = await checkLedger(db);
  console.log(`Ledger check (${where})`);
  console.log("\nTrial balance (minor units; debit − credit = 0 per organisation and currency)");
  if (check.balance.totals.length === 0) console.log("  (no ledger entries yet)");
  for (const t of check.balance.totals) {
    console.log(`\n  ${slug.get(t.orgId) ?? t.orgId} ${t.currency}`);
    for (const a of check.balance.accounts.filter((x) => x.orgId === t.orgId && x.currency === t.currency)) {
      console.log(`    ${a.type.padEnd(9)} ${a.key.padEnd(52)} Dr ${pad(a.debitMinor, 12)}  Cr ${pad(a.creditMinor, 12)}  = ${pad(a.balanceMinor, 12)}`);
    }
    console.log(`    ${"total".padEnd(62)} Dr ${pad(t.debitMinor, 12)}  Cr ${pad(t.creditMinor, 12)}  = ${pad(t.balanceMinor, 12)} ${t.balanceMinor === 0 ? "ok" : "DIFFERENCE"}`);
  }
  const shown = check.rows.filter((r) => !r.ok || r.fundMinor !== 0 || r.paidMinor !== 0 || r.reservedMinor !== 0 || r.donorCount !== 0);
  console.log("\nNeeds (counter / expected from the ledger and pledges)");
  for (const r of shown) {
    console.log(
      `  ${(slug.get(r.orgId) ?? r.orgId).padEnd(20)} ${r.publicId.padEnd(12)} ${r.currency} ${r.state.padEnd(10)} ` +
        `paid ${r.paidMinor}/${r.expectedPaidMinor} (fund ${r.fundMinor}, in kind ${r.receivedInKindMinor})  ` +
        `reserved ${r.reservedMinor}/${r.expectedReservedMinor}  donors ${r.donorCount}/${r.expectedDonorCount}  ${r.ok ? "ok" : "DIFFERENCE"}`,
    );
  }
  console.log(`  (${check.rows.length - shown.length} more needs with no money and no pledges)`);
  if (!check.ok) {
    console.error(`\n${check.problems.length} difference(s):`);
    for (const p of check.problems) console.error(`  - ${p}`);
    process.exitCode = 1;
    return;
  }
  console.log("\nLedger balanced; every need's counters equal its fund.");
});

// `npm run statement:import -- --org SLUG --account ACCOUNT FILE [--json] [--mapping JSON]`
// Imports a bank statement CSV into a money account of an organisation (ACCOUNT = the account's id
// or name), as the system: the mapping given with --mapping (JSON, see StatementMapping), else the
// account's saved one when the headers are the same, else the guessed one. Prints lines read, new,
// duplicates, malformed (with line numbers), matched automatically, suggested, unmatched; --json
// prints one JSON object with each line's outcome and the pledge references it settled.
import { readFileSync } from "node:fs";
import { and, eq, or } from "drizzle-orm";
import { moneyAccounts, organizations } from "#db/schema";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { commitImport, previewImport, runImport, validMapping } from "~/modules/reconciliation/statements.server";
import { runWithDatabase } from "./cli";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseArgs(argv: string[]) {
  const out: { org?: string; account?: string; file?: string; json: boolean; mapping?: string } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--org") out.org = argv[++i];
    else if (a === "--account") out.account = argv[++i];
    else if (a === "--mapping") out.mapping = argv[++i];
    else if (a === "--json") out.json = true;
    else if (a.startsWith("--")) throw new Error(`Unknown option ${a}`);
    else out.file = a;
  }
  if (!out.org || !out.account || !out.file) throw new Error("Usage: npm run statement:import -- --org SLUG --account ACCOUNT FILE [--json] [--mapping JSON]");
  return out;
}

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

runWithDatabase(async (database) => {
  const db = database.db;
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, args.org!));
  if (!org) throw new Error(`No organisation with slug ${args.org}`);
  const [account] = await db
    .select()
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.orgId, org.id), UUID.test(args.account!) ? or(eq(moneyAccounts.id, args.account!), eq(moneyAccounts.name, args.account!)) : eq(moneyAccounts.name, args.account!)));
  if (!account) throw new Error(`No money account ${args.account} in ${args.org}`);
  const bytes = new Uint8Array(readFileSync(args.file!));
  const started = Date.now();
  const mapping = args.mapping ? validMapping(JSON.parse(args.mapping)) : undefined;
  const preview = await previewImport(db, SYSTEM_ACTOR, { orgId: org.id, moneyAccountId: account.id, fileName: args.file!.split("/").pop()!, bytes, mapping });
  await commitImport(db, SYSTEM_ACTOR, preview.importId, preview.mapping, { orgId: org.id, inline: true });
  // commitImport ran it inline; runImport on a finished import returns its summary (outcomes come from the run itself).
  const result = await runImport(db, preview.importId);
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  if (args.json) {
    const { importLines } = await import("~/modules/reconciliation/statements.server");
    const { statementLines, statementMatches, pledges } = await import("#db/schema");
    const lines = await importLines(db, preview.importId);
    const refs = await db
      .select({ lineId: statementMatches.lineId, reference: pledges.reference })
      .from(statementMatches)
      .innerJoin(statementLines, eq(statementLines.id, statementMatches.lineId))
      .innerJoin(pledges, eq(pledges.id, statementMatches.pledgeId))
      .where(and(eq(statementLines.importId, preview.importId), eq(statementMatches.status, "active")));
    const byLine = new Map<string, string[]>();
    for (const r of refs) byLine.set(r.lineId, [...(byLine.get(r.lineId) ?? []), r.reference]);
    console.log(
      JSON.stringify(
        {
          importId: preview.importId,
          organisation: org.slug,
          account: { id: account.id, name: account.name, currency: account.currency },
          linesRead: result.totalRows,
          newLines: result.newLines,
          duplicates: result.duplicateLines,
          malformed: result.malformedRows,
          matched: result.matched,
          suggested: result.suggested,
          unmatched: result.unmatched,
          problems: result.problems,
          lines: lines.map((l) => ({ lineId: l.id, lineNo: l.lineNo, status: l.status, references: byLine.get(l.id) ?? [] })),
          seconds: Number(seconds),
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log(`Statement ${args.file} → ${org.slug} / ${account.name} (${account.currency}) in ${seconds}s`);
  console.log(`  lines read            ${result.totalRows}`);
  console.log(`  new                   ${result.newLines}`);
  console.log(`  duplicates            ${result.duplicateLines}`);
  const malformed = result.problems.filter((p) => p.code !== "balance_break");
  console.log(`  malformed             ${result.malformedRows}${malformed.length ? ` (lines ${malformed.map((p) => `${p.line} ${p.code}`).join(", ")})` : ""}`);
  const breaks = result.problems.filter((p) => p.code === "balance_break");
  if (breaks.length) console.log(`  running-balance breaks at lines ${breaks.map((p) => p.line).join(", ")}`);
  console.log(`  matched automatically ${result.matched}`);
  console.log(`  suggested             ${result.suggested}`);
  console.log(`  unmatched             ${result.unmatched}`);
});

/**
 * `npm run bench:reconcile` — bank statement reconciliation at scale (issue 10, module C).
 *
 * 1. A fresh database: in-memory PGlite, or RECONCILE_DATABASE_URL (never the shared DATABASE_URL,
 *    whose data other people use), migrated, with the demo organisations (db/seed.ts).
 * 2. Seeds, set-based: 10,000 published needs cloned from a demo need (jsonb_populate_record), and
 *    100,000 open bank-transfer pledges on them (multi-row inserts), a quarter of the donors giving
 *    two or three pledges; 70 % of amounts round (shared by many pledges), the rest unique.
 * 3. Writes a 100,000-line CSV statement with realistic noise and keeps the ground truth: mangled
 *    references (case, spaces, dashes, O for 0, Arabic-Indic digits, the check symbol dropped, the
 *    code in the reference column), lines without a reference paying a unique amount, fee-short
 *    lines, combined payments of 2–3 pledges of one donor, split payments (two lines for one
 *    pledge), bank charges, interest and noise lines.
 * 4. Times the import: parse (helper B's statement-parse.ts when present, else a direct CSV parse)
 *    and store the lines (storeStatementLines, the import job's own set-based insert).
 * 5. Times the matching: loadCandidates (the same query autoMatchLines runs), buildMatchIndex,
 *    matchLine for every line (pledges' outstanding amounts lowered as each match is booked, as
 *    autoMatchLines does). Prints match rate among lines that pay a pledge and wrong matches
 *    against the ground truth.
 * 6. Books a sample of matched lines through autoMatchLines (recordPayment: ledger, receipt,
 *    counters — the real thing) and prints the time per line and the extrapolation for all.
 *    BOOK=n sets the sample (default 300; 0 skips).
 */
import { randomBytes } from "node:crypto";
import { connect, migrate } from "../db/client.server";
import { seedDemo } from "../db/seed";
import { moneyAccounts, pledges, statementImports } from "../db/schema";
import type { StatementMapping } from "../db/schema";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { newReference } from "~/modules/pledging/reference";
import { buildMatchIndex, matchLine, type PledgeCandidate } from "~/modules/reconciliation/matcher";
import { autoMatchLines, loadCandidates } from "~/modules/reconciliation/matching.server";
import { IMPORT_CHUNK, storeStatementLines } from "~/modules/reconciliation/statements.server";

const NEEDS = Number(process.env.NEEDS ?? 10_000);
const PLEDGES = Number(process.env.PLEDGES ?? 100_000);
const LINES = Number(process.env.LINES ?? 100_000);
const BOOK = Number(process.env.BOOK ?? 300);

let seed = 20260301;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);

type Truth = { pays: string[] | null; kind: string };
type GenLine = { date: string; amountMinor: number; description: string; reference: string; truth: Truth };

function arabicDigits(s: string) {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

/** A reference as a bank or a transfer shop might write it. */
function mangle(reference: string, variant: number): { description: string; reference: string } {
  const body = reference.replace(/[^0-9A-Z]/g, "").slice(3);
  const who = pick(["AHMAD K", "SAMIRA HADDAD", "M. YOUSSEF", "تحويل من علي", "FAWZI & SONS", ""]);
  switch (variant) {
    case 0:
      return { description: `TRF ${reference} ${who}`, reference: "" };
    case 1:
      return { description: `incoming transfer tdm${body.toLowerCase()} ${who}`, reference: "" };
    case 2:
      return { description: `${who} TDM ${body.slice(0, 4)} ${body.slice(4)}`, reference: "" };
    case 3:
      return { description: `IBAN TRANSFER/${body.slice(0, 4)}-${body.slice(4)}/${who}`, reference: "" };
    case 4:
      return { description: `tdm-${body.replace(/0/g, "O").replace(/1/g, "l").toLowerCase()} ${who}`, reference: "" };
    case 5:
      return { description: `حوالة واردة tdm${arabicDigits(body)} ${who}`, reference: "" };
    case 6:
      return { description: `SWIFT IN ${who}`, reference: reference.toLowerCase() };
    default:
      // The check symbol dropped: only a partial clue.
      return { description: `tdm ${body.slice(0, 6).toLowerCase()} ${who}`, reference: "" };
  }
}

async function main() {
  const tAll = performance.now();
  const url = process.env.RECONCILE_DATABASE_URL;
  const database = await connect({ databaseUrl: url, dataDir: "memory://" });
  const db = database.db;
  console.log(`database: ${url ? "PostgreSQL (RECONCILE_DATABASE_URL)" : "PGlite in memory"}`);
  let t0 = performance.now();
  await migrate(database);
  await seedDemo(db);
  console.log(`migrate + demo seed: ${secs(t0)} s`);

  // ---------------------------------------------------------------- seed needs and pledges
  t0 = performance.now();
  const template = (await database.executeSql(`select id, org_id, currency from needs where state = 'published' order by created_at limit 1`)).rows[0] as { id: string; org_id: string; currency: string };
  if (!template) throw new Error("no published demo need to clone");
  const orgId = template.org_id;
  const currency = template.currency;
  await database.executeSql(
    `insert into needs select (jsonb_populate_record(null::needs, to_jsonb(n) || jsonb_build_object(
        'id', gen_random_uuid(), 'public_id', 'bn' || lpad(g::text, 10, '0'),
        'target_minor', 1000000000000, 'reserved_minor', 0, 'paid_minor', 0, 'donor_count', 0, 'state', 'published'))).*
     from needs n, generate_series(1, $1::int) g where n.id = $2`,
    [NEEDS, template.id],
  );
  const needIds = ((await database.executeSql(`select id from needs where public_id like 'bn%' order by public_id`)).rows as { id: string }[]).map((r) => r.id);
  const [account] = await db.insert(moneyAccounts).values({ orgId, kind: "bank", name: `Bench bank ${randomBytes(3).toString("hex")}`, currency }).returning();

  type P = { id: string; reference: string; amountMinor: number; email: string; created: string; unique: boolean; needId: string };
  const plan: P[] = [];
  const references = new Set<string>();
  const start = "2026-01-05";
  let uniqueSeq = 0;
  for (let i = 0; i < PLEDGES; ) {
    const group = rand() < 0.25 ? int(2, 3) : 1;
    const email = `donor${i}@bench.reconcile.test`;
    const created = addDays(start, int(0, 90));
    for (let k = 0; k < group && i < PLEDGES; k += 1, i += 1) {
      let reference = newReference();
      while (references.has(reference)) reference = newReference();
      references.add(reference);
      const unique = rand() < 0.3;
      // Round amounts are shared by many pledges (multiples of 5.00); unique ones end in 3.
      const amountMinor = unique ? 100_003 + 10 * uniqueSeq++ : 500 * int(2, 200);
      plan.push({ id: crypto.randomUUID(), reference, amountMinor, email, created, unique, needId: needIds[i % needIds.length] });
    }
  }
  for (let i = 0; i < plan.length; i += 2_000) {
    await db.insert(pledges).values(
      plan.slice(i, i + 2_000).map((p) => ({
        id: p.id,
        reference: p.reference,
        needId: p.needId,
        orgId,
        email: p.email,
        displayName: "Bench donor",
        amountMinor: p.amountMinor,
        currency,
        method: "bank_transfer" as const,
        status: "pending" as const,
        idempotencyKey: `bench:${p.id}`,
        expiresAt: new Date(Date.parse(`${addDays(p.created, 14)}T12:00:00Z`)),
        createdAt: new Date(Date.parse(`${p.created}T10:00:00Z`)),
      })),
    );
  }
  await database.executeSql(`update needs n set reserved_minor = s.r from (select need_id, sum(amount_minor) r from pledges where status = 'pending' group by need_id) s where s.need_id = n.id`);
  console.log(`seed: ${needIds.length.toLocaleString()} published needs, ${plan.length.toLocaleString()} pledges in ${secs(t0)} s`);

  // ---------------------------------------------------------------- statement with ground truth
  t0 = performance.now();
  const lines: GenLine[] = [];
  const byDonor = new Map<string, P[]>();
  for (const p of plan) byDonor.set(p.email, [...(byDonor.get(p.email) ?? []), p]);
  const used = new Set<string>();
  const pay = (ps: P[], amountMinor: number, kind: string, text: { description: string; reference: string }, date?: string) => {
    for (const p of ps) used.add(p.id);
    lines.push({ date: date ?? addDays(ps[0].created, int(0, 10)), amountMinor, description: text.description, reference: text.reference, truth: { pays: ps.map((p) => p.id), kind } });
  };
  const counts: Record<string, number> = {};
  const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  for (const [, ps] of byDonor) {
    if (lines.length >= LINES * 0.93) break;
    const r = rand();
    if (ps.length >= 2 && r < 0.4) {
      // Combined: one transfer for two or three pledges, all references in the text.
      const total = ps.reduce((t, p) => t + p.amountMinor, 0);
      pay(ps, total, "combined", { description: ps.map((p) => mangle(p.reference, int(0, 5)).description).join(" + "), reference: "" });
      bump("combined");
      continue;
    }
    for (const p of ps) {
      const r2 = rand();
      if (p.unique && r2 < 0.35) {
        pay([p], p.amountMinor, "no_reference", { description: pick(["CASH DEPOSIT", "TRANSFER", "ايداع نقدي", "ONLINE TRANSFER FROM CUSTOMER"]), reference: "" });
        bump("no_reference");
      } else if ((r2 * 100) % 1 < 0.08) {
        const fee = Math.max(1, Math.min(int(100, 500), Math.floor(p.amountMinor * 0.02)));
        pay([p], p.amountMinor - fee, "fee_short", mangle(p.reference, int(0, 6)));
        bump("fee_short");
      } else if ((r2 * 100) % 1 < 0.13 && p.amountMinor >= 2_000) {
        const first = Math.floor(p.amountMinor / 2);
        const d = addDays(p.created, int(0, 4));
        pay([p], first, "split", mangle(p.reference, int(0, 6)), d);
        pay([p], p.amountMinor - first, "split", mangle(p.reference, int(0, 6)), addDays(d, int(1, 5)));
        bump("split");
      } else if ((r2 * 100) % 1 < 0.18) {
        // Pledged and never paid: a distractor.
      } else {
        const variant = int(0, 7);
        pay([p], p.amountMinor, variant === 7 ? "partial_reference" : "reference", mangle(p.reference, variant));
        bump(variant === 7 ? "partial_reference" : "reference");
      }
    }
  }
  while (lines.length < LINES) {
    const r = rand();
    const date = addDays(start, int(0, 100));
    if (r < 0.35) lines.push({ date, amountMinor: -int(1, 50) * 100, description: pick(["BANK CHARGES", "عمولة تحويل", "SMS FEES", "ACCOUNT MAINTENANCE"]), reference: "", truth: { pays: null, kind: "bank_charge" } });
    else if (r < 0.45) lines.push({ date, amountMinor: int(1, 999) * 10 + 1, description: "CREDIT INTEREST", reference: "", truth: { pays: null, kind: "interest" } });
    else lines.push({ date, amountMinor: int(100, 99_999) * 10 + 1, description: pick(["TRANSFER", "POS REFUND", "CHEQUE DEPOSIT 004512", "تحويل داخلي"]), reference: "", truth: { pays: null, kind: "noise" } });
  }
  lines.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const csv = ["Date,Description,Reference,Amount", ...lines.map((l) => `${l.date.split("-").reverse().join("/")},"${l.description.replace(/"/g, '""')}","${l.reference}",${(l.amountMinor / 100).toFixed(2)}`)].join("\n");
  console.log(`statement: ${lines.length.toLocaleString()} lines (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}, ${lines.filter((l) => !l.truth.pays).length} charges/interest/noise), ${(csv.length / 1e6).toFixed(1)} MB, made in ${secs(t0)} s`);

  // ---------------------------------------------------------------- import
  const tImport = performance.now();
  const mapping: StatementMapping = { date: 0, description: 1, reference: 2, amount: 3, dateOrder: "dmy", decimalMark: ".", delimiter: ",", skipRows: 0, hasHeader: true, encoding: "utf-8" };
  let parsed: { lineNo: number; valueDate: string; amountMinor: number; description: string; reference: string | null; fingerprint: string }[];
  let parser = "statement-parse.ts (helper B)";
  try {
    const mod = await import("~/modules/reconciliation/statement-parse");
    parsed = mod.parseRows(csv, mapping, { currency }).lines;
    if (parsed.length !== lines.length) throw new Error(`parsed ${parsed.length} of ${lines.length}`);
  } catch (error) {
    parser = `direct parse (statement-parse.ts unusable: ${error instanceof Error ? error.message : error})`;
    parsed = lines.map((l, i) => ({ lineNo: i + 2, valueDate: l.date, amountMinor: l.amountMinor, description: l.description, reference: l.reference || null, fingerprint: `${i}` }));
  }
  const tParse = secs(tImport);
  const [imp] = await db
    .insert(statementImports)
    .values({ orgId, moneyAccountId: account.id, fileName: "bench.csv", sha256: "bench", sizeBytes: csv.length, content: "", mapping, status: "matching", totalRows: lines.length })
    .returning();
  const lineIds: string[] = [];
  // The import's own storage (statements.server.ts storeStatementLines, as runImport calls it), a chunk at a time.
  for (let i = 0; i < parsed.length; i += IMPORT_CHUNK) {
    const chunk = parsed.slice(i, i + IMPORT_CHUNK).map((l) => ({ ...l, balanceMinor: null }));
    const stored = await storeStatementLines(db, { orgId, moneyAccountId: account.id, importId: imp.id, currency, lines: chunk });
    const byNo = new Map(stored.map((r) => [r.lineNo, r.id]));
    lineIds.push(...chunk.map((l) => byNo.get(l.lineNo) ?? ""));
  }
  const importSeconds = (performance.now() - tImport) / 1000;
  console.log(`import: ${importSeconds.toFixed(2)} s (parse ${tParse} s with ${parser}; ${lineIds.length.toLocaleString()} lines stored)`);

  // ---------------------------------------------------------------- matching
  const tMatch = performance.now();
  const candidates = await loadCandidates(db, orgId, [{ id: account.id, currency }]);
  const tLoad = secs(tMatch);
  const index = buildMatchIndex(candidates);
  const pledgeById = new Map(candidates.filter((c): c is PledgeCandidate => c.kind === "pledge").map((c) => [c.id, c]));
  let matched = 0;
  let paying = 0;
  let correct = 0;
  let wrong = 0;
  let suggested = 0;
  const missedKinds: Record<string, number> = {};
  const wrongKinds: Record<string, number> = {};
  for (let i = 0; i < lines.length; i += 1) {
    const l = lines[i];
    const d = matchLine({ id: lineIds[i] ?? String(i), orgId, moneyAccountId: account.id, currency, amountMinor: l.amountMinor, valueDate: l.date, description: l.description, reference: l.reference || null }, index);
    if (l.truth.pays) paying += 1;
    if (d.status === "suggested") suggested += 1;
    if (d.status !== "matched") {
      if (l.truth.pays) missedKinds[l.truth.kind] = (missedKinds[l.truth.kind] ?? 0) + 1;
      continue;
    }
    matched += 1;
    const got = d.allocations.map((a) => a.id).sort().join(",");
    const want = (l.truth.pays ?? []).slice().sort().join(",");
    if (got === want) correct += 1;
    else {
      wrong += 1;
      wrongKinds[l.truth.kind] = (wrongKinds[l.truth.kind] ?? 0) + 1;
    }
    for (const a of d.allocations) {
      const p = pledgeById.get(a.id);
      if (p) p.outstandingMinor -= Math.min(p.outstandingMinor, a.amountMinor + a.feeMinor);
    }
  }
  const matchSeconds = (performance.now() - tMatch) / 1000;
  console.log(`matching: ${matchSeconds.toFixed(2)} s (load ${candidates.length.toLocaleString()} candidates ${tLoad} s; index + ${lines.length.toLocaleString()} decisions)`);
  console.log(`  lines paying a pledge: ${paying.toLocaleString()}; matched correctly ${correct.toLocaleString()} = ${((100 * correct) / paying).toFixed(2)} %`);
  console.log(`  WRONG matches: ${wrong}${wrong ? ` ${JSON.stringify(wrongKinds)}` : ""}`);
  console.log(`  not matched (paying lines) by kind: ${JSON.stringify(missedKinds)}; suggested lines: ${suggested.toLocaleString()}; matched total ${matched.toLocaleString()}`);
  console.log(`import + matching: ${(importSeconds + matchSeconds).toFixed(2)} s (target < 10 s)`);

  // ---------------------------------------------------------------- booking sample
  if (BOOK > 0) {
    const sample = lineIds.slice(0, BOOK);
    const tBook = performance.now();
    const result = await autoMatchLines(db, SYSTEM_ACTOR, { orgId, lineIds: sample });
    const s = (performance.now() - tBook) / 1000;
    console.log(
      `booking (autoMatchLines → recordPayment: ledger, receipt, counters) of ${sample.length} lines: ${s.toFixed(2)} s (matched ${result.matched}, suggested ${result.suggested}, unmatched ${result.unmatched}; includes loading ${candidates.length.toLocaleString()} candidates once) ≈ ${((s / sample.length) * 1000).toFixed(1)} ms/line → ${((s / sample.length) * lines.length / 60).toFixed(1)} min for all ${lines.length.toLocaleString()}`,
    );
  }
  console.log(`total: ${secs(tAll)} s`);
  await database.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

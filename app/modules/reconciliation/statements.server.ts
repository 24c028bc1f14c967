// Bank statement import (issue 10, module B): upload → preview with a guessed or saved mapping →
// commit (queued as the `statement-import` job, or inline without a worker) → runImport stores the
// lines in chunks (an overlapping file adds no duplicate: a line's fingerprint is unique per
// account), then the matcher (module C) explains what it can, as the system.
import { createHash } from "node:crypto";
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "#db/client.server";
import { memberships, moneyAccounts, statementImports, statementLines, statementMappings } from "#db/schema";
import { isSystemActor, recordAudit, SYSTEM_ACTOR, type Actor } from "~/modules/audit/audit.server";
import {
  checkRunningBalance,
  closingBalance,
  decodeStatement,
  MAX_STATEMENT_BYTES,
  parseRows,
  sniffLayout,
  StatementError,
  type ParsedLine,
  type StatementMapping,
  type StatementProblem,
} from "./statement-parse";
import { UUID_PATTERN } from "~/utils/uuid";

export { StatementError, MAX_STATEMENT_BYTES };

const UUID = UUID_PATTERN;
const FINANCE_ROLES = ["finance", "org_admin"];
export const IMPORT_CHUNK = 5_000;
/** How many problems an import keeps (the count is always complete). */
const MAX_PROBLEMS = 2_000;

export type AutoMatch = (
  db: Db,
  actor: Actor,
  input: { orgId: string; lineIds: string[] },
) => Promise<{
  matched: number;
  suggested: number;
  unmatched: number;
  outcomes: { lineId: string; status: "matched" | "suggested" | "unmatched" | "not_donation"; references: string[] }[];
}>;

/** The matcher of module C, loaded when first needed (tests pass their own). */
const defaultAutoMatch: AutoMatch = async (db, actor, input) => {
  const { autoMatchLines } = await import("./matching.server");
  return autoMatchLines(db, actor, input);
};

// ————————————————————————————————————————— input

const column = z.coerce.number().int().min(0).max(200).nullable().optional();
export const statementMappingSchema = z.object({
  date: z.coerce.number().int().min(0).max(200),
  valueDate: column,
  amount: column,
  debit: column,
  credit: column,
  description: column,
  reference: column,
  balance: column,
  dateOrder: z.enum(["dmy", "mdy", "ymd", "auto"]),
  decimalMark: z.enum([".", ","]),
  delimiter: z.enum([",", ";", "\t", "|"]),
  skipRows: z.coerce.number().int().min(0).max(1000),
  hasHeader: z.boolean(),
  encoding: z.enum(["utf-8", "windows-1256"]),
  headers: z.array(z.string().max(200)).max(200).optional(),
});

/** A mapping from user input (form or CLI JSON), or StatementError("bad_mapping"). */
export function validMapping(input: unknown): StatementMapping {
  const parsed = statementMappingSchema.safeParse(input);
  if (!parsed.success) throw new StatementError("bad_mapping", parsed.error.issues.map((i) => i.path.join(".")).join(", "));
  const m = parsed.data;
  const hasAmount = m.amount != null;
  if (!hasAmount && m.debit == null && m.credit == null) throw new StatementError("no_amount_column");
  return m as StatementMapping;
}

/** The mapping form's fields (column selects hold "" for "not in the file") over the stored mapping. */
export function mappingFromForm(form: FormData, base: StatementMapping): StatementMapping {
  const col = (name: string) => {
    const v = form.get(name);
    if (v === null) return (base as Record<string, unknown>)[name] ?? null;
    return v === "" ? null : v;
  };
  const date = col("date");
  if (date === null) throw new StatementError("no_date_column");
  return validMapping({
    ...base,
    date,
    valueDate: col("valueDate"),
    amount: col("amount"),
    debit: col("debit"),
    credit: col("credit"),
    description: col("description"),
    reference: col("reference"),
    balance: col("balance"),
    dateOrder: form.get("dateOrder") ?? base.dateOrder,
    decimalMark: form.get("decimalMark") ?? base.decimalMark,
  });
}

// ————————————————————————————————————————— guards

export class StatementImportError extends Error {
  constructor(readonly code: "account_invalid" | "import_not_found" | "already_committed" | "not_allowed") {
    super(code);
    this.name = "StatementImportError";
  }
}

/** The org's bank account (refuses another org's account, a cash box, an agent, an unknown id). */
export async function bankAccountOf(db: DbOrTx, orgId: string, moneyAccountId: string) {
  if (!UUID.test(moneyAccountId) || !UUID.test(orgId)) throw new StatementImportError("account_invalid");
  const [account] = await db.select().from(moneyAccounts).where(and(eq(moneyAccounts.id, moneyAccountId), eq(moneyAccounts.orgId, orgId)));
  if (!account || account.kind !== "bank") throw new StatementImportError("account_invalid");
  return account;
}

/** The actor must be finance or an admin of the org (the system may act for any org). */
async function requireMember(db: DbOrTx, actor: Actor, orgId: string) {
  if (isSystemActor(actor)) return;
  if (!UUID.test(orgId)) throw new StatementImportError("not_allowed");
  const rows = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, actor.userId!)));
  if (!rows.some((r) => FINANCE_ROLES.includes(r.role))) throw new StatementImportError("not_allowed");
}

// ————————————————————————————————————————— queries

export function listBankAccounts(db: DbOrTx, orgId: string) {
  return db
    .select({ id: moneyAccounts.id, name: moneyAccounts.name, bankName: moneyAccounts.bankName, currency: moneyAccounts.currency, active: moneyAccounts.active })
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.orgId, orgId), eq(moneyAccounts.kind, "bank")))
    .orderBy(asc(moneyAccounts.name));
}

export const IMPORTS_PAGE_SIZE = 20;

export async function listImports(db: DbOrTx, orgId: string, page = 1) {
  const where = eq(statementImports.orgId, orgId);
  const [{ total }] = await db.select({ total: count() }).from(statementImports).where(where);
  const rows = await db
    .select({
      id: statementImports.id,
      fileName: statementImports.fileName,
      accountName: moneyAccounts.name,
      currency: moneyAccounts.currency,
      status: statementImports.status,
      totalRows: statementImports.totalRows,
      newLines: statementImports.newLines,
      duplicateLines: statementImports.duplicateLines,
      malformedRows: statementImports.malformedRows,
      matchedAuto: statementImports.matchedAuto,
      suggested: statementImports.suggested,
      unmatched: statementImports.unmatched,
      firstDate: statementImports.firstDate,
      lastDate: statementImports.lastDate,
      createdAt: statementImports.createdAt,
    })
    .from(statementImports)
    .innerJoin(moneyAccounts, eq(moneyAccounts.id, statementImports.moneyAccountId))
    .where(where)
    .orderBy(desc(statementImports.createdAt), desc(statementImports.id))
    .limit(IMPORTS_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * IMPORTS_PAGE_SIZE);
  return { rows, total, page: Math.max(1, page), pageSize: IMPORTS_PAGE_SIZE };
}

/** One import of the org (without its file content), with its account; null when not the org's. */
export async function getImport(db: DbOrTx, orgId: string, importId: string) {
  if (!UUID.test(importId)) return null;
  const [row] = await db
    .select({ import: statementImports, account: { id: moneyAccounts.id, name: moneyAccounts.name, currency: moneyAccounts.currency } })
    .from(statementImports)
    .innerJoin(moneyAccounts, eq(moneyAccounts.id, statementImports.moneyAccountId))
    .where(and(eq(statementImports.id, importId), eq(statementImports.orgId, orgId)));
  return row ?? null;
}

// ————————————————————————————————————————— preview

export type ImportPreview = {
  importId: string;
  mapping: StatementMapping;
  headers: string[];
  /** The raw cells are not kept: the first parsed rows. */
  sample: ParsedLine[];
  problems: StatementProblem[];
  totalRows: number;
  /** Rows the mapping cannot read (count, all problems included). */
  malformed: number;
};

/** The parsed preview of a file's text under a mapping (sample of the first rows, all problems). */
export function previewText(text: string, mapping: StatementMapping, currency: string, sampleSize = 20) {
  const { lines, problems, totalRows } = parseRows(text, mapping, { currency });
  const all = [...problems, ...checkRunningBalance(lines)].sort((a, b) => a.line - b.line);
  return { sample: lines.slice(0, sampleSize), problems: all.slice(0, MAX_PROBLEMS), totalRows, malformed: problems.length, lines: lines.length };
}

/**
 * Stores an uploaded statement (status `uploaded`) with the mapping to use: the given one, else the
 * account's saved one when the file has the same headers (or none), else the guessed one.
 * Refuses: not the org's bank account, > 20 MB, binary / not CSV, no date or amount column.
 */
export async function previewImport(
  db: Db,
  actor: Actor,
  input: { orgId: string; moneyAccountId: string; fileName: string; bytes: Uint8Array; mapping?: StatementMapping },
): Promise<ImportPreview> {
  await requireMember(db, actor, input.orgId);
  const account = await bankAccountOf(db, input.orgId, input.moneyAccountId);
  if (input.bytes.length > MAX_STATEMENT_BYTES) throw new StatementError("too_big");
  const { text, encoding } = decodeStatement(input.bytes);
  const layout = sniffLayout(text, encoding);
  let mapping = input.mapping ? validMapping({ ...input.mapping, encoding }) : null;
  if (!mapping) {
    const [saved] = await db.select().from(statementMappings).where(eq(statementMappings.moneyAccountId, account.id));
    const sameHeaders = saved && JSON.stringify(saved.mapping.headers ?? []) === JSON.stringify(layout.headerRow >= 0 ? layout.headers : []);
    mapping = sameHeaders ? { ...saved.mapping, encoding, delimiter: layout.delimiter } : layout.guess;
  }
  const preview = previewText(text, mapping, account.currency);
  if (preview.lines === 0 && preview.totalRows === 0) throw new StatementError("no_lines");
  const fileName = input.fileName.replace(/[\\/]/g, "_").slice(0, 200) || "statement.csv";
  const importId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(statementImports)
      .values({
        orgId: input.orgId,
        moneyAccountId: account.id,
        fileName,
        sha256: createHash("sha256").update(input.bytes).digest("hex"),
        sizeBytes: input.bytes.length,
        content: text,
        mapping,
        totalRows: preview.totalRows,
        malformedRows: preview.malformed,
        problems: preview.problems,
        createdBy: actor.userId,
      })
      .returning({ id: statementImports.id });
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "statement.uploaded",
      entityType: "statement_import",
      entityId: row.id,
      change: { moneyAccountId: account.id, fileName, sizeBytes: input.bytes.length, encoding, rows: preview.totalRows },
    });
    return row.id;
  });
  return { importId, mapping, headers: layout.headers, sample: preview.sample, problems: preview.problems, totalRows: preview.totalRows, malformed: preview.malformed };
}

/** The preview of a stored (uploaded) import under another mapping; nothing is written. */
export async function previewStoredImport(db: DbOrTx, orgId: string, importId: string, mapping?: StatementMapping) {
  const found = await getImport(db, orgId, importId);
  if (!found) throw new StatementImportError("import_not_found");
  const [{ content }] = await db.select({ content: statementImports.content }).from(statementImports).where(eq(statementImports.id, importId));
  const used = mapping ?? found.import.mapping;
  const layout = sniffLayout(content, found.import.mapping.encoding);
  return { ...previewText(content, used, found.account.currency), mapping: used, headers: layout.headers, columns: layout.width };
}

// ————————————————————————————————————————— commit + run

/**
 * Fixes the mapping of an uploaded import, saves it as the account's mapping and starts the
 * import: a `statement-import` job, or inline (awaited) when no worker runs (JOBS=off, tests, CLI).
 */
export async function commitImport(
  db: Db,
  actor: Actor,
  importId: string,
  mapping: StatementMapping,
  options: { orgId: string; inline?: boolean; autoMatch?: AutoMatch },
): Promise<{ queued: boolean }> {
  await requireMember(db, actor, options.orgId);
  const found = await getImport(db, options.orgId, importId);
  if (!found) throw new StatementImportError("import_not_found");
  const [{ content }] = await db.select({ content: statementImports.content }).from(statementImports).where(eq(statementImports.id, importId));
  const valid = validMapping({ ...mapping, encoding: found.import.mapping.encoding });
  const layout = sniffLayout(content, valid.encoding);
  const toSave: StatementMapping = { ...valid, headers: valid.hasHeader ? layout.headers : [] };
  const preview = previewText(content, toSave, found.account.currency, 0);
  if (preview.lines === 0) throw new StatementError("no_lines");
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(statementImports)
      .set({ mapping: toSave, status: "importing", totalRows: preview.totalRows, processedRows: 0, malformedRows: preview.malformed, problems: preview.problems })
      .where(and(eq(statementImports.id, importId), eq(statementImports.status, "uploaded")))
      .returning({ id: statementImports.id });
    if (updated.length === 0) throw new StatementImportError("already_committed");
    await tx
      .insert(statementMappings)
      .values({ moneyAccountId: found.account.id, orgId: options.orgId, mapping: toSave, updatedBy: actor.userId })
      .onConflictDoUpdate({ target: statementMappings.moneyAccountId, set: { mapping: toSave, updatedBy: actor.userId, updatedAt: new Date() } });
    await recordAudit(tx, actor, { orgId: options.orgId, action: "statement.import_started", entityType: "statement_import", entityId: importId, change: { mapping: toSave } });
  });
  if (!options.inline) {
    const { queueStatementImport } = await import("~/utils/jobs.server");
    if (queueStatementImport(importId)) return { queued: true };
  }
  await runImport(db, importId, { autoMatch: options.autoMatch });
  return { queued: false };
}

/**
 * Stores parsed lines in one set-based statement (the rows travel as one JSON parameter, whatever
 * their number); a line whose fingerprint the account already has is skipped. Returns the new ids.
 */
export async function storeStatementLines(
  db: DbOrTx,
  input: { orgId: string; moneyAccountId: string; importId: string; currency: string; lines: Pick<ParsedLine, "lineNo" | "fingerprint" | "valueDate" | "amountMinor" | "description" | "reference" | "balanceMinor">[] },
): Promise<{ id: string; lineNo: number }[]> {
  if (input.lines.length === 0) return [];
  const rows = input.lines.map((l) => ({
    line_no: l.lineNo,
    fingerprint: l.fingerprint,
    value_date: l.valueDate,
    amount_minor: l.amountMinor,
    description: l.description,
    reference: l.reference,
    balance_minor: l.balanceMinor,
  }));
  const result = await db.execute(sql`
    insert into statement_lines (org_id, money_account_id, import_id, line_no, fingerprint, value_date, amount_minor, currency, description, reference, balance_minor)
    select ${input.orgId}::uuid, ${input.moneyAccountId}::uuid, ${input.importId}::uuid, u.line_no, u.fingerprint, u.value_date, u.amount_minor, ${input.currency}, coalesce(u.description, ''), u.reference, u.balance_minor
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as u(line_no int, fingerprint text, value_date date, amount_minor bigint, description text, reference text, balance_minor bigint)
    on conflict (money_account_id, fingerprint) do nothing
    returning id, line_no`);
  return ((result as unknown as { rows: { id: string; line_no: number }[] }).rows ?? []).map((r) => ({ id: r.id, lineNo: Number(r.line_no) }));
}

export type ImportResult = {
  status: "done" | "failed";
  totalRows: number;
  newLines: number;
  duplicateLines: number;
  malformedRows: number;
  matched: number;
  suggested: number;
  unmatched: number;
  problems: StatementProblem[];
  outcomes: { lineId: string; lineNo: number; status: string; references: string[] }[];
};

/**
 * The import job: stores the lines in chunks of 1,000 (`on conflict (money_account_id,
 * fingerprint) do nothing` — lines already known are duplicates), moving `processedRows` after
 * each chunk, then runs the matcher on the new lines as the system and stores the counts.
 * Safe to run again (a retried job): lines it already stored count as its own, not duplicates.
 */
export async function runImport(
  db: Db,
  importId: string,
  options: { onProgress?: (processed: number, total: number) => void; autoMatch?: AutoMatch; chunkSize?: number } = {},
): Promise<ImportResult> {
  const chunkSize = options.chunkSize ?? IMPORT_CHUNK;
  const [imp] = await db.select().from(statementImports).where(eq(statementImports.id, importId));
  if (!imp) throw new StatementImportError("import_not_found");
  const [account] = await db.select().from(moneyAccounts).where(eq(moneyAccounts.id, imp.moneyAccountId));
  const empty = { outcomes: [] as ImportResult["outcomes"] };
  if (imp.status === "done" || imp.status === "failed") return { ...summary(imp), ...empty };
  try {
    const { lines, problems, totalRows } = parseRows(imp.content, imp.mapping, { currency: account.currency });
    const allProblems = [...problems, ...checkRunningBalance(lines)].sort((a, b) => a.line - b.line);
    let processed = problems.length;
    let inserted = 0;
    for (let i = 0; i < lines.length; i += chunkSize) {
      const chunk = lines.slice(i, i + chunkSize);
      processed += chunk.length;
      await db.transaction(async (tx) => {
        const fresh = await storeStatementLines(tx, { orgId: imp.orgId, moneyAccountId: imp.moneyAccountId, importId, currency: account.currency, lines: chunk });
        inserted += fresh.length;
        await tx
          .update(statementImports)
          .set({ processedRows: Math.min(processed, totalRows), newLines: inserted, duplicateLines: i + chunk.length - inserted })
          .where(eq(statementImports.id, importId));
      });
      options.onProgress?.(Math.min(processed, totalRows), totalRows);
    }
    const stored = await db
      .select({ id: statementLines.id, lineNo: statementLines.lineNo, status: statementLines.status })
      .from(statementLines)
      .where(eq(statementLines.importId, importId))
      .orderBy(asc(statementLines.lineNo));
    const dates = lines.map((l) => l.valueDate).sort();
    await db
      .update(statementImports)
      .set({
        status: "matching",
        processedRows: totalRows,
        totalRows,
        newLines: stored.length,
        duplicateLines: lines.length - stored.length,
        malformedRows: problems.length,
        problems: allProblems.slice(0, MAX_PROBLEMS),
        firstDate: dates[0] ?? null,
        lastDate: dates[dates.length - 1] ?? null,
        closingBalanceMinor: closingBalance(lines),
      })
      .where(eq(statementImports.id, importId));
    options.onProgress?.(totalRows, totalRows);
    const toMatch = stored.filter((l) => l.status === "unmatched").map((l) => l.id);
    const match = toMatch.length > 0 ? await (options.autoMatch ?? defaultAutoMatch)(db, SYSTEM_ACTOR, { orgId: imp.orgId, lineIds: toMatch }) : { matched: 0, suggested: 0, unmatched: 0, outcomes: [] };
    const [done] = await db
      .update(statementImports)
      .set({ status: "done", matchedAuto: match.matched, suggested: match.suggested, unmatched: match.unmatched, finishedAt: new Date(), error: null })
      .where(eq(statementImports.id, importId))
      .returning();
    await recordAudit(db, SYSTEM_ACTOR, {
      orgId: imp.orgId,
      action: "statement.imported",
      entityType: "statement_import",
      entityId: importId,
      change: { newLines: done.newLines, duplicateLines: done.duplicateLines, malformedRows: done.malformedRows, matched: match.matched, suggested: match.suggested },
    });
    const lineNoOf = new Map(stored.map((l) => [l.id, l.lineNo]));
    const outcomes = match.outcomes.map((o) => ({ lineId: o.lineId, lineNo: lineNoOf.get(o.lineId) ?? 0, status: o.status, references: o.references }));
    return { ...summary(done), outcomes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.update(statementImports).set({ status: "failed", error: message.slice(0, 1000), finishedAt: new Date() }).where(eq(statementImports.id, importId));
    throw error;
  }
}

function summary(imp: typeof statementImports.$inferSelect): Omit<ImportResult, "outcomes"> {
  return {
    status: imp.status === "failed" ? "failed" : "done",
    totalRows: imp.totalRows,
    newLines: imp.newLines,
    duplicateLines: imp.duplicateLines,
    malformedRows: imp.malformedRows,
    matched: imp.matchedAuto,
    suggested: imp.suggested,
    unmatched: imp.unmatched,
    problems: imp.problems,
  };
}

/** Lines of an import by id (for the CLI's --json outcome of lines already known). */
export function importLines(db: DbOrTx, importId: string, ids?: string[]) {
  const where = ids ? and(eq(statementLines.importId, importId), inArray(statementLines.id, ids)) : eq(statementLines.importId, importId);
  return db.select({ id: statementLines.id, lineNo: statementLines.lineNo, status: statementLines.status }).from(statementLines).where(where).orderBy(asc(statementLines.lineNo));
}

/** Changes the mapping of an import still waiting for it (the mapping form's "update the preview"). */
export async function updateImportMapping(db: Db, actor: Actor, orgId: string, importId: string, mapping: StatementMapping): Promise<void> {
  await requireMember(db, actor, orgId);
  const found = await getImport(db, orgId, importId);
  if (!found) throw new StatementImportError("import_not_found");
  const valid = validMapping({ ...mapping, encoding: found.import.mapping.encoding });
  const updated = await db
    .update(statementImports)
    .set({ mapping: valid })
    .where(and(eq(statementImports.id, importId), eq(statementImports.status, "uploaded")))
    .returning({ id: statementImports.id });
  if (updated.length === 0) throw new StatementImportError("already_committed");
}

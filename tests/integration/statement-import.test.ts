// Bank statement import (issue 10, module B): an overlapping file adds no duplicate line; another
// organisation's account (or a cash box) is refused with nothing stored; progress reaches the total;
// the saved mapping is reused; a pledge reference in a line is matched by the real matcher.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { moneyAccounts, statementImports, statementLines, statementMappings } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { commitImport, previewImport, runImport, StatementImportError, type AutoMatch } from "~/modules/reconciliation/statements.server";
import { StatementError } from "~/modules/reconciliation/statement-parse";
import { actorFor } from "../fixtures/needs";
import { pledgeInput, pledgeWorld } from "../fixtures/pledging";

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, "../fixtures/statements", name)));
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A stand-in matcher: everything unmatched (module C is tested on its own). */
const noMatch: AutoMatch = async (_db, _actor, input) => ({
  matched: 0,
  suggested: 0,
  unmatched: input.lineIds.length,
  outcomes: input.lineIds.map((lineId) => ({ lineId, status: "unmatched" as const, references: [] })),
});

async function world(currency = "USD") {
  const w = await pledgeWorld({ targetMinor: 100_000, currency });
  const db = await getDb();
  const [account] = await db.insert(moneyAccounts).values({ orgId: w.org.id, kind: "bank", name: `Bank ${randomBytes(3).toString("hex")}`, currency }).returning();
  return { ...w, account, actor: actorFor(w.finance.id) };
}

async function importFile(w: Awaited<ReturnType<typeof world>>, bytes: Uint8Array, autoMatch: AutoMatch = noMatch) {
  const db = await getDb();
  const preview = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "s.csv", bytes });
  await commitImport(db, w.actor, preview.importId, preview.mapping, { orgId: w.org.id, inline: true, autoMatch });
  const [row] = await db.select().from(statementImports).where(eq(statementImports.id, preview.importId));
  return { preview, row };
}

async function linesOf(accountId: string) {
  const db = await getDb();
  return db.select().from(statementLines).where(eq(statementLines.moneyAccountId, accountId));
}

describe("statement import", { timeout: 120_000 }, () => {
  it("re-importing an overlapping file adds no duplicate line and counts the duplicates", async () => {
    const w = await world();
    const first = await importFile(w, fixture("overlap-a.csv"));
    expect(first.row).toMatchObject({ status: "done", totalRows: 4, newLines: 4, duplicateLines: 0, malformedRows: 0, processedRows: 4, unmatched: 4 });
    const second = await importFile(w, fixture("overlap-b.csv"));
    expect(second.row).toMatchObject({ status: "done", totalRows: 4, newLines: 1, duplicateLines: 3, processedRows: 4 });
    const again = await importFile(w, fixture("overlap-b.csv"));
    expect(again.row).toMatchObject({ newLines: 0, duplicateLines: 4 });
    const lines = await linesOf(w.account.id);
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.amountMinor).sort((a, b) => a - b)).toEqual([-250, 3000, 5000, 5000, 10000]);
    expect(second.row.firstDate).toBe("2026-01-11");
    expect(second.row.closingBalanceMinor).toBe(22_750);
  });

  it("two identical transfers on one day are two lines", async () => {
    const w = await world();
    const { row } = await importFile(w, utf8("Date,Description,Amount\n2026-02-01,Transfer,10.00\n2026-02-01,Transfer,10.00\n"));
    expect(row).toMatchObject({ newLines: 2, duplicateLines: 0 });
  });

  it("refuses another organisation's account and a cash box; nothing stored", async () => {
    const w = await world();
    const other = await world();
    const db = await getDb();
    const [cash] = await db.insert(moneyAccounts).values({ orgId: w.org.id, kind: "cash", name: `Cash ${randomBytes(3).toString("hex")}`, currency: "USD" }).returning();
    for (const moneyAccountId of [other.account.id, cash.id, "not-a-uuid"]) {
      const error = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId, fileName: "s.csv", bytes: fixture("overlap-a.csv") }).catch((e) => e);
      expect(error).toBeInstanceOf(StatementImportError);
      expect(error.code).toBe("account_invalid");
    }
    // Someone of another org (finance there) cannot import into this org's account.
    const error = await previewImport(db, other.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "s.csv", bytes: fixture("overlap-a.csv") }).catch((e) => e);
    expect(error.code).toBe("not_allowed");
    const [{ n }] = await db.select({ n: count() }).from(statementImports).where(eq(statementImports.orgId, w.org.id));
    expect(n).toBe(0);
  });

  it("refuses binary files, non-CSV text and a file without date or amount columns; nothing stored", async () => {
    const w = await world();
    const db = await getDb();
    const tries: [Uint8Array, string][] = [
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]), "binary_file"],
      [utf8("hello world\nthis is prose\n"), "not_csv"],
      [utf8("Name,Town\nSara,Beirut\nAli,Tyre\n"), "no_date_column"],
    ];
    for (const [bytes, code] of tries) {
      const error = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "x.csv", bytes }).catch((e) => e);
      expect(error).toBeInstanceOf(StatementError);
      expect(error.code).toBe(code);
    }
    const big = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "x.csv", bytes: new Uint8Array(20 * 1024 * 1024 + 1) }).catch((e) => e);
    expect(big.code).toBe("too_big");
    const [{ n }] = await db.select({ n: count() }).from(statementImports).where(eq(statementImports.orgId, w.org.id));
    expect(n).toBe(0);
  });

  it("Windows-1256 Arabic file: malformed rows by line number, the rest imported; the mapping is saved for the account and reused", async () => {
    const w = await world("JOD");
    const db = await getDb();
    const bytes = fixture("arab-bank-1256.csv");
    const withBad = new Uint8Array([...bytes, ...utf8("21/01/2026,x,,abc,,240.00\n")]);
    const { preview, row } = await importFile(w, withBad);
    expect(preview.mapping).toMatchObject({ encoding: "windows-1256", skipRows: 4, debit: 3, credit: 4 });
    expect(preview.sample[1].description).toContain("حوالة واردة");
    expect(row).toMatchObject({ newLines: 5, malformedRows: 1, totalRows: 6, processedRows: 6 });
    expect(row.problems).toEqual([{ line: 10, code: "bad_amount", detail: "abc" }]);
    const [saved] = await db.select().from(statementMappings).where(eq(statementMappings.moneyAccountId, w.account.id));
    expect(saved.mapping).toMatchObject({ debit: 3, credit: 4, headers: ["التاريخ", "البيان", "المرجع", "مدين", "دائن", "الرصيد"] });
    // A saved mapping changed by hand (date order) is used for the next file with the same headers.
    await db.update(statementMappings).set({ mapping: { ...saved.mapping, dateOrder: "mdy" } }).where(eq(statementMappings.moneyAccountId, w.account.id));
    const next = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "s.csv", bytes });
    expect(next.mapping.dateOrder).toBe("mdy");
  });

  it("progress: processedRows moves per chunk of 1,000 and reaches the total; a second run changes nothing", async () => {
    const w = await world();
    const db = await getDb();
    const rows = Array.from({ length: 2_500 }, (_, i) => `2026-03-${String((i % 28) + 1).padStart(2, "0")},Line ${i},${(i % 50) + 1}.00`);
    const bytes = utf8(`Date,Description,Amount\n${rows.join("\n")}\n`);
    const preview = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "big.csv", bytes });
    expect(preview.totalRows).toBe(2_500);
    expect(preview.sample).toHaveLength(20);
    // Commit without running (as when a worker takes it), then run with a progress callback.
    const progress: number[] = [];
    const seen: number[] = [];
    const originalRun = runImport;
    await commitImport(db, w.actor, preview.importId, preview.mapping, {
      orgId: w.org.id,
      inline: true,
      autoMatch: async (d, a, input) => {
        const [r] = await db.select().from(statementImports).where(eq(statementImports.id, preview.importId));
        seen.push(r.processedRows);
        return noMatch(d, a, input);
      },
    });
    expect(seen).toEqual([2_500]);
    const [done] = await db.select().from(statementImports).where(eq(statementImports.id, preview.importId));
    expect(done).toMatchObject({ status: "done", processedRows: 2_500, totalRows: 2_500, newLines: 2_500 });
    // runImport on a finished import is a no-op.
    const again = await originalRun(db, preview.importId, { onProgress: (p) => progress.push(p) });
    expect(again.newLines).toBe(2_500);
    expect(progress).toEqual([]);
    // A fresh import of an overlapping file reports progress per chunk.
    const p2 = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "big.csv", bytes });
    await db.update(statementImports).set({ status: "importing" }).where(eq(statementImports.id, p2.importId));
    const result = await runImport(db, p2.importId, { onProgress: (p) => progress.push(p), autoMatch: noMatch, chunkSize: 1_000 });
    expect(progress).toEqual([1_000, 2_000, 2_500, 2_500]);
    expect(result).toMatchObject({ newLines: 0, duplicateLines: 2_500 });
    const [{ n }] = await db.select({ n: count() }).from(statementLines).where(and(eq(statementLines.moneyAccountId, w.account.id)));
    expect(n).toBe(2_500);
  });

  it("a committed import cannot be committed again", async () => {
    const w = await world();
    const db = await getDb();
    const preview = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "s.csv", bytes: fixture("overlap-a.csv") });
    await commitImport(db, w.actor, preview.importId, preview.mapping, { orgId: w.org.id, inline: true, autoMatch: noMatch });
    const error = await commitImport(db, w.actor, preview.importId, preview.mapping, { orgId: w.org.id, inline: true, autoMatch: noMatch }).catch((e) => e);
    expect(error.code).toBe("already_committed");
  });

  it("the real matcher settles a pledge whose reference is in a line (as the system)", async () => {
    const w = await world();
    const db = await getDb();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_500 }));
    const today = new Date().toISOString().slice(0, 10);
    const bytes = utf8(`Date,Description,Amount\n${today},Transfer ${pledge.reference},25.00\n${today},Unknown deposit,7.00\n`);
    const preview = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "s.csv", bytes });
    await commitImport(db, w.actor, preview.importId, preview.mapping, { orgId: w.org.id, inline: true });
    const [row] = await db.select().from(statementImports).where(eq(statementImports.id, preview.importId));
    expect(row).toMatchObject({ status: "done", newLines: 2, matchedAuto: 1 });
    const lines = await linesOf(w.account.id);
    expect(lines.find((l) => l.amountMinor === 2_500)?.status).toBe("matched");
    void SYSTEM_ACTOR;
  });
});

describe.runIf(process.env.STATEMENT_BENCH)("statement import at size", () => {
  it("50,000 lines", { timeout: 600_000 }, async () => {
    const w = await world();
    const db = await getDb();
    const rows = Array.from({ length: 50_000 }, (_, i) => `${String((i % 28) + 1).padStart(2, "0")}/03/2026,Transfer ${i} from donor,"${(i % 9) + 1},${String(i % 1000).padStart(3, "0")}.00",REF${i}`);
    const bytes = utf8(`Bank preamble\nDate,Details,Amount,Reference\n${rows.join("\n")}\n`);
    const t0 = performance.now();
    const preview = await previewImport(db, w.actor, { orgId: w.org.id, moneyAccountId: w.account.id, fileName: "big.csv", bytes });
    const t1 = performance.now();
    await commitImport(db, w.actor, preview.importId, preview.mapping, { orgId: w.org.id, inline: true, autoMatch: noMatch });
    const t2 = performance.now();
    const [row] = await db.select().from(statementImports).where(eq(statementImports.id, preview.importId));
    console.log(`50k: preview ${(t1 - t0).toFixed(0)} ms, commit+insert ${(t2 - t1).toFixed(0)} ms (matcher stubbed)`);
    expect(row).toMatchObject({ newLines: 50_000, processedRows: 50_000 });
  });
});

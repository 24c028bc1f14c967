import { describe, expect, it } from "vitest";
import { and, eq, like } from "drizzle-orm";
import { getDb } from "~/utils/db.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { organizations, payments, pledges, statementImports, statementLines, statementMatches } from "./schema";
import { seedDemo } from "./seed";
import { DEMO_STATEMENT_FILE } from "./seed-statements";

describe("demo bank statement", () => {
  it("links the transfers finance recorded by hand (no payment booked twice), leaves a fee and a deposit for finance, only suggests a code missing its check; no pledge moves; a second seed adds nothing", async () => {
    const db = await getDb();
    await seedDemo(db);
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, "bayader-camps"));
    const [imp] = await db.select().from(statementImports).where(and(eq(statementImports.orgId, org.id), eq(statementImports.fileName, DEMO_STATEMENT_FILE)));
    expect(imp).toMatchObject({ status: "done" });
    const lines = await db.select().from(statementLines).where(eq(statementLines.importId, imp.id)).orderBy(statementLines.lineNo);
    const matched = lines.filter((l) => l.status === "matched");
    expect(matched.length).toBeGreaterThan(0);
    for (const line of matched) {
      const [match] = await db.select().from(statementMatches).where(eq(statementMatches.lineId, line.id));
      expect(match.paymentId).not.toBeNull();
    }
    // Linked, not booked: no payment came from the statement.
    expect(await db.select().from(payments).where(and(eq(payments.orgId, org.id), like(payments.externalId, "stmt:%")))).toEqual([]);
    expect(lines.filter((l) => l.amountMinor < 0).map((l) => l.status)).toEqual(["unmatched"]);
    expect(lines.some((l) => l.status === "suggested")).toBe(true);
    expect((await checkLedger(db, org.id)).problems).toEqual([]);

    const statuses = async () => (await db.select({ id: pledges.id, status: pledges.status, paid: pledges.paidMinor }).from(pledges).where(eq(pledges.orgId, org.id))).sort((a, b) => a.id.localeCompare(b.id));
    const before = await statuses();
    await seedDemo(db);
    expect(await db.select({ id: statementImports.id }).from(statementImports).where(eq(statementImports.fileName, DEMO_STATEMENT_FILE))).toHaveLength(1);
    expect(await statuses()).toEqual(before);
  }, 180_000);
});

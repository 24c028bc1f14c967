// Its own in-memory database: the 0010 statements that turn the needs' free-text payee into payee
// records are run again here over needs written in the old shape (payee_id null).
import "../setup/private-memory-db";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { needs, payees } from "#db/schema";
import { getDatabase, getDb } from "~/utils/db.server";
import { createNeed, newPublicId } from "~/modules/needs/needs.server";
import { actorFor, needFields, needsWorld } from "../fixtures/needs";

/** The payee statements of migration 0010, in order. */
function payeeStatements(): string[] {
  const file = path.resolve(__dirname, "../../db/migrations/0010_money_out_and_reconciliation.sql");
  return fs
    .readFileSync(file, "utf8")
    .split("--> statement-breakpoint")
    .map((s) => s.trim())
    .filter((s) => /INSERT INTO "payees"|UPDATE "needs" n SET "payee_id"/.test(s));
}

describe("migration 0010: free-text payees become payee records", () => {
  it("one payee per organisation, kind and trimmed name; a nameless household need is paid to its household; the free text is a note, never approved details", async () => {
    const statements = payeeStatements();
    expect(statements).toHaveLength(4);
    const w = await needsWorld();
    const db = await getDb();
    const base = {
      orgId: w.org.id,
      householdId: w.household.id,
      category: "school_fees" as const,
      targetMinor: 10_000,
      currency: "USD",
      deadline: "2099-01-01",
      titleAr: "أقساط",
      authorId: w.author.id,
    };
    const old = await db
      .insert(needs)
      .values([
        { ...base, publicId: newPublicId(), payeeKind: "school", payeeName: "  Al-Amal School ", payeeDetails: "IBAN LB62 0999 0000 0001 0019 0122 9114" },
        { ...base, publicId: newPublicId(), payeeKind: "school", payeeName: "Al-Amal School" },
        { ...base, publicId: newPublicId(), payeeKind: "household", payeeName: null, payeeDetails: "cash at the office" },
      ])
      .returning();
    const database = await getDatabase();
    for (const statement of statements) await database.executeSql(statement);

    const rows = await db.select().from(needs).where(inArray(needs.id, old.map((n) => n.id)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const school = byId.get(old[0].id)!.payeeId!;
    expect(school).toBeTruthy();
    expect(byId.get(old[1].id)!.payeeId).toBe(school);
    const [schoolPayee] = await db.select().from(payees).where(eq(payees.id, school));
    expect(schoolPayee).toMatchObject({ orgId: w.org.id, kind: "school", name: "Al-Amal School", householdId: null, accountNumber: null, collection: null, detailsApprovedAt: null });
    expect(schoolPayee.notes).toContain("IBAN");
    const [own] = await db.select().from(payees).where(eq(payees.id, byId.get(old[2].id)!.payeeId!));
    expect(own).toMatchObject({ kind: "household", householdId: w.household.id, name: w.household.reference, notes: "cash at the office", accountNumber: null });

    // A need written after the migration with the same name (another case) finds the migrated payee.
    const later = await createNeed(db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      authorId: w.author.id,
      householdId: w.household.id,
      fields: needFields({ payeeKind: "school", payeeName: "al-amal  SCHOOL" }),
      items: [],
    });
    expect(later.payeeId).toBe(school);
    const household = await createNeed(db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      authorId: w.author.id,
      householdId: w.household.id,
      fields: needFields({ payeeKind: "household", payeeName: null }),
      items: [],
    });
    expect(household.payeeId).toBe(own.id);
  });
});

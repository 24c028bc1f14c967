// Its own database: the demo seed creates its needs through needs.server, so each gets a payee record.
import "../tests/setup/private-memory-db";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { needs, payees } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { seedDemo } from "./seed";

describe("demo seed: payees", () => {
  it("every demo need is paid to a payee record of its organisation and kind; a name is never added twice", async () => {
    const db = await getDb();
    await seedDemo(db);
    const rows = await db
      .select({ needOrg: needs.orgId, needKind: needs.payeeKind, householdId: needs.householdId, payeeId: needs.payeeId, payeeOrg: payees.orgId, payeeKind: payees.kind, payeeHousehold: payees.householdId, name: payees.name, accountNumber: payees.accountNumber })
      .from(needs)
      .leftJoin(payees, eq(payees.id, needs.payeeId));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.payeeId).not.toBeNull();
      expect(r.payeeOrg).toBe(r.needOrg);
      expect(r.payeeKind).toBe(r.needKind);
      if (r.needKind === "household") expect(r.payeeHousehold).toBe(r.householdId);
    }
    const all = await db.select().from(payees);
    const keys = all.filter((p) => !p.householdId).map((p) => `${p.orgId}:${p.kind}:${p.name.toLowerCase()}`);
    expect(new Set(keys).size).toBe(keys.length);
  }, 120_000);
});

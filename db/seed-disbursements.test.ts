import { describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "~/utils/db.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { disbursementBatches, organizations } from "./schema";
import { seedDemo } from "./seed";

describe("demo disbursements", () => {
  it("Bayader has one paid batch (posted, ledger sound) and one waiting for the treasurer; a second seed adds none", async () => {
    const db = await getDb();
    await seedDemo(db);
    const batches = async () =>
      db
        .select({ key: disbursementBatches.idempotencyKey, status: disbursementBatches.status, entry: disbursementBatches.ledgerEntryId, orgId: disbursementBatches.orgId })
        .from(disbursementBatches)
        .where(inArray(disbursementBatches.idempotencyKey, ["tadamon-demo-disbursement:paid-school", "tadamon-demo-disbursement:waiting"]));
    const first = await batches();
    expect(first.map((b) => [b.key, b.status]).sort()).toEqual([
      ["tadamon-demo-disbursement:paid-school", "paid"],
      ["tadamon-demo-disbursement:waiting", "requested"],
    ]);
    expect(first.find((b) => b.status === "paid")!.entry).not.toBeNull();
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, "bayader-camps"));
    expect(first.every((b) => b.orgId === org.id)).toBe(true);
    expect((await checkLedger(db, org.id)).problems).toEqual([]);
    await seedDemo(db);
    expect(await batches()).toEqual(first);
  }, 180_000);
});

import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { payments } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { transitionNeed } from "~/modules/needs/needs.server";
import { todayIn } from "~/modules/needs/money";
import { createPledge } from "~/modules/pledging/pledges.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { PaymentError } from "~/modules/payments/errors";
import { reallocatePayment, recordPayment, requestRefund, type RecordPaymentInput } from "~/modules/payments/payments.server";
import { addMember, createUser } from "../fixtures/db";
import { actorFor } from "../fixtures/needs";
import { idemKey, pledgeInput, pledgeWorld, publishedNeed } from "../fixtures/pledging";

/** Real concurrency needs real PostgreSQL (PGlite runs one statement at a time). */
describe.skipIf(!process.env.DATABASE_URL)("payments on PostgreSQL, at the same time", () => {
  it("two finance officers record the same bank payment (same reference) at once → one payment, one entry", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const other = await createUser();
    await addMember(w.org.id, other.id, "finance");
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 4_000 }));
    const base = (extra: Partial<RecordPaymentInput>): RecordPaymentInput => ({
      orgId: w.org.id,
      method: "bank_transfer",
      amountMinor: 4_000,
      currency: "USD",
      valueDate: todayIn(w.org.timeZone),
      idempotencyKey: idemKey(),
      ...extra,
    });
    for (let round = 0; round < 3; round++) {
      // With a pledge (the need's lock orders them) and without one (the unique external id does).
      const withPledge = round === 0;
      const ref = `FT-${round}-${idemKey()}`;
      const results = await Promise.all([
        recordPayment(db, actorFor(w.finance.id), base({ externalId: ref, pledgeId: withPledge ? pledge.id : null, amountMinor: withPledge ? 4_000 : 500 })),
        recordPayment(db, actorFor(other.id), base({ externalId: ref, pledgeId: withPledge ? pledge.id : null, amountMinor: withPledge ? 4_000 : 500 })),
      ]);
      expect(results.map((r) => r.outcome).sort()).toEqual(["already_recorded", withPledge ? "recorded" : "suspense"].sort());
      const rows = await db.select().from(payments).where(eq(payments.externalId, ref));
      expect(rows).toHaveLength(1);
    }
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("a refund racing a reallocation of the same money → one of them, the other refused, the ledger balanced", async () => {
    for (let round = 0; round < 4; round++) {
      const w = await pledgeWorld({ targetMinor: 10_000 });
      const db = await getDb();
      const target = await publishedNeed(w, { targetMinor: 5_000 });
      const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 3_000 }));
      const paid = await recordPayment(db, actorFor(w.finance.id), {
        orgId: w.org.id,
        pledgeId: pledge.id,
        method: "bank_transfer",
        amountMinor: 3_000,
        currency: "USD",
        valueDate: todayIn(w.org.timeZone),
        idempotencyKey: idemKey(),
      });
      await transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: w.need.id, action: "cancel", reason: "Solved elsewhere" });
      const settled = await Promise.allSettled([
        requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 3_000, idempotencyKey: idemKey(), offlineReference: "returned in cash" }),
        reallocatePayment(db, actorFor(w.admin.id), { paymentId: paid.payment.id, to: { needId: target.id }, idempotencyKey: idemKey() }),
      ]);
      const won = settled.filter((s) => s.status === "fulfilled");
      const lost = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(PaymentError);
      expect(["refund_too_large", "nothing_to_move", "invalid_state"]).toContain((lost[0].reason as PaymentError).code);
      expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
    }
  });
});

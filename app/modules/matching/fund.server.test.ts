import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { todayIn } from "~/modules/needs/money";
import { createPledge } from "~/modules/pledging/pledges.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { actorFor } from "../../../tests/fixtures/needs";
import { idemKey, pledgeInput, pledgeWorld, publishedNeed } from "../../../tests/fixtures/pledging";
import { fundBalances, fundGifts, planFundRun } from "./fund.server";

describe("the solidarity fund's dry run", () => {
  it("reads each payment's money in the unrestricted fund as a gift and plans it onto the organisation's open needs, changing nothing", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const other = await publishedNeed(w, { targetMinor: 5_000 });
    // An over-payment: 2,000 to the pledge, 900 to the unrestricted fund.
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_000 }));
    const paid = await recordPayment(db, actorFor(w.finance.id), {
      orgId: w.org.id,
      pledgeId: pledge.id,
      method: "bank_transfer",
      amountMinor: 2_900,
      currency: "USD",
      valueDate: todayIn(w.org.timeZone),
      idempotencyKey: idemKey(),
    });
    expect(paid).toMatchObject({ surplusMinor: 900 });

    expect(await fundBalances(db, w.org.id)).toEqual([{ currency: "USD", fund: "unrestricted_fund", balanceMinor: 900 }]);
    const gifts = await fundGifts(db, w.org.id, "USD");
    expect(gifts).toEqual([expect.objectContaining({ id: `unrestricted_fund:${paid.payment.id}`, availableMinor: 900, restrictions: { orgIds: [w.org.id], zakat: false } })]);

    const plan = await planFundRun(db, { orgId: w.org.id, currency: "USD", capPerNeedMinor: 500 });
    expect(plan.fundMinor).toBe(900);
    // Two open needs, 500 at most each: 500 + 400.
    expect(plan.allocations.map((a) => a.amountMinor).sort()).toEqual([400, 500]);
    expect(new Set(plan.allocations.map((a) => a.needId))).toEqual(new Set([w.need.id, other.id]));
    expect(plan.ranking).toHaveLength(2);
    expect(plan.needs.get(other.id)?.publicId).toBe(other.publicId);
    // A dry run: the fund still holds the money.
    expect(await fundBalances(db, w.org.id)).toEqual([{ currency: "USD", fund: "unrestricted_fund", balanceMinor: 900 }]);
  });

  it("an organisation with nothing in its fund plans nothing", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    expect(await fundBalances(db, w.org.id)).toEqual([]);
    const plan = await planFundRun(db, { orgId: w.org.id, currency: "USD", capPerNeedMinor: 1_000 });
    expect(plan.allocations).toEqual([]);
    expect(plan.fundMinor).toBe(0);
  });
});

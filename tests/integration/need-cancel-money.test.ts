// Cancelling a need with money in its fund is allowed: the money stays in the need's fund (counter
// and ledger agree) for finance to move or refund; the rest of the pledge is released and the donor
// told what happens to what they paid; a need with money cannot be deleted.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { emailOutbox, needs, pledges } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { transitionNeed } from "~/modules/needs/needs.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { needFundBalance } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { expireNeeds } from "~/modules/needs/expiry.server";
import { actorFor } from "../fixtures/needs";
import { idemKey, needRow, pledgeInput, pledgeWorld } from "../fixtures/pledging";

async function releasedMail(to: string) {
  const db = await getDb();
  return db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.template, "pledge-released")));
}

describe("a cancelled need's money", () => {
  it("cancelling a need with money in its fund is allowed: the money stays in the fund for finance, the rest of the pledge is released, the donor told what happens to it", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 4_000, locale: "en" }));
    const paid = await recordPayment(db, actorFor(w.finance.id), {
      orgId: w.org.id,
      pledgeId: pledge.id,
      method: "bank_transfer",
      amountMinor: 1_500,
      currency: "USD",
      valueDate: todayIn(w.org.timeZone),
      idempotencyKey: idemKey(),
    });
    expect(paid.outcome).toBe("recorded");
    const before = await needRow(w.need.id);
    expect(before).toMatchObject({ paidMinor: 1_500, reservedMinor: 2_500 });

    const updated = await transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: w.need.id, action: "cancel", reason: "Surgery done elsewhere" });
    expect(updated).toMatchObject({ state: "cancelled", reservedMinor: 0, paidMinor: 1_500 });
    // The counter and the fund agree: the money waits in the need's fund for finance.
    expect(await needFundBalance(db, w.need.id)).toBe(1_500);
    const [row] = await db.select().from(pledges).where(eq(pledges.id, pledge.id));
    expect(row).toMatchObject({ status: "part_paid", paidMinor: 1_500 });

    const [mail] = await releasedMail(pledge.email);
    expect(mail.text).toContain("You had already paid US$15.00");
    expect(mail.text).toContain("will move it to another need or refund it to you");
    expect(mail.text).toContain("Nothing more is expected from you");

    // A need with money cannot be deleted (the database refuses), and it is still there.
    await expect(db.delete(needs).where(eq(needs.id, w.need.id))).rejects.toThrow();
    expect((await needRow(w.need.id)).paidMinor).toBe(1_500);
  });

  it("an expiring need keeps its money the same way, as the system", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 5_000, locale: "ar" }));
    const paid = await recordPayment(db, actorFor(w.finance.id), {
      orgId: w.org.id,
      pledgeId: pledge.id,
      method: "bank_transfer",
      amountMinor: 2_000,
      currency: "USD",
      valueDate: todayIn(w.org.timeZone),
      idempotencyKey: idemKey(),
    });
    expect(paid.outcome).toBe("recorded");
    await db.update(needs).set({ deadline: todayIn(w.org.timeZone, new Date(Date.now() - 86_400_000)) }).where(eq(needs.id, w.need.id));
    await expireNeeds(db, new Date(), { orgId: w.org.id });
    expect(await needRow(w.need.id)).toMatchObject({ state: "expired", reservedMinor: 0, paidMinor: 2_000 });
    expect(await needFundBalance(db, w.need.id)).toBe(2_000);
    const [row] = await db.select().from(pledges).where(eq(pledges.id, pledge.id));
    expect(row).toMatchObject({ status: "part_paid", paidMinor: 2_000 });
    const [mail] = await releasedMail(pledge.email);
    expect(mail.locale).toBe("ar");
    expect(mail.text).toContain("انتهت مهلة الاحتياج");
    expect(mail.text).toContain("كنت قد دفعت");
  });
});

import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { donorCredits, needs, payments } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { transitionNeed } from "~/modules/needs/needs.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { expirePledges } from "~/modules/pledging/pledge-status.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { CreditError, chooseCreditNeed, creditPath, creditWindowDays, expireCredits, offerCredits } from "~/modules/giving/credits.server";
import * as creditRoute from "~/routes/credits.$creditId";
import { emailsTo } from "../fixtures/auth";
import { actorFor } from "../fixtures/needs";
import { idemKey, needRow, pledgeInput, pledgeWorld, publishedNeed } from "../fixtures/pledging";
import { makeRequest, run, signIn } from "../fixtures/routes";

/** A paid 1,000 pledge on the world's need, then the need cancelled: its money can no longer be used there. */
async function cancelledWithMoney() {
  const w = await pledgeWorld({ targetMinor: 10_000 });
  const db = await getDb();
  const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
  const paid = await recordPayment(db, actorFor(w.finance.id), { orgId: w.org.id, pledgeId: pledge.id, method: "bank_transfer", amountMinor: 1_000, currency: "USD", valueDate: todayIn(w.org.timeZone), idempotencyKey: idemKey() });
  if (paid.outcome !== "recorded") throw new Error("not recorded");
  const roomy = await publishedNeed(w, { targetMinor: 5_000 });
  const tight = await publishedNeed(w, { targetMinor: 600 });
  await transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: w.need.id, action: "cancel", reason: "The family left the area." });
  return { w, db, pledge, payment: paid.payment, roomy, tight };
}

async function creditOf(paymentId: string) {
  const [row] = await (await getDb()).select().from(donorCredits).where(eq(donorCredits.paymentId, paymentId));
  return row!;
}

describe("donor credit", () => {
  it("money on a cancelled need is offered once to its donor, who moves it to another need in one click; a need without room is refused and nothing moves", async () => {
    const { w, db, pledge, payment, roomy, tight } = await cancelledWithMoney();
    expect(await offerCredits(db, { origin: "http://tadamon.test" })).toBeGreaterThanOrEqual(1);
    const credit = await creditOf(payment.id);
    expect(credit).toMatchObject({ status: "open", amountMinor: 1_000, fromNeedId: w.need.id, email: pledge.email });
    const [mail] = await emailsTo(pledge.email, "donor-credit");
    expect(mail).toBeTruthy();
    // Offered once: a second sweep writes nothing for it.
    await offerCredits(db, { origin: "http://tadamon.test" });
    expect(await emailsTo(pledge.email, "donor-credit")).toHaveLength(1);

    // The page: the signed link opens it, a bare id does not; only needs with room are offered.
    const bare = await run(creditRoute.loader, makeRequest(`/credits/${credit.id}`), { creditId: credit.id });
    expect(bare.status).toBe(404);
    const page = await run(creditRoute.loader, makeRequest(creditPath(credit.id)), { creditId: credit.id });
    expect(page.status).toBe(200);
    const offered = page.body.options.map((o: { id: string }) => o.id);
    expect(offered).toContain(roomy.id);
    expect(offered).not.toContain(tight.id);
    expect(offered).not.toContain(w.need.id);

    // No room for the whole credit: refused with a message, nothing changed.
    const signature = new URL(creditPath(credit.id), "http://x").searchParams.get("s")!;
    const refused = await run(creditRoute.action, makeRequest(`/credits/${credit.id}`, { form: { intent: "choose", needId: tight.id, s: signature }, lng: "en" }), { creditId: credit.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/room/);
    expect((await needRow(tight.id)).paidMinor).toBe(0);
    expect((await creditOf(payment.id)).status).toBe("open");

    const chosen = await run(creditRoute.action, makeRequest(`/credits/${credit.id}`, { form: { intent: "choose", needId: roomy.id, s: signature } }), { creditId: credit.id });
    expect(chosen.status).toBe(302);
    expect(await creditOf(payment.id)).toMatchObject({ status: "used", toNeedId: roomy.id });
    expect((await needRow(roomy.id)).paidMinor).toBe(1_000);
    expect((await needRow(w.need.id)).paidMinor).toBe(0);
    // Once only.
    await expect(chooseCreditNeed(db, { creditId: credit.id, needId: roomy.id })).rejects.toEqual(new CreditError("closed"));
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("when the window ends, the fund's allocator gives the credit to the most urgent need that fits and tells the donor", async () => {
    const { w, db, pledge, payment, roomy } = await cancelledWithMoney();
    await offerCredits(db, { origin: "http://tadamon.test" });
    const credit = await creditOf(payment.id);
    // Before the window ends nothing happens.
    await expireCredits(db, new Date(credit.expiresAt.getTime() - 60_000));
    expect((await creditOf(payment.id)).status).toBe("open");
    // The other needs of the organisation: make the roomy one the only one that fits the whole credit.
    await db.update(needs).set({ urgency: "critical" }).where(eq(needs.id, roomy.id));
    await expireCredits(db, new Date(credit.expiresAt.getTime() + 60_000));
    const after = await creditOf(payment.id);
    expect(after.status).toBe("allocated");
    expect(after.toNeedId).not.toBe(w.need.id);
    expect((await needRow(after.toNeedId!)).paidMinor).toBeGreaterThan(0);
    expect(await emailsTo(pledge.email, "payment-moved")).not.toHaveLength(0);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("a late payment for a need that other donors funded meanwhile waits in suspense, becomes the donor's credit, and moves to the need the donor chooses", async () => {
    const w = await pledgeWorld({ targetMinor: 1_000 });
    const db = await getDb();
    const { pledge: late } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
    // Its reference expires unpaid; another donor funds the need.
    await expirePledges(db, new Date(late.expiresAt!.getTime() + 1_000));
    const { pledge: other } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
    await recordPayment(db, actorFor(w.finance.id), { orgId: w.org.id, pledgeId: other.id, method: "bank_transfer", amountMinor: 1_000, currency: "USD", valueDate: todayIn(w.org.timeZone), idempotencyKey: idemKey() });
    expect((await needRow(w.need.id)).state).toBe("funded");
    // The first donor's transfer arrives after all: suspense, flagged for finance.
    const arrived = await recordPayment(db, actorFor(w.finance.id), { orgId: w.org.id, pledgeReference: late.reference, method: "bank_transfer", amountMinor: 1_000, currency: "USD", valueDate: todayIn(w.org.timeZone), idempotencyKey: idemKey() });
    expect(arrived.outcome).toBe("suspense");
    const roomy = await publishedNeed(w, { targetMinor: 5_000 });

    await offerCredits(db, { origin: "http://tadamon.test" });
    const credit = await creditOf(arrived.payment.id);
    expect(credit).toMatchObject({ status: "open", amountMinor: 1_000, fromNeedId: w.need.id, email: late.email });
    expect((await emailsTo(late.email, "donor-credit"))[0].html).toMatch(/funded it before your money arrived/);
    // Not to the full need it came for; to another with room, in one click.
    await expect(chooseCreditNeed(db, { creditId: credit.id, needId: w.need.id })).rejects.toEqual(new CreditError("other_need"));
    await chooseCreditNeed(db, { creditId: credit.id, needId: roomy.id });
    expect((await needRow(roomy.id)).paidMinor).toBe(1_000);
    expect((await creditOf(arrived.payment.id)).status).toBe("used");
    const [moved] = await db.select().from(payments).where(eq(payments.id, arrived.payment.id));
    expect(moved.allocation).toBe("need_fund");
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("the window is a platform setting: only a platform admin changes it (1–365 days)", async () => {
    const settingsPage = await import("~/routes/admin.settings");
    const { createUser } = await import("../fixtures/db");
    const admin = await createUser({ isPlatformAdmin: true });
    const someone = await createUser();
    const url = "/admin/settings";
    expect((await run(settingsPage.action, makeRequest(url, { cookie: await signIn(someone.id), form: { intent: "credit", creditWindowDays: "14" } }), {})).status).toBe(403);
    const cookie = await signIn(admin.id);
    const bad = await run(settingsPage.action, makeRequest(url, { cookie, form: { intent: "credit", creditWindowDays: "400" } }), {});
    expect(bad.status).toBe(400);
    expect(bad.body.credit.error.creditWindowDays).toEqual(["admin:settings.errors.creditRange"]);
    try {
      expect((await run(settingsPage.action, makeRequest(url, { cookie, form: { intent: "credit", creditWindowDays: "14" } }), {})).status).toBe(302);
      expect((await run(settingsPage.loader, makeRequest(url, { cookie }), {})).body.creditWindowDays).toBe(14);
      expect(await creditWindowDays(await getDb())).toBe(14);
    } finally {
      await run(settingsPage.action, makeRequest(url, { cookie, form: { intent: "credit", creditWindowDays: "30" } }), {});
    }
  });
});

import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { needs, payments, pledges, receipts } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { createFundPledge, createPledge } from "~/modules/pledging/pledges.server";
import { PledgeError } from "~/modules/pledging/errors";
import { recordPayment, reallocatePayment, requestRefund } from "~/modules/payments/payments.server";
import { PaymentError } from "~/modules/payments/errors";
import { fundBalances } from "~/modules/matching/fund.server";
import { runFund } from "~/modules/matching/fund-run.server";
import { receiptDetails, receiptLines } from "~/modules/receipts/receipts.server";
import { donorTrail } from "./donor-trail.server";
import { createOrg, createUser, unique } from "../../../tests/fixtures/db";
import { actorFor, createGovernorate } from "../../../tests/fixtures/needs";
import { idemKey, needRow, pledgeInput, pledgeWorld, publishedNeed } from "../../../tests/fixtures/pledging";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

function fundInput(w: World, overrides: Partial<Parameters<typeof createFundPledge>[1]> = {}): Parameters<typeof createFundPledge>[1] {
  return {
    orgSlug: w.org.slug,
    amountMinor: 3_000,
    currency: "USD",
    method: "bank_transfer",
    email: `${unique("giver")}@example.test`,
    displayName: "Huda",
    idempotencyKey: idemKey(),
    locale: "en",
    origin: "http://tadamon.test",
    ...overrides,
  };
}

async function pay(w: World, pledge: { id: string; amountMinor: number }, amountMinor = pledge.amountMinor) {
  return recordPayment(await getDb(), actorFor(w.finance.id), {
    orgId: w.org.id,
    pledgeId: pledge.id,
    method: "bank_transfer",
    amountMinor,
    currency: "USD",
    valueDate: todayIn(w.org.timeZone),
    idempotencyKey: idemKey(),
  });
}

/** A published need of the world's organisation, with its category, governorate and zakat set as given. */
async function need(w: World, set: Partial<typeof needs.$inferInsert>, targetMinor = 10_000) {
  const row = await publishedNeed(w, { targetMinor });
  await (await getDb()).update(needs).set(set).where(eq(needs.id, row.id));
  return needRow(row.id);
}

async function countRows(orgId: string) {
  const db = await getDb();
  return (await db.select({ id: pledges.id }).from(pledges).where(eq(pledges.orgId, orgId))).length;
}

describe("gifts to an organisation's solidarity fund", () => {
  it("a fund pledge paid by its reference puts all of the gift in the fund; the receipt names the fund and says sadaqa", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const { pledge, created } = await createFundPledge(db, fundInput(w));
    expect(created).toBe(true);
    expect(pledge).toMatchObject({ kind: "fund", needId: null, status: "pending", zakat: false });
    const before = await needRow(w.need.id);
    const paid = await recordPayment(db, actorFor(w.finance.id), {
      orgId: w.org.id,
      pledgeReference: pledge.reference,
      method: "bank_transfer",
      amountMinor: 3_500,
      currency: "USD",
      valueDate: todayIn(w.org.timeZone),
      idempotencyKey: idemKey(),
    });
    expect(paid.outcome).toBe("recorded");
    if (paid.outcome !== "recorded") return;
    expect(paid.payment).toMatchObject({ allocation: "unrestricted_fund", needId: null, flag: null });
    expect(paid.pledge).toMatchObject({ status: "paid", paidMinor: 3_500 });
    // No need moved; the fund holds all of it.
    expect((await needRow(w.need.id)).reservedMinor).toBe(before.reservedMinor);
    expect(await fundBalances(db, w.org.id)).toEqual([{ currency: "USD", fund: "unrestricted_fund", balanceMinor: 3_500 }]);
    const details = (await receiptDetails(db, paid.receiptId!))!;
    const lines = receiptLines(details, "en");
    expect(lines).toMatchObject({ destination: "fund", givenAs: "sadaqa" });
    expect(lines.needTitle).toContain("solidarity fund");
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("a double submit answers the first fund pledge and writes nothing more", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const input = fundInput(w);
    const first = await createFundPledge(db, input);
    const second = await createFundPledge(db, input);
    expect(second).toMatchObject({ created: false });
    expect(second.pledge.id).toBe(first.pledge.id);
  });

  it("refuses bad input with a clear code and writes nothing", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const otherOrg = await createOrg({ defaultCurrency: "USD" });
    const foreignRegion = await createGovernorate(otherOrg.id);
    const before = await countRows(w.org.id);
    const cases: [Partial<Parameters<typeof createFundPledge>[1]>, PledgeError["code"]][] = [
      [{ amountMinor: 99 }, "below_minimum"],
      [{ amountMinor: -5 }, "below_minimum"],
      [{ currency: "EUR" }, "currency_mismatch"],
      [{ orgSlug: "no-such-org-anywhere" }, "org_not_found"],
      [{ regionId: foreignRegion.id }, "region_invalid"],
      [{ regionId: "not-a-uuid" }, "region_invalid"],
      [{ categories: ["school_fees", "yachts"] }, "category_invalid"],
      [{ method: "delivery" }, "method_not_offered"],
    ];
    for (const [overrides, code] of cases) {
      await expect(createFundPledge(db, fundInput(w, overrides))).rejects.toMatchObject({ code });
    }
    expect(await countRows(w.org.id)).toBe(before);
  });

  it("the allocator keeps each gift's restrictions: a category and governorate, and zakat only to zakat-eligible needs", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    // The world's own need is school fees; make it ineligible for everything below.
    await db.update(needs).set({ category: "rent", publicRegionId: null, zakatCategory: null }).where(eq(needs.id, w.need.id));
    const medical = await need(w, { category: "medical_treatment", publicRegionId: w.governorate.id, zakatCategory: null });
    const zakatNeed = await need(w, { category: "food", publicRegionId: null, zakatCategory: "fuqara" });
    const restricted = await createFundPledge(db, fundInput(w, { amountMinor: 4_000, categories: ["medical_treatment"], regionId: w.governorate.id }));
    const zakat = await createFundPledge(db, fundInput(w, { amountMinor: 2_000, zakat: true }));
    expect(zakat.pledge.zakat).toBe(true);
    await pay(w, restricted.pledge);
    const zakatPaid = await pay(w, zakat.pledge);
    expect(zakatPaid.outcome === "recorded" && zakatPaid.payment.allocation).toBe("zakat_fund");
    expect(await fundBalances(db, w.org.id)).toEqual([
      { currency: "USD", fund: "unrestricted_fund", balanceMinor: 4_000 },
      { currency: "USD", fund: "zakat_fund", balanceMinor: 2_000 },
    ]);

    const { allocations } = await runFund(db, actorFor(w.finance.id), { orgId: w.org.id, currency: "USD", capPerNeedMinor: 10_000, idempotencyKey: `run-${idemKey()}` });
    const byNeed = new Map(allocations.map((a) => [a.needId, a.amountMinor]));
    expect(byNeed.get(medical.id)).toBe(4_000);
    expect(byNeed.get(zakatNeed.id)).toBe(2_000);
    expect(byNeed.has(w.need.id)).toBe(false);
    expect(await fundBalances(db, w.org.id)).toEqual([]);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);

    // The donor sees where it went and why (the need's public title, the score's parts).
    const donor = await createUser({ displayName: "Giver" });
    await db.update(pledges).set({ donorUserId: donor.id }).where(eq(pledges.id, restricted.pledge.id));
    const [row] = await donorTrail(db, donor.id);
    expect(row!.need).toBeNull();
    expect(row!.fund).toMatchObject({ zakat: false });
    expect(row!.money.moves).toHaveLength(1);
    expect(row!.money.moves[0]!.allocation).toMatchObject({ publicId: medical.publicId, titleEn: medical.titleEn });
    expect(row!.money.moves[0]!.allocation!.score).toBeGreaterThan(0);
  });

  it("zakat stays zakat: a zakat pledge only to an eligible need, its surplus to the zakat fund, never moved to an ineligible need", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    await expect(createPledge(db, pledgeInput(w.need, { zakat: true }))).rejects.toEqual(new PledgeError("zakat_ineligible"));
    const eligible = await need(w, { zakatCategory: "masakin" });
    const { pledge } = await createPledge(db, pledgeInput(eligible, { amountMinor: 1_000, zakat: true }));
    const paid = await pay(w, pledge, 1_600);
    expect(paid.outcome).toBe("recorded");
    if (paid.outcome !== "recorded") return;
    expect(await fundBalances(db, w.org.id)).toEqual([{ currency: "USD", fund: "zakat_fund", balanceMinor: 600 }]);
    const [receipt] = await db.select().from(receipts).where(eq(receipts.paymentId, paid.payment.id));
    expect(receiptLines((await receiptDetails(db, receipt!.id))!, "en").givenAs).toBe("zakat");
    // Finance cannot move zakat to a need that is not zakat-eligible; nothing moves.
    const before = await needRow(w.need.id);
    await expect(reallocatePayment(db, actorFor(w.finance.id), { paymentId: paid.payment.id, to: { needId: w.need.id }, idempotencyKey: idemKey() })).rejects.toEqual(new PaymentError("zakat_ineligible"));
    expect((await needRow(w.need.id)).paidMinor).toBe(before.paidMinor);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("a refund of a fund gift comes back out of the fund and the pledge is refunded", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const { pledge } = await createFundPledge(db, fundInput(w, { amountMinor: 2_500 }));
    const paid = await pay(w, pledge);
    if (paid.outcome !== "recorded") throw new Error("not recorded");
    await requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 2_500, idempotencyKey: idemKey(), offlineReference: "returned in cash" });
    const [after] = await db.select().from(pledges).where(eq(pledges.id, pledge.id));
    expect(after).toMatchObject({ status: "refunded", paidMinor: 0 });
    expect(await fundBalances(db, w.org.id)).toEqual([]);
    const [payment] = await db.select().from(payments).where(eq(payments.id, paid.payment.id));
    expect(payment!.refundedMinor).toBe(2_500);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });
});

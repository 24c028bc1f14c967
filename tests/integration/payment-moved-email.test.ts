// Finance moves paid money off a cancelled need (to another need of the organisation or to its
// general fund), or matches suspense money to a pledge: the donor is told where it went (template
// payment-moved, in the pledge's language, through the outbox in the same transaction), once.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { emailOutbox, needs } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { transitionNeed } from "~/modules/needs/needs.server";
import { todayIn } from "~/modules/needs/money";
import { createPledge } from "~/modules/pledging/pledges.server";
import { attachPayment, reallocatePayment, recordPayment, type RecordPaymentInput } from "~/modules/payments/payments.server";
import { actorFor } from "../fixtures/needs";
import { idemKey, pledgeInput, pledgeWorld, publishedNeed } from "../fixtures/pledging";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

// Private: the household (head and member), the payee and its account, the staff's reason.
const SECRETS = ["فاطمة أحمد الحسن", "Yousef", "Al-Amal Private School", "IBAN LB00", "Tripoli"];

function payment(w: World, overrides: Partial<RecordPaymentInput> = {}): RecordPaymentInput {
  return { orgId: w.org.id, method: "bank_transfer", amountMinor: 1_000, currency: "USD", valueDate: todayIn(w.org.timeZone), idempotencyKey: idemKey(), ...overrides };
}

async function movedMail(to: string) {
  const db = await getDb();
  return db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.template, "payment-moved")));
}

function expectNothingPrivate(mail: { html: string; text: string; subject: string }) {
  for (const secret of SECRETS) {
    expect(mail.html).not.toContain(secret);
    expect(mail.text).not.toContain(secret);
    expect(mail.subject).not.toContain(secret);
  }
}

/** A world whose need got a paid pledge and was then cancelled, plus another published need with its own title. */
async function cancelledWithMoney(locale: "ar" | "en") {
  const w = await pledgeWorld({ targetMinor: 10_000 });
  const db = await getDb();
  const other = await publishedNeed(w, { targetMinor: 5_000 });
  await db.update(needs).set({ titleEn: "Winter coats for two children", titleAr: "معاطف شتوية لطفلين" }).where(eq(needs.id, other.id));
  const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 4_000, locale, displayName: locale === "ar" ? "سميرة" : "Samira" }));
  const paid = await recordPayment(db, actorFor(w.finance.id), payment(w, { pledgeId: pledge.id, amountMinor: 3_000 }));
  await transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: w.need.id, action: "cancel", reason: "The family moved to Tripoli" });
  return { w, db, other, pledge, paymentId: paid.payment.id };
}

describe("the donor is told where finance moved their money", () => {
  it("a move to another need: one email in the donor's language (English) naming both needs' public titles; a replay sends none", async () => {
    const { w, db, other, pledge, paymentId } = await cancelledWithMoney("en");
    const key = idemKey();
    const moved = await reallocatePayment(db, actorFor(w.finance.id), { paymentId, to: { needId: other.id }, idempotencyKey: key, amountMinor: 2_000 });
    expect(moved.movedMinor).toBe(2_000);
    const mails = await movedMail(pledge.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.locale).toBe("en");
    expect(mail.subject).toContain(pledge.reference);
    expect(mail.text).toContain("Hello Samira");
    expect(mail.text).toContain("has moved US$20.00 of your payment for the need “School fees for a ninth-grade student”");
    expect(mail.text).toContain("It now goes to another need of Test Association: “Winter coats for two children”.");
    expect(mail.text).not.toContain("general fund");
    expectNothingPrivate(mail);

    // The same idempotency key again: nothing moves, nobody is written to twice.
    const replay = await reallocatePayment(db, actorFor(w.finance.id), { paymentId, to: { needId: other.id }, idempotencyKey: key, amountMinor: 2_000 });
    expect(replay.movedMinor).toBe(0);
    expect(await movedMail(pledge.email)).toHaveLength(1);
  });

  it("a move to the unrestricted fund: one email in Arabic for an Arabic pledge, the general fund, nothing private; a replay sends none", async () => {
    const { w, db, pledge, paymentId } = await cancelledWithMoney("ar");
    const key = idemKey();
    await reallocatePayment(db, actorFor(w.finance.id), { paymentId, to: "unrestricted", idempotencyKey: key });
    const mails = await movedMail(pledge.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.locale).toBe("ar");
    expect(mail.subject).toContain(pledge.reference);
    expect(mail.text).toContain("سميرة");
    expect(mail.text).toContain("«أقساط مدرسية لطالبة في الصف التاسع»");
    expect(mail.text).toContain("ويذهب الآن إلى الصندوق العام لدى جمعية اختبار، الذي يُنفَق على أشدّ الاحتياجات إلحاحاً.");
    expect(mail.text).not.toContain("احتياج آخر");
    expectNothingPrivate(mail);

    await reallocatePayment(db, actorFor(w.finance.id), { paymentId, to: "unrestricted", idempotencyKey: key });
    expect(await movedMail(pledge.email)).toHaveLength(1);
  });

  it("a refused move writes no email", async () => {
    const { w, db, other, pledge, paymentId } = await cancelledWithMoney("en");
    await expect(reallocatePayment(db, actorFor(w.finance.id), { paymentId, to: { needId: other.id }, idempotencyKey: idemKey(), amountMinor: 3_001 })).rejects.toThrow();
    expect(await movedMail(pledge.email)).toHaveLength(0);
  });

  it("suspense money matched to a pledge: the donor is told which need it went to and what went to the general fund; a replay sends none", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000, locale: "en" }));
    const none = await recordPayment(db, actorFor(w.finance.id), payment(w, { amountMinor: 1_500 }));
    expect(none.outcome).toBe("suspense");
    const key = idemKey();
    await attachPayment(db, actorFor(w.finance.id), { paymentId: none.payment.id, pledgeReference: pledge.reference, idempotencyKey: key });
    const mails = await movedMail(pledge.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain("matched your payment to your pledge: US$10.00 goes to the need “School fees for a ninth-grade student”");
    expect(mails[0].text).toContain("The remaining US$5.00 goes to Test Association's general fund");
    expect(mails[0].text).toContain(pledge.reference);
    expectNothingPrivate(mails[0]);
    await attachPayment(db, actorFor(w.finance.id), { paymentId: none.payment.id, pledgeReference: pledge.reference, idempotencyKey: key });
    expect(await movedMail(pledge.email)).toHaveLength(1);
  });
});

// The pledging routes called the way Remix calls them: the need page's form posts, the
// instructions page, the donor's account, the organisation's payment details.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog, needs, orgPaymentDetails, pledges } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { signUp, verifyEmail } from "~/modules/identity/accounts.server";
import * as pledgeRoute from "~/routes/needs_.$publicId_.pledge";
import * as instructionsRoute from "~/routes/pledges.$reference";
import * as myPledgesRoute from "~/routes/account.pledges";
import * as settingsRoute from "~/routes/staff.$orgSlug.settings";
import { createUser, unique } from "../fixtures/db";
import { emailsTo, linkIn, testContext } from "../fixtures/auth";
import { idemKey, needRow, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";

const pledgeForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
  amount: "25",
  currency: "USD",
  method: "bank_transfer",
  email: `${unique("guest")}@example.test`,
  displayName: "Samira",
  idempotencyKey: idemKey(),
  ...overrides,
});

async function post(publicId: string, form: Form, opts: { cookie?: string; lng?: string } = {}) {
  return run(pledgeRoute.action, makeRequest(`/needs/${publicId}/pledge`, { ...opts, form }), { publicId });
}

async function counters(needId: string) {
  const need = await needRow(needId);
  const rows = await (await getDb()).select().from(pledges).where(eq(pledges.needId, needId));
  return { reserved: need.reservedMinor, paid: need.paidMinor, donors: need.donorCount, state: need.state, pledges: rows.length };
}

describe("pledge action", () => {
  it("a guest pledges by bank transfer → redirected to the instructions page with the reference; the page shows bank details, no email, nothing private", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const form = pledgeForm({ amount: "25.50" });
    const res = await post(w.need.publicId, form);
    expect(res.status).toBe(302);
    const reference = res.location!.replace("/pledges/", "");
    expect(reference).toMatch(/^TDM-/);
    expect(await counters(w.need.id)).toMatchObject({ reserved: 2_550, donors: 0, pledges: 1 });

    const page = await run(instructionsRoute.loader, makeRequest(`/pledges/${reference}`, { lng: "en" }), { reference });
    expect(page.status).toBe(200);
    expect(page.body.pledge).toMatchObject({ reference, status: "pending", method: "bank_transfer", amount: "US$25.50", cancellable: true });
    expect(page.body.bank.accountNumber).toBe("LB62 0999 0000 0001 0019 0122 9114");
    expect(page.body.pledge.expiresOn).toBeTruthy();
    const json = JSON.stringify(page.body);
    for (const secret of [form.email, "فاطمة أحمد الحسن", "+961 3 123 456", "000123456789", "شارع الحمرا", "Al-Amal Private School"]) {
      expect(json).not.toContain(secret);
    }
    // A reference typed loosely redirects to its canonical form; a wrong one is 404.
    const loose = await run(instructionsRoute.loader, makeRequest(`/pledges/${reference.toLowerCase()}`), { reference: reference.toLowerCase() });
    expect(loose).toMatchObject({ status: 302, location: `/pledges/${reference}` });
    expect((await run(instructionsRoute.loader, makeRequest("/pledges/TDM-0000-000"), { reference: "TDM-0000-012" })).status).toBe(404);
  });

  it("a double submit (same idempotency key) makes one pledge and lands on the same instructions", async () => {
    const w = await pledgeWorld();
    const form = pledgeForm();
    const a = await post(w.need.publicId, form);
    const b = await post(w.need.publicId, form);
    expect(a.location).toBe(b.location);
    expect((await counters(w.need.id)).pledges).toBe(1);
  });

  it("bad input: 4xx with a localized message, and nothing changes", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    await post(w.need.publicId, pledgeForm({ amount: "70" }));
    const before = await counters(w.need.id);

    const notNumber = await post(w.need.publicId, pledgeForm({ amount: "twenty" }));
    expect(notNumber.status).toBe(400);
    expect(notNumber.body.result.error.amount).toEqual(["needs:errors.amountInvalid"]);

    const above = await post(w.need.publicId, pledgeForm({ amount: "30.01" }), { lng: "en" });
    expect(above.status).toBe(409);
    expect(above.body).toMatchObject({ code: "above_remaining", remainingMinor: 3_000, similarUrl: "/needs?category=school_fees" });
    expect(above.body.message).toContain("US$30.00");
    const aboveAr = await post(w.need.publicId, pledgeForm({ amount: "31" }), { lng: "ar" });
    expect(aboveAr.body.message).toMatch(/المتبقي للتعهّد/);

    const below = await post(w.need.publicId, pledgeForm({ amount: "0.50" }), { lng: "en" });
    expect(below.status).toBe(400);
    expect(below.body.message).toContain("US$1.00");

    const otherCurrency = await post(w.need.publicId, pledgeForm({ currency: "EUR" }));
    expect(otherCurrency).toMatchObject({ status: 400, body: { code: "currency_mismatch" } });

    const noEmail = await post(w.need.publicId, pledgeForm({ email: "" }));
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.result.error.email).toEqual(["pledging:errors.emailRequired"]);

    const badMethod = await post(w.need.publicId, pledgeForm({ method: "bitcoin" }));
    expect(badMethod.status).toBe(400);

    const noKey = await post(w.need.publicId, pledgeForm({ idempotencyKey: "" }));
    expect(noKey.status).toBe(400);

    const forged = await post("NOTAREALNEED", pledgeForm());
    expect(forged.status).toBe(404);
    const forgedUuid = await post(w.need.id, pledgeForm());
    expect(forgedUuid.status).toBe(404);

    expect(await counters(w.need.id)).toEqual(before);
  });

  it("an unpublished, cancelled or funded need answers 409 and its page says it is closed", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    for (const state of ["draft", "cancelled", "funded"] as const) {
      await db.update(needs).set({ state }).where(eq(needs.id, w.need.id));
      const res = await post(w.need.publicId, pledgeForm());
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("need_not_open");
    }
    expect((await counters(w.need.id)).pledges).toBe(0);
    // Draft needs have no public pledge page at all.
    await db.update(needs).set({ state: "draft" }).where(eq(needs.id, w.need.id));
    expect((await run(pledgeRoute.loader, makeRequest(`/needs/${w.need.publicId}/pledge`), { publicId: w.need.publicId })).status).toBe(404);
  });

  it("the pledge page gives the form its context: remaining, a fresh key, the signed-in donor", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const donor = await createUser();
    const page = await run(pledgeRoute.loader, makeRequest(`/needs/${w.need.publicId}/pledge`, { cookie: await signIn(donor.id) }), {
      publicId: w.need.publicId,
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ remainingMinor: 10_000, donorEmail: donor.email });
    expect(page.body.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(JSON.stringify(page.body.need)).not.toContain("Al-Amal Private School");
  });
});

describe("donor account and cancelling", () => {
  it("a signed-in donor pledges with their account, sees it in My pledges and cancels it", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const donor = await createUser();
    const cookie = await signIn(donor.id);
    const res = await post(w.need.publicId, pledgeForm({ email: "ignored@example.test", method: "cash" }), { cookie });
    const reference = res.location!.replace("/pledges/", "");
    const [row] = await (await getDb()).select().from(pledges).where(eq(pledges.reference, reference));
    expect(row).toMatchObject({ donorUserId: donor.id, email: donor.email, method: "cash", status: "pending" });

    const list = await run(myPledgesRoute.loader, makeRequest("/account/pledges", { cookie }), {});
    expect(list.body.pledges).toEqual([expect.objectContaining({ reference, status: "pending", cancellable: true })]);

    // Another signed-in person cannot cancel it.
    const stranger = await signIn((await createUser()).id);
    const refused = await run(myPledgesRoute.action, makeRequest("/account/pledges", { cookie: stranger, form: { intent: "cancel", reference } }), {});
    expect(refused.status).toBe(404);
    expect((await counters(w.need.id)).reserved).toBe(2_500);

    const done = await run(myPledgesRoute.action, makeRequest("/account/pledges", { cookie, form: { intent: "cancel", reference } }), {});
    expect(done).toMatchObject({ status: 302, location: `/account/pledges?cancelled=${reference}` });
    expect(await counters(w.need.id)).toMatchObject({ reserved: 0, donors: 0 });
    // Not signed in → sign-in page.
    expect((await run(myPledgesRoute.loader, makeRequest("/account/pledges"), {})).status).toBe(302);
  });

  it("a guest cancels on the instructions page with the email; a wrong email is refused and changes nothing", async () => {
    const w = await pledgeWorld();
    const form = pledgeForm({ method: "money_transfer" });
    const reference = (await post(w.need.publicId, form)).location!.replace("/pledges/", "");
    const url = `/pledges/${reference}`;
    const wrong = await run(instructionsRoute.action, makeRequest(url, { form: { intent: "cancel", email: "other@example.test" } }), { reference });
    expect(wrong.status).toBe(404);
    expect((await counters(w.need.id)).reserved).toBe(2_500);
    const ok = await run(instructionsRoute.action, makeRequest(url, { form: { intent: "cancel", email: form.email.toUpperCase() } }), { reference });
    expect(ok).toMatchObject({ status: 302, location: `${url}?cancelled=1` });
    expect((await counters(w.need.id)).reserved).toBe(0);
    const again = await run(instructionsRoute.action, makeRequest(url, { form: { intent: "cancel", email: form.email } }), { reference });
    expect(again.status).toBe(409);
  });

  it("guest pledges attach to the account when that email is verified", async () => {
    const w = await pledgeWorld();
    const email = `${unique("later")}@example.test`;
    await post(w.need.publicId, pledgeForm({ email }));
    await post(w.need.publicId, pledgeForm({ email: email.toUpperCase() }));
    const ctx = testContext();
    const signed = await signUp(await getDb(), { displayName: "Later Donor", email, password: "a long enough password 123", locale: "en" }, ctx);
    if (!signed.ok) throw new Error("sign-up failed");
    const [mail] = await emailsTo(email, "verify-email");
    const token = linkIn(mail, "/verify-email").searchParams.get("token")!;
    expect((await verifyEmail(await getDb(), token, ctx)).ok).toBe(true);
    const rows = await (await getDb()).select().from(pledges).where(eq(pledges.email, email));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.donorUserId === signed.userId)).toBe(true);
  });

  it("the instructions email carries the reference and the amount in the donor's language", async () => {
    const w = await pledgeWorld();
    const form = pledgeForm({ amount: "12" });
    const reference = (await post(w.need.publicId, form, { lng: "ar" })).location!.replace("/pledges/", "");
    const [mail] = await emailsTo(form.email, "pledge-instructions");
    expect(mail.locale).toBe("ar");
    expect(mail.subject).toContain(reference);
    expect(mail.text).toContain(reference);
    expect(mail.text).not.toContain("فاطمة أحمد الحسن");
  });
});

describe("payment details in the organisation's settings", () => {
  it("an org admin saves them (audited); a caseworker cannot; bad input is 400", async () => {
    const w = await pledgeWorld();
    const url = `/staff/${w.org.slug}/settings`;
    const params = { orgSlug: w.org.slug };
    const form = {
      intent: "paymentDetails",
      bankName: "Byblos Bank",
      accountName: "Association",
      accountNumber: "LB11 2222",
      swift: "BYBALBBX",
      currency: "usd",
      officeInstructionsAr: "المكتب مفتوح من ٩ إلى ٢",
      officeInstructionsEn: "Open 9 to 2",
      transferShopInstructionsAr: "",
      transferShopInstructionsEn: "",
      pledgeExpiryDays: "10",
    };
    expect((await run(settingsRoute.action, makeRequest(url, { cookie: await signIn(w.author.id), form }), params)).status).toBe(403);
    const bad = await run(settingsRoute.action, makeRequest(url, { cookie: await signIn(w.admin.id), form: { ...form, pledgeExpiryDays: "0" } }), params);
    expect(bad.status).toBe(400);
    expect(bad.body.result.error.pledgeExpiryDays).toEqual(["pledging:settings.pledgeExpiryDaysInvalid"]);
    const ok = await run(settingsRoute.action, makeRequest(url, { cookie: await signIn(w.admin.id), form }), params);
    expect(ok.status).toBe(302);
    const [row] = await (await getDb()).select().from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, w.org.id));
    expect(row).toMatchObject({ bankName: "Byblos Bank", currency: "USD", pledgeExpiryDays: 10, transferShopInstructionsAr: null });
    const audit = await (await getDb()).select().from(auditLog).where(eq(auditLog.entityId, w.org.id));
    expect(audit.map((a) => a.action)).toContain("org.payment_details_update");
    const page = await run(settingsRoute.loader, makeRequest(url, { cookie: await signIn(w.admin.id) }), params);
    expect(page.body.paymentDetails).toMatchObject({ bankName: "Byblos Bank", pledgeExpiryDays: "10" });
  });
});

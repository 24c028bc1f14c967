import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { emailOutbox, orgPaymentDetails, pledges, rateLimitHits, users } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { expirePledges, confirmPledge } from "~/modules/pledging/pledges.server";
import { listOrgPledges, pledgeStatusCounts } from "~/modules/pledging/staff.server";
import * as pledgeRoute from "~/routes/needs_.$publicId_.pledge";
import * as confirmRoute from "~/routes/pledges.$reference_.confirm";
import * as instructionsRoute from "~/routes/pledges.$reference";
import * as financeRoute from "~/routes/finance.$orgSlug.pledges";
import * as signupRoute from "~/routes/signup";
import { createUser, unique } from "../fixtures/db";
import { emailsTo, linkIn } from "../fixtures/auth";
import { idemKey, needRow, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";

const H = 3600_000;

// The first call migrates the test database: slow on a busy machine, so before the timed tests.
beforeAll(async () => {
  await getDb();
}, 180_000);
const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${unique("t")}`;

function pledgeForm(overrides: Partial<Record<string, string>> = {}): Form & { email: string } {
  return {
    amount: "10",
    currency: "USD",
    method: "bank_transfer",
    email: `${unique("donor")}@example.test`,
    idempotencyKey: idemKey(),
    ...overrides,
  } as Form & { email: string };
}

async function post(publicId: string, form: Form, opts: { cookie?: string; ip?: string; lng?: string } = {}) {
  return run(pledgeRoute.action, makeRequest(`/needs/${publicId}/pledge`, { ...opts, form }), { publicId });
}

async function pledgesOf(needId: string) {
  return (await getDb()).select().from(pledges).where(eq(pledges.needId, needId));
}

async function confirmLink(email: string) {
  const [mail] = await emailsTo(email, "pledge-instructions");
  return linkIn(mail, "/confirm");
}

describe("payment methods the organisation offers", () => {
  it("a method the organisation does not offer → 400 with a localized message, no row", async () => {
    const w = await pledgeWorld();
    await (await getDb()).update(orgPaymentDetails).set({ offeredMethods: ["bank_transfer"], cardEnabled: false }).where(eq(orgPaymentDetails.orgId, w.org.id));
    const page = await run(pledgeRoute.loader, makeRequest(`/needs/${w.need.publicId}/pledge`), { publicId: w.need.publicId });
    expect(page.body.methods).toEqual(["bank_transfer"]);
    const res = await post(w.need.publicId, pledgeForm({ method: "cash" }), { ip: ip(), lng: "en" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("method_not_offered");
    expect(res.body.message).toMatch(/does not take payments this way/);
    const ar = await post(w.need.publicId, pledgeForm({ method: "cash" }), { ip: ip(), lng: "ar" });
    expect(ar.body.message).toMatch(/لا تستقبل هذه الجمعية/);
    expect(await pledgesOf(w.need.id)).toHaveLength(0);
    expect((await needRow(w.need.id)).reservedMinor).toBe(0);
  });

  it("card while the platform takes no cards (production without a Stripe key) → 400, no row; the form never offers it", async () => {
    const w = await pledgeWorld();
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    try {
      const page = await run(pledgeRoute.loader, makeRequest(`/needs/${w.need.publicId}/pledge`), { publicId: w.need.publicId });
      expect(page.body.methods).not.toContain("card");
      const res = await post(w.need.publicId, pledgeForm({ method: "card" }), { ip: ip() });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("method_not_offered");
      expect(await pledgesOf(w.need.id)).toHaveLength(0);
    } finally {
      vi.unstubAllEnvs();
    }
    // The same need with the stand-in (outside production): card is offered, since the organisation has it on.
    const page = await run(pledgeRoute.loader, makeRequest(`/needs/${w.need.publicId}/pledge`), { publicId: w.need.publicId });
    expect(page.body.methods).toContain("card");
  });

  it("card while the organisation has it off → 400, no row; the form never offers it", async () => {
    const w = await pledgeWorld();
    await (await getDb()).update(orgPaymentDetails).set({ cardEnabled: false }).where(eq(orgPaymentDetails.orgId, w.org.id));
    const page = await run(pledgeRoute.loader, makeRequest(`/needs/${w.need.publicId}/pledge`), { publicId: w.need.publicId });
    expect(page.body.methods).not.toContain("card");
    const res = await post(w.need.publicId, pledgeForm({ method: "card" }), { ip: ip() });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("method_not_offered");
    expect(await pledgesOf(w.need.id)).toHaveLength(0);
  });
});

describe("rate limits on pledge creation", () => {
  it("per email: the 6th pledge within an hour → 429 with Retry-After and a message, nothing changed; a replay does not count", async () => {
    const w = await pledgeWorld({ targetMinor: 1_000_000 });
    const email = `${unique("busy")}@example.test`;
    const first = pledgeForm({ email });
    expect((await post(w.need.publicId, first, { ip: ip() })).status).toBe(302);
    // A double submit (same idempotency key) answers the first pledge and is not counted.
    expect((await post(w.need.publicId, first, { ip: ip() })).status).toBe(302);
    for (let i = 0; i < 4; i += 1) expect((await post(w.need.publicId, pledgeForm({ email }), { ip: ip() })).status).toBe(302);
    const before = (await needRow(w.need.id)).reservedMinor;
    const res = await post(w.need.publicId, pledgeForm({ email: email.toUpperCase() }), { ip: ip(), lng: "en" });
    expect(res.status).toBe(429);
    expect(Number(res.headers?.get("Retry-After"))).toBeGreaterThan(3000);
    expect(res.body.message).toMatch(/Too many pledges/);
    expect(await pledgesOf(w.need.id)).toHaveLength(5);
    expect((await needRow(w.need.id)).reservedMinor).toBe(before);
  });

  it("per IP: 30 an hour, then 429; the window slides open again with the clock moved", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000_000 });
    const db = await getDb();
    const office = ip();
    const t0 = new Date(Date.now() - 2 * H);
    // 30 pledges from one office IP an hour and a half ago… (written as the route would count them)
    await db.insert(rateLimitHits).values(Array.from({ length: 30 }, (_, i) => ({ bucket: "pledge_ip", key: office, createdAt: new Date(t0.getTime() + 30 * 60_000 + i * 1000) })));
    // …are out of the hour window by now: the office pledges again.
    expect((await post(w.need.publicId, pledgeForm(), { ip: office })).status).toBe(302);
    // 30 within the last hour close it.
    await db.insert(rateLimitHits).values(Array.from({ length: 29 }, (_, i) => ({ bucket: "pledge_ip", key: office, createdAt: new Date(Date.now() - 30 * 60_000 + i * 1000) })));
    const res = await post(w.need.publicId, pledgeForm(), { ip: office, lng: "ar" });
    expect(res.status).toBe(429);
    const retry = Number(res.headers?.get("Retry-After"));
    expect(retry).toBeGreaterThan(25 * 60);
    expect(retry).toBeLessThanOrEqual(3600);
    expect(res.body.message).toMatch(/تعهّدات كثيرة/);
    // Another address in the same camp is unaffected.
    expect((await post(w.need.publicId, pledgeForm(), { ip: ip() })).status).toBe(302);
  });
});

describe("the 24-hour hold of a guest's offline pledge", () => {
  it("unconfirmed: the page and the email say so; expirePledges(now + 25 h) releases it", async () => {
    const w = await pledgeWorld();
    const form = pledgeForm();
    const res = await post(w.need.publicId, form, { ip: ip() });
    const reference = res.location!.replace("/pledges/", "");
    const [row] = await pledgesOf(w.need.id);
    expect(row.confirmedAt).toBeNull();
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(24 * H);
    const page = await run(instructionsRoute.loader, makeRequest(`/pledges/${reference}`, { lng: "en" }), { reference });
    expect(page.body.pledge.unconfirmed).toBe(true);
    expect(page.body.pledge.confirmBy).toBeTruthy();
    const [mail] = await emailsTo(form.email, "pledge-instructions");
    expect(mail.text).toMatch(/يُرجى تأكيد تعهّدك قبل/);
    expect(mail.text).toContain(`/pledges/${reference}/confirm?token=`);
    // Finance sees it as unconfirmed (count, filter).
    const counts = await pledgeStatusCounts(await getDb(), w.org.id);
    expect(counts.unconfirmed).toBe(1);
    const listed = await listOrgPledges(await getDb(), { orgId: w.org.id, filter: { unconfirmed: "1" } });
    expect(listed.pledges.map((p) => p.reference)).toEqual([reference]);
    const financePage = await run(financeRoute.loader, makeRequest(`/finance/${w.org.slug}/pledges?unconfirmed=1`, { cookie: await signIn(w.finance.id) }), { orgSlug: w.org.slug });
    expect(financePage.body.pledges).toHaveLength(1);

    const expired = await expirePledges(await getDb(), new Date(row.createdAt.getTime() + 25 * H));
    expect(expired).toContain(reference);
    expect((await needRow(w.need.id)).reservedMinor).toBe(0);
  });

  it("confirmed by the link (GET shows a button, POST confirms): holds the organisation's period from creation and survives +25 h; the token is single-use", async () => {
    const w = await pledgeWorld({ expiryDays: 7 });
    const form = pledgeForm({ method: "cash" });
    const reference = (await post(w.need.publicId, form, { ip: ip() })).location!.replace("/pledges/", "");
    const link = await confirmLink(form.email);
    const token = link.searchParams.get("token")!;
    // GET does not confirm (mail scanners follow links).
    const shown = await run(confirmRoute.loader, makeRequest(`${link.pathname}${link.search}`), { reference });
    expect(shown.body.state).toBe("confirmable");
    expect((await pledgesOf(w.need.id))[0].confirmedAt).toBeNull();
    const done = await run(confirmRoute.action, makeRequest(link.pathname, { form: { token } }), { reference });
    expect(done).toMatchObject({ status: 302, location: `/pledges/${reference}?confirmed=1` });
    const [row] = await pledgesOf(w.need.id);
    expect(row.confirmedAt).not.toBeNull();
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(7 * 24 * H);
    expect(await expirePledges(await getDb(), new Date(row.createdAt.getTime() + 25 * H))).not.toContain(reference);
    expect((await pledgesOf(w.need.id))[0].status).toBe("pending");
    // Single use: the same token again changes nothing.
    const again = await confirmPledge(await getDb(), { reference, token });
    expect(again.outcome).toBe("already_confirmed");
    expect(again.pledge.expiresAt).toEqual(row.expiresAt);
    // A wrong token: 404, nothing changes.
    const wrong = await run(confirmRoute.action, makeRequest(link.pathname, { form: { token: "a".repeat(32) } }), { reference });
    expect(wrong.status).toBe(404);
  });

  it("too late: past its 24 hours a pledge can no longer be confirmed (409)", async () => {
    const w = await pledgeWorld();
    const form = pledgeForm();
    const reference = (await post(w.need.publicId, form, { ip: ip() })).location!.replace("/pledges/", "");
    const token = (await confirmLink(form.email)).searchParams.get("token")!;
    await expect(confirmPledge(await getDb(), { reference, token, now: new Date(Date.now() + 25 * H) })).rejects.toMatchObject({ code: "confirm_expired" });
  });

  it("a signed-in donor with a verified email gets the full period at once, and recording payment for an unconfirmed pledge still works", async () => {
    const w = await pledgeWorld({ expiryDays: 10 });
    const donor = await createUser({ displayName: "Verified" });
    await (await getDb()).update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, donor.id));
    const cookie = await signIn(donor.id);
    const { email: _e, ...form } = pledgeForm();
    expect((await post(w.need.publicId, form, { cookie, ip: ip() })).status).toBe(302);
    const [row] = await (await getDb()).select().from(pledges).where(and(eq(pledges.needId, w.need.id), eq(pledges.donorUserId, donor.id)));
    expect(row.confirmedAt).not.toBeNull();
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(10 * 24 * H);

    const guest = pledgeForm();
    await post(w.need.publicId, guest, { ip: ip() });
    const [unconfirmed] = await (await getDb()).select().from(pledges).where(eq(pledges.email, guest.email));
    const paid = await run(
      financeRoute.action,
      makeRequest(`/finance/${w.org.slug}/pledges`, { cookie: await signIn(w.finance.id), form: { intent: "recordPayment", pledgeId: unconfirmed.id } }),
      { orgSlug: w.org.slug },
    );
    expect(paid.body.outcome).toBe("paid");
  });
});

describe("sign-up without account enumeration", () => {
  const signupForm = (email: string) => ({ displayName: "Rami", email, password: "a long enough password 123", confirmPassword: "a long enough password 123" });

  it("an address that has an account gets the same answer as a new one; the owner is mailed; no new user", async () => {
    const owner = await createUser({ displayName: "Owner" });
    const fresh = `${unique("new")}@example.test`;
    const a = await run(signupRoute.action, makeRequest("/signup", { form: signupForm(fresh), ip: ip() }));
    const b = await run(signupRoute.action, makeRequest("/signup", { form: signupForm(owner.email.toUpperCase()), ip: ip() }));
    expect(b.status).toBe(a.status);
    expect(b.location).toBe(a.location);
    expect(a.location).toBe("/verify-email?result=sent");
    expect(await (await getDb()).select().from(users).where(eq(users.email, owner.email))).toHaveLength(1);
    const notices = await (await getDb()).select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, owner.email), eq(emailOutbox.template, "signup-attempt")));
    expect(notices).toHaveLength(1);
    expect(notices[0].text).toContain("/forgot-password");
  });

  it("is throttled per email (3 in 15 minutes) and per IP (10): 429 + Retry-After + message; no more mail", async () => {
    const owner = await createUser({ displayName: "Owner" });
    for (let i = 0; i < 3; i += 1) {
      expect((await run(signupRoute.action, makeRequest("/signup", { form: signupForm(owner.email), ip: ip() }))).status).toBe(302);
    }
    const res = await run(signupRoute.action, makeRequest("/signup", { form: signupForm(owner.email), ip: ip(), lng: "en" }));
    expect(res.status).toBe(429);
    expect(Number(res.headers?.get("Retry-After"))).toBeGreaterThan(0);
    expect(res.body.result.error[""]).toEqual(["auth:errors.tooManyAttempts"]);
    expect(await emailsTo(owner.email, "signup-attempt")).toHaveLength(3);

    const cafe = ip();
    for (let i = 0; i < 10; i += 1) {
      await run(signupRoute.action, makeRequest("/signup", { form: signupForm(`${unique("x")}@example.test`), ip: cafe }));
    }
    const blocked = await run(signupRoute.action, makeRequest("/signup", { form: signupForm(`${unique("y")}@example.test`), ip: cafe }));
    expect(blocked.status).toBe(429);
  });
});

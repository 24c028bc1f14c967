// The finance payments inbox (/finance/:orgSlug/payments), the payment page
// (/finance/:orgSlug/payments/:paymentId) and the proof download, called the way Remix calls them.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, ledgerEntries, orgPaymentDetails, organizations, paymentDocuments, payments, pledges, refunds } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { cancelPledge, createPledge } from "~/modules/pledging/pledges.server";
import { todayIn } from "~/modules/needs/money";
import * as inbox from "~/routes/finance.$orgSlug.payments._index";
import * as paymentPage from "~/routes/finance.$orgSlug.payments.$paymentId";
import * as proofRoute from "~/routes/finance.$orgSlug.payments.$paymentId.proof";
import { addMember, createUser } from "../fixtures/db";
import { EXE_BYTES, PDF_BYTES, pdfOfSize } from "../fixtures/documents";
import { needRow, pledgeInput, pledgeWorld, publishedNeed } from "../fixtures/pledging";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

const GUEST = { userId: null, ip: "203.0.113.22", userAgent: "vitest" };

async function pledge(w: World, overrides: Parameters<typeof pledgeInput>[1] = {}) {
  return (await createPledge(await getDb(), pledgeInput(w.need, overrides))).pledge;
}

async function open(w: World, userId: string, query = "") {
  const url = `/finance/${w.org.slug}/payments${query ? `?${query}` : ""}`;
  return run(inbox.loader, makeRequest(url, { cookie: await signIn(userId) }), { orgSlug: w.org.slug });
}

/** Posts the record form (urlencoded, or multipart with a proof file). */
async function post(w: World, userId: string, form: Form, file?: { bytes: Uint8Array; name: string }) {
  const url = `/finance/${w.org.slug}/payments`;
  const cookie = await signIn(userId);
  if (!file) return run(inbox.action, makeRequest(url, { cookie, form }), { orgSlug: w.org.slug });
  const body = new FormData();
  for (const [k, v] of Object.entries(form)) body.append(k, String(v));
  body.append("proof", new File([new Uint8Array(file.bytes)], file.name));
  return run(inbox.action, makeRequest(url, { cookie, body, contentType: null }), { orgSlug: w.org.slug });
}

const today = (w: World) => todayIn(w.org.timeZone);

function recordForm(w: World, fields: Form = {}): Form {
  return { intent: "record", step: "preview", method: "bank_transfer", currency: w.need.currency, amount: "10.00", valueDate: today(w), ...fields };
}

/** Step 1 then step 2 (with the preview's idempotency key); returns both outcomes. */
async function record(w: World, userId: string, fields: Form, file?: { bytes: Uint8Array; name: string }) {
  const preview = await post(w, userId, recordForm(w, fields), file);
  if (preview.status !== 200) return { preview, done: preview };
  const values = Object.fromEntries(Object.entries(preview.body.values as Record<string, string>).filter(([, v]) => v !== ""));
  const done = await post(w, userId, { ...values, intent: "record", step: "record", idempotencyKey: preview.body.preview.idempotencyKey });
  return { preview, done };
}

const paymentIdOf = (location: string | null) => location?.match(/payments\/([0-9a-f-]{36})/)?.[1] ?? "";

async function page(w: World, userId: string, paymentId: string) {
  return run(paymentPage.loader, makeRequest(`/finance/${w.org.slug}/payments/${paymentId}`, { cookie: await signIn(userId) }), {
    orgSlug: w.org.slug,
    paymentId,
  });
}

async function act(w: World, userId: string, paymentId: string, form: Form) {
  const url = `/finance/${w.org.slug}/payments/${paymentId}`;
  return run(paymentPage.action, makeRequest(url, { cookie: await signIn(userId), form }), { orgSlug: w.org.slug, paymentId });
}

const key = () => `k${Math.random().toString(36).slice(2)}${Date.now().toString(36)}xxxxxxxx`;

async function paymentRow(id: string) {
  const [row] = await (await getDb()).select().from(payments).where(eq(payments.id, id));
  return row;
}

/** What must not move when a post is refused. */
async function snapshot(w: World) {
  const db = await getDb();
  const count = async (table: typeof payments | typeof ledgerEntries | typeof refunds | typeof paymentDocuments) =>
    Number((await db.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.orgId, w.org.id)))[0].n);
  const need = await needRow(w.need.id);
  const rows = await db.select({ id: payments.id, status: payments.status, allocation: payments.allocation, refunded: payments.refundedMinor }).from(payments).where(eq(payments.orgId, w.org.id));
  return {
    payments: await count(payments),
    entries: await count(ledgerEntries),
    refunds: await count(refunds),
    documents: await count(paymentDocuments),
    rows: rows.sort((a, b) => a.id.localeCompare(b.id)),
    need: { reserved: need.reservedMinor, paid: need.paidMinor, state: need.state },
  };
}

describe("payments inbox: who sees what", () => {
  it("finance and org admins only; caseworkers and verifiers 403; another organisation 404; payment and proof too", async () => {
    const a = await pledgeWorld();
    const b = await pledgeWorld();
    const p = await pledge(a, { amountMinor: 1_000 });
    expect((await open(a, a.finance.id)).status).toBe(200);
    expect((await open(a, a.admin.id)).status).toBe(200);
    const { done } = await record(a, a.finance.id, { pledgeId: p.id }, { bytes: PDF_BYTES, name: "slip.pdf" });
    expect(done.status).toBe(302);
    const id = paymentIdOf(done.location);
    for (const staff of [a.author, a.verifier]) {
      expect((await open(a, staff.id)).status).toBe(403);
      expect((await post(a, staff.id, recordForm(a, { pledgeId: p.id }))).status).toBe(403);
      expect((await page(a, staff.id, id)).status).toBe(403);
      expect((await act(a, staff.id, id, { intent: "refund", amount: "1", offlineReference: "X", idempotencyKey: key() })).status).toBe(403);
      expect((await run(proofRoute.loader, makeRequest(`/finance/${a.org.slug}/payments/${id}/proof`, { cookie: await signIn(staff.id) }), { orgSlug: a.org.slug, paymentId: id })).status).toBe(403);
    }
    expect((await open(a, b.finance.id)).status).toBe(404);
    expect((await page(a, b.finance.id, id)).status).toBe(404);
    // b's finance on b's own pages: a's payment is unknown there.
    expect((await page(b, b.finance.id, id)).status).toBe(404);
    expect((await act(b, b.finance.id, id, { intent: "confirm" })).status).toBe(404);
    expect((await run(proofRoute.loader, makeRequest(`/finance/${b.org.slug}/payments/${id}/proof`, { cookie: await signIn(b.finance.id) }), { orgSlug: b.org.slug, paymentId: id })).status).toBe(404);

    // The proof downloads for finance, as an attachment, and is audited.
    const proof = await run(proofRoute.loader, makeRequest(`/finance/${a.org.slug}/payments/${id}/proof`, { cookie: await signIn(a.finance.id) }), { orgSlug: a.org.slug, paymentId: id });
    expect(proof.status).toBe(200);
    expect(proof.headers?.get("content-type")).toBe("application/pdf");
    expect(proof.headers?.get("content-disposition")).toContain("slip.pdf");
    const audits = await (await getDb()).select().from(auditLog).where(and(eq(auditLog.orgId, a.org.id), eq(auditLog.action, "payment_document.download")));
    expect(audits).toHaveLength(1);
  });
});

describe("payments inbox: finding the pledge", () => {
  it("by a loose or partial reference, the donor's name or email, or an amount (the pledge's or what is left)", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const other = await pledgeWorld();
    const samira = await pledge(w, { amountMinor: 2_500, displayName: "Samira Haddad", email: "samira.h@example.test" });
    const omar = await pledge(w, { amountMinor: 7_300, displayName: "Omar", method: "cash" });
    await pledge(other, { amountMinor: 2_500, displayName: "Samira Haddad" });
    const refs = async (q: string) => ((await open(w, w.finance.id, `q=${encodeURIComponent(q)}`)).body.results as { reference: string }[]).map((r) => r.reference);

    expect(await refs(samira.reference.toLowerCase().replace(/-/g, ""))).toEqual([samira.reference]);
    expect(await refs(omar.reference.slice(4, 8))).toContain(omar.reference);
    expect(await refs("samira")).toEqual([samira.reference]);
    expect(await refs("SAMIRA.H@example")).toEqual([samira.reference]);
    expect(await refs("25")).toEqual([samira.reference]);
    expect(await refs("73.00")).toEqual([omar.reference]);
    expect(await refs("٧٣")).toEqual([omar.reference]);
    expect(await refs("nobody-like-this")).toEqual([]);

    // Choosing a pledge fills the record form; another organisation's pledge is not found.
    const chosen = await open(w, w.finance.id, `pledge=${samira.id}`);
    expect(chosen.body.pledge).toMatchObject({ id: samira.id, amountMinor: 2_500, currency: "USD" });
    const foreign = await pledge(other, { amountMinor: 1_000 });
    const missing = await open(w, w.finance.id, `pledge=${foreign.id}`);
    expect(missing.body.pledge).toBeNull();
    expect(missing.body.pledgeMissing).toBe(true);
  });
});

describe("payments inbox: recording in two steps", () => {
  it("the first post shows paid / part paid / over paid / suspense and records nothing; the second records once", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const p = await pledge(w, { amountMinor: 10_000 });
    const before = await snapshot(w);
    const preview = async (fields: Form) => (await post(w, w.finance.id, recordForm(w, fields))).body.preview;
    expect(await preview({ pledgeId: p.id, amount: "100" })).toMatchObject({ outcome: "paid", amountMinor: 10_000 });
    expect(await preview({ pledgeId: p.id, amount: "98.50", fee: "0" })).toMatchObject({ outcome: "part_paid", restMinor: 150 });
    expect(await preview({ pledgeId: p.id, amount: "120", fee: "2.5" })).toMatchObject({ outcome: "over_paid", surplusMinor: 2_000, feeMinor: 250, netMinor: 11_750 });
    expect(await preview({ amount: "40" })).toMatchObject({ outcome: "suspense" });
    expect(await snapshot(w)).toEqual(before);

    // A bank transfer short by a bank fee: the pledge is covered by the gross.
    const { preview: first, done } = await record(w, w.finance.id, { pledgeId: p.id, amount: "100", fee: "3", externalId: "FT2601150042" });
    expect(first.body.preview.outcome).toBe("paid");
    expect(done.status).toBe(302);
    const id = paymentIdOf(done.location);
    expect(await paymentRow(id)).toMatchObject({ amountMinor: 10_000, feeMinor: 300, externalId: "FT2601150042", recordedBy: w.finance.id, status: "succeeded" });
    const [paid] = await (await getDb()).select().from(pledges).where(eq(pledges.id, p.id));
    expect(paid).toMatchObject({ status: "paid", paidMinor: 10_000 });
    expect((await needRow(w.need.id)).paidMinor).toBe(10_000);

    // The same confirm posted again (a double click) records nothing more.
    const after = await snapshot(w);
    const values = Object.fromEntries(Object.entries(first.body.values as Record<string, string>).filter(([, v]) => v !== ""));
    const again = await post(w, w.finance.id, { ...values, intent: "record", step: "record", idempotencyKey: first.body.preview.idempotencyKey });
    expect(again.status).toBe(302);
    expect(paymentIdOf(again.location)).toBe(id);
    expect(await snapshot(w)).toEqual(after);

    // The payment page: details, who recorded it, its postings (balanced).
    const detail = await page(w, w.finance.id, id);
    expect(detail.status).toBe(200);
    expect(detail.body.payment).toMatchObject({ recordedByName: "Finance", pledgeReference: p.reference, allocation: "need_fund" });
    const postings = detail.body.payment.postings as { amountMinor: number }[];
    expect(postings.length).toBeGreaterThanOrEqual(2);
    expect(postings.reduce((s, x) => s + x.amountMinor, 0)).toBe(0);
  });

  it("money without a pledge goes to suspense; finance attaches it to a pledge by its reference", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const p = await pledge(w, { amountMinor: 4_000 });
    const { done } = await record(w, w.finance.id, { amount: "40", donorName: "Unknown depositor", externalId: "DEP-1" });
    const id = paymentIdOf(done.location);
    expect(await paymentRow(id)).toMatchObject({ allocation: "suspense", pledgeId: null });
    expect((await open(w, w.finance.id, "queue=suspense")).body.payments.map((r: { id: string }) => r.id)).toEqual([id]);

    const bad = await act(w, w.finance.id, id, { intent: "attach", pledgeReference: "TDM-????", idempotencyKey: key() });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.pledgeReference).toEqual(["finance:errors.referenceInvalid"]);

    const attached = await act(w, w.finance.id, id, { intent: "attach", pledgeReference: p.reference.toLowerCase(), idempotencyKey: key() });
    expect(attached.status).toBe(302);
    expect(await paymentRow(id)).toMatchObject({ allocation: "need_fund", pledgeId: p.id });
    expect((await open(w, w.finance.id, "queue=suspense")).body.payments).toEqual([]);
  });
});

describe("payments inbox: bad input is refused in the user's language, nothing changed", () => {
  it("zero, negative, not a number, wrong currency, future date, fee too large, duplicate reference, bad proof", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const p = await pledge(w, { amountMinor: 5_000 });
    await record(w, w.finance.id, { pledgeId: p.id, amount: "10", externalId: "FT-1" });
    const before = await snapshot(w);
    const q = await pledge(w, { amountMinor: 5_000 });
    const refused = async (fields: Form, field: string, message: string, status = 400, file?: { bytes: Uint8Array; name: string }) => {
      for (const step of ["preview", "record"]) {
        if (file && step === "record") continue;
        const out = await post(w, w.finance.id, recordForm(w, { pledgeId: q.id, step, idempotencyKey: key(), ...fields }), file);
        expect(out.status, `${field} ${step}`).toBe(status);
        expect(out.body.errors[field], `${field} ${step}`).toEqual([message]);
      }
    };
    await refused({ amount: "0" }, "amount", "finance:errors.amountPositive");
    await refused({ amount: "-5" }, "amount", "finance:errors.amountPositive");
    await refused({ amount: "ten" }, "amount", "finance:errors.amountInvalid");
    await refused({ amount: "1.234" }, "amount", "finance:errors.amountTooPrecise");
    await refused({ currency: "EUR" }, "currency", "finance:errors.currencyMismatch");
    await refused({ valueDate: "2999-01-01" }, "valueDate", "finance:errors.valueDateFuture");
    await refused({ valueDate: "2026-02-30" }, "valueDate", "finance:errors.dateInvalid");
    await refused({ fee: "10" }, "fee", "finance:errors.feeTooLarge");
    await refused({ externalId: "FT-1" }, "externalId", "finance:errors.duplicateExternalId", 409);
    await refused({ method: "card" }, "method", "errors:invalidChoice");
    await refused({}, "proof", "finance:errors.proofWrongType", 400, { bytes: EXE_BYTES, name: "slip.pdf" });
    await refused({}, "proof", "finance:errors.proofTooLarge", 413, { bytes: pdfOfSize(10 * 1024 * 1024 + 1), name: "big.pdf" });
    const foreign = await pledgeWorld();
    const fp = await pledge(foreign, { amountMinor: 1_000 });
    await refused({ pledgeId: fp.id }, "pledgeId", "finance:errors.pledgeNotFound", 404);
    expect(await snapshot(w)).toEqual({ ...before, need: { ...before.need, reserved: before.need.reserved + 5_000 } });
  });
});

describe("payment page: four-eyes cash", () => {
  it("cash over the threshold waits; its recorder cannot confirm it (and is told why); a second finance person can", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const db = await getDb();
    await db.update(orgPaymentDetails).set({ cashFourEyesMinor: 5_000 }).where(eq(orgPaymentDetails.orgId, w.org.id));
    const second = await createUser({ displayName: "Second finance" });
    await addMember(w.org.id, second.id, "finance");
    const p = await pledge(w, { amountMinor: 8_000, method: "cash" });
    const { preview, done } = await record(w, w.finance.id, { pledgeId: p.id, method: "cash", amount: "80" });
    expect(preview.body.preview.outcome).toBe("awaiting_confirmation");
    const id = paymentIdOf(done.location);
    expect(await paymentRow(id)).toMatchObject({ status: "awaiting_confirmation", ledgerEntryId: null });
    expect((await open(w, w.finance.id, "queue=awaiting")).body.payments).toHaveLength(1);

    const own = await page(w, w.finance.id, id);
    expect(own.body.can).toMatchObject({ confirm: true, ownEntry: true });
    const before = await snapshot(w);
    const mine = await act(w, w.finance.id, id, { intent: "confirm" });
    expect(mine.status).toBe(403);
    expect(mine.body.formErrors).toEqual(["finance:errors.fourEyesSamePerson"]);
    expect((await act(w, w.finance.id, id, { intent: "reject", reason: "miscounted" })).status).toBe(403);
    expect(await snapshot(w)).toEqual(before);

    expect((await page(w, second.id, id)).body.can.ownEntry).toBe(false);
    const ok = await act(w, second.id, id, { intent: "confirm" });
    expect(ok.status).toBe(302);
    expect(await paymentRow(id)).toMatchObject({ status: "succeeded", confirmedBy: second.id });
    expect((await act(w, second.id, id, { intent: "confirm" })).status).toBe(409);
  });
});

describe("payment page: refunds and reallocation", () => {
  it("refunds offline with a reference, refuses too much or no reference; nothing changed on a refusal", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const p = await pledge(w, { amountMinor: 6_000 });
    const { done } = await record(w, w.finance.id, { pledgeId: p.id, amount: "60" });
    const id = paymentIdOf(done.location);
    const before = await snapshot(w);
    const tooMuch = await act(w, w.finance.id, id, { intent: "refund", amount: "60.01", offlineReference: "R-1", idempotencyKey: key() });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors.amount).toEqual(["finance:errors.refundTooLarge"]);
    const noRef = await act(w, w.finance.id, id, { intent: "refund", amount: "10", idempotencyKey: key() });
    expect(noRef.status).toBe(400);
    expect(noRef.body.errors.offlineReference).toEqual(["finance:errors.offlineReferenceRequired"]);
    for (const amount of ["0", "-1", "abc"]) {
      expect((await act(w, w.finance.id, id, { intent: "refund", amount, offlineReference: "R-1", idempotencyKey: key() })).status).toBe(400);
    }
    expect(await snapshot(w)).toEqual(before);

    const ok = await act(w, w.finance.id, id, { intent: "refund", amount: "20", offlineReference: "R-1", reason: "asked", idempotencyKey: key() });
    expect(ok.status).toBe(302);
    expect(await paymentRow(id)).toMatchObject({ status: "partly_refunded", refundedMinor: 2_000 });
    const detail = await page(w, w.finance.id, id);
    expect(detail.body.payment.refunds).toHaveLength(1);
    expect(detail.body.payment.refunds[0]).toMatchObject({ amountMinor: 2_000, externalId: "R-1" });
    const left = await act(w, w.finance.id, id, { intent: "refund", amount: "40.01", offlineReference: "R-2", idempotencyKey: key() });
    expect(left.status).toBe(400);
  });

  it("money paid after a cancellation is flagged; it moves to another need of the organisation, never another organisation's or currency's", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const db = await getDb();
    const p = await pledge(w, { amountMinor: 3_000 });
    await cancelPledge(db, { reference: p.reference, email: p.email, actor: GUEST });
    const { preview, done } = await record(w, w.finance.id, { pledgeId: p.id, amount: "30" });
    expect(preview.body.preview.outcome).toBe("suspense");
    const id = paymentIdOf(done.location);
    expect((await paymentRow(id)).flag).toBe("paid_after_cancelled");
    expect((await open(w, w.finance.id, "queue=flagged")).body.payments.map((r: { id: string }) => r.id)).toEqual([id]);

    const foreign = await pledgeWorld({ targetMinor: 50_000 });
    // A need of this organisation in euros (its default currency changed for a moment).
    await db.update(organizations).set({ defaultCurrency: "EUR" }).where(eq(organizations.id, w.org.id));
    const eurNeed = await publishedNeed({ ...w, org: { ...w.org, defaultCurrency: "EUR" } }, { targetMinor: 9_000 });
    await db.update(organizations).set({ defaultCurrency: "USD" }).where(eq(organizations.id, w.org.id));
    expect(eurNeed.currency).toBe("EUR");
    const before = await snapshot(w);
    const other = await act(w, w.finance.id, id, { intent: "reallocate", to: foreign.need.id, idempotencyKey: key() });
    expect(other.status).toBe(404);
    expect(other.body.errors.to).toEqual(["finance:errors.otherOrgNeed"]);
    const currency = await act(w, w.finance.id, id, { intent: "reallocate", to: eurNeed.id, idempotencyKey: key() });
    expect(currency.status).toBe(400);
    expect(currency.body.errors.to).toEqual(["finance:errors.otherCurrencyNeed"]);
    expect(await snapshot(w)).toEqual(before);

    // Pledge it again to the same need (there is room).
    const detail = await page(w, w.finance.id, id);
    expect(detail.body.can.reallocate).toBe(true);
    expect(detail.body.targets.map((n: { id: string }) => n.id)).toContain(w.need.id);
    const moved = await act(w, w.finance.id, id, { intent: "reallocate", to: w.need.id, idempotencyKey: key() });
    expect(moved.status).toBe(302);
    expect(await paymentRow(id)).toMatchObject({ allocation: "need_fund", needId: w.need.id });
    expect((await paymentRow(id)).flagResolvedAt).not.toBeNull();
    expect((await needRow(w.need.id)).paidMinor).toBe(3_000);
    expect((await open(w, w.finance.id, "queue=flagged")).body.payments).toEqual([]);
  });
});

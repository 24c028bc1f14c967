// The receipt page (/receipts/:id), the donor's receipts (/account/receipts) and the year-end
// statement (/account/receipts/statement), called the way Remix calls them.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { receipts, users } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { receiptPath } from "~/modules/receipts/receipts.server";
import * as receiptPage from "~/routes/receipts.$receiptId";
import * as myReceipts from "~/routes/account.receipts";
import * as statementPage from "~/routes/account.receipts_.statement";
import { addMember, createUser } from "../fixtures/db";
import { makeRequest, run, signIn } from "../fixtures/routes";
import { creditNoteFor, outboxTo, paymentRow, pledgeFor, receiptFor, receiptsWorld, refundRow } from "./receipts-world";

async function view(path: string, opts: { userId?: string; lng?: string } = {}) {
  const id = path.split("?")[0].split("/").pop()!;
  const cookie = opts.userId ? await signIn(opts.userId) : undefined;
  return run(receiptPage.loader, makeRequest(path, { cookie, lng: opts.lng }), { receiptId: id });
}

async function reissue(path: string, opts: { userId?: string; form?: Record<string, string> } = {}) {
  const id = path.split("?")[0].split("/").pop()!;
  const cookie = opts.userId ? await signIn(opts.userId) : undefined;
  return run(receiptPage.action, makeRequest(path, { cookie, form: { intent: "reissue", ...opts.form } }), { receiptId: id });
}

/** A donor with an account, a pledge and a paid receipt. */
async function paidDonor(w: Awaited<ReturnType<typeof receiptsWorld>>, amountMinor = 3_000) {
  const donor = await createUser({ displayName: "Donor" });
  const pledge = await pledgeFor(w, { amountMinor, donorUserId: donor.id, email: donor.email, locale: "en" });
  const payment = await paymentRow(w, { pledgeId: pledge.id, amountMinor });
  const receipt = await receiptFor(payment.id);
  return { donor, pledge, payment, receipt };
}

describe("/receipts/:id — who may see it", () => {
  it("the signed link works for a guest; a wrong, missing or other receipt's signature is a 404", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 2_500, locale: "ar" });
    const payment = await paymentRow(w, { pledgeId: pledge.id, amountMinor: 2_500 });
    const { id, number } = await receiptFor(payment.id);
    const other = await receiptFor((await paymentRow(w, { pledgeId: null, donorEmail: null })).id);

    const ok = await view(receiptPath(id), { lng: "en" });
    expect(ok.status).toBe(200);
    expect(ok.headers?.get("Cache-Control")).toBe("private, no-store");
    expect(ok.body.receipt).toMatchObject({
      kind: "receipt",
      number,
      amount: "US$25.00",
      method: "bank_transfer",
      needTitle: "School fees for a ninth-grade student",
      orgName: "Test Association for Relief (registered)",
      registrationNumber: "LB-REG-2291",
      pledgeReference: pledge.reference,
      destination: "need",
      surplus: null,
    });
    expect(ok.body.canReissue).toBe(true);

    const otherSignature = new URL(receiptPath(other.id), "http://x").searchParams.get("s")!;
    for (const path of [`/receipts/${id}`, `/receipts/${id}?s=`, `/receipts/${id}?s=${otherSignature}`, `/receipts/${id}?s=AAAAAAAAAAAAAAAAAAAAAA`]) {
      const refused = await view(path);
      expect(refused.status).toBe(404);
      expect(refused.body).toBeNull();
      expect(refused.headers?.get("Cache-Control")).toBe("private, no-store");
    }
    // A receipt that does not exist and a malformed id answer the same.
    expect((await view("/receipts/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await view("/receipts/not-a-uuid")).status).toBe(404);
  });

  it("the signed-in donor sees their own; another donor 404; finance of its organisation yes, of another 404; a caseworker 404", async () => {
    const w = await receiptsWorld();
    const b = await receiptsWorld();
    const { donor, receipt } = await paidDonor(w);
    const stranger = await createUser();

    expect((await view(`/receipts/${receipt.id}`, { userId: donor.id })).status).toBe(200);
    expect((await view(`/receipts/${receipt.id}`, { userId: stranger.id })).status).toBe(404);
    const fin = await view(`/receipts/${receipt.id}`, { userId: w.finance.id });
    expect(fin.status).toBe(200);
    expect(fin.body.finance).toBe(true);
    expect((await view(`/receipts/${receipt.id}`, { userId: w.admin.id })).status).toBe(200);
    expect((await view(`/receipts/${receipt.id}`, { userId: b.finance.id })).status).toBe(404);
    expect((await view(`/receipts/${receipt.id}`, { userId: w.author.id })).status).toBe(404);
    // Not signed in and no signature: a 404 too, not a sign-in page that confirms it exists.
    expect((await view(`/receipts/${receipt.id}`)).status).toBe(404);
  });

  it("a guest's receipt is the account's once that address is confirmed on it", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 1_000 });
    const { id } = await receiptFor((await paymentRow(w, { pledgeId: pledge.id })).id);
    const unverified = await createUser({ email: pledge.email, emailVerifiedAt: null });
    expect((await view(`/receipts/${id}`, { userId: unverified.id })).status).toBe(404);
    await (await getDb()).update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, unverified.id));
    expect((await view(`/receipts/${id}`, { userId: unverified.id })).status).toBe(200);
  });
});

describe("/receipts/:id — the credit note and reissue", () => {
  it("a credit note names the receipt it corrects, with a signed link for the guest", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 4_000 });
    const payment = await paymentRow(w, { pledgeId: pledge.id, amountMinor: 4_000 });
    const receipt = await receiptFor(payment.id);
    const note = await creditNoteFor((await refundRow(payment, 1_000)).id);
    const page = await view(receiptPath(note.id), { lng: "en" });
    expect(page.status).toBe(200);
    expect(page.body.receipt).toMatchObject({ kind: "credit_note", number: "CN-2026-000001", refersToNumber: receipt.number, amount: "US$10.00" });
    expect(page.body.refersToHref).toBe(receiptPath(receipt.id));
  });

  it("reissue keeps the number, stamps reissued_at, emails again; twice within minutes is refused politely; strangers 404", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 1_000, locale: "en" });
    const { id, number } = await receiptFor((await paymentRow(w, { pledgeId: pledge.id })).id);
    const signature = new URL(receiptPath(id), "http://x").searchParams.get("s")!;

    expect((await reissue(`/receipts/${id}`)).status).toBe(404);
    expect((await reissue(`/receipts/${id}`, { form: { s: "AAAAAAAAAAAAAAAAAAAAAA" } })).status).toBe(404);
    expect((await outboxTo(pledge.email)).filter((m) => m.template === "receipt")).toHaveLength(1);

    const sent = await reissue(`/receipts/${id}`, { form: { s: signature } });
    expect(sent.status).toBe(302);
    expect(sent.location).toBe(`${receiptPath(id)}&reissued=sent`);
    const mails = (await outboxTo(pledge.email)).filter((m) => m.template === "receipt");
    expect(mails).toHaveLength(2);
    expect(mails.every((m) => m.subject.includes(number))).toBe(true);
    expect(mails.some((m) => m.text.includes("same number"))).toBe(true);
    const [row] = await (await getDb()).select().from(receipts).where(eq(receipts.id, id));
    expect(row.number).toBe(number);
    expect(row.reissuedAt).not.toBeNull();

    const again = await reissue(`/receipts/${id}`, { userId: w.finance.id });
    expect(again.location).toBe(`/receipts/${id}?reissued=too_soon`);
    expect((await outboxTo(pledge.email)).filter((m) => m.template === "receipt")).toHaveLength(2);
  });
});

describe("/account/receipts and the year-end statement", () => {
  it("lists the donor's receipts and credit notes only, paginated, with one statement per organisation and year", async () => {
    const w = await receiptsWorld();
    const b = await receiptsWorld();
    const { donor, payment } = await paidDonor(w, 3_000);
    await creditNoteFor((await refundRow(payment, 500)).id);
    const inB = await pledgeFor(b, { amountMinor: 700, donorUserId: donor.id, email: donor.email });
    await receiptFor((await paymentRow(b, { pledgeId: inB.id, amountMinor: 700 })).id, new Date("2025-05-05T10:00:00Z"));
    await paidDonor(w, 9_999); // someone else's

    const cookie = await signIn(donor.id);
    const page = await run(myReceipts.loader, makeRequest("/account/receipts", { cookie, lng: "en" }));
    expect(page.status).toBe(200);
    expect(page.headers?.get("Cache-Control")).toBe("private, no-store");
    expect(page.body.total).toBe(3);
    expect(page.body.receipts.map((r: { kind: string }) => r.kind).sort()).toEqual(["credit_note", "receipt", "receipt"]);
    expect(page.body.receipts.map((r: { amount: string }) => r.amount)).not.toContain("US$99.99");
    expect(page.body.statements.map((s: { year: number; href: string }) => [s.year, s.href])).toEqual([
      [2026, `/account/receipts/statement?org=${w.org.slug}&year=2026`],
      [2025, `/account/receipts/statement?org=${b.org.slug}&year=2025`],
    ]);
    // Not signed in: the sign-in page.
    const anon = await run(myReceipts.loader, makeRequest("/account/receipts"));
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("paginates 25 to a page", async () => {
    const w = await receiptsWorld();
    const donor = await createUser();
    for (let i = 0; i < 27; i++) {
      const pledge = await pledgeFor(w, { amountMinor: 100 + i, donorUserId: donor.id, email: donor.email });
      await receiptFor((await paymentRow(w, { pledgeId: pledge.id, amountMinor: 100 + i })).id, new Date(Date.UTC(2026, 0, 1 + i, 12)));
    }
    const cookie = await signIn(donor.id);
    const one = await run(myReceipts.loader, makeRequest("/account/receipts", { cookie }));
    const two = await run(myReceipts.loader, makeRequest("/account/receipts?page=2", { cookie }));
    expect(one.body.pages).toBe(2);
    expect(one.body.receipts).toHaveLength(25);
    expect(two.body.receipts.map((r: { number: string }) => r.number)).toEqual(["R-2026-000002", "R-2026-000001"]);
  });

  it("the statement lists every receipt and credit note of the year and totals per currency, minus credit notes", async () => {
    const w = await receiptsWorld();
    const donor = await createUser({ displayName: "Rania" });
    const amounts = [3_000, 1_250, 4_000];
    const paid = [];
    for (const amountMinor of amounts) {
      const pledge = await pledgeFor(w, { amountMinor, donorUserId: donor.id, email: donor.email });
      paid.push(await paymentRow(w, { pledgeId: pledge.id, amountMinor }));
      await receiptFor(paid.at(-1)!.id);
    }
    // A payment in euros with no pledge, recorded to the donor's address (the account's verified email).
    const eur = await paymentRow(w, { pledgeId: null, donorEmail: donor.email, amountMinor: 2_000, currency: "EUR" });
    await receiptFor(eur.id);
    await creditNoteFor((await refundRow(paid[0], 1_000)).id);
    // Last year's receipt is on last year's statement.
    const old = await pledgeFor(w, { amountMinor: 777, donorUserId: donor.id, email: donor.email });
    await receiptFor((await paymentRow(w, { pledgeId: old.id, amountMinor: 777 })).id, new Date("2025-06-01T12:00:00Z"));

    const cookie = await signIn(donor.id);
    const get = (query: string) => run(statementPage.loader, makeRequest(`/account/receipts/statement?${query}`, { cookie, lng: "en" }));
    const page = await get(`org=${w.org.slug}&year=2026`);
    expect(page.status).toBe(200);
    expect(page.body.donor).toBe("Rania");
    expect(page.body.org).toEqual({ name: "Test Association for Relief (registered)", registrationNumber: "LB-REG-2291" });
    expect(page.body.rows.map((r: { number: string }) => r.number)).toEqual(["R-2026-000001", "R-2026-000002", "R-2026-000003", "R-2026-000004", "CN-2026-000001"]);
    expect(page.body.totals.map((x: { currency: string; netMinor: number }) => [x.currency, x.netMinor])).toEqual([
      ["EUR", 2_000],
      ["USD", 3_000 + 1_250 + 4_000 - 1_000],
    ]);
    expect(page.body.totals[1]).toMatchObject({ receipts: "US$82.50", creditNotes: "US$10.00", net: "US$72.50" });

    const last = await get(`org=${w.org.slug}&year=2025`);
    expect(last.body.totals).toEqual([expect.objectContaining({ currency: "USD", netMinor: 777 })]);

    // Another donor, another organisation, a year with nothing, or nonsense: 404.
    const stranger = await createUser();
    const strangerPage = await run(statementPage.loader, makeRequest(`/account/receipts/statement?org=${w.org.slug}&year=2026`, { cookie: await signIn(stranger.id) }));
    expect(strangerPage.status).toBe(404);
    for (const query of [`org=${w.org.slug}&year=2024`, "org=no-such-org&year=2026", `org=${w.org.slug}&year=abcd`, "org=%00&year=2026", ""]) {
      expect((await get(query)).status).toBe(404);
    }
  });

  it("finance is no donor: finance of the organisation does not get the donor's statement", async () => {
    const w = await receiptsWorld();
    await paidDonor(w);
    await addMember(w.org.id, w.finance.id, "org_admin");
    const page = await run(statementPage.loader, makeRequest(`/account/receipts/statement?org=${w.org.slug}&year=2026`, { cookie: await signIn(w.finance.id) }));
    expect(page.status).toBe(404);
  });
});

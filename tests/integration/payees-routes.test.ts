// The payees routes called the way Remix calls them: roles, organisation, zod, four-eyes, replies.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { payeeDetailChanges, payees } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createPayee, requestDetailChange } from "~/modules/payees/payees.server";
import * as listPage from "~/routes/finance.$orgSlug.payees._index";
import * as payeePage from "~/routes/finance.$orgSlug.payees.$payeeId";
import { addMember, createUser } from "../fixtures/db";
import { actorFor, needsWorld } from "../fixtures/needs";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";

const IBAN = "LB62099900000001001901229114";

async function world() {
  const w = await needsWorld();
  const financeA = await createUser({ displayName: "Finance A" });
  const financeB = await createUser({ displayName: "Finance B" });
  await addMember(w.org.id, financeA.id, "finance");
  await addMember(w.org.id, financeB.id, "finance");
  const payee = await createPayee(await getDb(), actorFor(financeA.id), { orgId: w.org.id, kind: "hospital", name: "مستشفى المقاصد" });
  return {
    ...w,
    financeA,
    financeB,
    payee,
    cookie: { a: await signIn(financeA.id), b: await signIn(financeB.id), caseworker: await signIn(w.author.id) },
  };
}

const row = async (id: string) => (await (await getDb()).select().from(payees).where(eq(payees.id, id)))[0];

describe("payees routes", () => {
  it("lists and searches the organisation's payees; a caseworker is refused", async () => {
    const w = await world();
    const url = `/finance/${w.org.slug}/payees?q=${encodeURIComponent("المقاصد")}`;
    const ok = await run(listPage.loader, makeRequest(url, { cookie: w.cookie.a }), { orgSlug: w.org.slug });
    expect(ok.status).toBe(200);
    expect(ok.body.rows.map((r: { id: string }) => r.id)).toEqual([w.payee.id]);
    const bad = await run(listPage.loader, makeRequest(`/finance/${w.org.slug}/payees?kind=spaceship`, { cookie: w.cookie.a }), { orgSlug: w.org.slug });
    expect(bad.status).toBe(400);
    expect((await run(listPage.loader, makeRequest(url, { cookie: w.cookie.caseworker }), { orgSlug: w.org.slug })).status).toBe(403);
  });

  it("creates a payee from the form; bad input is a 400 with the messages and adds nothing", async () => {
    const w = await world();
    const params = { orgSlug: w.org.slug };
    const url = `/finance/${w.org.slug}/payees`;
    const count = async () => (await (await getDb()).select({ id: payees.id }).from(payees).where(eq(payees.orgId, w.org.id))).length;
    const before = await count();
    const bad = await run(listPage.action, makeRequest(url, { cookie: w.cookie.a, form: { kind: "spaceship", name: "", email: "not-an-email" } }), params);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toMatchObject({ kind: ["errors:invalidChoice"], name: ["errors:required"], email: ["errors:invalidEmail"] });
    expect(await count()).toBe(before);
    const ok = await run(listPage.action, makeRequest(url, { cookie: w.cookie.a, form: { kind: "school", name: "Al-Amal School", phone: "+961 1 111 111" } }), params);
    expect(ok.status).toBe(302);
    expect(ok.location).toMatch(new RegExp(`^/finance/${w.org.slug}/payees/[0-9a-f-]{36}\\?notice=created$`));
    expect(await count()).toBe(before + 1);
    // A caseworker's forged post is refused before anything is read.
    expect((await run(listPage.action, makeRequest(url, { cookie: w.cookie.caseworker, form: { kind: "school", name: "X" } }), params)).status).toBe(403);
    expect(await count()).toBe(before + 1);
  });

  it("another organisation's payee id is a 404 for reading and every change", async () => {
    const a = await world();
    const b = await world();
    const params = { orgSlug: b.org.slug, payeeId: a.payee.id };
    const url = `/finance/${b.org.slug}/payees/${a.payee.id}`;
    expect((await run(payeePage.loader, makeRequest(url, { cookie: b.cookie.a }), params)).status).toBe(404);
    const forms: Form[] = [
      { intent: "update", name: "Stolen", status: "active" },
      { intent: "request", collection: "bank_transfer", bankName: "Evil Bank", accountHolder: "Evil", accountNumber: IBAN },
    ];
    for (const form of forms) {
      expect((await run(payeePage.action, makeRequest(url, { cookie: b.cookie.a, form }), params)).status).toBe(404);
    }
    expect(await row(a.payee.id)).toMatchObject({ name: "مستشفى المقاصد", accountNumber: null });
    expect((await run(payeePage.loader, makeRequest(url, { cookie: b.cookie.a }), { orgSlug: b.org.slug, payeeId: "nonsense" })).status).toBe(404);
  });

  it("four-eyes through the page: the requester sees withdraw, their forged approve is refused (403, nothing changed), the second person approves", async () => {
    const w = await world();
    const params = { orgSlug: w.org.slug, payeeId: w.payee.id };
    const url = `/finance/${w.org.slug}/payees/${w.payee.id}`;
    const badRequest = await run(payeePage.action, makeRequest(url, { cookie: w.cookie.a, form: { intent: "request", collection: "bank_transfer", bankName: "B", accountHolder: "H", accountNumber: "LB62099900000001001901229115" } }), params);
    expect(badRequest.status).toBe(400);
    expect(badRequest.body.errors.accountNumber).toEqual(["payees:errors.accountNumberInvalid"]);
    expect((await (await getDb()).select().from(payeeDetailChanges).where(eq(payeeDetailChanges.payeeId, w.payee.id))).length).toBe(0);

    const requested = await run(payeePage.action, makeRequest(url, { cookie: w.cookie.a, form: { intent: "request", collection: "bank_transfer", bankName: "Bank of Beirut", accountHolder: "Makassed", accountNumber: "LB62 0999 0000 0001 0019 0122 9114" } }), params);
    expect(requested.status).toBe(302);
    const view = await run(payeePage.loader, makeRequest(url, { cookie: w.cookie.a }), params);
    expect(view.body.pending.proposed.accountNumber).toBe(IBAN);
    expect(view.body.pending.requestedBy).toBe(w.financeA.id);
    expect(JSON.stringify(view.body.changes)).not.toContain(IBAN);
    const changeId = view.body.pending.id;

    const forged = await run(payeePage.action, makeRequest(url, { cookie: w.cookie.a, form: { intent: "decide", changeId, decision: "approve" } }), params);
    expect(forged.status).toBe(403);
    expect(forged.body.formErrors).toEqual(["payees:errors.four_eyes_same_person"]);
    expect(await row(w.payee.id)).toMatchObject({ accountNumber: null, detailsApprovedAt: null });

    const noReason = await run(payeePage.action, makeRequest(url, { cookie: w.cookie.b, form: { intent: "decide", changeId, decision: "reject" } }), params);
    expect(noReason.status).toBe(400);
    const approved = await run(payeePage.action, makeRequest(url, { cookie: w.cookie.b, form: { intent: "decide", changeId, decision: "approve" } }), params);
    expect(approved.status).toBe(302);
    expect(approved.location).toContain("notice=approved");
    expect(await row(w.payee.id)).toMatchObject({ accountNumber: IBAN, bankName: "Bank of Beirut", collection: "bank_transfer" });
  });

  it("a change of another payee cannot be decided through this payee's page", async () => {
    const w = await world();
    const other = await createPayee(await getDb(), actorFor(w.financeA.id), { orgId: w.org.id, kind: "school", name: "Other school" });
    const change = await requestDetailChange(await getDb(), actorFor(w.financeA.id), other.id, {
      orgId: w.org.id,
      proposed: { collection: "cash", cashCollectionNote: "the bursar with the school stamp" },
    });
    const params = { orgSlug: w.org.slug, payeeId: w.payee.id };
    const res = await run(payeePage.action, makeRequest(`/finance/${w.org.slug}/payees/${w.payee.id}`, { cookie: w.cookie.b, form: { intent: "decide", changeId: change.id, decision: "approve" } }), params);
    expect(res.status).toBe(404);
    const [still] = await (await getDb()).select().from(payeeDetailChanges).where(eq(payeeDetailChanges.id, change.id));
    expect(still.status).toBe("pending");
  });
});

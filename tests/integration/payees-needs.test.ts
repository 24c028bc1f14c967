// The need editor links a payee record (new by name, or picked), and no public page or projection
// ever carries the payee.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { needs, payees } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createNeed, getNeedForStaff, transitionNeed } from "~/modules/needs/needs.server";
import { createPayee, decideDetailChange, requestDetailChange } from "~/modules/payees/payees.server";
import * as newPage from "~/routes/staff.$orgSlug.needs.new";
import * as editPage from "~/routes/staff.$orgSlug.needs.$needId.edit";
import * as publicNeedPage from "~/routes/needs.$publicId";
import { addMember, createUser } from "../fixtures/db";
import { actorFor, needFields, needsWorld } from "../fixtures/needs";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";
import { serve } from "../fixtures/public-app";

const PAYEE_NAME = "Lycée Zahrat Al-Madaen";
const IBAN = "LB62099900000001001901229114";

const form = (overrides: Form = {}): Form => ({
  intent: "save",
  category: "school_fees",
  target: "200",
  deadline: "2099-01-31",
  urgency: "normal",
  payeeKind: "school",
  titleAr: "أقساط مدرسية",
  storyAr: "طالب يحتاج إلى دعم.",
  ...overrides,
});

async function world() {
  const w = await needsWorld();
  const finance = await createUser({ displayName: "Finance" });
  const treasurer = await createUser({ displayName: "Treasurer" });
  await addMember(w.org.id, finance.id, "finance");
  await addMember(w.org.id, treasurer.id, "finance");
  return { ...w, finance, treasurer, cookie: await signIn(w.author.id) };
}

describe("the need editor's payee", () => {
  it("offers the organisation's payees; a new name creates (then reuses) a payee record; picking one by id links it", async () => {
    const w = await world();
    const db = await getDb();
    const existing = await createPayee(db, actorFor(w.finance.id), { orgId: w.org.id, kind: "school", name: "مدرسة الأمل" });
    const url = `/staff/${w.org.slug}/needs/new?household=${w.household.id}`;
    const params = { orgSlug: w.org.slug };
    const page = await run(newPage.loader, makeRequest(url, { cookie: w.cookie }), params);
    expect(page.body.payeeOptions).toEqual([{ id: existing.id, kind: "school", name: "مدرسة الأمل", own: false }]);

    const created = await run(newPage.action, makeRequest(url, { cookie: w.cookie, form: form({ payeeName: PAYEE_NAME }) }), params);
    expect(created.status).toBe(302);
    const needId = created.location!.match(/needs\/([0-9a-f-]{36})/)![1];
    const [need] = await db.select().from(needs).where(eq(needs.id, needId));
    const [payee] = await db.select().from(payees).where(eq(payees.id, need.payeeId!));
    expect(payee).toMatchObject({ orgId: w.org.id, kind: "school", name: PAYEE_NAME, accountNumber: null });
    const again = await run(newPage.action, makeRequest(url, { cookie: w.cookie, form: form({ payeeName: "lycee zahrat al-madaen" }) }), params);
    const [second] = await db.select().from(needs).where(eq(needs.id, again.location!.match(/needs\/([0-9a-f-]{36})/)![1]));
    expect(second.payeeId).toBe(payee.id);

    const picked = await run(newPage.action, makeRequest(url, { cookie: w.cookie, form: form({ payeeId: existing.id }) }), params);
    expect(picked.status).toBe(302);
    const [third] = await db.select().from(needs).where(eq(needs.id, picked.location!.match(/needs\/([0-9a-f-]{36})/)![1]));
    expect(third.payeeId).toBe(existing.id);

    // The edit page selects the need's payee.
    const edit = await run(editPage.loader, makeRequest(`/staff/${w.org.slug}/needs/${third.id}/edit`, { cookie: w.cookie }), { orgSlug: w.org.slug, needId: third.id });
    expect(edit.body.defaults.payeeId).toBe(existing.id);
  });

  it("refuses another organisation's payee, a payee of another kind, and no payee at all, with a field message; nothing is written", async () => {
    const w = await world();
    const other = await world();
    const db = await getDb();
    const theirs = await createPayee(db, actorFor(other.finance.id), { orgId: other.org.id, kind: "school", name: "Their school" });
    const hospital = await createPayee(db, actorFor(w.finance.id), { orgId: w.org.id, kind: "hospital", name: "Makassed" });
    const url = `/staff/${w.org.slug}/needs/new?household=${w.household.id}`;
    const params = { orgSlug: w.org.slug };
    const count = async () => (await db.select({ id: needs.id }).from(needs).where(eq(needs.orgId, w.org.id))).length;
    const before = await count();
    const foreign = await run(newPage.action, makeRequest(url, { cookie: w.cookie, form: form({ payeeId: theirs.id }) }), params);
    expect(foreign.status).toBe(400);
    expect(foreign.body.result.error.payeeId).toEqual(["payees:errors.payee_not_found"]);
    const kind = await run(newPage.action, makeRequest(url, { cookie: w.cookie, form: form({ payeeId: hospital.id }) }), params);
    expect(kind.status).toBe(400);
    expect(kind.body.result.error.payeeId).toEqual(["payees:errors.kind_mismatch"]);
    const none = await run(newPage.action, makeRequest(url, { cookie: w.cookie, form: form() }), params);
    expect(none.status).toBe(400);
    expect(none.body.result.error.payeeName).toEqual(["needs:errors.payeeNameRequired"]);
    const junk = await run(newPage.action, makeRequest(url, { cookie: w.cookie, form: form({ payeeId: "not-a-uuid" }) }), params);
    expect(junk.status).toBe(400);
    expect(await count()).toBe(before);
    expect((await db.select().from(payees).where(eq(payees.orgId, w.org.id))).map((p) => p.name)).toEqual(["Makassed"]);
  });
});

describe("the public never sees a payee", () => {
  it("the projection, the need page's data and every public page's HTML carry neither the payee's name, id nor account", async () => {
    const w = await world();
    const db = await getDb();
    const payee = await createPayee(db, actorFor(w.finance.id), { orgId: w.org.id, kind: "school", name: PAYEE_NAME, contactName: "Mr. Karimeddine" });
    const change = await requestDetailChange(db, actorFor(w.finance.id), payee.id, {
      orgId: w.org.id,
      proposed: { collection: "bank_transfer", bankName: "Banque Libano-Française", accountHolder: PAYEE_NAME, accountNumber: IBAN },
    });
    await decideDetailChange(db, actorFor(w.treasurer.id), change.id, { orgId: w.org.id, decision: "approve" });
    const draft = await createNeed(db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      authorId: w.author.id,
      householdId: w.household.id,
      fields: needFields({ payeeKind: "school", payeeId: payee.id, payeeName: null, payeeDetails: null, publicRegionId: w.governorate.id }),
      items: [],
    });
    await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: draft.id, action: "submit" });
    const need = await transitionNeed(db, actorFor(w.verifier.id), { orgId: w.org.id, needId: draft.id, action: "verify" });
    expect(need.state).toBe("published");
    expect(need.payeeId).toBe(payee.id);

    const secrets = [PAYEE_NAME, "Zahrat", payee.id, IBAN, "Libano", "Karimeddine"];
    // The account's last four digits as a masked display would show them ("•••• 9114") — not
    // inside an unrelated id: a public page lists every governorate's UUID, and on the shared
    // test database one of them may well contain 9114.
    const lastFour = /(?<![\w-])9114(?![\w-])/;
    const staff = await getNeedForStaff(db, w.org.id, need.id);
    expect(staff.payeeRecordName).toBe(PAYEE_NAME);
    const projection = JSON.stringify(staff.publicNeed);
    for (const s of secrets) expect(projection, `projection leaks ${s}`).not.toContain(s);
    expect(projection).not.toMatch(lastFour);
    expect(Object.keys(staff.publicNeed).some((k) => /payee/i.test(k))).toBe(false);

    const result = (await publicNeedPage.loader({
      request: new Request(`http://localhost/needs/${need.publicId}`),
      params: { publicId: need.publicId },
      context: {},
    })) as unknown as { data: unknown };
    const json = JSON.stringify(result.data ?? result);
    expect(json).toContain(need.publicId);
    for (const s of secrets) expect(json, `need data leaks ${s}`).not.toContain(s);
    expect(json).not.toMatch(lastFour);

    for (const p of [`/needs/${need.publicId}`, `/needs?org=${w.org.slug}`, `/orgs/${w.org.slug}`, "/needs"]) {
      const response = await serve(p);
      expect(response.status, p).toBe(200);
      const html = await response.text();
      for (const s of secrets) expect(html, `${p} leaks ${s}`).not.toContain(s);
      expect(html, `${p} leaks the account's last four digits`).not.toMatch(lastFour);
    }
  });
});

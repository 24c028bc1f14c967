// The disbursement pages (/finance/:orgSlug/disbursements[/:batchId]) called the way Remix calls
// them: finance only, another organisation's batch not found, the two-step request without
// JavaScript, the requester told why they cannot approve, another officer approves, mark paid.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { disbursementBatches } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { todayIn } from "~/modules/needs/money";
import * as listPage from "~/routes/finance.$orgSlug.disbursements._index";
import * as batchPage from "~/routes/finance.$orgSlug.disbursements.$batchId";
import { disbursementWorld, type DisbursementWorld } from "../fixtures/disbursements";
import { needRow } from "../fixtures/pledging";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";

async function get(w: DisbursementWorld, userId: string, path: string, params: Record<string, string> = {}) {
  const [pathname] = path.split("?");
  const fn = pathname.split("/").length > 4 ? batchPage.loader : listPage.loader;
  return run(fn, makeRequest(path, { cookie: await signIn(userId) }), { orgSlug: w.org.slug, ...params });
}

async function post(w: DisbursementWorld, userId: string, form: Form, batchId?: string) {
  const url = `/finance/${w.org.slug}/disbursements${batchId ? `/${batchId}` : ""}`;
  return run(batchId ? batchPage.action : listPage.action, makeRequest(url, { cookie: await signIn(userId), form }), { orgSlug: w.org.slug, ...(batchId ? { batchId } : {}) });
}

describe("disbursement pages", () => {
  it("request in two steps, the requester cannot approve (and is told why), another officer approves, then mark paid", async () => {
    const w = await disbursementWorld({ targetMinor: 10_000 });
    const base = `/finance/${w.org.slug}/disbursements`;
    const step1 = await get(w, w.finance.id, `${base}?new=1&q=Amal`);
    expect(step1.status).toBe(200);
    expect(step1.body.step1.rows.map((r: { id: string }) => r.id)).toContain(w.payee.id);
    const step2 = await get(w, w.finance.id, `${base}?payee=${w.payee.id}`);
    expect(step2.body.step2.needs).toHaveLength(1);
    expect(step2.body.step2.needs[0]).toMatchObject({ needId: w.need.id, availableMinor: 10_000, prefill: "100.00" });
    const key = step2.body.step2.idempotencyKey as string;

    const form = { intent: "request", payeeId: w.payee.id, method: "bank_transfer", moneyAccountId: w.bankId, idempotencyKey: key, [`amount_${w.need.id}`]: "100.01" };
    const over = await post(w, w.finance.id, form);
    expect(over.status).toBe(409);
    expect(over.body.itemErrors[w.need.id]).toMatch(/^over_balance\|/);
    const made = await post(w, w.finance.id, { ...form, [`amount_${w.need.id}`]: "100.00" });
    expect(made.status).toBe(302);
    const batchId = made.location!.split("/").pop()!.split("?")[0];

    const mine = await get(w, w.finance.id, `${base}/${batchId}`, { batchId });
    expect(mine.body.view.batch.status).toBe("requested");
    expect(mine.body.me).toBe(w.finance.id);
    const self = await post(w, w.finance.id, { intent: "approve" }, batchId);
    expect(self.status).toBe(403);
    expect(self.body.formErrors).toEqual(["disbursements:errors.four_eyes_same_person"]);

    expect((await post(w, w.approver.id, { intent: "approve" }, batchId)).status).toBe(302);
    const paid = await post(w, w.approver.id, { intent: "paid", paidDate: todayIn(w.org.timeZone), reference: "TRF-77" }, batchId);
    expect(paid.status).toBe(302);
    const view = await get(w, w.finance.id, `${base}/${batchId}`, { batchId });
    expect(view.body.view.batch.status).toBe("paid");
    expect(view.body.view.entry.postings).toHaveLength(2);
    expect((await needRow(w.need.id)).state).toBe("disbursed");

    const list = await get(w, w.finance.id, `${base}?status=paid`);
    expect(list.body.list.rows.map((r: { id: string }) => r.id)).toEqual([batchId]);
  }, 120_000);

  it("refuses a caseworker, and another organisation's finance sees no batch", async () => {
    const w = await disbursementWorld();
    const other = await disbursementWorld();
    const base = `/finance/${w.org.slug}/disbursements`;
    expect((await get(w, w.author.id, base)).status).toBe(403);
    const made = await post(w, w.finance.id, { intent: "request", payeeId: w.payee.id, method: "bank_transfer", moneyAccountId: w.bankId, idempotencyKey: crypto.randomUUID(), [`amount_${w.need.id}`]: "10" });
    const batchId = made.location!.split("/").pop()!.split("?")[0];
    // Their finance officer, on our organisation's URL: not a member.
    expect((await get(w, other.finance.id, `${base}/${batchId}`, { batchId })).status).toBe(404);
    // On their own organisation's URL with our batch id: not found, nothing changed.
    const theirs = await run(batchPage.action, makeRequest(`/finance/${other.org.slug}/disbursements/${batchId}`, { cookie: await signIn(other.approver.id), form: { intent: "approve" } }), { orgSlug: other.org.slug, batchId });
    expect(theirs.status).toBe(404);
    const [row] = await (await getDb()).select().from(disbursementBatches).where(eq(disbursementBatches.id, batchId));
    expect(row.status).toBe("requested");
  });
});

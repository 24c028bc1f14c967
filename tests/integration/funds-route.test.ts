import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { todayIn } from "~/modules/needs/money";
import { createPledge } from "~/modules/pledging/pledges.server";
import { recordPayment } from "~/modules/payments/payments.server";
import * as funds from "~/routes/finance.$orgSlug.funds";
import * as allocationsCsv from "~/routes/finance.$orgSlug.allocations[.csv]";
import { parseCsv } from "~/modules/reports/csv";
import { createOrg, createUser, addMember } from "../fixtures/db";
import { actorFor } from "../fixtures/needs";
import { idemKey, pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn } from "../fixtures/routes";

describe("/finance/:orgSlug/funds", () => {
  it("finance sees the fund's balance and a dry run with each need's score; others are refused; a bad cap is a 400", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
    await recordPayment(db, actorFor(w.finance.id), { orgId: w.org.id, pledgeId: pledge.id, method: "bank_transfer", amountMinor: 1_600, currency: "USD", valueDate: todayIn(w.org.timeZone), idempotencyKey: idemKey() });

    const url = `/finance/${w.org.slug}/funds`;
    const ok = await run(funds.loader, makeRequest(`${url}?cap=5`, { cookie: await signIn(w.finance.id) }), { orgSlug: w.org.slug });
    expect(ok.status).toBe(200);
    expect(ok.body.balances).toEqual([{ currency: "USD", fund: "unrestricted_fund", balanceMinor: 600 }]);
    expect(ok.body.plan.rows).toEqual([expect.objectContaining({ needId: w.need.id, amountMinor: 500, score: expect.any(Number) })]);
    expect(ok.body.plan.rows[0].parts.urgency).toBeGreaterThan(0);

    const caseworker = await run(funds.loader, makeRequest(url, { cookie: await signIn(w.author.id) }), { orgSlug: w.org.slug });
    expect(caseworker.status).toBe(403);
    const stranger = await createUser();
    const otherOrg = await createOrg();
    await addMember(otherOrg.id, stranger.id, "finance");
    expect((await run(funds.loader, makeRequest(url, { cookie: await signIn(stranger.id) }), { orgSlug: w.org.slug })).status).toBe(404);
    expect((await run(funds.loader, makeRequest(url), { orgSlug: w.org.slug })).status).toBe(302);

    const bad = await run(funds.loader, makeRequest(`${url}?cap=-3`, { cookie: await signIn(w.finance.id) }), { orgSlug: w.org.slug });
    expect(bad.status).toBe(400);
    expect(bad.body.plan).toBeNull();
    const badCurrency = await run(funds.loader, makeRequest(`${url}?currency=EUR`, { cookie: await signIn(w.finance.id) }), { orgSlug: w.org.slug });
    expect(badCurrency.status).toBe(400);
  });

  it("finance runs the fund from the page: the money moves once even if the form is posted twice, and the run is listed with why each need was chosen", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
    await recordPayment(db, actorFor(w.finance.id), { orgId: w.org.id, pledgeId: pledge.id, method: "bank_transfer", amountMinor: 1_700, currency: "USD", valueDate: todayIn(w.org.timeZone), idempotencyKey: idemKey() });
    const url = `/finance/${w.org.slug}/funds`;
    const cookie = await signIn(w.finance.id);
    const page = await run(funds.loader, makeRequest(url, { cookie }), { orgSlug: w.org.slug });
    const form = { intent: "run", currency: "USD", cap: "7", key: page.body.runKey };

    const refused = await run(funds.action, makeRequest(url, { cookie: await signIn(w.author.id), form }), { orgSlug: w.org.slug });
    expect(refused.status).toBe(403);
    const badCap = await run(funds.action, makeRequest(url, { cookie, form: { ...form, cap: "0" } }), { orgSlug: w.org.slug });
    expect(badCap.status).toBe(400);
    expect((await run(funds.loader, makeRequest(url, { cookie }), { orgSlug: w.org.slug })).body.balances).toEqual([{ currency: "USD", fund: "unrestricted_fund", balanceMinor: 700 }]);

    const first = await run(funds.action, makeRequest(url, { cookie, form }), { orgSlug: w.org.slug });
    expect(first.status).toBe(302);
    const second = await run(funds.action, makeRequest(url, { cookie, form }), { orgSlug: w.org.slug });
    expect(second.status).toBe(302);
    const after = await run(funds.loader, makeRequest(`${url}?currency=USD&ran=1`, { cookie }), { orgSlug: w.org.slug });
    expect(after.body.balances).toEqual([]);
    expect(after.body.runs).toHaveLength(1);
    expect(after.body.runs[0]).toMatchObject({ allocatedMinor: 700, bySystem: false });
    expect(after.body.runs[0].allocations).toEqual([expect.objectContaining({ needId: w.need.id, amountMinor: 700, parts: expect.objectContaining({ urgency: expect.any(Number) }) })]);

    // The organisation's report: given this month, to this need (charts), and every allocation in the CSV; not for a caseworker.
    expect(after.body.byMonth).toEqual([expect.objectContaining({ value: 700 })]);
    expect(after.body.byNeed).toEqual([expect.objectContaining({ key: w.need.id, value: 700 })]);
    const csv = (await allocationsCsv.loader({ request: makeRequest(`/finance/${w.org.slug}/allocations.csv`, { cookie }), params: { orgSlug: w.org.slug }, context: {} })) as Response;
    const rows = parseCsv(await csv.text());
    expect(rows[0]).toContain("need_public_id");
    expect(rows).toHaveLength(2);
    expect(rows[1][rows[0].indexOf("need_public_id")]).toBe(w.need.publicId);
    expect(rows[1][rows[0].indexOf("amount")]).toBe("7.00");
    expect(rows[1][rows[0].indexOf("by")]).toBe("finance");
    const barred = await run(allocationsCsv.loader, makeRequest(`/finance/${w.org.slug}/allocations.csv`, { cookie: await signIn(w.author.id) }), { orgSlug: w.org.slug });
    expect(barred.status).toBe(403);
  });
});

// The reconciliation pages (/finance/:orgSlug/reconciliation and /:lineId), called the way Remix
// calls them: finance sees the queue with suggestions, splits a line over two pledges without
// JavaScript (three rows, one empty), undoes a match; another organisation's officer gets 404 /
// refusals; a bad form is a 400 that changes nothing.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { moneyAccounts, payments, statementImports, statementLines, statementMatches } from "#db/schema";
import { getDb } from "~/utils/db.server";
import * as queue from "~/routes/finance.$orgSlug.reconciliation._index";
import * as linePage from "~/routes/finance.$orgSlug.reconciliation.$lineId";
import { createPledge } from "~/modules/pledging/pledges.server";
import { todayIn } from "~/modules/needs/money";
import { pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn } from "../fixtures/routes";

describe("reconciliation pages", () => {
  it("queue, split without JavaScript, line page and undo; another organisation refused", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const other = await pledgeWorld({ targetMinor: 50_000 });
    const db = await getDb();
    const [account] = await db.insert(moneyAccounts).values({ orgId: w.org.id, kind: "bank", name: `BLOM ${randomBytes(3).toString("hex")}`, currency: "USD" }).returning();
    const [imp] = await db
      .insert(statementImports)
      .values({ orgId: w.org.id, moneyAccountId: account.id, fileName: "s.csv", sha256: "x", sizeBytes: 1, content: "", mapping: { date: 0, amount: 1, dateOrder: "auto", decimalMark: ".", delimiter: ",", skipRows: 0, hasHeader: true, encoding: "utf-8" } })
      .returning();
    const { pledge: a } = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_000 }));
    const { pledge: b } = await createPledge(db, pledgeInput(w.need, { amountMinor: 3_000 }));
    const [line] = await db
      .insert(statementLines)
      .values({ orgId: w.org.id, moneyAccountId: account.id, importId: imp.id, lineNo: 7, fingerprint: "f1", valueDate: todayIn(w.org.timeZone), amountMinor: 5_000, currency: "USD", description: "DEPOSIT FAMILY", suggestions: [{ kind: "pledge", id: a.id, label: a.reference, score: 30, reasons: [{ code: "amount_close", value: 2_000 }] }], status: "suggested" })
      .returning();
    const cookie = await signIn(w.finance.id);
    const base = `/finance/${w.org.slug}/reconciliation`;

    const page = await run(queue.loader, makeRequest(base, { cookie }), { orgSlug: w.org.slug });
    expect(page.status).toBe(200);
    expect((page.body as { rows: { id: string; suggestions: unknown[] }[] }).rows).toEqual([expect.objectContaining({ id: line.id, suggestions: [expect.objectContaining({ label: a.reference })] })]);
    expect((await run(queue.loader, makeRequest(`${base}?month=2026-13`, { cookie }), { orgSlug: w.org.slug })).status).toBe(400);

    // Another organisation's finance officer: the line is not theirs.
    const otherCookie = await signIn(other.finance.id);
    expect((await run(linePage.loader, makeRequest(`/finance/${other.org.slug}/reconciliation/${line.id}`, { cookie: otherCookie }), { orgSlug: other.org.slug, lineId: line.id })).status).toBe(404);
    const foreign = await run(queue.action, makeRequest(`/finance/${other.org.slug}/reconciliation`, { cookie: otherCookie, form: { intent: "manual", lineId: line.id, ref0: a.reference, amount0: "20" } }), { orgSlug: other.org.slug });
    expect(foreign.status).toBe(404);

    // A bad amount: 400, nothing booked.
    const bad = await run(queue.action, makeRequest(base, { cookie, form: { intent: "manual", lineId: line.id, ref0: a.reference, amount0: "abc" } }), { orgSlug: w.org.slug });
    expect(bad.status).toBe(400);
    expect(await db.select().from(payments).where(eq(payments.orgId, w.org.id))).toHaveLength(0);

    // Split over two rows (the third left empty), as the form posts it without JavaScript.
    const split = await run(queue.action, makeRequest(base, { cookie, form: { intent: "manual", lineId: line.id, ref0: a.reference.toLowerCase(), amount0: "20.00", ref1: b.reference, amount1: "30", ref2: "", amount2: "", fee2: "" } }), { orgSlug: w.org.slug });
    expect(split).toMatchObject({ status: 200, body: { ok: true } });
    const detail = await run(linePage.loader, makeRequest(`${base}/${line.id}`, { cookie }), { orgSlug: w.org.slug, lineId: line.id });
    const matches = (detail.body as { matches: { id: string; reference: string; status: string }[] }).matches;
    expect(matches.map((m) => m.reference).sort()).toEqual([a.reference, b.reference].sort());

    const undo = await run(linePage.action, makeRequest(`${base}/${line.id}`, { cookie, form: { intent: "undo", matchId: matches[0].id } }), { orgSlug: w.org.slug, lineId: line.id });
    expect(undo).toMatchObject({ status: 200, body: { ok: true } });
    const [m0] = await db.select().from(statementMatches).where(eq(statementMatches.id, matches[0].id));
    expect(m0.status).toBe("undone");
    const [after] = await db.select().from(statementLines).where(eq(statementLines.id, line.id));
    expect(after.status).not.toBe("matched");
  });
});

// Month-end, reports, exports and the household account pages, called the way Remix calls them.
import { describe, expect, it, vi } from "vitest";

// The first test also starts the database; the machine is shared.
vi.setConfig({ testTimeout: 120_000 });
import { and, eq } from "drizzle-orm";
import { auditLog, reconciliationPeriods, statementImports, statementLines } from "#db/schema";
import { getDb } from "~/utils/db.server";
import * as monthEndPage from "~/routes/finance.$orgSlug.month-end";
import * as reportsPage from "~/routes/finance.$orgSlug.reports";
import * as exportsRoute from "~/routes/finance.$orgSlug.exports.$kind";
import * as accountPage from "~/routes/staff.$orgSlug.households.$householdId.account";
import * as accountCsv from "~/routes/staff.$orgSlug.households.$householdId.account[.csv]";
import { recordPayment } from "~/modules/payments/payments.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { parseCsv } from "~/modules/reports/csv";
import { actorFor } from "../fixtures/needs";
import { idemKey, pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn } from "../fixtures/routes";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

async function pay(w: World, amountMinor: number, valueDate: string) {
  const db = await getDb();
  const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor }));
  const { payment } = await recordPayment(db, actorFor(w.finance.id), {
    orgId: w.org.id,
    pledgeId: pledge.id,
    method: "bank_transfer",
    amountMinor,
    currency: "USD",
    valueDate,
    idempotencyKey: idemKey(),
  });
  return payment;
}

async function file(loader: (args: never) => unknown, url: string, userId: string, params: Record<string, string>) {
  const response = (await (loader as (a: unknown) => Promise<Response>)({ request: makeRequest(url, { cookie: await signIn(userId) }), params, context: {} }).catch(
    (e: unknown) => e,
  )) as Response;
  // Decoded keeping the byte-order mark (Response.text() would drop it).
  const text = response.status === 200 ? new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer()) : "";
  return { status: response.status, text, headers: response.headers };
}

describe("household account", () => {
  it("shows the ledger's figures to the organisation's caseworker, as a page and CSV; 404 for another organisation's household", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    await pay(w, 2_500, "2026-09-10");
    const params = { orgSlug: w.org.slug, householdId: w.household.id };
    const page = await run(accountPage.loader, makeRequest(`/staff/${w.org.slug}/households/${w.household.id}/account`, { cookie: await signIn(w.author.id) }), params);
    expect(page.status).toBe(200);
    expect(page.body.account.needs).toEqual([expect.objectContaining({ needId: w.need.id, receivedMinor: 2_500, disbursedMinor: 0, balanceMinor: 2_500 })]);

    const csv = await file(accountCsv.loader, `/staff/${w.org.slug}/households/${w.household.id}/account.csv`, w.author.id, params);
    expect(csv.status).toBe(200);
    expect(csv.text.startsWith("\uFEFF")).toBe(true);
    const rows = parseCsv(csv.text);
    expect(rows[1]).toEqual(expect.arrayContaining(["need", w.need.publicId, "2500", "25.00"]));
    expect(csv.text).not.toContain("فاطمة");
    expect(csv.text).not.toContain("+961");

    // A verifier may not; another organisation's staff asking for this household through their own org: 404.
    const verifier = await run(accountPage.loader, makeRequest(`/staff/${w.org.slug}/households/${w.household.id}/account`, { cookie: await signIn(w.verifier.id) }), params);
    expect(verifier.status).toBe(403);
    const other = await pledgeWorld();
    const otherParams = { orgSlug: other.org.slug, householdId: w.household.id };
    const cross = await run(accountPage.loader, makeRequest(`/staff/${other.org.slug}/households/${w.household.id}/account`, { cookie: await signIn(other.author.id) }), otherParams);
    expect(cross.status).toBe(404);
    expect((await file(accountCsv.loader, `/staff/${other.org.slug}/households/${w.household.id}/account.csv`, other.author.id, otherParams)).status).toBe(404);
    // Not a member of the household's organisation at all: 404.
    expect((await run(accountPage.loader, makeRequest(`/staff/${w.org.slug}/households/${w.household.id}/account`, { cookie: await signIn(other.author.id) }), params)).status).toBe(404);
  });
});

describe("exports route", () => {
  it("serves the journal CSV to finance, audited; refuses caseworkers, unknown kinds and bad dates", async () => {
    const w = await pledgeWorld();
    await pay(w, 1_000, "2026-09-10");
    const params = { orgSlug: w.org.slug, kind: "journal.csv" };
    const ok = await file(exportsRoute.loader, `/finance/${w.org.slug}/exports/journal.csv?month=2026-09`, w.finance.id, params);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/csv");
    expect(parseCsv(ok.text)).toHaveLength(3);
    const db = await getDb();
    expect(await db.select().from(auditLog).where(and(eq(auditLog.orgId, w.org.id), eq(auditLog.action, "reports.export")))).toHaveLength(1);
    expect((await file(exportsRoute.loader, `/finance/${w.org.slug}/exports/journal.csv`, w.author.id, params)).status).toBe(403);
    expect((await file(exportsRoute.loader, `/finance/${w.org.slug}/exports/donors.csv`, w.finance.id, { orgSlug: w.org.slug, kind: "donors.csv" })).status).toBe(404);
    expect((await file(exportsRoute.loader, `/finance/${w.org.slug}/exports/journal?from=2026-02-31`, w.finance.id, { orgSlug: w.org.slug, kind: "journal" })).status).toBe(400);
  });
});

describe("month-end and reports pages", () => {
  it("shows the figures, refuses closing with the reason, closes when clean", async () => {
    const w = await pledgeWorld();
    const p = await pay(w, 1_000, "2026-09-10");
    const bank = p.moneyAccountId!;
    const params = { orgSlug: w.org.slug };
    const cookie = await signIn(w.finance.id);
    const view = await run(monthEndPage.loader, makeRequest(`/finance/${w.org.slug}/month-end?account=${bank}&month=2026-09`, { cookie }), params);
    expect(view.status).toBe(200);
    expect(view.body.figures).toMatchObject({ ledgerClosingMinor: 1_000, differenceMinor: -1_000, statementClosingMinor: null });

    const refused = await run(monthEndPage.action, makeRequest(`/finance/${w.org.slug}/month-end`, { cookie, form: { account: bank, month: "2026-09" } }), params);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("difference_not_zero");
    const db = await getDb();
    expect(await db.select().from(reconciliationPeriods).where(eq(reconciliationPeriods.moneyAccountId, bank))).toHaveLength(0);

    // The statement shows it and the line is explained as a not-a-donation stand-in: here, matched via the payment.
    const [imp] = await db
      .insert(statementImports)
      .values({
        orgId: w.org.id,
        moneyAccountId: bank,
        fileName: "s.csv",
        sha256: idemKey(),
        sizeBytes: 1,
        content: "",
        mapping: { date: 0, amount: 1, dateOrder: "ymd", decimalMark: ".", delimiter: ",", skipRows: 0, hasHeader: true, encoding: "utf-8" },
      })
      .returning();
    const [line] = await db
      .insert(statementLines)
      .values({ orgId: w.org.id, moneyAccountId: bank, importId: imp.id, lineNo: 1, fingerprint: idemKey(), valueDate: "2026-09-10", amountMinor: 1_000, currency: "USD", balanceMinor: 1_000, status: "matched", matchedMinor: 1_000 })
      .returning();
    const { statementMatches } = await import("#db/schema");
    await db.insert(statementMatches).values({ orgId: w.org.id, lineId: line.id, kind: "manual", amountMinor: 1_000, paymentId: p.id });

    const caseworker = await run(monthEndPage.action, makeRequest(`/finance/${w.org.slug}/month-end`, { cookie: await signIn(w.author.id), form: { account: bank, month: "2026-09" } }), params);
    expect(caseworker.status).toBe(403);
    const bad = await run(monthEndPage.action, makeRequest(`/finance/${w.org.slug}/month-end`, { cookie, form: { account: bank, month: "September" } }), params);
    expect(bad.status).toBe(400);
    const closed = await run(monthEndPage.action, makeRequest(`/finance/${w.org.slug}/month-end`, { cookie, form: { account: bank, month: "2026-09" } }), params);
    expect(closed.status).toBe(302);
    expect(closed.location).toContain("closed=1");
    const after = await run(monthEndPage.loader, makeRequest(`/finance/${w.org.slug}/month-end?account=${bank}&month=2026-09`, { cookie }), params);
    expect(after.body.figures.closed).toMatchObject({ closedBy: w.finance.id });
    expect(after.body.closedMonths).toHaveLength(1);

    const reports = await run(reportsPage.loader, makeRequest(`/finance/${w.org.slug}/reports?from=2026-08&to=2026-10`, { cookie }), params);
    expect(reports.status).toBe(200);
    expect(reports.body.report.totals).toEqual([{ key: "total", currency: "USD", donationsMinor: 1_000, disbursementsMinor: 0 }]);
    expect(reports.body.months).toEqual(["2026-08", "2026-09", "2026-10"]);
    expect((await run(reportsPage.loader, makeRequest(`/finance/${w.org.slug}/reports?from=2026-10&to=2026-08`, { cookie }), params)).status).toBe(400);
    expect((await run(reportsPage.loader, makeRequest(`/finance/${w.org.slug}/reports`, { cookie: await signIn(w.author.id) }), params)).status).toBe(403);
  });
});

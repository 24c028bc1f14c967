// The finance ledger page (/finance/:orgSlug/ledger), its CSV export (/ledger.csv) and the money
// accounts page (/finance/:orgSlug/accounts), called the way Remix calls the routes.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, ledgerAccounts, moneyAccounts } from "#db/schema";
import { getDb } from "~/utils/db.server";
import * as ledgerPage from "~/routes/finance.$orgSlug.ledger";
import * as ledgerCsv from "~/routes/finance.$orgSlug.ledger[.csv]";
import * as accountsPage from "~/routes/finance.$orgSlug.accounts";
import { actorFor } from "../fixtures/needs";
import { createPledge } from "~/modules/pledging/pledges.server";
import { idemKey, pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

async function ledger(w: World, userId: string, query = "") {
  const url = `/finance/${w.org.slug}/ledger${query ? `?${query}` : ""}`;
  return run(ledgerPage.loader, makeRequest(url, { cookie: await signIn(userId) }), { orgSlug: w.org.slug });
}

async function csv(w: World, userId: string, query = "") {
  const url = `/finance/${w.org.slug}/ledger.csv${query ? `?${query}` : ""}`;
  const response = (await ledgerCsv.loader({
    request: makeRequest(url, { cookie: await signIn(userId) }),
    params: { orgSlug: w.org.slug },
    context: {},
  }).catch((e: unknown) => e)) as Response;
  return { status: response.status, text: response.status === 200 ? await response.text() : "", headers: response.headers };
}

async function accounts(w: World, userId: string) {
  return run(accountsPage.loader, makeRequest(`/finance/${w.org.slug}/accounts`, { cookie: await signIn(userId) }), { orgSlug: w.org.slug });
}

async function postAccount(w: World, userId: string, form: Form) {
  return run(accountsPage.action, makeRequest(`/finance/${w.org.slug}/accounts`, { cookie: await signIn(userId), form }), { orgSlug: w.org.slug });
}

async function accountRows(orgId: string) {
  return (await getDb()).select().from(moneyAccounts).where(eq(moneyAccounts.orgId, orgId));
}

/** Records a bank transfer through CORE's recordPayment (as the finance inbox does). */
async function pay(w: World, amountMinor: number, extra: Record<string, unknown> = {}) {
  const { recordPayment } = await import("~/modules/payments/payments.server");
  const db = await getDb();
  const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor }));
  return recordPayment(db, actorFor(w.finance.id), {
    orgId: w.org.id,
    pledgeId: pledge.id,
    method: "bank_transfer",
    amountMinor,
    currency: w.need.currency,
    valueDate: "2026-01-15",
    idempotencyKey: idemKey(),
    ...extra,
  });
}

describe("ledger page: who sees what", () => {
  it("finance and org admins only; caseworkers and verifiers 403; another organisation's finance 404 (page and CSV)", async () => {
    const a = await pledgeWorld();
    const b = await pledgeWorld();
    expect((await ledger(a, a.finance.id)).status).toBe(200);
    expect((await ledger(a, a.admin.id)).status).toBe(200);
    for (const staff of [a.author, a.verifier]) {
      expect((await ledger(a, staff.id)).status).toBe(403);
      expect((await csv(a, staff.id)).status).toBe(403);
    }
    expect((await ledger(a, b.finance.id)).status).toBe(404);
    expect((await csv(a, b.finance.id)).status).toBe(404);
    const empty = await ledger(a, a.finance.id);
    expect(empty.body.balances).toEqual([]);
    expect(empty.body.entries).toEqual([]);
  });

  it("a bad filter answers 400 with its message and no rows", async () => {
    const w = await pledgeWorld();
    const bad = await ledger(w, w.finance.id, "kind=gift&from=2026-13-40");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.kind).toEqual(["errors:invalidChoice"]);
    expect(bad.body.errors.from).toEqual(["finance:errors.dateInvalid"]);
    expect(bad.body.entries).toEqual([]);
    const range = await ledger(w, w.finance.id, "from=2026-02-01&to=2026-01-01");
    expect(range.status).toBe(400);
    expect(range.body.errors.to).toEqual(["finance:errors.rangeInvalid"]);
    expect((await csv(w, w.finance.id, "currency=12")).status).toBe(400);
  });
});

describe("ledger page: balances, funds and journal", () => {
  it("shows a balanced trial balance, the need fund equal to its counters, the journal filtered and its CSV one row per posting", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const other = await pledgeWorld({ targetMinor: 10_000 });
    await pay(w, 4_000, { feeMinor: 150, externalId: "=HYPERLINK(1)" });
    await pay(w, 2_000);
    await pay(other, 3_000);

    const page = await ledger(w, w.finance.id);
    expect(page.status).toBe(200);
    expect(page.body.balances).toHaveLength(1);
    const usd = page.body.balances[0];
    expect(usd).toMatchObject({ currency: "USD", balanced: true, debitMinor: 6_000, creditMinor: 6_000 });
    const fund = page.body.funds.find((f: { needId: string }) => f.needId === w.need.id);
    expect(fund).toMatchObject({ fundMinor: 6_000, paidMinor: 6_000, paidDifferenceMinor: 0, reservedDifferenceMinor: 0 });
    // Only this organisation's entries.
    expect(page.body.total).toBe(2);
    expect(page.body.entries.every((e: { postings: unknown[] }) => e.postings.length >= 2)).toBe(true);

    expect((await ledger(w, w.finance.id, "kind=refund")).body.total).toBe(0);
    expect((await ledger(w, w.finance.id, "kind=payment")).body.total).toBe(2);
    expect((await ledger(w, w.finance.id, `need=${w.need.publicId}`)).body.total).toBe(2);
    expect((await ledger(w, w.finance.id, `need=${other.need.publicId}`)).body.total).toBe(0);
    expect((await ledger(w, w.finance.id, "currency=EUR")).body.total).toBe(0);
    expect((await ledger(w, w.finance.id, "from=2026-01-16")).body.total).toBe(0);
    const feeAccount = usd.rows.find((r: { kind: string }) => r.kind === "processing_fees");
    expect(feeAccount.balanceMinor).toBe(150);
    expect((await ledger(w, w.finance.id, `account=${feeAccount.accountId}`)).body.total).toBe(1);

    const file = await csv(w, w.finance.id);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("text/csv");
    expect(file.headers.get("content-disposition")).toContain("attachment");
    const lines = file.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0].split(",")).toContain("amount_minor");
    const postings = page.body.entries.reduce((n: number, e: { postings: unknown[] }) => n + e.postings.length, 0);
    expect(lines).toHaveLength(1 + postings);
    const amountColumn = lines[0].split(",").indexOf("amount_minor");
    const sum = lines.slice(1).reduce((s, line) => s + Number(line.split(",")[amountColumn]), 0);
    expect(sum).toBe(0);
    // The filtered CSV follows the page's filter.
    const onlyFees = await csv(w, w.finance.id, `account=${feeAccount.accountId}`);
    expect(onlyFees.text.trim().split("\r\n").length).toBeGreaterThan(1);
    expect(onlyFees.text.trim().split("\r\n").length).toBeLessThan(lines.length);
    const exports = await (await getDb()).select().from(auditLog).where(and(eq(auditLog.orgId, w.org.id), eq(auditLog.action, "ledger.export")));
    expect(exports.length).toBe(2);
  });
});

describe("money accounts page", () => {
  it("finance adds, renames, deactivates and reactivates accounts; caseworkers 403; other organisations 404", async () => {
    const w = await pledgeWorld();
    const b = await pledgeWorld();
    const created = await postAccount(w, w.finance.id, { intent: "create", kind: "bank", name: "BLOM USD current", bankName: "BLOM", accountNumber: "LB62 0999", currency: "usd" });
    expect(created.status).toBe(302);
    let [row] = await accountRows(w.org.id);
    expect(row).toMatchObject({ kind: "bank", name: "BLOM USD current", currency: "USD", active: true, createdBy: w.finance.id });

    const renamed = await postAccount(w, w.admin.id, { intent: "update", accountId: row.id, name: "BLOM dollars", currency: "EUR" });
    expect(renamed.status).toBe(302);
    [row] = await accountRows(w.org.id);
    expect(row).toMatchObject({ name: "BLOM dollars", currency: "EUR" });

    expect((await postAccount(w, w.finance.id, { intent: "deactivate", accountId: row.id })).status).toBe(302);
    expect((await accountRows(w.org.id))[0].active).toBe(false);
    expect((await postAccount(w, w.finance.id, { intent: "activate", accountId: row.id })).status).toBe(302);
    expect((await accountRows(w.org.id))[0].active).toBe(true);

    const page = await accounts(w, w.finance.id);
    expect(page.status).toBe(200);
    expect(page.body.accounts).toHaveLength(1);
    expect(page.body.accounts[0].used).toBe(false);

    for (const staff of [w.author, w.verifier]) {
      expect((await accounts(w, staff.id)).status).toBe(403);
      expect((await postAccount(w, staff.id, { intent: "create", kind: "cash", name: "Box", currency: "USD" })).status).toBe(403);
    }
    expect((await accounts(w, b.finance.id)).status).toBe(404);
    // Another organisation's finance cannot reach this account through their own page either.
    const foreign = await postAccount(b, b.finance.id, { intent: "deactivate", accountId: row.id });
    expect(foreign.status).toBe(404);
    expect(foreign.body.formErrors).toEqual(["finance:errors.accountNotFound"]);
    expect((await accountRows(w.org.id))[0].active).toBe(true);
  });

  it("refuses bad input with a message and changes nothing; the currency is fixed once the account is used", async () => {
    const w = await pledgeWorld();
    await postAccount(w, w.finance.id, { intent: "create", kind: "cash", name: "Office cash box", currency: "USD" });
    const before = await accountRows(w.org.id);

    const noName = await postAccount(w, w.finance.id, { intent: "create", kind: "bank", name: " ", currency: "USD" });
    expect(noName.status).toBe(400);
    expect(noName.body.errors.name).toEqual(["finance:errors.nameRequired"]);
    const badCurrency = await postAccount(w, w.finance.id, { intent: "create", kind: "bank", name: "X bank", currency: "US" });
    expect(badCurrency.status).toBe(400);
    expect(badCurrency.body.errors.currency).toEqual(["finance:errors.currencyInvalid"]);
    const unknownCurrency = await postAccount(w, w.finance.id, { intent: "create", kind: "bank", name: "X bank", currency: "QQQ" });
    expect(unknownCurrency.status).toBe(400);
    const badKind = await postAccount(w, w.finance.id, { intent: "create", kind: "stripe", name: "X bank", currency: "USD" });
    expect(badKind.status).toBe(400);
    const taken = await postAccount(w, w.finance.id, { intent: "create", kind: "bank", name: "office CASH box", currency: "USD" });
    expect(taken.status).toBe(409);
    expect(taken.body.formErrors).toEqual(["finance:errors.nameTaken"]);
    expect(await accountRows(w.org.id)).toEqual(before);

    // The ledger has an account for it: its currency no longer changes (the name still may).
    await (await getDb()).insert(ledgerAccounts).values({
      orgId: w.org.id,
      currency: "USD",
      type: "asset",
      kind: "cash",
      key: `cash:${before[0].id}`,
      moneyAccountId: before[0].id,
    });
    const fixed = await postAccount(w, w.finance.id, { intent: "update", accountId: before[0].id, name: "Cash box", currency: "EUR" });
    expect(fixed.status).toBe(409);
    expect(fixed.body.formErrors).toEqual(["finance:errors.currencyFixed"]);
    expect((await accountRows(w.org.id))[0]).toMatchObject({ name: "Office cash box", currency: "USD" });
    expect((await postAccount(w, w.finance.id, { intent: "update", accountId: before[0].id, name: "Cash box", currency: "USD" })).status).toBe(302);
    expect((await accountRows(w.org.id))[0]).toMatchObject({ name: "Cash box", currency: "USD" });
    expect((await accounts(w, w.finance.id)).body.accounts[0].used).toBe(true);
  });
});

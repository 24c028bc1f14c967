// The statement pages (/finance/:orgSlug/statements, /finance/:orgSlug/statements/:importId), called
// the way Remix calls them: upload (multipart) → preview → import → summary; bad files and another
// organisation's account refused with a translated message, 4xx and nothing stored; staff without
// the finance role refused.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { moneyAccounts, statementImports, statementLines } from "#db/schema";
import { getDb } from "~/utils/db.server";
import * as listPage from "~/routes/finance.$orgSlug.statements._index";
import * as importPage from "~/routes/finance.$orgSlug.statements.$importId";
import { pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn } from "../fixtures/routes";

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, "../fixtures/statements", name)));

async function world() {
  const w = await pledgeWorld();
  const db = await getDb();
  const [account] = await db.insert(moneyAccounts).values({ orgId: w.org.id, kind: "bank", name: `Bank ${randomBytes(3).toString("hex")}`, currency: "JOD" }).returning();
  return { ...w, account };
}

async function upload(w: Awaited<ReturnType<typeof world>>, userId: string, accountId: string, bytes: Uint8Array, name = "s.csv") {
  const body = new FormData();
  body.append("moneyAccountId", accountId);
  body.append("file", new File([new Uint8Array(bytes)], name));
  return run(listPage.action, makeRequest(`/finance/${w.org.slug}/statements`, { cookie: await signIn(userId), body, contentType: null }), { orgSlug: w.org.slug });
}

async function importsOf(orgId: string) {
  const [{ n }] = await (await getDb()).select({ n: count() }).from(statementImports).where(eq(statementImports.orgId, orgId));
  return n;
}

describe("statement pages", { timeout: 120_000 }, () => {
  it("upload → preview of the Windows-1256 file → import → summary", async () => {
    const w = await world();
    const up = await upload(w, w.finance.id, w.account.id, fixture("arab-bank-1256.csv"));
    expect(up.status).toBe(302);
    const importId = up.location!.split("/").pop()!;
    const cookie = await signIn(w.finance.id);
    const url = `/finance/${w.org.slug}/statements/${importId}`;
    const preview = await run(importPage.loader, makeRequest(url, { cookie }), { orgSlug: w.org.slug, importId });
    expect(preview.status).toBe(200);
    expect(preview.body.imp.status).toBe("uploaded");
    expect(preview.body.preview.sample).toHaveLength(5);
    expect(preview.body.preview.headers).toContain("البيان");
    const m = preview.body.imp.mapping;
    const form: Record<string, string> = { intent: "import", dateOrder: m.dateOrder, decimalMark: m.decimalMark };
    for (const f of ["date", "valueDate", "amount", "debit", "credit", "description", "reference", "balance"]) form[f] = m[f] == null ? "" : String(m[f]);
    const done = await run(importPage.action, makeRequest(url, { cookie, form }), { orgSlug: w.org.slug, importId });
    expect(done.status).toBe(302);
    const summary = await run(importPage.loader, makeRequest(url, { cookie }), { orgSlug: w.org.slug, importId });
    expect(summary.body.imp).toMatchObject({ status: "done", newLines: 5, processedRows: 5, totalRows: 5 });
    const list = await run(listPage.loader, makeRequest(`/finance/${w.org.slug}/statements`, { cookie }), { orgSlug: w.org.slug });
    expect(list.body.imports[0]).toMatchObject({ id: importId, newLines: 5 });
  });

  it("a mapping without an amount column is refused with a translated message; nothing imported", async () => {
    const w = await world();
    const up = await upload(w, w.finance.id, w.account.id, fixture("overlap-a.csv"));
    const importId = up.location!.split("/").pop()!;
    const cookie = await signIn(w.finance.id);
    const url = `/finance/${w.org.slug}/statements/${importId}`;
    const form = { intent: "import", date: "0", amount: "", debit: "", credit: "", dateOrder: "auto", decimalMark: "." };
    const res = await run(importPage.action, makeRequest(url, { cookie, form }), { orgSlug: w.org.slug, importId });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(["statements:errors.no_amount_column"]);
    const [{ n }] = await (await getDb()).select({ n: count() }).from(statementLines).where(eq(statementLines.importId, importId));
    expect(n).toBe(0);
  });

  it("refuses a binary file, prose, and another organisation's account: 4xx, translated, nothing stored", async () => {
    const w = await world();
    const other = await world();
    const bin = await upload(w, w.finance.id, w.account.id, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 1, 2]), "s.xlsx");
    expect(bin).toMatchObject({ status: 422, body: { errors: ["statements:errors.binary_file"] } });
    const prose = await upload(w, w.finance.id, w.account.id, new TextEncoder().encode("hello\nworld\n"));
    expect(prose).toMatchObject({ status: 422, body: { errors: ["statements:errors.not_csv"] } });
    const foreign = await upload(w, w.finance.id, other.account.id, fixture("overlap-a.csv"));
    expect(foreign).toMatchObject({ status: 400, body: { errors: ["statements:errors.account_invalid"] } });
    expect(await importsOf(w.org.id)).toBe(0);
    expect(await importsOf(other.org.id)).toBe(0);
  });

  it("staff without the finance role are refused; another org's import is not found", async () => {
    const w = await world();
    const other = await world();
    const denied = await run(listPage.loader, makeRequest(`/finance/${w.org.slug}/statements`, { cookie: await signIn(w.author.id) }), { orgSlug: w.org.slug });
    expect([403, 404]).toContain(denied.status);
    const up = await upload(other, other.finance.id, other.account.id, fixture("overlap-a.csv"));
    const importId = up.location!.split("/").pop()!;
    const res = await run(importPage.loader, makeRequest(`/finance/${w.org.slug}/statements/${importId}`, { cookie: await signIn(w.finance.id) }), { orgSlug: w.org.slug, importId });
    expect(res.status).toBe(404);
  });
});

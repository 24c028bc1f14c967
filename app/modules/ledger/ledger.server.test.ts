import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { ledgerEntries, ledgerPostings, needs } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createOrg } from "../../../tests/fixtures/db";
import { actorFor } from "../../../tests/fixtures/needs";
import { pledgeInput, pledgeWorld } from "../../../tests/fixtures/pledging";
import { recordPayment } from "~/modules/payments/payments.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { STRIPE, SUSPENSE, UNRESTRICTED, LedgerError } from "./ledger";
import { ensureAccount, postEntry, reverseEntry, trialBalance, checkLedger } from "./ledger.server";

const entry = (orgId: string, key: string, amount = 1_000) => ({
  orgId,
  currency: "USD",
  kind: "payment" as const,
  idempotencyKey: key,
  memo: "test",
  actorUserId: null,
  valueDate: "2026-03-01",
  postings: [
    { account: STRIPE, amountMinor: amount },
    { account: SUSPENSE, amountMinor: -amount },
  ],
});

describe("ledger in the database", () => {
  it("creates an account once, per organisation and currency", async () => {
    const org = await createOrg();
    const db = await getDb();
    const a = await ensureAccount(db, org.id, "USD", UNRESTRICTED);
    expect(await ensureAccount(db, org.id, "USD", UNRESTRICTED)).toBe(a);
    expect(await ensureAccount(db, org.id, "EUR", UNRESTRICTED)).not.toBe(a);
  });

  it("writes an entry once per idempotency key, and the trial balance stays at zero", async () => {
    const org = await createOrg();
    const db = await getDb();
    const key = `t-${org.id}`;
    const first = await db.transaction((tx) => postEntry(tx, entry(org.id, key)));
    const again = await db.transaction((tx) => postEntry(tx, entry(org.id, key, 5)));
    expect(first.created).toBe(true);
    expect(again).toEqual({ entryId: first.entryId, created: false });
    const tb = await trialBalance(db, org.id);
    expect(tb.totals).toEqual([{ orgId: org.id, currency: "USD", debitMinor: 1_000, creditMinor: 1_000, balanceMinor: 0 }]);
    expect((await checkLedger(db, org.id)).ok).toBe(true);
  });

  it("refuses an unbalanced entry, in the module and in the database", async () => {
    const org = await createOrg();
    const db = await getDb();
    const bad = { ...entry(org.id, `bad-${org.id}`), postings: [{ account: STRIPE, amountMinor: 10 }, { account: SUSPENSE, amountMinor: -9 }] };
    await expect(db.transaction((tx) => postEntry(tx, bad))).rejects.toThrow(LedgerError);
    // Around the module: the deferred trigger refuses it at commit.
    await expect(
      db.transaction(async (tx) => {
        const { entryId } = await postEntry(tx, entry(org.id, `raw-${org.id}`));
        const [p] = await tx.select().from(ledgerPostings).where(eq(ledgerPostings.entryId, entryId)).limit(1);
        await tx.insert(ledgerPostings).values({ entryId, accountId: p.accountId, orgId: org.id, currency: "USD", amountMinor: 1 });
      }),
    ).rejects.toThrow();
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.orgId, org.id))).toHaveLength(0);
  });

  it("is append-only: a correction is a reversing entry, once", async () => {
    const org = await createOrg();
    const db = await getDb();
    const { entryId } = await db.transaction((tx) => postEntry(tx, entry(org.id, `r-${org.id}`)));
    await expect(db.execute(sql`update ledger_postings set amount_minor = 5 where entry_id = ${entryId}`)).rejects.toSatisfy((e: unknown) => /append-only/.test(String((e as { cause?: unknown }).cause ?? e)));
    await expect(db.execute(sql`delete from ledger_entries where id = ${entryId}`)).rejects.toSatisfy((e: unknown) => /append-only/.test(String((e as { cause?: unknown }).cause ?? e)));
    const rev = await db.transaction((tx) => reverseEntry(tx, { entryId, idempotencyKey: `rev-${entryId}`, memo: "typo", actorUserId: null, valueDate: "2026-03-02" }));
    const twice = await db.transaction((tx) => reverseEntry(tx, { entryId, idempotencyKey: `rev2-${entryId}`, memo: "typo", actorUserId: null, valueDate: "2026-03-02" }));
    expect(twice).toEqual({ entryId: rev.entryId, created: false });
    const tb = await trialBalance(db, org.id);
    expect(tb.accounts.every((a) => a.balanceMinor === 0)).toBe(true);
  });
});

describe("checkLedger and money paid out", () => {
  it("counts disbursement debits of a need's fund as paid, and needs.disbursed_minor must equal them", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
    const paid = await recordPayment(db, actorFor(w.finance.id), {
      orgId: w.org.id,
      pledgeId: pledge.id,
      method: "bank_transfer",
      amountMinor: 1_000,
      currency: "USD",
      valueDate: "2026-01-05",
      idempotencyKey: `pay-${pledge.id}`,
    });
    const bank = paid.payment.moneyAccountId!;
    expect((await checkLedger(db, w.org.id)).ok).toBe(true);
    await db.transaction((tx) =>
      postEntry(tx, {
        orgId: w.org.id,
        currency: "USD",
        kind: "disbursement",
        idempotencyKey: `dsb-${w.need.id}`,
        memo: "paid out",
        actorUserId: null,
        valueDate: "2026-01-06",
        postings: [
          { account: { kind: "need_fund", needId: w.need.id }, amountMinor: 400 },
          { account: { kind: "bank", moneyAccountId: bank }, amountMinor: -400 },
        ],
      }),
    );
    // paid 1000 = fund 600 + disbursed 400: sound, but the need's disbursed counter was not moved.
    const check = await checkLedger(db, w.org.id);
    const row = check.rows.find((r) => r.needId === w.need.id)!;
    expect(row).toMatchObject({ fundMinor: 600, disbursedLedgerMinor: 400, disbursedMinor: 0, expectedPaidMinor: 1_000, paidMinor: 1_000, ok: false });
    expect(check.problems).toEqual([expect.stringContaining("disbursed 0 ≠ disbursement entries 400")]);
    await db.update(needs).set({ disbursedMinor: 400 }).where(eq(needs.id, w.need.id));
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });
});

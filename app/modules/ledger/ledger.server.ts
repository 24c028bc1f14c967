import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "#db/client.server";
import { ledgerAccounts, ledgerEntries, ledgerPostings, needs, reconciliationPeriods } from "#db/schema";
import { LedgerError, accountKey, accountType, normalize, assertBalanced, reversalPostings, type AccountKind, type AccountRef, type EntryKind, type Holding, type Posting } from "./ledger";

/**
 * The ledger in the database (decision 056): accounts created on first use, entries written once
 * per idempotency key, balances derived from postings. Entries and postings are append-only (a
 * trigger refuses any change) and each balances (a deferred trigger checks it at commit).
 */

export type LedgerEntry = typeof ledgerEntries.$inferSelect;

/** The account's id, creating it the first time (safe under concurrency: insert … on conflict do nothing, then read). */
export async function ensureAccount(tx: DbOrTx, orgId: string, currency: string, ref: AccountRef): Promise<string> {
  const key = accountKey(ref);
  const [inserted] = await tx
    .insert(ledgerAccounts)
    .values({
      orgId,
      currency,
      type: accountType(ref.kind),
      kind: ref.kind,
      key,
      needId: ref.kind === "need_fund" ? ref.needId! : null,
      moneyAccountId: ref.moneyAccountId ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: ledgerAccounts.id });
  if (inserted) return inserted.id;
  const [row] = await tx
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.orgId, orgId), eq(ledgerAccounts.currency, currency), eq(ledgerAccounts.key, key)))
    .limit(1);
  if (!row) throw new LedgerError(`account ${key} exists in another organisation or currency`);
  return row.id;
}

export interface PostEntryInput {
  orgId: string;
  currency: string;
  kind: EntryKind;
  idempotencyKey: string;
  memo: string;
  actorUserId: string | null;
  /** YYYY-MM-DD: when the money moved. */
  valueDate: string;
  paymentId?: string | null;
  refundId?: string | null;
  pledgeId?: string | null;
  needId?: string | null;
  reversesEntryId?: string | null;
  postings: Posting[];
}

/**
 * Writes one balanced entry. The same idempotency key a second time (a retried request, a
 * replayed webhook) writes nothing and returns the first entry with `created: false`.
 */
export async function postEntry(tx: Tx, input: PostEntryInput): Promise<{ entryId: string; created: boolean }> {
  const postings = normalize(input.postings);
  assertBalanced(postings);
  if (!input.idempotencyKey) throw new LedgerError("an entry needs an idempotency key");
  const valueDate = await openValueDate(tx, postings, input.valueDate);
  const [entry] = await tx
    .insert(ledgerEntries)
    .values({
      orgId: input.orgId,
      kind: input.kind,
      idempotencyKey: input.idempotencyKey,
      memo: input.memo.slice(0, 500),
      actorUserId: input.actorUserId,
      valueDate,
      paymentId: input.paymentId ?? null,
      refundId: input.refundId ?? null,
      pledgeId: input.pledgeId ?? null,
      needId: input.needId ?? null,
      reversesEntryId: input.reversesEntryId ?? null,
    })
    .onConflictDoNothing({ target: ledgerEntries.idempotencyKey })
    .returning({ id: ledgerEntries.id });
  if (!entry) {
    const [first] = await tx.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, input.idempotencyKey)).limit(1);
    if (!first) throw new LedgerError("entry key taken by another writer");
    return { entryId: first.id, created: false };
  }
  const rows = [];
  for (const p of postings) {
    const accountId = await ensureAccount(tx, input.orgId, input.currency, p.account);
    rows.push({ entryId: entry.id, accountId, orgId: input.orgId, currency: input.currency, amountMinor: p.amountMinor });
  }
  await tx.insert(ledgerPostings).values(rows);
  return { entryId: entry.id, created: true };
}

/** YYYY-MM-01 of a YYYY-MM-DD day. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first day of the month after `month` (YYYY-MM-01). */
export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

/**
 * Month-end lock (issue 10): an entry touching a money account whose month is closed is dated in
 * the first open month instead (an adjusting entry there); the database refuses it otherwise.
 */
export async function openValueDate(tx: DbOrTx, postings: Posting[], valueDate: string): Promise<string> {
  const moneyAccountIds = [...new Set(postings.map((p) => p.account.moneyAccountId).filter((id): id is string => Boolean(id)))];
  if (moneyAccountIds.length === 0) return valueDate;
  const closed = await tx
    .select({ month: reconciliationPeriods.month })
    .from(reconciliationPeriods)
    .where(and(inArray(reconciliationPeriods.moneyAccountId, moneyAccountIds), gte(reconciliationPeriods.month, monthOf(valueDate))));
  if (closed.length === 0) return valueDate;
  const months = new Set(closed.map((c) => c.month));
  let month = monthOf(valueDate);
  if (!months.has(month)) return valueDate;
  while (months.has(month)) month = nextMonth(month);
  return month;
}

function refOf(row: { kind: AccountKind; needId: string | null; moneyAccountId: string | null }): AccountRef {
  return { kind: row.kind, ...(row.needId ? { needId: row.needId } : {}), ...(row.moneyAccountId ? { moneyAccountId: row.moneyAccountId } : {}) };
}

/** The postings of an entry, with their accounts. */
export async function entryPostings(tx: DbOrTx, entryId: string): Promise<{ currency: string; postings: Posting[] }> {
  const rows = await tx
    .select({ amountMinor: ledgerPostings.amountMinor, currency: ledgerPostings.currency, kind: ledgerAccounts.kind, needId: ledgerAccounts.needId, moneyAccountId: ledgerAccounts.moneyAccountId })
    .from(ledgerPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
    .where(eq(ledgerPostings.entryId, entryId))
    .orderBy(asc(ledgerPostings.id));
  if (rows.length === 0) throw new LedgerError(`no entry ${entryId}`);
  return { currency: rows[0].currency, postings: rows.map((r) => ({ account: refOf(r), amountMinor: Number(r.amountMinor) })) };
}

/** Corrects an entry with a new one of kind `reversal` that turns every sign (at most once per entry). */
export async function reverseEntry(
  tx: Tx,
  input: { entryId: string; idempotencyKey: string; memo: string; actorUserId: string | null; valueDate: string },
): Promise<{ entryId: string; created: boolean }> {
  const [original] = await tx.select().from(ledgerEntries).where(eq(ledgerEntries.id, input.entryId)).limit(1);
  if (!original) throw new LedgerError(`no entry ${input.entryId}`);
  const [already] = await tx.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.reversesEntryId, original.id)).limit(1);
  if (already) return { entryId: already.id, created: false };
  const { currency, postings } = await entryPostings(tx, original.id);
  return postEntry(tx, {
    orgId: original.orgId,
    currency,
    kind: "reversal",
    idempotencyKey: input.idempotencyKey,
    memo: input.memo,
    actorUserId: input.actorUserId,
    valueDate: input.valueDate,
    paymentId: original.paymentId,
    refundId: original.refundId,
    pledgeId: original.pledgeId,
    needId: original.needId,
    reversesEntryId: original.id,
    postings: reversalPostings(postings),
  });
}

/** What a need's fund holds (its credit balance, in the need's currency's minor units). */
export async function needFundBalance(db: DbOrTx, needId: string): Promise<number> {
  const [row] = await db
    .select({ balance: sql<string>`coalesce(-sum(${ledgerPostings.amountMinor}), 0)` })
    .from(ledgerPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
    .where(and(eq(ledgerAccounts.kind, "need_fund"), eq(ledgerAccounts.needId, needId)));
  return Number(row?.balance ?? 0);
}

/**
 * Where one payment's money sits now: the credit balance of each fund, suspense, fee-cover and
 * refunds-payable account over the entries linked to the payment (positive = held there).
 */
export async function paymentHoldings(db: DbOrTx, paymentId: string): Promise<Holding[]> {
  const rows = await db
    .select({
      kind: ledgerAccounts.kind,
      needId: ledgerAccounts.needId,
      moneyAccountId: ledgerAccounts.moneyAccountId,
      balance: sql<string>`-sum(${ledgerPostings.amountMinor})`,
    })
    .from(ledgerPostings)
    .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
    .where(and(eq(ledgerEntries.paymentId, paymentId), inArray(ledgerAccounts.type, ["liability", "income"])))
    .groupBy(ledgerAccounts.kind, ledgerAccounts.needId, ledgerAccounts.moneyAccountId);
  return rows.map((r) => ({ account: refOf(r), amountMinor: Number(r.balance) })).filter((h) => h.amountMinor !== 0);
}

export interface TrialBalanceRow {
  orgId: string;
  currency: string;
  accountId: string;
  kind: AccountKind;
  type: "asset" | "liability" | "expense" | "income" | "equity";
  key: string;
  needId: string | null;
  moneyAccountId: string | null;
  debitMinor: number;
  creditMinor: number;
  /** Debits − credits (a credit balance is negative). */
  balanceMinor: number;
}

export interface TrialBalance {
  accounts: TrialBalanceRow[];
  /** Per organisation and currency: Σ debits, Σ credits and their difference (always 0 when the ledger is sound). */
  totals: { orgId: string; currency: string; debitMinor: number; creditMinor: number; balanceMinor: number }[];
}

/** Every account's debits, credits and balance, with the totals per organisation and currency. */
export async function trialBalance(db: DbOrTx, orgId?: string): Promise<TrialBalance> {
  const rows = await db
    .select({
      orgId: ledgerAccounts.orgId,
      currency: ledgerAccounts.currency,
      accountId: ledgerAccounts.id,
      kind: ledgerAccounts.kind,
      type: ledgerAccounts.type,
      key: ledgerAccounts.key,
      needId: ledgerAccounts.needId,
      moneyAccountId: ledgerAccounts.moneyAccountId,
      debit: sql<string>`coalesce(sum(case when ${ledgerPostings.amountMinor} > 0 then ${ledgerPostings.amountMinor} else 0 end), 0)`,
      credit: sql<string>`coalesce(sum(case when ${ledgerPostings.amountMinor} < 0 then -${ledgerPostings.amountMinor} else 0 end), 0)`,
    })
    .from(ledgerAccounts)
    .leftJoin(ledgerPostings, eq(ledgerPostings.accountId, ledgerAccounts.id))
    .where(orgId ? eq(ledgerAccounts.orgId, orgId) : undefined)
    .groupBy(ledgerAccounts.id)
    .orderBy(asc(ledgerAccounts.orgId), asc(ledgerAccounts.currency), asc(ledgerAccounts.type), asc(ledgerAccounts.key));
  const accounts: TrialBalanceRow[] = rows.map((r) => {
    const debitMinor = Number(r.debit);
    const creditMinor = Number(r.credit);
    return { ...r, debitMinor, creditMinor, balanceMinor: debitMinor - creditMinor };
  });
  const totals = new Map<string, TrialBalance["totals"][number]>();
  for (const a of accounts) {
    const k = `${a.orgId}:${a.currency}`;
    const t = totals.get(k) ?? { orgId: a.orgId, currency: a.currency, debitMinor: 0, creditMinor: 0, balanceMinor: 0 };
    t.debitMinor += a.debitMinor;
    t.creditMinor += a.creditMinor;
    t.balanceMinor = t.debitMinor - t.creditMinor;
    totals.set(k, t);
  }
  return { accounts, totals: [...totals.values()] };
}

export interface NeedCheckRow {
  needId: string;
  orgId: string;
  publicId: string;
  currency: string;
  state: string;
  targetMinor: number;
  fundMinor: number;
  receivedInKindMinor: number;
  /** Σ of the need fund's debits in `disbursement` entries (money paid out to the payee). */
  disbursedLedgerMinor: number;
  /** needs.disbursed_minor, which must equal disbursedLedgerMinor. */
  disbursedMinor: number;
  paidMinor: number;
  expectedPaidMinor: number;
  reservedMinor: number;
  expectedReservedMinor: number;
  donorCount: number;
  expectedDonorCount: number;
  ok: boolean;
}

export interface LedgerCheck {
  ok: boolean;
  problems: string[];
  rows: NeedCheckRow[];
  balance: TrialBalance;
}

/**
 * The ledger against itself and the need counters (what `npm run ledger:check` prints):
 * - every entry has ≥ 2 postings and sums to zero per currency; the trial balance is zero per
 *   organisation and currency;
 * - no need fund is negative;
 * - needs.paid_minor = the need's fund + what disbursements paid out of it + received in-kind deliveries;
 * - needs.disbursed_minor = Σ of the need fund's debits in `disbursement` entries;
 * - needs.reserved_minor = Σ (amount − paid) over pending / awaiting-payment / offered pledges;
 * - needs.donor_count = pledges with money in (paid_minor > 0, received deliveries included).
 */
export async function checkLedger(db: DbOrTx, orgId?: string): Promise<LedgerCheck> {
  const problems: string[] = [];
  const unbalanced = await db
    .select({ entryId: ledgerPostings.entryId, currency: ledgerPostings.currency, sum: sql<string>`sum(${ledgerPostings.amountMinor})`, n: sql<number>`count(*)::int` })
    .from(ledgerPostings)
    .where(orgId ? eq(ledgerPostings.orgId, orgId) : undefined)
    .groupBy(ledgerPostings.entryId, ledgerPostings.currency)
    .having(sql`sum(${ledgerPostings.amountMinor}) <> 0`);
  for (const u of unbalanced) problems.push(`entry ${u.entryId} does not sum to zero in ${u.currency} (${u.sum})`);
  const thin = await db
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(orgId ? eq(ledgerEntries.orgId, orgId) : undefined, sql`(select count(*) from ledger_postings lp where lp.entry_id = ${ledgerEntries.id}) < 2`));
  for (const t of thin) problems.push(`entry ${t.id} has fewer than two postings`);

  const balance = await trialBalance(db, orgId);
  for (const t of balance.totals) if (t.balanceMinor !== 0) problems.push(`trial balance of ${t.orgId} in ${t.currency} is ${t.balanceMinor}, not 0`);

  const needRows = await db
    .select({
      needId: needs.id,
      orgId: needs.orgId,
      publicId: needs.publicId,
      currency: needs.currency,
      state: needs.state,
      targetMinor: needs.targetMinor,
      paidMinor: needs.paidMinor,
      reservedMinor: needs.reservedMinor,
      donorCount: needs.donorCount,
      disbursedMinor: needs.disbursedMinor,
      disbursed: sql<string>`coalesce((select sum(lp.amount_minor) from ledger_postings lp join ledger_accounts la on la.id = lp.account_id join ledger_entries le on le.id = lp.entry_id where la.kind = 'need_fund' and la.need_id = "needs"."id" and le.kind = 'disbursement' and lp.amount_minor > 0), 0)`,
      fund: sql<string>`coalesce((select -sum(lp.amount_minor) from ledger_postings lp join ledger_accounts la on la.id = lp.account_id where la.kind = 'need_fund' and la.need_id = "needs"."id"), 0)`,
      inKind: sql<string>`coalesce((select sum(p.amount_minor) from pledges p where p.need_id = "needs"."id" and p.status = 'received'), 0)`,
      reservedExpected: sql<string>`coalesce((select sum(p.amount_minor - p.paid_minor) from pledges p where p.need_id = "needs"."id" and p.status in ('pending', 'awaiting_payment', 'offered')), 0)`,
      donorsExpected: sql<number>`(select count(*)::int from pledges p where p.need_id = "needs"."id" and p.paid_minor > 0)`,
    })
    .from(needs)
    .where(orgId ? eq(needs.orgId, orgId) : undefined)
    .orderBy(asc(needs.orgId), asc(needs.createdAt));
  const rows: NeedCheckRow[] = [];
  for (const r of needRows) {
    const fundMinor = Number(r.fund);
    const receivedInKindMinor = Number(r.inKind);
    const disbursedLedgerMinor = Number(r.disbursed);
    const row: NeedCheckRow = {
      needId: r.needId,
      orgId: r.orgId,
      publicId: r.publicId,
      currency: r.currency,
      state: r.state,
      targetMinor: Number(r.targetMinor),
      fundMinor,
      receivedInKindMinor,
      disbursedLedgerMinor,
      disbursedMinor: Number(r.disbursedMinor),
      paidMinor: Number(r.paidMinor),
      expectedPaidMinor: fundMinor + disbursedLedgerMinor + receivedInKindMinor,
      reservedMinor: Number(r.reservedMinor),
      expectedReservedMinor: Number(r.reservedExpected),
      donorCount: Number(r.donorCount),
      expectedDonorCount: Number(r.donorsExpected),
      ok: true,
    };
    const label = `need ${r.publicId} (${r.needId})`;
    if (fundMinor < 0) problems.push(`${label}: fund is negative (${fundMinor})`);
    if (row.paidMinor !== row.expectedPaidMinor)
      problems.push(`${label}: paid ${row.paidMinor} ≠ fund ${fundMinor} + disbursed ${disbursedLedgerMinor} + received in kind ${receivedInKindMinor}`);
    if (row.disbursedMinor !== disbursedLedgerMinor) problems.push(`${label}: disbursed ${row.disbursedMinor} ≠ disbursement entries ${disbursedLedgerMinor}`);
    if (row.reservedMinor !== row.expectedReservedMinor) problems.push(`${label}: reserved ${row.reservedMinor} ≠ live pledges ${row.expectedReservedMinor}`);
    if (row.donorCount !== row.expectedDonorCount) problems.push(`${label}: donor count ${row.donorCount} ≠ pledges with money in ${row.expectedDonorCount}`);
    row.ok =
      fundMinor >= 0 &&
      row.paidMinor === row.expectedPaidMinor &&
      row.disbursedMinor === disbursedLedgerMinor &&
      row.reservedMinor === row.expectedReservedMinor &&
      row.donorCount === row.expectedDonorCount;
    rows.push(row);
  }
  return { ok: problems.length === 0, problems, rows, balance };
}

import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { type DbOrTx } from "#db/client.server";
import { ledgerAccounts, moneyAccounts, payments } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { ACCOUNT_KIND_OF, type MoneyAccountKind, type OfflineMethod } from "./schemas";

/** Where an organisation keeps money: bank accounts, the cash box, money-transfer agents. */
// ---------------------------------------------------------------- money accounts

export type MoneyAccountRow = typeof moneyAccounts.$inferSelect & { used: boolean };

export async function listMoneyAccounts(db: DbOrTx, orgId: string): Promise<MoneyAccountRow[]> {
  const rows = await db
    .select({
      account: moneyAccounts,
      used: sql<boolean>`(exists (select 1 from ${payments} p where p.money_account_id = "money_accounts"."id")
        or exists (select 1 from ${ledgerAccounts} la where la.money_account_id = "money_accounts"."id"))`,
    })
    .from(moneyAccounts)
    .where(eq(moneyAccounts.orgId, orgId))
    .orderBy(asc(moneyAccounts.kind), desc(moneyAccounts.active), asc(moneyAccounts.name));
  return rows.map((r) => ({ ...r.account, used: Boolean(r.used) }));
}

/** The account a method's money lands in by default: the oldest active one of its kind and currency. */
export function defaultMoneyAccount<T extends { id: string; kind: string; currency: string; active: boolean; createdAt: Date | string }>(
  accounts: readonly T[],
  method: OfflineMethod,
  currency: string,
): T | null {
  const kind = ACCOUNT_KIND_OF[method];
  const fitting = accounts
    .filter((a) => a.active && a.kind === kind && a.currency === currency)
    .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
  return fitting[0] ?? null;
}

export class MoneyAccountError extends Error {
  constructor(
    readonly messageKey: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(messageKey);
    this.name = "MoneyAccountError";
  }
}

async function orgAccount(db: DbOrTx, orgId: string, accountId: string) {
  const [row] = await db
    .select()
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.orgId, orgId), eq(moneyAccounts.id, accountId)))
    .limit(1);
  if (!row) throw new MoneyAccountError("finance:errors.accountNotFound", 404);
  return row;
}

async function nameTaken(db: DbOrTx, orgId: string, name: string, exceptId?: string) {
  const [row] = await db
    .select({ id: moneyAccounts.id })
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.orgId, orgId), sql`lower(${moneyAccounts.name}) = ${name.toLowerCase()}`, exceptId ? ne(moneyAccounts.id, exceptId) : undefined))
    .limit(1);
  return Boolean(row);
}

export async function createMoneyAccount(
  db: DbOrTx,
  actor: Actor,
  input: { orgId: string; kind: MoneyAccountKind; name: string; bankName?: string; accountNumber?: string; currency: string },
) {
  return db.transaction(async (tx) => {
    if (await nameTaken(tx, input.orgId, input.name)) throw new MoneyAccountError("finance:errors.nameTaken", 409);
    const [row] = await tx
      .insert(moneyAccounts)
      .values({
        orgId: input.orgId,
        kind: input.kind,
        name: input.name,
        bankName: input.kind === "cash" ? null : (input.bankName ?? null),
        accountNumber: input.kind === "cash" ? null : (input.accountNumber ?? null),
        currency: input.currency,
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "money_account.create",
      entityType: "money_account",
      entityId: row.id,
      change: { kind: row.kind, name: row.name, currency: row.currency },
    });
    return row;
  });
}

/** Renames an account; its currency may change only while nothing has used it. */
export async function updateMoneyAccount(
  db: DbOrTx,
  actor: Actor,
  input: { orgId: string; accountId: string; name: string; bankName?: string; accountNumber?: string; currency?: string },
) {
  return db.transaction(async (tx) => {
    const account = await orgAccount(tx, input.orgId, input.accountId);
    await tx.execute(sql`select 1 from ${moneyAccounts} where ${moneyAccounts.id} = ${account.id} for update`);
    if (await nameTaken(tx, input.orgId, input.name, account.id)) throw new MoneyAccountError("finance:errors.nameTaken", 409);
    const currency = input.currency ?? account.currency;
    if (currency !== account.currency) {
      const [used] = (await listMoneyAccounts(tx, input.orgId)).filter((a) => a.id === account.id);
      if (used?.used) throw new MoneyAccountError("finance:errors.currencyFixed", 409);
    }
    const [row] = await tx
      .update(moneyAccounts)
      .set({
        name: input.name,
        bankName: account.kind === "cash" ? null : (input.bankName ?? null),
        accountNumber: account.kind === "cash" ? null : (input.accountNumber ?? null),
        currency,
      })
      .where(eq(moneyAccounts.id, account.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "money_account.update",
      entityType: "money_account",
      entityId: row.id,
      change: { name: [account.name, row.name], currency: [account.currency, row.currency] },
    });
    return row;
  });
}

export async function setMoneyAccountActive(db: DbOrTx, actor: Actor, input: { orgId: string; accountId: string; active: boolean }) {
  return db.transaction(async (tx) => {
    const account = await orgAccount(tx, input.orgId, input.accountId);
    if (account.active === input.active) return account;
    const [row] = await tx.update(moneyAccounts).set({ active: input.active }).where(eq(moneyAccounts.id, account.id)).returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: input.active ? "money_account.activate" : "money_account.deactivate",
      entityType: "money_account",
      entityId: row.id,
      change: { name: row.name },
    });
    return row;
  });
}

import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { moneyAccounts, payments, pledges, statementImports } from "#db/schema";
import type { Actor } from "~/modules/audit/audit.server";
import { commitImport, previewImport } from "~/modules/reconciliation/statements.server";
import { DEMO_USERS } from "./demo-data";

/**
 * A demo bank statement (issue 10) for Bayader's USD bank account, imported through the statement
 * import and the matcher like a real file, so the reconciliation queue has something to show: the
 * bank's lines for transfers finance already recorded by hand (linked to those payments, not
 * booked twice), a monthly account fee, a cash deposit nobody has explained, and a transfer naming
 * a pending pledge's code without its check character (only a suggestion: a person decides). No
 * pledge changes state. Idempotent: a second seed finds the import and does nothing.
 */
const ORG = "bayader-camps";
export const DEMO_STATEMENT_FILE = "demo-blom-usd-statement.csv";

type Ctx = { orgIds: Map<string, string>; userIds: Map<string, string>; now: Date };

const money = (minor: number) => (minor / 100).toFixed(2);
const ddmmyyyy = (day: string) => day.split("-").reverse().join("/");

export async function seedDemoStatement(tx: Tx, ctx: Ctx): Promise<void> {
  const db = tx as unknown as Db;
  const orgId = ctx.orgIds.get(ORG);
  const financeEmail = DEMO_USERS.find((u) => u.email.startsWith("bayader.finance"))?.email;
  const userId = financeEmail ? ctx.userIds.get(financeEmail) : undefined;
  if (!orgId || !userId) return;
  const actor: Actor = { userId, ip: null, userAgent: "tadamon-seed" };
  const [done] = await tx.select({ id: statementImports.id }).from(statementImports).where(and(eq(statementImports.orgId, orgId), eq(statementImports.fileName, DEMO_STATEMENT_FILE))).limit(1);
  if (done) return;

  // Bank transfers finance recorded by hand into the USD bank account.
  const recorded = await tx
    .select({ amountMinor: payments.amountMinor, feeMinor: payments.feeMinor, valueDate: payments.valueDate, moneyAccountId: payments.moneyAccountId, reference: pledges.reference })
    .from(payments)
    .innerJoin(pledges, eq(pledges.id, payments.pledgeId))
    .innerJoin(moneyAccounts, eq(moneyAccounts.id, payments.moneyAccountId))
    .where(and(eq(payments.orgId, orgId), eq(payments.method, "bank_transfer"), eq(payments.currency, "USD"), eq(moneyAccounts.kind, "bank"), isNotNull(payments.ledgerEntryId)))
    .orderBy(asc(payments.valueDate), asc(payments.createdAt))
    .limit(3);
  if (recorded.length === 0) return;
  const accountId = recorded[0].moneyAccountId!;
  const [pending] = await tx
    .select({ reference: pledges.reference, amountMinor: pledges.amountMinor })
    .from(pledges)
    .where(and(eq(pledges.orgId, orgId), eq(pledges.status, "pending"), eq(pledges.currency, "USD"), eq(pledges.method, "bank_transfer")))
    .orderBy(asc(pledges.createdAt))
    .limit(1);

  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Beirut", year: "numeric", month: "2-digit", day: "2-digit" }).format(ctx.now);
  const rows: string[] = ["تاريخ القيمة,البيان,المرجع,مدين,دائن"];
  for (const p of recorded.filter((r) => r.moneyAccountId === accountId)) {
    // As a bank clerk types it: lower case, spaces for dashes; the bank's own fee already taken out.
    rows.push(`${ddmmyyyy(p.valueDate)},حوالة واردة ${p.reference.toLowerCase().replace(/-/g, " ")},SWIFT,,${money(p.amountMinor - p.feeMinor)}`);
  }
  rows.push(`${ddmmyyyy(today)},عمولة إدارة حساب شهرية,FEE,2.50,`);
  rows.push(`${ddmmyyyy(today)},إيداع نقدي - فرع الحمرا,,,40.00`);
  if (pending) rows.push(`${ddmmyyyy(today)},TRANSFER ${pending.reference.slice(0, -1)},,,${money(Math.max(100, Math.floor(pending.amountMinor / 2)))}`);

  const preview = await previewImport(db, actor, { orgId, moneyAccountId: accountId, fileName: DEMO_STATEMENT_FILE, bytes: new TextEncoder().encode(`${rows.join("\n")}\n`) });
  await commitImport(db, actor, preview.importId, preview.mapping, { orgId, inline: true });
}

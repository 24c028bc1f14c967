import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { householdIdParam } from "~/modules/registry/access";
import { recordAudit } from "~/modules/audit/audit.server";
import { householdAccount } from "~/modules/reports/reports.server";
import { decimalOf, toCsv, type CsvCell } from "~/modules/reports/csv";
import { currencyDigits } from "~/utils/format";

/**
 * /staff/:orgSlug/households/:householdId/account.csv — the household's account as CSV: one row
 * per need (received, disbursed, balance) and one per payment out of it (date, payee, batch).
 * No names, phones or addresses of the household; a household payee is its reference.
 */

const HEADER = ["row", "need_public_id", "category", "state", "date", "payee", "batch_number", "currency", "target_minor", "received_minor", "disbursed_minor", "balance_minor", "amount_minor", "amount"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["finance", "org_admin", "caseworker"]);
  const householdId = householdIdParam(params.householdId);
  const db = await getDb();
  const account = await householdAccount(db, member.org.id, householdId);
  if (!account) throw new Response("Not Found", { status: 404 });
  const rows: CsvCell[][] = [];
  for (const n of account.needs) {
    const dec = (minor: number) => decimalOf(minor, currencyDigits(n.currency));
    rows.push(["need", n.publicId, n.category, n.state, null, null, null, n.currency, n.targetMinor, n.receivedMinor, n.disbursedMinor, n.balanceMinor, n.balanceMinor, dec(n.balanceMinor)]);
    for (const d of n.disbursements) {
      rows.push(["disbursement", n.publicId, n.category, null, d.paidDate, d.payee, d.number, n.currency, null, null, null, null, d.amountMinor, dec(d.amountMinor)]);
    }
  }
  await recordAudit(db, member.actor, { orgId: member.org.id, action: "household.account_export", entityType: "household", entityId: householdId, change: { needs: account.needs.length } });
  return new Response(toCsv(HEADER, rows), {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="household-${account.reference.replace(/[^A-Za-z0-9_-]/g, "")}-account.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

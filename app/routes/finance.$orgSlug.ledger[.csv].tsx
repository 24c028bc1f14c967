import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { recordAudit } from "~/modules/audit/audit.server";
import { CSV_MAX_ROWS, journalCsvRows } from "~/modules/payments/inbox.server";
import { JournalFilterSchema } from "~/modules/payments/schemas";
import { currencyDigits } from "~/utils/format";
import { minorToInput } from "~/modules/needs/money";
import { queryParam } from "~/utils/request-screen.server";

/**
 * /finance/:orgSlug/ledger.csv — the journal with the ledger page's filter, one row per posting,
 * oldest first (UTF-8 with a BOM so spreadsheet programs read Arabic). Amounts are plain decimals
 * and integer minor units; text cells that a spreadsheet would read as a formula are quoted with '.
 */

const HEADER = [
  "entry_id",
  "created_at",
  "value_date",
  "kind",
  "memo",
  "actor",
  "currency",
  "account_kind",
  "account",
  "need_public_id",
  "debit",
  "credit",
  "amount_minor",
  "payment_id",
  "refund_id",
  "reverses_entry_id",
];

/** A CSV cell: quoted when needed; text that starts like a formula gets a leading '. */
function csvCell(value: string | number | null | undefined, text = true): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const url = new URL(request.url);
  const get = (name: string) => queryParam(url, name) || undefined;
  const parsed = JournalFilterSchema.safeParse({
    kind: get("kind"),
    from: get("from"),
    to: get("to"),
    account: get("account"),
    need: get("need"),
    currency: get("currency"),
  });
  if (!parsed.success) {
    return new Response("invalid filter", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const db = await getDb();
  const rows = await journalCsvRows(db, member.org.id, parsed.data);
  const cut = rows.length > CSV_MAX_ROWS;
  const lines = [HEADER.join(",")];
  for (const r of rows.slice(0, CSV_MAX_ROWS)) {
    const plain = (minor: number) => (currencyDigits(r.currency) === 0 ? String(minor) : minorToInput(minor, r.currency));
    lines.push(
      [
        csvCell(r.entryId),
        csvCell(r.createdAt.toISOString()),
        csvCell(r.valueDate),
        csvCell(r.kind),
        csvCell(r.memo),
        csvCell(r.actorUserId ? r.actorName : "system"),
        csvCell(r.currency),
        csvCell(r.accountKind),
        csvCell(r.accountLabel ?? r.accountKey),
        csvCell(r.needPublicId),
        csvCell(r.amountMinor > 0 ? plain(r.amountMinor) : "", false),
        csvCell(r.amountMinor < 0 ? plain(-r.amountMinor) : "", false),
        csvCell(r.amountMinor, false),
        csvCell(r.paymentId),
        csvCell(r.refundId),
        csvCell(r.reversesEntryId),
      ].join(","),
    );
  }
  await recordAudit(db, member.actor, {
    orgId: member.org.id,
    action: "ledger.export",
    entityType: "ledger",
    change: { filter: parsed.data, rows: Math.min(rows.length, CSV_MAX_ROWS), cut },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(`\uFEFF${lines.join("\r\n")}\r\n`, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="ledger-${member.org.slug}-${day}.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      ...(cut ? { "X-Tadamon-Truncated": String(CSV_MAX_ROWS) } : {}),
    },
  });
}

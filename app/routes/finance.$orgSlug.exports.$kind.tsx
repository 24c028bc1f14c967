import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { queryParam } from "~/utils/request-screen.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { recordAudit } from "~/modules/audit/audit.server";
import { EXPORT_MAX_ROWS, ExportQuerySchema, exportCsv } from "~/modules/reports/exports.server";

/**
 * /finance/:orgSlug/exports/:kind (also :kind.csv) — kind = journal | payments | receipts |
 * disbursements | reconciliation; `?from=YYYY-MM-DD&to=YYYY-MM-DD` or `?month=YYYY-MM`. A CSV file
 * for accounting software (app/modules/reports/exports.server.ts); finance and org admins only;
 * every download audited.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const url = new URL(request.url);
  const get = (name: string) => queryParam(url, name) || undefined;
  const parsed = ExportQuerySchema.safeParse({ kind: (params.kind ?? "").replace(/\.csv$/, ""), from: get("from"), to: get("to"), month: get("month") });
  if (!parsed.success) {
    const unknownKind = parsed.error.issues.some((i) => i.path[0] === "kind");
    return new Response(unknownKind ? "unknown export" : "invalid dates: use from/to as YYYY-MM-DD or month as YYYY-MM", {
      status: unknownKind ? 404 : 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const db = await getDb();
  const file = await exportCsv(db, member.org.id, member.org.slug, parsed.data);
  await recordAudit(db, member.actor, {
    orgId: member.org.id,
    action: "reports.export",
    entityType: "export",
    entityId: parsed.data.kind,
    change: { kind: parsed.data.kind, from: parsed.data.from ?? null, to: parsed.data.to ?? null, rows: file.rows, truncated: file.truncated },
  });
  return new Response(file.body, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      ...(file.truncated ? { "X-Tadamon-Truncated": String(EXPORT_MAX_ROWS) } : {}),
    },
  });
}

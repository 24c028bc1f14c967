import type { LoaderFunctionArgs } from "@remix-run/node";
import { allocationRows } from "~/modules/matching/fund.server";
import { decimalOf, toCsv } from "~/modules/reports/csv";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { currencyDigits } from "~/utils/format";

/**
 * /finance/:orgSlug/allocations.csv — every allocation of the organisation's solidarity and zakat
 * funds (issue 12): when, by which run (the system's or finance's), from which payment, to which
 * need (public id and title), how much, and the score with its parts ("why this need"). UTF-8
 * with a BOM; formula-safe cells.
 */
const HEADER = ["allocation_id", "run_id", "created_at", "by", "payment_id", "need_public_id", "need_title_en", "need_title_ar", "currency", "amount", "amount_minor", "score", "urgency", "deadline", "waiting", "received", "close_to_done"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const rows = await allocationRows(await getDb(), org.id);
  const body = toCsv(
    HEADER,
    rows.map((r) => [
      r.id,
      r.runId,
      r.createdAt.toISOString(),
      r.bySystem ? "system" : "finance",
      r.paymentId,
      r.publicId,
      r.titleEn ?? "",
      r.titleAr ?? "",
      r.currency,
      decimalOf(r.amountMinor, currencyDigits(r.currency)),
      r.amountMinor,
      r.score,
      r.parts.urgency ?? "",
      r.parts.deadline ?? "",
      r.parts.waiting ?? "",
      r.parts.received ?? "",
      r.parts.closeToDone ?? "",
    ]),
  );
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="allocations-${org.slug}.csv"`, "Cache-Control": "private, no-store" },
  });
}

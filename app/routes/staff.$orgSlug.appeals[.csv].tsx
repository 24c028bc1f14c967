import type { LoaderFunctionArgs } from "@remix-run/node";
import { appealProgress, appealsOf } from "~/modules/giving/appeals.server";
import { decimalOf, toCsv } from "~/modules/reports/csv";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { currencyDigits } from "~/utils/format";

/**
 * /staff/:orgSlug/appeals.csv — the organisation's appeal results (issue 12, decision 068): each
 * appeal's window and state, its needs' targets and what they raised, what the sponsor matched and
 * still holds for matching. Public figures only (no donors). UTF-8 with a BOM; formula-safe.
 */
const HEADER = ["slug", "title_en", "title_ar", "kind", "starts_at", "ends_at", "state", "needs", "currency", "target", "raised", "match_percent", "match_cap", "matched", "matched_gifts", "sponsor_money_left"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireMember(request, params.orgSlug, ["org_admin", "caseworker", "verifier", "finance"]);
  const db = await getDb();
  const list = await appealsOf(db, org.id);
  const rows = [];
  for (const a of list) {
    const p = await appealProgress(db, a);
    const d = currencyDigits(a.currency);
    rows.push([
      a.slug,
      a.titleEn ?? "",
      a.titleAr ?? "",
      a.kind,
      a.startsAt.toISOString(),
      a.endsAt.toISOString(),
      p.state,
      p.needCount,
      a.currency,
      decimalOf(p.targetMinor, d),
      decimalOf(p.raisedMinor, d),
      a.matchPercent ?? "",
      a.matchCapMinor === null ? "" : decimalOf(a.matchCapMinor, d),
      decimalOf(p.matchedMinor, d),
      p.matchedGifts,
      decimalOf(p.sponsorPoolMinor, d),
    ]);
  }
  return new Response(toCsv(HEADER, rows), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="appeals-${org.slug}.csv"`, "Cache-Control": "private, no-store" },
  });
}

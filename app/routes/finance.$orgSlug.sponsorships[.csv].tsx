import type { LoaderFunctionArgs } from "@remix-run/node";
import { sponsorshipsOf } from "~/modules/giving/kafala.server";
import { decimalOf, toCsv } from "~/modules/reports/csv";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { currencyDigits } from "~/utils/format";

/**
 * /finance/:orgSlug/sponsorships.csv — every kafala of the organisation (decision 067): the need's
 * public id, the sponsor (their name unless anonymous, and email: finance follows up arrears),
 * terms, months received and due, arrears, money received. UTF-8 with a BOM; formula-safe.
 */
const HEADER = ["sponsorship_id", "need_public_id", "sponsor", "email", "method", "status", "currency", "monthly", "kafala_months", "months_received", "months_due", "arrears_months", "received", "started_at"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { rows } = await sponsorshipsOf(await getDb(), org.id, { limit: 200_000 });
  const body = toCsv(
    HEADER,
    rows.map((r) => {
      const digits = currencyDigits(r.gift.currency);
      return [
        r.gift.id,
        r.need.publicId,
        r.gift.anonymous ? "" : (r.gift.displayName ?? ""),
        r.gift.email,
        r.gift.method,
        r.gift.status,
        r.gift.currency,
        decimalOf(r.gift.amountMinor, digits),
        r.need.months ?? "",
        r.paidMonths,
        r.dueMonths,
        r.arrears,
        decimalOf(r.receivedMinor, digits),
        r.gift.createdAt.toISOString(),
      ];
    }),
  );
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="sponsorships-${org.slug}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}

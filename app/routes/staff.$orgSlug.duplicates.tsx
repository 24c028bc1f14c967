import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { duplicatesReport } from "~/modules/registry/duplicates.server";
import { DUPLICATE_REPORT_ROLES } from "~/modules/registry/access";
import { pageFrom, Pagination } from "~/components/pagination";
import { StatusBadge } from "~/components/registry";
import { PageTitle, Section, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatNumber } from "~/utils/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, DUPLICATE_REPORT_ROLES);
  const db = await getDb();
  const locale = await getLocale(request);
  const report = await duplicatesReport(db, { orgId: member.org.id, page: pageFrom(new URL(request.url)) });
  return {
    title: await staffTitle(request, "registry:duplicates.reportTitle", orgName(member.org, locale)),
    org: { slug: member.org.slug, timeZone: member.org.timeZone },
    ...report,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function DuplicatesReportPage() {
  const { org, rows, total, pending, page, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("registry");
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <PageTitle title={t("duplicates.reportTitle")} intro={t("duplicates.reportIntro")} />
      <Section
        id="duplicates-report"
        title={t("duplicates.reportCounts", { total: formatNumber(total, locale), pending: formatNumber(pending, locale) })}
      >
        {rows.length === 0 ? (
          <p>{t("duplicates.reportEmpty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="duplicates-table">
              <caption className="sr-only">{t("duplicates.reportTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("duplicates.columns.ours")}</th>
                  <th scope="col" className={thClass}>{t("duplicates.columns.otherOrg")}</th>
                  <th scope="col" className={thClass}>{t("duplicates.columns.otherReference")}</th>
                  <th scope="col" className={thClass}>{t("duplicates.columns.matchedOn")}</th>
                  <th scope="col" className={thClass}>{t("duplicates.columns.decision")}</th>
                  <th scope="col" className={thClass}>{t("duplicates.columns.found")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <th scope="row" className={`${tdClass} text-start`}>
                      <Link to={`/staff/${org.slug}/households/${r.householdId}#duplicates`} className={linkClass}>
                        <span dir="ltr">{r.reference}</span>
                      </Link>
                    </th>
                    <td className={tdClass}>{locale === "ar" ? r.otherOrg.nameAr : r.otherOrg.nameEn}</td>
                    <td className={tdClass}>
                      <span dir="ltr">{r.otherReference}</span>
                    </td>
                    <td className={tdClass}>{r.matchedOn.map((k) => t(`kinds.${k}`, { defaultValue: k })).join(locale === "ar" ? "، " : ", ")}</td>
                    <td className={tdClass}>
                      <StatusBadge tone={r.decision === "pending" ? "pending" : "graduated"} label={t(`decision.${r.decision}`)} />
                      {r.decidedByName && <span className="block text-xs text-stone-700">{r.decidedByName}</span>}
                    </td>
                    <td className={`${tdClass} whitespace-nowrap`}>{formatDate(r.createdAt, locale, org.timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={page} pages={pages} />
      </Section>
    </div>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "~/components/bidi";
import { MonthBarChart } from "~/components/charts";
import { DataTable } from "~/components/data-table";
import { PageTitle, Section, linkClass, tdClass, useLocale } from "~/components/staff";
import { sponsorshipMonths, sponsorshipsOf } from "~/modules/giving/kafala.server";
import { monthLabel } from "~/modules/giving/monthly.server";
import { publicTitleIn } from "~/modules/needs/titles";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatMoney } from "~/utils/format";
import { getLocale } from "~/utils/i18next.server";

/**
 * /finance/:orgSlug/sponsorships — kafala (decision 067) for finance: each sponsorship's need,
 * sponsor, terms, months received against months due so far, and the arrears (red) finance
 * follows up; a chart of kafala money due and received by month; a CSV of the same. 50 a page.
 */

const PAGE_SIZE = 50;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const locale = await getLocale(request);
  const db = await getDb();
  const pageParam = Number(new URL(request.url).searchParams.get("page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam >= 1 && pageParam <= 10_000 ? pageParam : 1;
  const [list, months] = await Promise.all([sponsorshipsOf(db, org.id, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), sponsorshipMonths(db, org.id, 12)]);
  const chartCurrency = org.defaultCurrency;
  return {
    title: await staffTitle(request, "giving:sponsorships.title", orgName(org, locale)),
    orgSlug: org.slug,
    page,
    pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
    rows: list.rows.map((r) => ({
      id: r.gift.id,
      needTitle: publicTitleIn(r.need, locale),
      needId: r.need.id,
      sponsor: r.gift.anonymous ? null : r.gift.displayName,
      email: r.gift.email,
      monthly: formatMoney(r.gift.amountMinor, r.gift.currency, locale),
      method: r.gift.method,
      status: r.gift.status,
      paidMonths: r.paidMonths,
      dueMonths: r.dueMonths,
      months: r.need.months,
      arrears: r.arrears,
      received: formatMoney(r.receivedMinor, r.gift.currency, locale),
    })),
    chart: months
      .filter((m) => m.currency === chartCurrency)
      .map((m) => ({
        key: m.period,
        label: monthLabel(m.period, locale),
        values: [m.dueMinor, m.receivedMinor],
        due: formatMoney(m.dueMinor, m.currency, locale),
        received: formatMoney(m.receivedMinor, m.currency, locale),
      })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function Sponsorships() {
  const { orgSlug, rows, chart, page, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation(["giving", "common"]);
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <PageTitle title={t("giving:sponsorships.heading")} />
      <p className="text-sm">
        <a href={`/finance/${orgSlug}/sponsorships.csv`} className={linkClass} data-testid="sponsorships-csv">
          {t("giving:sponsorships.csv")}
        </a>
      </p>
      <Section id="sponsorship-chart" title={t("giving:sponsorships.chartTitle")}>
        {chart.length === 0 ? (
          <p>{t("giving:sponsorships.none")}</p>
        ) : (
          <MonthBarChart
            caption={t("giving:sponsorships.chartTitle")}
            legend={[t("giving:sponsorships.due"), t("giving:sponsorships.received")]}
            dir={locale === "ar" ? "rtl" : "ltr"}
            points={chart.map((c) => ({ key: c.key, label: c.label, values: c.values, titles: [`${t("giving:sponsorships.due")}: ${c.due}`, `${t("giving:sponsorships.received")}: ${c.received}`] }))}
          />
        )}
      </Section>
      <Section id="sponsorship-list" title={t("giving:sponsorships.listTitle")}>
        <DataTable
          caption={t("giving:sponsorships.listTitle")}
          testId="sponsorships"
          page={page}
          pages={pages}
          empty={t("giving:sponsorships.none")}
          columns={[t("giving:sponsorships.need"), t("giving:sponsorships.sponsor"), t("giving:sponsorships.monthly"), t("giving:sponsorships.statusCol"), t("giving:sponsorships.monthsCol"), t("giving:sponsorships.arrears")]}
          rows={rows}
          renderRow={(r) => (
            <tr key={r.id} data-testid="sponsorship-row" data-arrears={r.arrears}>
              <th scope="row" className={`${tdClass} text-start font-normal`}>
                <Link to={`/staff/${orgSlug}/needs/${r.needId}`} className={linkClass}>
                  {r.needTitle}
                </Link>
              </th>
              <td className={tdClass}>
                {r.sponsor ?? t("giving:sponsorships.anonymous")}
                <span className="block text-xs text-stone-600" dir="ltr">
                  {r.email}
                </span>
              </td>
              <td className={tdClass}>
                <Money text={r.monthly} /> · {t(`giving:monthly.methods.${r.method}`)}
              </td>
              <td className={tdClass}>{t(`giving:monthly.status.${r.status}`)}</td>
              <td className={tdClass}>{t("giving:sponsorships.monthsOf", { paid: r.paidMonths, due: r.dueMonths, total: r.months ?? 0 })}</td>
              <td className={`${tdClass} ${r.arrears > 0 ? "font-bold text-red-800" : ""}`}>{r.arrears > 0 ? t("giving:sponsorships.behind", { count: r.arrears }) : t("giving:sponsorships.upToDate")}</td>
            </tr>
          )}
        />
      </Section>
    </div>
  );
}

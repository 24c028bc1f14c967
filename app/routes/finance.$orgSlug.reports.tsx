import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { queryParam } from "~/utils/request-screen.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { todayIn } from "~/modules/needs/money";
import { ledgerReport, monthRange, type LedgerReport } from "~/modules/reports/reports.server";
import { EXPORT_KINDS } from "~/modules/reports/export-kinds";
import { HorizontalBarChart, MonthBarChart, MonthField } from "~/components/charts";
import { PlainField } from "~/components/registry";
import { PageTitle, Section, buttonClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatMoney } from "~/utils/format";
import { dirOf } from "~/utils/i18n";

/**
 * /finance/:orgSlug/reports — donations into need funds and disbursements out of them by month,
 * category and region, from the ledger; SVG charts rendered on the server; CSV downloads.
 */

const MONTH = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const FilterSchema = z
  .object({ from: MONTH, to: MONTH, currency: z.string().regex(/^[A-Z]{3}$/).optional() })
  .refine((f) => f.from <= f.to, { path: ["to"] });

function monthsBack(today: string, n: number): string {
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7)) - n;
  while (m <= 0) {
    m += 12;
    y -= 1;
  }
  return `${y}-${String(m).padStart(2, "0")}`;
}

function lastDay(month: string): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0));
  return d.toISOString().slice(0, 10);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const url = new URL(request.url);
  const today = todayIn(org.timeZone);
  const raw = {
    from: queryParam(url, "from") || monthsBack(today, 11),
    to: queryParam(url, "to") || today.slice(0, 7),
    currency: (queryParam(url, "currency") || "").toUpperCase() || undefined,
  };
  const db = await getDb();
  const common = { title: await staffTitle(request, "reports:reports.title", orgName(org, await getLocale(request))), org: { slug: org.slug }, filters: raw };
  const parsed = FilterSchema.safeParse(raw);
  if (!parsed.success) return data({ ...common, invalid: true, report: null as LedgerReport | null, months: [] as string[], currencies: [] as string[] }, { status: 400 });
  const report = await ledgerReport(db, { orgId: org.id, fromMonth: parsed.data.from, toMonth: parsed.data.to, currency: parsed.data.currency });
  const all = parsed.data.currency ? await ledgerReport(db, { orgId: org.id, fromMonth: parsed.data.from, toMonth: parsed.data.to }) : report;
  return { ...common, invalid: false, report, months: monthRange(parsed.data.from, parsed.data.to), currencies: all.currencies };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function ReportsPage() {
  const { org, filters, invalid, report, months, currencies } = useLoaderData<typeof loader>();
  const { t } = useTranslation("reports");
  const { t: tn } = useTranslation("needs");
  const { t: tf } = useTranslation("finance");
  const locale = useLocale();
  const dir = dirOf(locale);
  const base = `/finance/${org.slug}`;
  const exportQuery = invalid ? "" : `?from=${filters.from}-01&to=${lastDay(filters.to)}`;

  return (
    <div className="space-y-6">
      <PageTitle title={t("reports.title")} intro={t("reports.intro")}>
        <nav className="flex flex-wrap gap-3 text-sm">
          <Link to={base} className={linkClass}>
            {tf("nav.home")}
          </Link>
          <Link to={`${base}/ledger`} className={linkClass}>
            {tf("nav.ledger")}
          </Link>
          <Link to={`${base}/month-end`} className={linkClass}>
            {t("financeLinks.monthEnd")}
          </Link>
        </nav>
      </PageTitle>

      <Section id="filters" title={t("reports.filters")}>
        <Form method="get" className="grid gap-4 sm:grid-cols-4 sm:items-end">
          <MonthField id="reports-from" name="from" label={t("reports.from")} defaultValue={filters.from} />
          <MonthField id="reports-to" name="to" label={t("reports.to")} defaultValue={filters.to} />
          <PlainField id="reports-currency" name="currency" label={t("reports.currency")} defaultValue={filters.currency ?? ""} dir="ltr" hint={currencies.join(" · ")} />
          <div>
            <button type="submit" className={buttonClass}>
              {t("reports.submit")}
            </button>
          </div>
        </Form>
        {invalid && (
          <p role="alert" className="mt-3 font-bold text-red-800">
            {t("reports.invalid")}
          </p>
        )}
      </Section>

      <Section id="downloads" title={t("reports.downloads")}>
        <ul className="flex flex-wrap gap-2">
          {EXPORT_KINDS.map((kind) => (
            <li key={kind}>
              <a href={`${base}/exports/${kind}.csv${exportQuery}`} className={secondaryButtonClass} data-testid={`export-${kind}`} download>
                {t(`exports.${kind}`)}
              </a>
            </li>
          ))}
        </ul>
      </Section>

      {report && report.cells.length === 0 && <p>{t("reports.empty")}</p>}
      {report &&
        report.currencies.map((currency) => {
          const money = (minor: number) => formatMoney(minor, currency, locale);
          const byMonth = new Map(report.byMonth.filter((g) => g.currency === currency).map((g) => [g.key, g]));
          const total = report.totals.find((g) => g.currency === currency);
          return (
            <Section key={currency} id={`report-${currency}`} title={`${t("reports.title")} — ${currency}`}>
              <div className="space-y-8" data-testid="report-currency" data-currency={currency}>
                <MonthBarChart
                  caption={t("reports.byMonth")}
                  dir={dir}
                  legend={[t("reports.donations"), t("reports.disbursements")]}
                  points={months.map((m) => {
                    const g = byMonth.get(m);
                    const d = g?.donationsMinor ?? 0;
                    const o = g?.disbursementsMinor ?? 0;
                    return {
                      key: m,
                      label: m,
                      values: [Math.max(0, d), Math.max(0, o)],
                      titles: [`${t("reports.donations")}: ${money(d)}`, `${t("reports.disbursements")}: ${money(o)}`],
                    };
                  })}
                />
                <HorizontalBarChart
                  caption={`${t("reports.byCategory")} — ${t("reports.donations")}`}
                  dir={dir}
                  items={report.byCategory
                    .filter((g) => g.currency === currency)
                    .map((g) => ({ key: g.key, label: tn(`categories.${g.key}`, { defaultValue: g.key }), value: Math.max(0, g.donationsMinor), valueLabel: money(g.donationsMinor) }))}
                />
                <GroupTable
                  caption={t("reports.byMonth")}
                  rows={[...byMonth.values()].map((g) => ({ key: g.key, label: g.key, donations: g.donationsMinor, disbursements: g.disbursementsMinor }))}
                  total={total}
                  money={money}
                />
                <GroupTable
                  caption={t("reports.byCategory")}
                  rows={report.byCategory
                    .filter((g) => g.currency === currency)
                    .map((g) => ({ key: g.key, label: tn(`categories.${g.key}`, { defaultValue: g.key }), donations: g.donationsMinor, disbursements: g.disbursementsMinor }))}
                  total={total}
                  money={money}
                />
                <GroupTable
                  caption={t("reports.byRegion")}
                  rows={report.byRegion
                    .filter((g) => g.currency === currency)
                    .map((g) => ({
                      key: g.key || "none",
                      label: (locale === "ar" ? g.nameAr : g.nameEn) ?? t("reports.noRegion"),
                      donations: g.donationsMinor,
                      disbursements: g.disbursementsMinor,
                    }))}
                  total={total}
                  money={money}
                />
              </div>
            </Section>
          );
        })}
    </div>
  );
}

function GroupTable({
  caption,
  rows,
  total,
  money,
}: {
  caption: string;
  rows: { key: string; label: string; donations: number; disbursements: number }[];
  total?: { donationsMinor: number; disbursementsMinor: number };
  money: (minor: number) => string;
}) {
  const { t } = useTranslation("reports");
  return (
    <div className="relative min-w-0 max-w-full overflow-x-auto">
      <table className={tableClass}>
        <caption className="mb-2 text-start font-bold">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={thClass}>
              {caption}
            </th>
            <th scope="col" className={thClass}>{t("reports.donations")}</th>
            <th scope="col" className={thClass}>{t("reports.disbursements")}</th>
            <th scope="col" className={thClass}>{t("reports.net")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row" className={`${tdClass} text-start font-normal`}>
                {r.label}
              </th>
              <td className={`${tdClass} tabular-nums`}>{money(r.donations)}</td>
              <td className={`${tdClass} tabular-nums`}>{money(r.disbursements)}</td>
              <td className={`${tdClass} tabular-nums`}>{money(r.donations - r.disbursements)}</td>
            </tr>
          ))}
        </tbody>
        {total && (
          <tfoot>
            <tr className="font-bold">
              <th scope="row" className={`${tdClass} text-start`}>
                {t("reports.total")}
              </th>
              <td className={`${tdClass} tabular-nums`}>{money(total.donationsMinor)}</td>
              <td className={`${tdClass} tabular-nums`}>{money(total.disbursementsMinor)}</td>
              <td className={`${tdClass} tabular-nums`}>{money(total.donationsMinor - total.disbursementsMinor)}</td>
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

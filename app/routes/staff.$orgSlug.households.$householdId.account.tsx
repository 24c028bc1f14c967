import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { householdIdParam } from "~/modules/registry/access";
import { householdAccount } from "~/modules/reports/reports.server";
import { PageTitle, Section, linkClass, secondaryButtonClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatMoney } from "~/utils/format";

/**
 * /staff/:orgSlug/households/:householdId/account — the household's needs, the money received per
 * need and what was paid out of it, to whom and when, with the balance (from the ledger). For the
 * organisation's finance officers, admins and caseworkers; printable (the page body only).
 */

const ACCOUNT_ROLES = ["finance", "org_admin", "caseworker"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ACCOUNT_ROLES);
  const householdId = householdIdParam(params.householdId);
  const db = await getDb();
  const account = await householdAccount(db, member.org.id, householdId);
  if (!account) throw new Response("Not Found", { status: 404 });
  const title = await staffTitle(request, "reports:household.link", orgName(member.org, await getLocale(request)));
  return { title, org: { slug: member.org.slug }, account };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function HouseholdAccountPage() {
  const { org, account } = useLoaderData<typeof loader>();
  const { t } = useTranslation("reports");
  const { t: tn } = useTranslation("needs");
  const locale = useLocale();
  const base = `/staff/${org.slug}/households/${account.householdId}`;
  return (
    <div id="print-document" className="space-y-6">
      <PageTitle title={t("household.title", { reference: account.reference })} intro={t("household.intro")}>
        <nav className="no-print flex flex-wrap items-center gap-3 text-sm">
          <Link to={base} className={linkClass}>
            {t("household.back")}
          </Link>
          <a href={`${base}/account.csv`} className={secondaryButtonClass} download data-testid="household-account-csv">
            {t("household.csv")}
          </a>
          <span className="text-stone-700">{t("household.print")}: Ctrl+P</span>
        </nav>
      </PageTitle>
      {account.needs.length === 0 ? (
        <p>{t("household.none")}</p>
      ) : (
        account.needs.map((n) => {
          const money = (minor: number) => formatMoney(minor, n.currency, locale);
          const title = (locale === "ar" ? n.titleAr || n.titleEn : n.titleEn || n.titleAr) || n.publicId;
          return (
            <Section key={n.needId} id={`need-${n.publicId}`} title={`${title} (${n.publicId})`}>
              <dl className="grid gap-3 sm:grid-cols-4" data-testid="household-need" data-public-id={n.publicId} data-balance={n.balanceMinor}>
                <div>
                  <dt className="text-sm text-stone-700">{t("household.target")}</dt>
                  <dd className="font-bold tabular-nums">{money(n.targetMinor)}</dd>
                  <dd className="text-xs">
                    {tn(`categories.${n.category}`, { defaultValue: n.category })} · {tn(`states.${n.state}`, { defaultValue: n.state })}
                  </dd>
                </div>
                <div>
                  <dt className="text-sm text-stone-700">{t("household.received")}</dt>
                  <dd className="font-bold tabular-nums">{money(n.receivedMinor)}</dd>
                </div>
                <div>
                  <dt className="text-sm text-stone-700">{t("household.disbursed")}</dt>
                  <dd className="font-bold tabular-nums">{money(n.disbursedMinor)}</dd>
                </div>
                <div>
                  <dt className="text-sm text-stone-700">{t("household.balance")}</dt>
                  <dd className="font-bold tabular-nums">{money(n.balanceMinor)}</dd>
                </div>
              </dl>
              {n.disbursements.length === 0 ? (
                <p className="mt-3 text-sm">{t("household.noDisbursements")}</p>
              ) : (
                <div className="relative min-w-0 max-w-full overflow-x-auto">
                <table className={`${tableClass} mt-3`}>
                  <thead>
                    <tr>
                      <th scope="col" className={thClass}>{t("household.paidOn")}</th>
                      <th scope="col" className={thClass}>{t("household.paidTo")}</th>
                      <th scope="col" className={thClass}>{t("household.batch")}</th>
                      <th scope="col" className={thClass}>{t("household.disbursed")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {n.disbursements.map((d) => (
                      <tr key={d.entryId}>
                        <td className={tdClass}>{formatDate(`${d.paidDate}T12:00:00Z`, locale)}</td>
                        <td className={tdClass} dir="auto">
                          {d.payee ?? "—"}
                        </td>
                        <td className={tdClass} dir="ltr">
                          {d.number ?? "—"}
                        </td>
                        <td className={`${tdClass} tabular-nums`}>{money(d.amountMinor)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                </div>
              )}
            </Section>
          );
        })
      )}
      {account.totals.length > 0 && (
        <Section id="totals" title={t("household.totals")}>
          <div className="relative min-w-0 max-w-full overflow-x-auto">
          <table className={tableClass} data-testid="household-totals">
            <thead>
              <tr>
                <th scope="col" className={thClass}>{t("reports.currency")}</th>
                <th scope="col" className={thClass}>{t("household.received")}</th>
                <th scope="col" className={thClass}>{t("household.disbursed")}</th>
                <th scope="col" className={thClass}>{t("household.balance")}</th>
              </tr>
            </thead>
            <tbody>
              {account.totals.map((tot) => (
                <tr key={tot.currency}>
                  <th scope="row" className={`${tdClass} text-start`} dir="ltr">
                    {tot.currency}
                  </th>
                  <td className={`${tdClass} tabular-nums`}>{formatMoney(tot.receivedMinor, tot.currency, locale)}</td>
                  <td className={`${tdClass} tabular-nums`}>{formatMoney(tot.disbursedMinor, tot.currency, locale)}</td>
                  <td className={`${tdClass} tabular-nums`}>{formatMoney(tot.balanceMinor, tot.currency, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </Section>
      )}
    </div>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { pledgeStatusCounts } from "~/modules/pledging/staff.server";
import { paymentCounts } from "~/modules/payments/inbox.server";
import { disbursementCounts } from "~/modules/disbursements/disbursements.server";
import { PAYMENT_QUEUES } from "~/modules/payments/schemas";
import { pendingDetailChangeCount } from "~/modules/payees/payees.server";
import { Notice } from "~/components/forms";
import { PageTitle, RoleBadges, Section, buttonClass, linkClass, useLocale } from "~/components/staff";
import { currencyDigits, formatDateTime, formatNumber } from "~/utils/format";

/**
 * The organisation's finance home: money in (the payments queues: awaiting a second person,
 * suspense, flagged, money on closed needs; links to the inbox, the ledger and the money accounts)
 * and the pledges (how many wait for their money or need resolving). Statements, reconciliation and disbursements arrive with the
 * payments work; until then this page says so plainly.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["finance", "org_admin"]);
  const locale = await getLocale(request);
  const { org } = member;
  const db = await getDb();
  const [counts, queues, payeesPending, disbursements] = await Promise.all([
    pledgeStatusCounts(db, org.id),
    paymentCounts(db, org.id),
    pendingDetailChangeCount(db, org.id),
    disbursementCounts(db, org.id),
  ]);
  return {
    title: await staffTitle(request, "staff:finance.title", orgName(org, locale)),
    org: {
      slug: org.slug,
      nameAr: org.nameAr,
      nameEn: org.nameEn,
      defaultCurrency: org.defaultCurrency,
      timeZone: org.timeZone,
    },
    roles: member.roles,
    now: new Date().toISOString(),
    pledges: { waiting: counts.byStatus.pending, needsResolution: counts.needsResolution },
    queues,
    disbursements: { requested: disbursements.requested, approved: disbursements.approved },
    payeesPending,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function FinanceHome() {
  const { org, roles, now, pledges, queues, payeesPending, disbursements } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  const { t: td } = useTranslation("disbursements");
  const { t: tf } = useTranslation("finance");
  const { t: tsm } = useTranslation("statements");
  const { t: tr } = useTranslation("reports");
  const locale = useLocale();
  const digits = currencyDigits(org.defaultCurrency);
  return (
    <div className="space-y-6">
      <PageTitle title={t("finance.title")} intro={orgName(org, i18n.language)} />
      <Notice>
        <p className="font-bold">{t("finance.comingTitle")}</p>
        <p className="mt-1">{t("finance.comingBody")}</p>
      </Notice>
      <Section id="money-out" title={td("home.title")} description={td("home.intro")}>
        <p className="flex flex-wrap items-center gap-4 text-sm">
          <Link to={`/finance/${org.slug}/disbursements`} className={buttonClass} data-testid="finance-disbursements-link">
            {td("home.open")}
          </Link>
          <Link to={`/finance/${org.slug}/disbursements?status=requested`} className={linkClass}>
            {td("home.waiting", { count: disbursements.requested })}
          </Link>
          <Link to={`/finance/${org.slug}/disbursements?status=approved`} className={linkClass}>
            {td("home.approved", { count: disbursements.approved })}
          </Link>
        </p>
      </Section>
      <Section id="statements" title={tsm("home.title")} description={tsm("home.intro")}>
        <Link to={`/finance/${org.slug}/statements`} className={buttonClass} data-testid="finance-statements-link">
          {tsm("home.open")}
        </Link>
      </Section>
      <Section id="money-in" title={tf("home.paymentsTitle")} description={tf("home.paymentsIntro")}>
        <ul className="flex flex-wrap gap-2 text-sm" data-testid="finance-payment-queues">
          {PAYMENT_QUEUES.map((queue) => (
            <li key={queue}>
              <Link
                to={`/finance/${org.slug}/payments?queue=${queue}#payments`}
                className={`inline-block rounded border px-3 py-1.5 ${queues[queue] > 0 ? "border-amber-400 bg-amber-50 font-bold text-amber-950 hover:bg-amber-100" : "border-stone-300 hover:bg-stone-50"}`}
                data-testid={`finance-queue-${queue}`}
              >
                {tf(`payments.queues.${queue}`)}: <span className="tabular-nums">{formatNumber(queues[queue], locale)}</span>
              </Link>
            </li>
          ))}
        </ul>
        <p className="mt-4 flex flex-wrap items-center gap-4">
          <Link to={`/finance/${org.slug}/payments`} className={buttonClass} data-testid="finance-payments-link">
            {tf("home.openInbox")}
          </Link>
          <Link to={`/finance/${org.slug}/ledger`} className={linkClass} data-testid="finance-ledger-link">
            {tf("home.ledgerLink")}
          </Link>
          <Link to={`/finance/${org.slug}/month-end`} className={linkClass} data-testid="finance-month-end-link">
            {tr("financeLinks.monthEnd")}
          </Link>
          <Link to={`/finance/${org.slug}/reports`} className={linkClass} data-testid="finance-reports-link">
            {tr("financeLinks.reports")}
          </Link>
          <Link to={`/finance/${org.slug}/accounts`} className={linkClass} data-testid="finance-accounts-link">
            {tf("home.accountsLink")}
          </Link>
          <Link to={`/finance/${org.slug}/payouts`} className={linkClass} data-testid="finance-payouts-link">
            {tf("payouts:home.link")}
          </Link>
          <Link to={`/finance/${org.slug}/funds`} className={linkClass} data-testid="finance-funds-link">
            {tf("giving:funds.title")}
          </Link>
          <Link to={`/finance/${org.slug}/sponsorships`} className={linkClass} data-testid="finance-sponsorships-link">
            {tf("giving:sponsorships.link")}
          </Link>
        </p>
      </Section>
      <Section id="payees" title={tf("payees:title")}>
        <p className="flex flex-wrap items-center gap-4 text-sm">
          <Link to={`/finance/${org.slug}/payees`} className={linkClass} data-testid="finance-payees-link">
            {tf("payees:homeLink")}
          </Link>
          {payeesPending > 0 && (
            <span className="rounded border border-amber-400 bg-amber-50 px-3 py-1.5 font-bold text-amber-950" data-testid="finance-payees-pending">
              {tf("payees:homePending", { count: payeesPending, n: formatNumber(payeesPending, locale) })}
            </span>
          )}
        </p>
      </Section>
      <Section id="pledges" title={t("finance.pledges")} description={t("finance.pledgesIntro")}>
        <ul className="flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="finance-pledge-counts">
          <li>
            <Link to={`/finance/${org.slug}/pledges?status=pending`} className={linkClass}>
              {t("finance.waiting", { n: formatNumber(pledges.waiting, locale) })}
            </Link>
          </li>
          <li>
            <Link to={`/finance/${org.slug}/pledges?flag=1`} className={linkClass}>
              {t("finance.needsResolution", { n: formatNumber(pledges.needsResolution, locale) })}
            </Link>
          </li>
        </ul>
        <p className="mt-4">
          <Link to={`/finance/${org.slug}/pledges`} className={buttonClass} data-testid="finance-pledges-link">
            {t("finance.openPledges")}
          </Link>
        </p>
      </Section>
      <div className="grid gap-6 md:grid-cols-2">
        <Section id="money" title={t("finance.settings")}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="font-bold">{t("fields.defaultCurrency")}</dt>
            <dd>
              <span dir="ltr">{org.defaultCurrency}</span>
            </dd>
            <dt className="font-bold">{t("finance.minorUnits")}</dt>
            <dd>
              {t("finance.minorUnitsValue", { digits: formatNumber(digits, locale) })}
            </dd>
            <dt className="font-bold">{t("fields.timeZone")}</dt>
            <dd>
              <span dir="ltr">{org.timeZone}</span>
            </dd>
            <dt className="font-bold">{t("finance.localTime")}</dt>
            <dd>{formatDateTime(now, locale, org.timeZone)}</dd>
          </dl>
        </Section>
        <Section id="you" title={t("finance.you")}>
          <RoleBadges roles={roles} />
          <p className="mt-3 text-sm">{t("finance.rolesNote")}</p>
          <p className="mt-3 text-sm">
            <Link to={`/staff/${org.slug}`} className={linkClass}>
              {t("finance.toStaff")}
            </Link>
          </p>
        </Section>
      </div>
    </div>
  );
}

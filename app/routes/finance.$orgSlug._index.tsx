import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { pledgeStatusCounts } from "~/modules/pledging/staff.server";
import { Notice } from "~/components/forms";
import { PageTitle, RoleBadges, Section, buttonClass, linkClass, useLocale } from "~/components/staff";
import { currencyDigits, formatDateTime, formatNumber } from "~/utils/format";

/**
 * The organisation's finance home: the pledges (how many wait for their money or need resolving,
 * and the link to record payments). Statements, reconciliation and disbursements arrive with the
 * payments work; until then this page says so plainly.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["finance", "org_admin"]);
  const locale = await getLocale(request);
  const { org } = member;
  const counts = await pledgeStatusCounts(await getDb(), org.id);
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
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function FinanceHome() {
  const { org, roles, now, pledges } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  const locale = useLocale();
  const digits = currencyDigits(org.defaultCurrency);
  return (
    <div className="space-y-6">
      <PageTitle title={t("finance.title")} intro={orgName(org, i18n.language)} />
      <Notice>
        <p className="font-bold">{t("finance.comingTitle")}</p>
        <p className="mt-1">{t("finance.comingBody")}</p>
      </Notice>
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

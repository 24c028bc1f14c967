import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { recentAuditEntries } from "~/modules/audit/audit-query.server";
import { describeAuditEntries } from "~/modules/audit/describe.server";
import { AuditEntries } from "~/components/audit-entries";
import { memberCountsByRole } from "~/modules/organizations/members.server";
import { listRegions } from "~/modules/organizations/regions.server";
import { ROLES, canManageOrg, orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { needCountsByState } from "~/modules/needs/needs.server";
import { NEED_STATES } from "~/modules/needs/lifecycle";
import { BarChart, PageTitle, RoleBadges, Section, linkClass, useLocale } from "~/components/staff";
import { formatDate, formatNumber } from "~/utils/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  const db = await getDb();
  const locale = await getLocale(request);
  const isAdmin = canManageOrg(member.roles);
  const [counts, regions, recent, needCounts] = await Promise.all([
    memberCountsByRole(db, member.org.id),
    listRegions(db, member.org.id),
    isAdmin ? recentAuditEntries(db, member.org.id, 5) : Promise.resolve([]),
    needCountsByState(db, member.org.id),
  ]);
  const { org } = member;
  // In words, like the audit log: the record each entry names, linked, and its changes translated.
  const recentDescribed = recent.length
    ? await describeAuditEntries(db, recent, {
        orgId: org.id,
        orgSlug: org.slug,
        orgCurrency: org.defaultCurrency,
        locale,
        timeZone: org.timeZone,
        t: await getFixedT(request, ["staff", "needs", "pledging", "disbursements", "registry", "common"]),
      })
    : [];
  return {
    title: await staffTitle(request, "staff:dashboard.title", orgName(org, locale)),
    org: {
      slug: org.slug,
      nameAr: org.nameAr,
      nameEn: org.nameEn,
      country: org.country,
      defaultCurrency: org.defaultCurrency,
      timeZone: org.timeZone,
      createdAt: org.createdAt,
    },
    roles: member.roles,
    isAdmin,
    counts,
    regionCounts: {
      governorate: regions.filter((r) => r.level === "governorate").length,
      district: regions.filter((r) => r.level === "district").length,
      locality: regions.filter((r) => r.level === "locality").length,
    },
    recent: recentDescribed,
    needCounts,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

export default function StaffDashboard() {
  const { org, roles, isAdmin, counts, regionCounts, recent, needCounts } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  const locale = useLocale();
  const base = `/staff/${org.slug}`;
  return (
    <div className="space-y-6">
      <PageTitle title={t("dashboard.title")} intro={t("dashboard.intro")} />

      <div className="grid gap-6 lg:grid-cols-2">
        <Section id="profile" title={t("dashboard.profile")}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="font-bold">{t("fields.nameAr")}</dt>
            <dd>
              <span lang="ar" dir="rtl">
                {org.nameAr}
              </span>
            </dd>
            <dt className="font-bold">{t("fields.nameEn")}</dt>
            <dd>
              <span lang="en" dir="ltr">
                {org.nameEn}
              </span>
            </dd>
            <dt className="font-bold">{t("fields.country")}</dt>
            <dd>{countryName(org.country, locale)}</dd>
            <dt className="font-bold">{t("fields.defaultCurrency")}</dt>
            <dd>
              <span dir="ltr">{org.defaultCurrency}</span>
            </dd>
            <dt className="font-bold">{t("fields.timeZone")}</dt>
            <dd>
              <span dir="ltr">{org.timeZone}</span>
            </dd>
            <dt className="font-bold">{t("dashboard.regions")}</dt>
            <dd>
              {t("dashboard.regionCounts", {
                governorates: formatNumber(regionCounts.governorate, locale),
                districts: formatNumber(regionCounts.district, locale),
                localities: formatNumber(regionCounts.locality, locale),
              })}
            </dd>
            <dt className="font-bold">{t("dashboard.since")}</dt>
            <dd>{formatDate(org.createdAt, locale, org.timeZone)}</dd>
          </dl>
          {isAdmin && (
            <p className="mt-4 text-sm">
              <Link to={`${base}/settings`} className={linkClass}>
                {t("dashboard.editSettings")}
              </Link>
            </p>
          )}
        </Section>

        <Section id="people" title={t("dashboard.people")}>
          <p className="mb-2 text-sm">{t("dashboard.yourRoles")}</p>
          <RoleBadges roles={roles} />
          <h3 className="mb-3 mt-6 font-bold" id="counts-heading">
            {t("dashboard.membersByRole", { total: formatNumber(counts.total, locale) })}
          </h3>
          <BarChart
            label={t("dashboard.chartLabel")}
            items={ROLES.map((role) => ({
              key: role,
              label: t(`common:roles.${role}`),
              value: counts.byRole[role],
            }))}
          />
          {isAdmin && (
            <p className="mt-4 text-sm">
              <Link to={`${base}/members`} className={linkClass}>
                {t("dashboard.manageMembers")}
              </Link>
            </p>
          )}
        </Section>
      </div>

      <Section id="needs-by-state" title={t("dashboard.needsByState")}>
        <BarChart
          label={t("dashboard.needsChartLabel")}
          items={NEED_STATES.map((state) => ({ key: state, label: t(`needs:states.${state}`), value: needCounts[state] }))}
        />
        <p className="mt-4 text-sm">
          <Link to={`${base}/needs`} className={linkClass}>
            {t("dashboard.allNeeds")}
          </Link>
        </p>
      </Section>

      {isAdmin && (
        <Section id="recent" title={t("dashboard.recent")}>
          {recent.length === 0 ? (
            <p>{t("audit.empty")}</p>
          ) : (
            <AuditEntries entries={recent} showIp={false} />
          )}
          <p className="mt-4 text-sm">
            <Link to={`${base}/audit`} className={linkClass}>
              {t("dashboard.fullAudit")}
            </Link>
          </p>
        </Section>
      )}
    </div>
  );
}

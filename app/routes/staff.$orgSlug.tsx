import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listMyOrganizations, requireMember } from "~/utils/auth.server";
import { canManageOrg, canSeeFinance, orgName } from "~/modules/organizations/roles";
import { RoleBadges, secondaryButtonClass } from "~/components/staff";

/** The frame of an organisation's staff area: its name, the sections the person's roles open, the switcher. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  const mine = await listMyOrganizations(member.user.id);
  return {
    org: {
      id: member.org.id,
      slug: member.org.slug,
      nameAr: member.org.nameAr,
      nameEn: member.org.nameEn,
    },
    roles: member.roles,
    orgs: mine.map(({ org }) => ({ id: org.id, slug: org.slug, nameAr: org.nameAr, nameEn: org.nameEn })),
  };
}

export default function StaffOrgLayout() {
  const { org, roles, orgs } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  const base = `/staff/${org.slug}`;
  const links = [
    { to: base, label: t("nav.dashboard"), end: true, show: true },
    { to: `${base}/households`, label: t("registry:nav.households"), end: false, show: true },
    { to: `${base}/duplicates`, label: t("registry:nav.duplicates"), end: false, show: canManageOrg(roles) },
    { to: `${base}/needs`, label: t("nav.needs"), end: false, show: true },
    { to: `${base}/verification`, label: t("nav.verification"), end: false, show: roles.includes("verifier") || roles.includes("org_admin") },
    { to: `${base}/appeals`, label: t("nav.appeals"), end: false, show: true },
    { to: `${base}/members`, label: t("nav.members"), end: false, show: canManageOrg(roles) },
    { to: `${base}/audit`, label: t("nav.audit"), end: false, show: canManageOrg(roles) },
    { to: `${base}/settings`, label: t("nav.settings"), end: false, show: canManageOrg(roles) },
    { to: `/finance/${org.slug}`, label: t("nav.finance"), end: true, show: canSeeFinance(roles) },
    { to: `/finance/${org.slug}/pledges`, label: t("nav.pledges"), end: false, show: canSeeFinance(roles) },
  ].filter((l) => l.show);
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `block rounded px-3 py-1.5 ${isActive ? "bg-brand-700 font-bold text-white" : "text-brand-800 hover:bg-brand-50"}`;

  return (
    <div>
      <div className="mb-6 rounded-lg border border-stone-200 bg-white p-4 shadow-sm">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <p className="text-sm text-stone-700">{t("layout.organisation")}</p>
            <p className="text-xl font-bold" data-testid="org-name">
              {orgName(org, i18n.language)}
            </p>
            <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
              <span className="text-stone-700">{t("layout.yourRoles")}</span>
              <RoleBadges roles={roles} />
            </div>
          </div>
          {orgs.length > 1 && (
            <Form method="post" action="/staff/switch" className="flex flex-wrap items-end gap-2">
              <div>
                <label htmlFor="switch-org" className="block text-sm font-bold">
                  {t("layout.switchLabel")}
                </label>
                <select
                  id="switch-org"
                  name="orgId"
                  defaultValue={org.id}
                  className="mt-1 rounded border border-stone-400 bg-white px-2 py-1.5"
                >
                  {orgs.map((o) => (
                    <option key={o.id} value={o.id}>
                      {orgName(o, i18n.language)}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className={secondaryButtonClass}>
                {t("layout.switch")}
              </button>
            </Form>
          )}
        </div>
        <nav aria-label={t("layout.navLabel")} className="mt-4 border-t border-stone-200 pt-3">
          <ul className="flex flex-wrap gap-1 text-sm">
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.end} className={navClass}>
                  {link.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <Outlet />
    </div>
  );
}

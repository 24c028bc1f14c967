import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listMyOrganizations, requireAuth } from "~/utils/auth.server";
import { orgName, sortRoles } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { PageTitle, RoleBadges, linkClass } from "~/components/staff";

/** The staff area's door: straight to the organisation the person works in, else a choice. */
export async function loader({ request }: LoaderFunctionArgs) {
  const auth = await requireAuth(request);
  const mine = await listMyOrganizations(auth.user.id);
  const active = mine.find(({ org }) => org.id === auth.session.activeOrgId);
  if (active) throw redirect(`/staff/${active.org.slug}`);
  if (mine.length === 1) throw redirect(`/staff/${mine[0].org.slug}`);
  return {
    title: await staffTitle(request, "staff:home.title"),
    orgs: mine.map(({ org, roles }) => ({
      slug: org.slug,
      nameAr: org.nameAr,
      nameEn: org.nameEn,
      roles: sortRoles(roles),
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function StaffHome() {
  const { orgs } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle title={t("home.title")} intro={orgs.length > 0 ? t("home.choose") : undefined} />
      {orgs.length === 0 ? (
        <p className="rounded-lg border border-stone-200 bg-white p-5">{t("home.none")}</p>
      ) : (
        <ul className="space-y-3" data-testid="my-orgs">
          {orgs.map((org) => (
            <li key={org.slug} className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm">
              <Link to={`/staff/${org.slug}`} className={`${linkClass} text-lg font-bold`}>
                {orgName(org, i18n.language)}
              </Link>
              <div className="mt-2">
                <RoleBadges roles={org.roles} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

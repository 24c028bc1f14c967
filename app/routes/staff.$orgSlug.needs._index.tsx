import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { listNeeds } from "~/modules/needs/needs.server";
import { NEED_STATES, type NeedState } from "~/modules/needs/lifecycle";
import { NEED_CATEGORIES } from "~/modules/needs/schemas";
import { Pagination, pageFrom } from "~/components/pagination";
import { NeedTable } from "~/components/need-table";
import { PageTitle, Section, buttonClass, inputClass, linkClass, useLocale } from "~/components/staff";
import { formatNumber } from "~/utils/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  const url = new URL(request.url);
  const rawState = url.searchParams.get("state") || "";
  const rawCategory = url.searchParams.get("category") || "";
  const state = (NEED_STATES as readonly string[]).includes(rawState) ? (rawState as NeedState) : null;
  const category = (NEED_CATEGORIES as readonly string[]).includes(rawCategory) ? rawCategory : null;
  const db = await getDb();
  const locale = await getLocale(request);
  const result = await listNeeds(db, member.org.id, { state, category, page: pageFrom(url) });
  const body = {
    title: await staffTitle(request, "needs:list.title", orgName(member.org, locale)),
    org: { slug: member.org.slug, timeZone: member.org.timeZone },
    filters: { state: state ?? "", category: category ?? "" },
    ...result,
  };
  // A hand-edited filter that means nothing is a bad request (the page still shows everything).
  const bad = (rawState && !state) || (rawCategory && !category);
  return bad ? data(body, { status: 400 }) : body;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function NeedsList() {
  const { org, filters, rows, total, page, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("needs");
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <PageTitle title={t("list.title")} intro={t("list.intro")} />
      <Section id="need-filters" title={t("list.filters")}>
        <Form method="get" className="flex flex-wrap items-end gap-4" data-testid="need-filters">
          <div className="space-y-1">
            <label htmlFor="filter-state" className="block font-bold">
              {t("list.columns.state")}
            </label>
            <select id="filter-state" name="state" defaultValue={filters.state} className={inputClass}>
              <option value="">{t("list.all")}</option>
              {NEED_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`states.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="filter-category" className="block font-bold">
              {t("fields.category")}
            </label>
            <select id="filter-category" name="category" defaultValue={filters.category} className={inputClass}>
              <option value="">{t("list.all")}</option>
              {NEED_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`categories.${c}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={buttonClass}>
            {t("list.apply")}
          </button>
          {(filters.state || filters.category) && (
            <a href={`/staff/${org.slug}/needs`} className={linkClass}>
              {t("list.clear")}
            </a>
          )}
        </Form>
      </Section>
      <Section id="need-list" title={t("list.count", { count: total, n: formatNumber(total, locale) })}>
        {rows.length === 0 ? (
          <p>{t("list.empty")}</p>
        ) : (
          <NeedTable slug={org.slug} rows={rows} caption={t("list.title")} timeZone={org.timeZone} />
        )}
        <Pagination page={page} pages={pages} />
        <p className="mt-4 text-sm text-stone-700">{t("list.newHelp")}</p>
      </Section>
    </div>
  );
}

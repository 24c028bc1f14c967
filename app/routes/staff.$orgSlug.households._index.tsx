import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { listRegions } from "~/modules/organizations/regions.server";
import { buildRegionTree } from "~/modules/organizations/regions";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { listHouseholds } from "~/modules/registry/households.server";
import { pendingDuplicateCounts } from "~/modules/registry/duplicates.server";
import { HOUSEHOLD_STATUSES, HouseholdListFilterSchema, VULNERABILITY_TAGS } from "~/modules/registry/schemas";
import { READ_ROLES, canWriteHouseholds } from "~/modules/registry/access";
import { pageFrom } from "~/components/pagination";
import { FilteredTable } from "~/components/data-table";
import { Bdi, Ref } from "~/components/bidi";
import { ErrorList } from "~/components/forms";
import { PlainSelect, RegionSelect, StatusBadge, regionPaths } from "~/components/registry";
import {
  PageTitle,
  buttonClass,
  inputClass,
  linkClass,
  tdClass,
  useLocale,
} from "~/components/staff";
import { formatDate, formatNumber } from "~/utils/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, READ_ROLES);
  const url = new URL(request.url);
  const raw = {
    q: url.searchParams.get("q") || undefined,
    status: url.searchParams.get("status") || undefined,
    regionId: url.searchParams.get("regionId") || undefined,
    tag: url.searchParams.get("tag") || undefined,
  };
  const parsed = HouseholdListFilterSchema.safeParse(raw);
  const db = await getDb();
  const locale = await getLocale(request);
  const regionRows = await listRegions(db, member.org.id);
  const common = {
    title: await staffTitle(request, "registry:list.title", orgName(member.org, locale)),
    org: { slug: member.org.slug, timeZone: member.org.timeZone },
    canWrite: canWriteHouseholds(member.roles),
    regionRows,
    regions: buildRegionTree(regionRows),
    filters: raw,
  };
  if (!parsed.success) {
    // A hand-edited URL with a bad filter shows its message and no rows; nothing is guessed.
    const errors = parsed.error.flatten().fieldErrors as Record<string, string[] | undefined>;
    return data({ ...common, errors, households: [], pending: {} as Record<string, number>, total: 0, page: 1, pages: 1 }, { status: 400 });
  }
  const result = await listHouseholds(db, { orgId: member.org.id, ...parsed.data, page: pageFrom(url) });
  const pending = await pendingDuplicateCounts(db, member.org.id, result.households.map((h) => h.id));
  return {
    ...common,
    errors: {} as Record<string, string[] | undefined>,
    ...result,
    pending: Object.fromEntries(pending) as Record<string, number>,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function HouseholdsPage() {
  const { org, canWrite, regions, regionRows, filters, errors, households, pending, total, page, pages } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation("registry");
  const locale = useLocale();
  const paths = regionPaths(regionRows, locale);
  const filtered = Boolean(filters.q || filters.status || filters.regionId || filters.tag);
  const base = `/staff/${org.slug}/households`;
  return (
    <div className="space-y-6">
      <PageTitle title={t("list.title")} intro={t("list.intro")}>
        {canWrite && (
          <Link to={`${base}/new`} className={buttonClass}>
            {t("list.new")}
          </Link>
        )}
      </PageTitle>

      <FilteredTable
        id="results"
        title={t("list.results", { n: formatNumber(total, locale) })}
        filters={{
          id: "search",
          title: t("list.search.title"),
          submitLabel: t("list.search.submit"),
          resetLabel: t("list.search.reset"),
          resetTo: base,
          active: filtered,
          fields: (
            <>
              <div className="space-y-1 sm:col-span-2 lg:col-span-4">
                <label htmlFor="households-q" className="block font-bold">
                  {t("list.search.label")}
                </label>
                <p id="households-q-hint" className="text-sm text-stone-700">
                  {t("list.search.hint")}
                </p>
                <input
                  id="households-q"
                  type="search"
                  name="q"
                  defaultValue={filters.q ?? ""}
                  aria-describedby={errors.q?.length ? "households-q-hint households-q-error" : "households-q-hint"}
                  aria-invalid={errors.q?.length ? true : undefined}
                  className={inputClass}
                />
                <ErrorList id="households-q-error" errors={errors.q} />
              </div>
              <PlainSelect
                id="households-status"
                name="status"
                label={t("list.search.status")}
                defaultValue={filters.status ?? ""}
                errors={errors.status}
                options={[{ value: "", label: t("list.search.any") }, ...HOUSEHOLD_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
              />
              <RegionSelect
                id="households-region"
                label={t("list.search.region")}
                tree={regions}
                defaultValue={filters.regionId}
                errors={errors.regionId}
                emptyLabel={t("list.search.any")}
              />
              <PlainSelect
                id="households-tag"
                name="tag"
                label={t("list.search.tag")}
                defaultValue={filters.tag ?? ""}
                errors={errors.tag}
                options={[{ value: "", label: t("list.search.any") }, ...VULNERABILITY_TAGS.map((tag) => ({ value: tag, label: t(`tags.${tag}`) }))]}
              />
            </>
          ),
        }}
        caption={t("list.title")}
        testId="households-table"
        empty={filtered ? t("list.emptyFiltered") : t("list.empty")}
        columns={[
          t("list.columns.reference"),
          t("list.columns.head"),
          t("list.columns.region"),
          t("list.columns.members"),
          t("list.columns.status"),
          t("list.columns.registered"),
        ]}
        rows={households}
        page={page}
        pages={pages}
        renderRow={(h) => (
          <tr key={h.id}>
            <th scope="row" className={`${tdClass} text-start`}>
              <Link to={`${base}/${h.id}`} className={linkClass}>
                <Ref>{h.reference}</Ref>
              </Link>
              {pending[h.id] ? (
                <span className="ms-2">
                  <StatusBadge tone="pending" label={t("list.duplicatesPending", { n: formatNumber(pending[h.id], locale) })} />
                </span>
              ) : null}
            </th>
            <td className={tdClass}>{h.headName ? <Bdi>{h.headName}</Bdi> : "—"}</td>
            <td className={tdClass}>{(h.regionId && paths.get(h.regionId)) || "—"}</td>
            <td className={`${tdClass} tabular-nums`}>{formatNumber(h.members, locale)}</td>
            <td className={tdClass}>
              <StatusBadge tone={h.status} label={t(`status.${h.status}`)} />
            </td>
            <td className={`${tdClass} whitespace-nowrap`}>{formatDate(h.createdAt, locale, org.timeZone)}</td>
          </tr>
        )}
      />
    </div>
  );
}

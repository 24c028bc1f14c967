import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { describeAuditEntries } from "~/modules/audit/describe.server";
import { SYSTEM_FILTER, auditFilterOptions, queryAuditLog } from "~/modules/audit/audit-query.server";
import { AuditFilterSchema } from "~/modules/organizations/schemas";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { pageFrom, Pagination } from "~/components/pagination";
import { ErrorList } from "~/components/forms";
import { AuditEntries } from "~/components/audit-entries";
import { PageTitle, Section, buttonClass, inputClass, linkClass, useLocale } from "~/components/staff";
import { formatNumber } from "~/utils/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["org_admin"]);
  const url = new URL(request.url);
  const raw = {
    action: url.searchParams.get("action") || undefined,
    actor: url.searchParams.get("actor") || undefined,
    from: url.searchParams.get("from") || undefined,
    to: url.searchParams.get("to") || undefined,
  };
  // "The system" (webhooks and jobs) is a choice of the actor filter too: it has no user id.
  const bySystem = raw.actor === SYSTEM_FILTER;
  const parsed = AuditFilterSchema.safeParse(bySystem ? { ...raw, actor: undefined } : raw);
  const db = await getDb();
  const locale = await getLocale(request);
  const options = await auditFilterOptions(db, member.org.id);
  const common = {
    title: await staffTitle(request, "staff:audit.title", orgName(member.org, locale)),
    org: { slug: member.org.slug, timeZone: member.org.timeZone },
    options,
    filters: raw,
    systemFilter: SYSTEM_FILTER,
  };
  if (!parsed.success) {
    // A bad filter (a hand-edited URL) shows its message and no rows; nothing is guessed.
    const errors = parsed.error.flatten().fieldErrors as Record<string, string[] | undefined>;
    return data(
      { ...common, errors, entries: [] as Awaited<ReturnType<typeof describeAuditEntries>>, total: 0, page: 1, pages: 1 },
      { status: 400 },
    );
  }
  const result = await queryAuditLog(db, {
    orgId: member.org.id,
    filters: bySystem ? { ...parsed.data, actor: SYSTEM_FILTER } : parsed.data,
    timeZone: member.org.timeZone,
    page: pageFrom(url),
  });
  // The records each entry names (household reference, need title, pledge code, payment…) are
  // resolved for the whole page in one query per kind, and every change is put in words.
  const t = await getFixedT(request, ["staff", "needs", "pledging", "disbursements", "registry", "common"]);
  const entries = await describeAuditEntries(db, result.entries, {
    orgId: member.org.id,
    orgSlug: member.org.slug,
    orgCurrency: member.org.defaultCurrency,
    locale,
    timeZone: member.org.timeZone,
    t,
  });
  return { ...common, errors: {} as Record<string, string[] | undefined>, ...result, entries };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function AuditPage() {
  const { org, options, filters, systemFilter, errors, entries, total, page, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  const locale = useLocale();
  const filtered = Boolean(filters.action || filters.actor || filters.from || filters.to);
  const dateInput = (name: "from" | "to") => (
    <div className="space-y-1">
      <label htmlFor={`audit-${name}`} className="block text-sm font-bold">
        {t(`audit.filters.${name}`)}
      </label>
      <input
        id={`audit-${name}`}
        type="date"
        name={name}
        defaultValue={filters[name] ?? ""}
        aria-invalid={errors[name]?.length ? true : undefined}
        aria-describedby={errors[name]?.length ? `audit-${name}-error` : undefined}
        className={inputClass}
      />
      <ErrorList id={`audit-${name}-error`} errors={errors[name]} />
    </div>
  );
  return (
    <div className="space-y-6">
      <PageTitle title={t("audit.title")} intro={t("audit.intro", { timeZone: org.timeZone })} />

      <Section id="filters" title={t("audit.filters.title")}>
        <Form method="get" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
          <div className="space-y-1">
            <label htmlFor="audit-action" className="block text-sm font-bold">
              {t("audit.filters.action")}
            </label>
            <select id="audit-action" name="action" defaultValue={filters.action ?? ""} className={inputClass}>
              <option value="">{t("audit.filters.anyAction")}</option>
              {options.actions.map((action) => (
                <option key={action} value={action}>
                  {t(`audit.actions.${action}`, { defaultValue: action })}
                </option>
              ))}
            </select>
            <ErrorList errors={errors.action} />
          </div>
          <div className="space-y-1">
            <label htmlFor="audit-actor" className="block text-sm font-bold">
              {t("audit.filters.actor")}
            </label>
            <select id="audit-actor" name="actor" defaultValue={filters.actor ?? ""} className={inputClass}>
              <option value="">{t("audit.filters.anyActor")}</option>
              {options.system && <option value={systemFilter}>{t("audit.system")}</option>}
              {options.actors.map((actor) => (
                <option key={actor.id} value={actor.id}>
                  {actor.displayName} ({actor.email})
                </option>
              ))}
            </select>
            <ErrorList errors={errors.actor} />
          </div>
          {dateInput("from")}
          {dateInput("to")}
          <div className="flex flex-wrap items-center gap-3">
            <button type="submit" className={buttonClass}>
              {t("common:actions.filter")}
            </button>
            {filtered && (
              <Link to={`/staff/${org.slug}/audit`} className={linkClass}>
                {t("common:actions.reset")}
              </Link>
            )}
          </div>
        </Form>
      </Section>

      <Section id="entries" title={t("audit.entries", { total: formatNumber(total, locale) })}>
        {entries.length === 0 ? (
          <p>{filtered ? t("audit.noMatch") : t("audit.empty")}</p>
        ) : (
          <AuditEntries entries={entries} />
        )}
        <Pagination page={page} pages={pages} />
      </Section>
    </div>
  );
}

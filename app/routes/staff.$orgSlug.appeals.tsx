import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { parseWithZod } from "@conform-to/zod";
import { and, asc, eq, inArray } from "drizzle-orm";
import { needs, regions } from "#db/schema";
import { Money } from "~/components/bidi";
import { HorizontalBarChart } from "~/components/charts";
import { DataTable } from "~/components/data-table";
import { AppealCategories, AppealCommonFields, appealErrs } from "~/components/giving/appeal-fields";
import { PageTitle, Section, buttonClass, inputClass, linkClass, tdClass, useLocale } from "~/components/staff";
import { AppealFormSchema, appealProgress, appealsOf, createAppeal } from "~/modules/giving/appeals.server";
import { publicTitleIn } from "~/modules/needs/titles";
import { OrgRuleError } from "~/modules/organizations/errors";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { actorOf, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";

/**
 * /staff/:orgSlug/appeals — the organisation's appeals (issue 12, decision 068): each with its
 * window, raised and matched so far (a chart and a table), and a form (org admin) for a new one:
 * its needs chosen or by filter, its window, an optional matching offer, emergency or not. Bad
 * input gets its message and a 400; nothing is written. Works without JavaScript.
 */

const ROLES = ["org_admin", "caseworker", "verifier", "finance"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ROLES);
  const { org } = member;
  const locale = await getLocale(request);
  const db = await getDb();
  const list = await appealsOf(db, org.id);
  const progress = await Promise.all(list.map((a) => appealProgress(db, a)));
  const [published, governorates] = await Promise.all([
    db
      .select({ id: needs.id, titleAr: needs.titleAr, titleEn: needs.titleEn })
      .from(needs)
      .where(and(eq(needs.orgId, org.id), inArray(needs.state, ["submitted", "verified", "published"])))
      .orderBy(asc(needs.deadline))
      .limit(200),
    db.select({ id: regions.id, nameAr: regions.nameAr, nameEn: regions.nameEn }).from(regions).where(and(eq(regions.orgId, org.id), eq(regions.level, "governorate"))),
  ]);
  const fmt = (minor: number, currency: string) => formatMoney(minor, currency, locale);
  return {
    title: await staffTitle(request, "giving:appeals.staffTitle", orgName(org, locale)),
    orgSlug: org.slug,
    currency: org.defaultCurrency,
    isAdmin: member.roles.includes("org_admin"),
    appeals: list.map((a, i) => ({
      id: a.id,
      slug: a.slug,
      title: (locale === "ar" ? a.titleAr || a.titleEn : a.titleEn || a.titleAr) ?? a.slug,
      kind: a.kind,
      from: formatDate(a.startsAt, locale, org.timeZone),
      until: formatDate(a.endsAt, locale, org.timeZone),
      state: progress[i].state,
      raisedMinor: progress[i].raisedMinor,
      matchedMinor: a.matchedMinor,
      raised: fmt(progress[i].raisedMinor, a.currency),
      target: fmt(progress[i].targetMinor, a.currency),
      matched: fmt(a.matchedMinor, a.currency),
      needCount: progress[i].needCount,
    })),
    needChoices: published.map((n) => ({ id: n.id, title: publicTitleIn(n, locale) })),
    governorates: governorates.map((g) => ({ id: g.id, name: locale === "ar" ? g.nameAr : g.nameEn })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["org_admin"]);
  const formData = await readForm(request);
  const t = await getFixedT(request, ["giving", "pledging", "errors", "common"]);
  const submission = parseWithZod(formData, { schema: AppealFormSchema });
  const fail = (status: number, errors: Record<string, string[]>) =>
    data({ errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.map((m) => (m.includes(":") ? t(m) : m))])) }, { status, headers: { "Cache-Control": "private, no-store" } });
  if (submission.status !== "success") return fail(400, (submission.reply().error ?? {}) as Record<string, string[]>);
  try {
    const appeal = await createAppeal(await getDb(), actorOf(request, member.user), member.org, submission.value);
    return redirect(`/staff/${member.org.slug}/appeals?created=${appeal.slug}`);
  } catch (error) {
    if (error instanceof OrgRuleError) return fail(error.status, { [error.field ?? "form"]: [error.messageKey] });
    throw error;
  }
}

export default function StaffAppeals() {
  const { orgSlug, currency, isAdmin, appeals, needChoices, governorates } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation(["giving", "needs"]);
  const locale = useLocale();
  const errs = appealErrs(reply?.errors);
  return (
    <div className="space-y-6">
      <PageTitle title={t("giving:appeals.staffHeading")} />
      <Section id="appeal-results" title={t("giving:appeals.results")}>
        <p className="mb-2 text-sm">
          <a href={`/staff/${orgSlug}/appeals.csv`} className={linkClass} data-testid="appeals-csv">
            {t("giving:appeals.csv")}
          </a>
        </p>
        {appeals.length > 0 && (
          <HorizontalBarChart
            caption={t("giving:appeals.chartCaption")}
            dir={locale === "ar" ? "rtl" : "ltr"}
            items={appeals.map((a) => ({ key: a.id, label: a.title, value: a.raisedMinor, valueLabel: a.raised }))}
          />
        )}
        <DataTable
          caption={t("giving:appeals.results")}
          testId="staff-appeals"
          empty={t("giving:appeals.none")}
          columns={[t("giving:appeals.titleCol"), t("giving:appeals.windowCol"), t("giving:appeals.raisedCol"), t("giving:appeals.matchedCol")]}
          rows={appeals}
          renderRow={(a) => (
            <tr key={a.id}>
              <th scope="row" className={`${tdClass} text-start font-normal`}>
                <Link to={`/appeals/${a.slug}`} className={linkClass}>
                  {a.title}
                </Link>
                {a.kind === "emergency" && <span className="ms-2 rounded bg-red-100 px-1 text-xs font-bold text-red-900">{t("giving:appeals.emergency")}</span>}
              </th>
              <td className={tdClass}>
                {a.from} – {a.until} · {t(`giving:appeals.states.${a.state}`)}
              </td>
              <td className={tdClass}>
                <Money text={a.raised} /> / <Money text={a.target} /> ({a.needCount})
              </td>
              <td className={tdClass}>
                <Money text={a.matched} />
              </td>
            </tr>
          )}
        />
      </Section>
      {isAdmin && (
        <Section id="appeal-new" title={t("giving:appeals.newTitle")}>
          <Form method="post" className="grid max-w-2xl gap-3" noValidate>
            {errs("form")}
            <AppealCommonFields errs={errs} kinds={(["matched", "emergency"] as const).map((k) => ({ value: k, label: t(`giving:appeals.kinds.${k}`) }))} />
            <AppealCategories errors={reply?.errors.categories} />
            {governorates.length > 0 && (
              <label className="block">
                <span className="block font-bold">{t("giving:appeals.fields.region")}</span>
                <select name="regionId" className={inputClass} defaultValue="">
                  <option value="">{t("giving:give.anywhere")}</option>
                  {governorates.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
                {errs("regionId")}
              </label>
            )}
            {needChoices.length > 0 && (
              <fieldset>
                <legend className="font-bold">{t("giving:appeals.fields.needs")}</legend>
                <p className="text-sm text-stone-700">{t("giving:appeals.fields.needsHint")}</p>
                <div className="max-h-64 overflow-y-auto">
                  {needChoices.map((n) => (
                    <label key={n.id} className="flex items-center gap-2">
                      <input type="checkbox" name="needIds" value={n.id} />
                      {n.title}
                    </label>
                  ))}
                </div>
                {errs("needIds")}
              </fieldset>
            )}
            <div className="flex flex-wrap gap-3">
              <label className="block">
                <span className="block font-bold">{t("giving:appeals.fields.matchPercent")}</span>
                <input name="matchPercent" inputMode="numeric" dir="ltr" className={inputClass} />
                {errs("matchPercent")}
              </label>
              <label className="block">
                <span className="block font-bold">{t("giving:appeals.fields.matchCap", { currency })}</span>
                <input name="matchCap" inputMode="decimal" dir="ltr" className={inputClass} />
                {errs("matchCap")}
              </label>
            </div>
            <p className="text-sm text-stone-700">{t("giving:appeals.fields.matchHint")}</p>
            <button type="submit" className={buttonClass} data-testid="appeal-create">
              {t("giving:appeals.create")}
            </button>
          </Form>
          <p className="mt-2 text-sm">
            <Link to={`/staff/${orgSlug}`} className={linkClass}>
              {t("giving:appeals.back")}
            </Link>
          </p>
        </Section>
      )}
    </div>
  );
}

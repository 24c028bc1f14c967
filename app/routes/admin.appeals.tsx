import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { parseWithZod } from "@conform-to/zod";
import { asc } from "drizzle-orm";
import { organizations } from "#db/schema";
import { Money } from "~/components/bidi";
import { HorizontalBarChart } from "~/components/charts";
import { DataTable } from "~/components/data-table";
import { AppealCategories, AppealCommonFields, appealErrs } from "~/components/giving/appeal-fields";
import { Notice } from "~/components/forms";
import { PageTitle, Section, buttonClass, inputClass, linkClass, tdClass, useLocale } from "~/components/staff";
import { PlatformAppealFormSchema, appealProgress, createPlatformAppeal, platformAppealTimeZone, platformAppeals } from "~/modules/giving/appeals.server";
import { OrgRuleError } from "~/modules/organizations/errors";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { requirePlatformAdmin } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";

/**
 * /admin/appeals — platform appeals (issue 12, decision 072), platform admins only: an appeal
 * across organisations by filter (a currency, a country, kinds of need), with its page and
 * progress; an emergency one puts matching needs first in every organisation's verification queue.
 * Bad input gets its message and a 400; nothing is written. Works without JavaScript.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const db = await getDb();
  const locale = await getLocale(request);
  const [list, orgs] = await Promise.all([
    platformAppeals(db),
    db.select({ currency: organizations.defaultCurrency, country: organizations.country }).from(organizations).orderBy(asc(organizations.createdAt)),
  ]);
  const progress = await Promise.all(list.map((a) => appealProgress(db, a)));
  const regionName = (code: string) => {
    try {
      return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
    } catch {
      return code;
    }
  };
  const url = new URL(request.url);
  return data(
    {
      title: await staffTitle(request, "giving:appeals.platformTitle", "Tadamon"),
      created: url.searchParams.get("created"),
      currencies: [...new Set(orgs.map((o) => o.currency))],
      countries: [...new Set(orgs.map((o) => o.country))].map((code) => ({ code, name: regionName(code) })),
      appeals: list.map((a, i) => {
        const zone = platformAppealTimeZone(a.country);
        return {
          id: a.id,
          slug: a.slug,
          kind: a.kind,
          title: (locale === "ar" ? a.titleAr || a.titleEn : a.titleEn || a.titleAr) ?? a.slug,
          scope: [a.currency, a.country ? regionName(a.country) : null].filter(Boolean).join(" · "),
          from: formatDate(a.startsAt, locale, zone),
          until: formatDate(a.endsAt, locale, zone),
          state: progress[i].state,
          raisedMinor: progress[i].raisedMinor,
          raised: formatMoney(progress[i].raisedMinor, a.currency, locale),
          target: formatMoney(progress[i].targetMinor, a.currency, locale),
          needCount: progress[i].needCount,
        };
      }),
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requirePlatformAdmin(request);
  const formData = await readForm(request);
  const t = await getFixedT(request, ["giving", "pledging", "errors", "common"]);
  const submission = parseWithZod(formData, { schema: PlatformAppealFormSchema });
  const fail = (status: number, errors: Record<string, string[] | null | undefined>) =>
    data({ errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k || "form", (v ?? []).map((m) => (m.includes(":") ? t(m) : t("errors:invalidChoice")))])) }, { status, headers: NO_STORE });
  if (submission.status !== "success") return fail(400, submission.reply().error ?? {});
  try {
    const appeal = await createPlatformAppeal(await getDb(), actor, submission.value);
    return redirect(`/admin/appeals?created=${appeal.slug}`);
  } catch (error) {
    if (error instanceof OrgRuleError) return fail(error.status, { [error.field ?? "form"]: [error.messageKey] });
    throw error;
  }
}

export default function AdminAppeals() {
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation(["giving", "needs"]);
  const locale = useLocale();
  const errs = appealErrs(reply?.errors);
  return (
    <div className="space-y-6">
      <PageTitle title={t("giving:appeals.platformHeading")} intro={t("giving:appeals.platformIntro")} />
      {d.created && !reply && <Notice tone="success">{t("giving:appeals.platformCreated")}</Notice>}
      <Section id="platform-appeals" title={t("giving:appeals.results")}>
        {d.appeals.length > 0 && (
          <HorizontalBarChart
            caption={t("giving:appeals.chartCaption")}
            dir={locale === "ar" ? "rtl" : "ltr"}
            items={d.appeals.map((a) => ({ key: a.id, label: a.title, value: a.raisedMinor, valueLabel: a.raised }))}
          />
        )}
        <DataTable
          caption={t("giving:appeals.results")}
          testId="platform-appeals"
          empty={t("giving:appeals.none")}
          columns={[t("giving:appeals.titleCol"), t("giving:appeals.currency"), t("giving:appeals.windowCol"), t("giving:appeals.raisedCol")]}
          rows={d.appeals}
          renderRow={(a) => (
            <tr key={a.id}>
              <th scope="row" className={`${tdClass} text-start font-normal`}>
                <Link to={`/appeals/${a.slug}`} className={linkClass}>
                  {a.title}
                </Link>
                {a.kind === "emergency" && <span className="ms-2 rounded bg-red-100 px-1 text-xs font-bold text-red-900">{t("giving:appeals.emergency")}</span>}
              </th>
              <td className={tdClass}>{a.scope}</td>
              <td className={tdClass}>
                {a.from} – {a.until} · {t(`giving:appeals.states.${a.state}`)}
              </td>
              <td className={tdClass}>
                <Money text={a.raised} /> / <Money text={a.target} /> ({a.needCount})
              </td>
            </tr>
          )}
        />
      </Section>
      <Section id="platform-appeal-new" title={t("giving:appeals.newTitle")}>
        <Form method="post" className="grid max-w-2xl gap-3" noValidate>
          {errs("form")}
          <AppealCommonFields
            errs={errs}
            kinds={(["emergency", "matched"] as const).map((k) => ({ value: k, label: k === "matched" ? t("giving:appeals.kinds.campaign") : t(`giving:appeals.kinds.${k}`) }))}
          />
          <div className="flex flex-wrap gap-3">
            <label className="block">
              <span className="block font-bold">{t("giving:appeals.currency")}</span>
              <select name="currency" className={inputClass} data-testid="platform-appeal-currency">
                {d.currencies.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
              {errs("currency")}
            </label>
            <label className="block">
              <span className="block font-bold">{t("giving:appeals.country")}</span>
              <select name="country" className={inputClass} defaultValue="" data-testid="platform-appeal-country">
                <option value="">{t("giving:appeals.anyCountry")}</option>
                {d.countries.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
              {errs("country")}
            </label>
          </div>
          <AppealCategories errors={reply?.errors.categories} />
          <button type="submit" className={buttonClass} data-testid="platform-appeal-create">
            {t("giving:appeals.create")}
          </button>
        </Form>
      </Section>
    </div>
  );
}

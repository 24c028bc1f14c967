import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { requirePlatformAdmin } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { kickOutbox } from "~/utils/jobs.server";
import { appOrigin } from "~/utils/request.server";
import { createOrganization, listOrganizationsForAdmin } from "~/modules/organizations/organizations.server";
import { CreateOrganizationSchema, MAIN_COUNTRIES } from "~/modules/organizations/schemas";
import { orgName } from "~/modules/organizations/roles";
import {
  formMeta,
  invalid,
  noticeFrom,
  runRule,
  staffTitle,
  type FormReply,
} from "~/modules/organizations/route-helpers.server";
import { ErrorList, Field, FormMessage, Notice, SubmitButton } from "~/components/forms";
import { OrgDefaultsFields, fillCountryDefaults } from "~/components/org-defaults-fields";
import { orgChoices, type OrgChoices } from "~/modules/organizations/country-defaults";
import { Pagination, pageFrom } from "~/components/pagination";
import { PageTitle, Section, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatNumber } from "~/utils/format";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const db = await getDb();
  const { rows, page, pages } = await listOrganizationsForAdmin(db, pageFrom(new URL(request.url)));
  return {
    page,
    pages,
    title: await staffTitle(request, "admin:organizations.title"),
    organizations: rows.map(({ org, members, pendingInvitations, regions }) => ({
      id: org.id,
      slug: org.slug,
      nameAr: org.nameAr,
      nameEn: org.nameEn,
      country: org.country,
      defaultCurrency: org.defaultCurrency,
      timeZone: org.timeZone,
      createdAt: org.createdAt,
      members,
      pendingInvitations,
      regions,
    })),
    notice: noticeFrom(new URL(request.url), ["created"]),
    choices: orgChoices(await getLocale(request), { country: null, countries: rows.map(({ org }) => org.country) }),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request);
  const { submission } = await parseForm(request, CreateOrganizationSchema);
  const meta = formMeta(submission);
  if (submission.status !== "success") return invalid(submission, { ...meta, intent: "create" });
  const db = await getDb();
  const values = submission.value;
  return runRule(submission, { ...meta, intent: "create" }, async () => {
    await createOrganization(db, {
      actor: admin.actor,
      inviterId: admin.user.id,
      values,
      origin: appOrigin(request, env().APP_URL),
      locale: await getLocale(request),
    });
    kickOutbox();
    return redirect(`/admin/organizations?notice=created`);
  });
}

function CreateOrganizationForm({ lastResult, choices }: { lastResult: FormReply["result"] | undefined; choices: OrgChoices }) {
  const { t } = useTranslation("admin");
  const [form, fields] = useForm({
    id: "create-organization",
    lastResult,
    // Currency and time zone start at "the country's default": the server fills them from the
    // country when left so; with JavaScript, choosing a country fills them in view.
    defaultValue: { country: "LB" },
    constraint: getZodConstraint(CreateOrganizationSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateOrganizationSchema }),
  });
  return (
    <Form method="post" id={form.id} onSubmit={form.onSubmit} noValidate className="grid gap-4 md:grid-cols-2">
      <div className="md:col-span-2">
        <FormMessage id={form.errorId} errors={form.errors} />
      </div>
      <Field label={t("organizations.form.nameAr")} meta={fields.nameAr} dir="rtl" />
      <Field label={t("organizations.form.nameEn")} meta={fields.nameEn} dir="ltr" />
      <Field
        label={t("organizations.form.slug")}
        meta={fields.slug}
        dir="ltr"
        autoComplete="off"
        hint={t("organizations.form.slugHint", { example: "bayader-camps" })}
      />
      <Field
        label={t("organizations.form.adminEmail")}
        meta={fields.adminEmail}
        type="email"
        dir="ltr"
        autoComplete="off"
        hint={t("organizations.form.adminEmailHint")}
      />
      <div className="space-y-1">
        <label htmlFor={fields.country.id} className="block font-bold">
          {t("organizations.form.country")}
        </label>
        <select
          id={fields.country.id}
          name={fields.country.name}
          defaultValue={(fields.country.initialValue as string | undefined) ?? "LB"}
          aria-invalid={fields.country.errors?.length ? true : undefined}
          aria-describedby={fields.country.errors?.length ? fields.country.errorId : undefined}
          onChange={(e) => fillCountryDefaults(e.currentTarget.form, e.currentTarget.value)}
          className="block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base"
        >
          {MAIN_COUNTRIES.map((code) => (
            <option key={code} value={code}>
              {choices.countries[code] ?? code}
            </option>
          ))}
          <option value="other">{t("organizations.form.countryOtherOption")}</option>
        </select>
        <ErrorList id={fields.country.errorId} errors={fields.country.errors} />
      </div>
      <div className="space-y-1">
        <label htmlFor={fields.countryOther.id} className="block font-bold">
          {t("organizations.form.countryOther")}
        </label>
        <p id={`${fields.countryOther.id}-hint`} className="text-sm text-stone-700">
          {t("organizations.form.countryOtherHint", { example: "KW, QA, DE" })}
        </p>
        <input
          id={fields.countryOther.id}
          name={fields.countryOther.name}
          defaultValue={(fields.countryOther.initialValue as string | undefined) ?? ""}
          dir="ltr"
          maxLength={2}
          autoComplete="off"
          aria-invalid={fields.countryOther.errors?.length ? true : undefined}
          aria-describedby={[`${fields.countryOther.id}-hint`, fields.countryOther.errors?.length ? fields.countryOther.errorId : ""].filter(Boolean).join(" ")}
          onChange={(e) => {
            const code = e.currentTarget.value.trim().toUpperCase();
            if (/^[A-Z]{2}$/.test(code)) fillCountryDefaults(e.currentTarget.form, code);
          }}
          className="block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base"
        />
        <ErrorList id={fields.countryOther.errorId} errors={fields.countryOther.errors} />
      </div>
      <OrgDefaultsFields choices={choices} currency={fields.defaultCurrency} timeZone={fields.timeZone} />
      <div className="md:col-span-2">
        <SubmitButton>{t("organizations.form.submit")}</SubmitButton>
      </div>
    </Form>
  );
}

export default function AdminOrganizations() {
  const { organizations, notice, page, pages, choices } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const location = useLocation();
  const { t, i18n } = useTranslation("admin");
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <PageTitle title={t("organizations.title")} intro={t("organizations.intro")}>
        <Link to="/admin/settings" className={linkClass} data-testid="admin-settings-link">
          {t("settings.link")}
        </Link>{" "}
        ·{" "}
        <Link to="/admin/appeals" className={linkClass} data-testid="admin-appeals-link">
          {t("giving:appeals.platformTitle")}
        </Link>
      </PageTitle>
      {notice && !reply && <Notice tone="success">{t("organizations.created")}</Notice>}

      <Section id="list" title={t("organizations.listTitle")}>
        {organizations.length === 0 ? (
          <p>{t("organizations.empty")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableClass} data-testid="organizations-table">
              <caption className="sr-only">{t("organizations.listTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>
                    {t("organizations.columns.name")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("organizations.columns.slug")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("organizations.columns.country")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("organizations.columns.currency")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("organizations.columns.timeZone")}
                  </th>
                  <th scope="col" className={`${thClass} text-end`}>
                    {t("organizations.columns.members")}
                  </th>
                  <th scope="col" className={`${thClass} text-end`}>
                    {t("organizations.columns.pending")}
                  </th>
                  <th scope="col" className={`${thClass} text-end`}>
                    {t("organizations.columns.regions")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("organizations.columns.created")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {organizations.map((org) => (
                  <tr key={org.id}>
                    <th scope="row" className={`${tdClass} text-start font-bold`}>
                      {orgName(org, i18n.language)}
                      <span className="block text-xs font-normal text-stone-700" lang={i18n.language === "ar" ? "en" : "ar"}>
                        {i18n.language === "ar" ? org.nameEn : org.nameAr}
                      </span>
                    </th>
                    <td className={tdClass}>
                      <code dir="ltr">{org.slug}</code>
                    </td>
                    <td className={tdClass}>{choices.countries[org.country] ?? org.country}</td>
                    <td className={tdClass}>
                      <span dir="ltr">{org.defaultCurrency}</span>
                    </td>
                    <td className={tdClass}>
                      <span dir="ltr">{org.timeZone}</span>
                    </td>
                    <td className={`${tdClass} text-end tabular-nums`}>{formatNumber(org.members, locale)}</td>
                    <td className={`${tdClass} text-end tabular-nums`}>{formatNumber(org.pendingInvitations, locale)}</td>
                    <td className={`${tdClass} text-end tabular-nums`}>{formatNumber(org.regions, locale)}</td>
                    <td className={tdClass}>{formatDate(org.createdAt, locale, org.timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pagination page={page} pages={pages} />
          </div>
        )}
      </Section>

      <Section id="new-organization" title={t("organizations.form.title")} description={t("organizations.form.help")}>
        <CreateOrganizationForm key={location.key} lastResult={reply?.result} choices={choices} />
      </Section>
    </div>
  );
}

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
import { Field, FormMessage, Notice, SelectField, SubmitButton } from "~/components/forms";
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

function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

function CreateOrganizationForm({ lastResult }: { lastResult: FormReply["result"] | undefined }) {
  const { t } = useTranslation("admin");
  const locale = useLocale();
  const [form, fields] = useForm({
    id: "create-organization",
    lastResult,
    defaultValue: { country: "LB", defaultCurrency: "USD", timeZone: "Asia/Beirut" },
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
      <SelectField
        label={t("organizations.form.country")}
        meta={fields.country}
        options={[
          ...MAIN_COUNTRIES.map((code) => ({ value: code, label: countryName(code, locale) })),
          { value: "other", label: t("organizations.form.countryOtherOption") },
        ]}
      />
      <Field
        label={t("organizations.form.countryOther")}
        meta={fields.countryOther}
        dir="ltr"
        hint={t("organizations.form.countryOtherHint", { example: "JO, PS, IQ" })}
      />
      <Field
        label={t("organizations.form.defaultCurrency")}
        meta={fields.defaultCurrency}
        dir="ltr"
        hint={t("organizations.form.currencyHint", { example: "USD, SYP, EGP" })}
      />
      <Field
        label={t("organizations.form.timeZone")}
        meta={fields.timeZone}
        dir="ltr"
        hint={t("organizations.form.timeZoneHint", { example: "Asia/Beirut, Asia/Damascus, Africa/Cairo" })}
      />
      <div className="md:col-span-2">
        <SubmitButton>{t("organizations.form.submit")}</SubmitButton>
      </div>
    </Form>
  );
}

export default function AdminOrganizations() {
  const { organizations, notice, page, pages } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const location = useLocation();
  const { t, i18n } = useTranslation("admin");
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <PageTitle title={t("organizations.title")} intro={t("organizations.intro")}>
        <Link to="/admin/settings" className={linkClass} data-testid="admin-settings-link">
          {t("settings.link")}
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
                    <td className={tdClass}>{countryName(org.country, locale)}</td>
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
        <CreateOrganizationForm key={location.key} lastResult={reply?.result} />
      </Section>
    </div>
  );
}

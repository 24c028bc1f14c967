import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { linkClass } from "~/components/auth-page";
import { Bdi, Ltr } from "~/components/bidi";
import { Field, FormMessage, Notice, SelectField, SubmitButton } from "~/components/forms";
import { updateProfile } from "~/modules/identity/accounts.server";
import { invalidReply, pageTitle } from "~/modules/identity/route-helpers.server";
import { ProfileSchema } from "~/modules/identity/schemas";
import { listMyOrganizations, requireAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { badRequest, parseForm } from "~/utils/forms.server";
import { localeCookie } from "~/utils/i18next.server";
import { NUMERALS } from "~/utils/numerals";

const NOTICES = { saved: "auth:account.saved", passwordChanged: "auth:account.passwordChanged" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireAuth(request);
  const orgs = await listMyOrganizations(user.id);
  const params = new URL(request.url).searchParams;
  const notice: keyof typeof NOTICES | null = params.has("saved")
    ? "saved"
    : params.has("passwordChanged")
    ? "passwordChanged"
    : null;
  return {
    title: await pageTitle(request, "auth:account.title"),
    profile: {
      displayName: user.displayName,
      email: user.email,
      locale: user.locale,
      numerals: user.numerals,
      emailVerified: user.emailVerifiedAt !== null,
    },
    orgs: orgs.map(({ org, roles }) => ({ slug: org.slug, nameAr: org.nameAr, nameEn: org.nameEn, roles })),
    notice,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireAuth(request);
  const { submission } = await parseForm(request, ProfileSchema);
  if (submission.status !== "success") return badRequest({ result: invalidReply(submission) });
  await updateProfile(await getDb(), user.id, submission.value);
  // A redirect, so the next page is already drawn in the language just chosen.
  return redirect("/account?saved=1", {
    headers: { "Set-Cookie": await localeCookie.serialize(submission.value.locale) },
  });
}

export default function Account() {
  const { t, i18n } = useTranslation("auth");
  const { profile, orgs, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "profile",
    lastResult: actionData?.result,
    defaultValue: { displayName: profile.displayName, locale: profile.locale, numerals: profile.numerals },
    constraint: getZodConstraint(ProfileSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
  });

  return (
    <div className="mx-auto w-full max-w-2xl space-y-8">
      <h1 className="text-2xl font-bold text-brand-800">{t("account.heading")}</h1>
      {notice && <Notice tone="success">{t(NOTICES[notice])}</Notice>}

      <section
        aria-labelledby="profile-heading"
        className="space-y-4 rounded-lg border border-stone-200 bg-white p-5 shadow-sm"
      >
        <h2 id="profile-heading" className="text-xl font-bold">
          {t("account.profileHeading")}
        </h2>
        <dl>
          <dt className="font-bold">{t("fields.email")}</dt>
          <dd className="mt-1 flex flex-wrap items-center gap-2">
            <Ltr>{profile.email}</Ltr>
            <span className="text-sm text-stone-700">
              {profile.emailVerified ? t("account.emailVerified") : t("account.emailNotVerified")}
            </span>
          </dd>
        </dl>
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <FormMessage id={form.errorId} errors={form.errors} />
          <Field label={t("fields.displayName")} meta={fields.displayName} autoComplete="name" />
          <SelectField
            label={t("fields.locale")}
            meta={fields.locale}
            options={[
              { value: "ar", label: t("languages.ar") },
              { value: "en", label: t("languages.en") },
            ]}
          />
          <SelectField
            label={t("fields.numerals")}
            meta={fields.numerals}
            options={NUMERALS.map((value) => ({ value, label: t(`numerals.${value}`) }))}
          />
          <SubmitButton>{t("account.save")}</SubmitButton>
        </Form>
      </section>

      <section
        aria-labelledby="security-heading"
        className="space-y-2 rounded-lg border border-stone-200 bg-white p-5 shadow-sm"
      >
        <h2 id="security-heading" className="text-xl font-bold">
          {t("account.securityHeading")}
        </h2>
        <p>
          <Link to="/account/password" className={linkClass}>
            {t("account.changePasswordLink")}
          </Link>
        </p>
      </section>

      <p className="rounded-lg border border-stone-200 bg-white p-5 shadow-sm">
        <Link to="/account/pledges" className={linkClass} data-testid="account-pledges-link">
          {t("account.pledgesLink")}
        </Link>
        <span aria-hidden="true"> · </span>
        <Link to="/account/receipts" className={linkClass} data-testid="account-receipts-link">
          {t("account.receiptsLink")}
        </Link>
        <span aria-hidden="true"> · </span>
        <Link to="/account/giving" className={linkClass} data-testid="account-giving-link">
          {t("giving:preferences.link")}
        </Link>
        <span aria-hidden="true"> · </span>
        <Link to="/account/monthly" className={linkClass} data-testid="account-monthly-link">
          {t("giving:monthly.accountLink")}
        </Link>
      </p>

      <section
        aria-labelledby="orgs-heading"
        className="space-y-3 rounded-lg border border-stone-200 bg-white p-5 shadow-sm"
      >
        <h2 id="orgs-heading" className="text-xl font-bold">
          {t("account.orgsHeading")}
        </h2>
        {orgs.length === 0 ? (
          <p className="text-stone-700">{t("account.noOrgs")}</p>
        ) : (
          <ul className="divide-y divide-stone-200" data-testid="my-orgs">
            {orgs.map((org) => (
              <li key={org.slug} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <div>
                  <Link to={`/staff/${org.slug}`} className={`font-bold ${linkClass}`}>
                    <Bdi>{i18n.language === "en" ? org.nameEn : org.nameAr}</Bdi>
                  </Link>
                  <p className="text-sm text-stone-700">
                    {t("account.roles")}:{" "}
                    {new Intl.ListFormat(i18n.language, { type: "conjunction" }).format(
                      org.roles.map((role) => t(`common:roles.${role}`))
                    )}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

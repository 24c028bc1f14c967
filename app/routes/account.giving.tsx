import { useForm } from "@conform-to/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { linkClass } from "~/components/auth-page";
import { Field, FormMessage, Notice, SelectField, SubmitButton } from "~/components/forms";
import { CheckboxGroup } from "~/components/giving/checkbox-group";
import { getPreferences, listOrgChoices, savePreferences } from "~/modules/giving/preferences.server";
import { DIGEST_FREQUENCIES, PreferencesSchema } from "~/modules/giving/schemas";
import { failureReply, invalidReply, pageTitle } from "~/modules/identity/route-helpers.server";
import { listPublicGovernorates } from "~/modules/marketplace/listing.server";
import { minorToInput } from "~/modules/needs/money";
import { NEED_CATEGORIES } from "~/modules/needs/schemas";
import { currencyChoices, currencyLabel } from "~/modules/organizations/country-defaults";
import { requireAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { badRequest, parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";

/** /account/giving — a donor's giving preferences: what to support, a monthly budget, the digest email. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireAuth(request);
  const db = await getDb();
  const locale = await getLocale(request);
  const [preferences, governorates, orgs] = await Promise.all([getPreferences(db, user.id), listPublicGovernorates(db), listOrgChoices(db)]);
  const name = (x: { nameAr: string; nameEn: string }) => (locale === "en" ? x.nameEn : x.nameAr);
  const orgName = new Map(orgs.map((o) => [o.slug, name(o)]));
  return {
    title: await pageTitle(request, "giving:preferences.title"),
    saved: new URL(request.url).searchParams.has("saved"),
    preferences: {
      ...preferences,
      digestSentAt: undefined,
      monthlyBudget: preferences.monthlyBudgetMinor && preferences.budgetCurrency ? minorToInput(preferences.monthlyBudgetMinor, preferences.budgetCurrency) : "",
    },
    regions: governorates.map((g) => ({ value: g.id, label: name(g), note: orgName.get(g.orgSlug) })),
    orgs: orgs.map((o) => ({ value: o.id, label: name(o) })),
    currencies: currencyChoices().map((code) => ({ value: code, label: currencyLabel(code, locale) })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireAuth(request);
  const { submission } = await parseForm(request, PreferencesSchema);
  if (submission.status !== "success") return badRequest({ result: invalidReply(submission) });
  const result = await savePreferences(await getDb(), user.id, submission.value);
  if (!result.ok) return badRequest({ result: failureReply(submission, result) });
  return redirect("/account/giving?saved=1");
}

type GivingFields = {
  categories: string[];
  regionIds: string[];
  orgIds: string[];
  zakatOnly: boolean;
  monthlyBudget: string;
  budgetCurrency: string;
  digest: string;
};

export default function GivingPreferences() {
  const { t } = useTranslation("giving");
  const { preferences, regions, orgs, currencies, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<GivingFields>({
    id: "giving",
    lastResult: actionData?.result,
    defaultValue: { monthlyBudget: preferences.monthlyBudget, budgetCurrency: preferences.budgetCurrency ?? "", digest: preferences.digest },
  });
  // After a refused post, show what the person sent, not what is saved.
  const sent = actionData?.result?.initialValue as Record<string, unknown> | undefined;
  const list = (key: "categories" | "regionIds" | "orgIds"): string[] => {
    if (!sent) return preferences[key];
    const v = sent[key];
    return Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : [];
  };
  const zakatOnly = sent ? sent.zakatOnly === "on" : preferences.zakatOnly;

  return (
    <div className="mx-auto w-full max-w-2xl space-y-6">
      <h1 className="text-2xl font-bold text-brand-800">{t("preferences.heading")}</h1>
      {saved && <Notice tone="success">{t("preferences.saved")}</Notice>}
      <p className="text-stone-700">{t("preferences.intro")}</p>
      <Form method="post" id={form.id} noValidate className="space-y-6 rounded-lg border border-stone-200 bg-white p-5 shadow-sm" data-testid="giving-form">
        <FormMessage id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="save-preferences" />
        <CheckboxGroup
          legend={t("preferences.categories")}
          name="categories"
          options={NEED_CATEGORIES.map((c) => ({ value: c, label: t(`needs:categories.${c}`) }))}
          checked={list("categories")}
          errors={fields.categories.errors}
          testId="giving-categories"
        />
        <CheckboxGroup
          legend={t("preferences.regions")}
          hint={t("preferences.regionsHint")}
          name="regionIds"
          options={regions}
          checked={list("regionIds")}
          errors={fields.regionIds.errors}
          testId="giving-regions"
        />
        {orgs.length === 0 ? (
          <p className="text-stone-700">{t("preferences.noOrgChoices")}</p>
        ) : (
          <CheckboxGroup legend={t("preferences.orgs")} name="orgIds" options={orgs} checked={list("orgIds")} errors={fields.orgIds.errors} testId="giving-orgs" />
        )}
        <label className="flex items-start gap-2">
          <input type="checkbox" name="zakatOnly" defaultChecked={zakatOnly} className="mt-1 h-4 w-4" />
          <span className="font-bold">{t("preferences.zakatOnly")}</span>
        </label>
        <fieldset className="space-y-3">
          <legend className="font-bold">{t("preferences.budgetHeading")}</legend>
          <p className="text-sm text-stone-700">{t("preferences.budgetHint")}</p>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={t("preferences.monthlyBudget")} meta={fields.monthlyBudget} dir="ltr" />
            <SelectField
              label={t("preferences.budgetCurrency")}
              meta={fields.budgetCurrency}
              options={[{ value: "", label: t("preferences.noCurrency") }, ...currencies]}
            />
          </div>
        </fieldset>
        <SelectField
          label={t("preferences.digest")}
          meta={fields.digest}
          options={DIGEST_FREQUENCIES.map((f) => ({ value: f, label: t(`preferences.digestOptions.${f}`) }))}
        />
        <SubmitButton>{t("preferences.save")}</SubmitButton>
      </Form>
      <p>
        <Link to="/needs?match=mine" className={linkClass} data-testid="giving-see-matches">
          {t("preferences.seeMatches")}
        </Link>
      </p>
    </div>
  );
}

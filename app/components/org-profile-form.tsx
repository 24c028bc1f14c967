import { Form } from "@remix-run/react";
import { getTextareaProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { ErrorList, Field, FormMessage, SubmitButton } from "~/components/forms";
import { OrgDefaultsFields } from "~/components/org-defaults-fields";
import type { OrgChoices } from "~/modules/organizations/country-defaults";
import { OrgProfileSchema } from "~/modules/organizations/schemas";
import type { FormReply } from "~/modules/organizations/route-helpers.server";

export interface OrgProfileView {
  country: string;
  nameAr: string;
  nameEn: string;
  timeZone: string;
  defaultCurrency: string;
  publishOnVerify: boolean;
  missionAr: string;
  missionEn: string;
  registeredWithAr: string;
  registeredWithEn: string;
  foundedYear: string;
}

function TextArea({ label, meta, dir, hint }: { label: string; meta: FieldMetadata<string | undefined>; dir: "rtl" | "ltr"; hint?: string }) {
  const errorId = meta.errors?.length ? meta.errorId : undefined;
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getTextareaProps(meta, { ariaAttributes: true });
  return (
    <div className="space-y-1">
      <label htmlFor={meta.id} className="block font-bold">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-stone-700">
          {hint}
        </p>
      )}
      <textarea
        {...props}
        key={props.key}
        dir={dir}
        rows={4}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className="block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700"
      />
      <ErrorList id={errorId} errors={meta.errors} />
    </div>
  );
}

/** The organisation's profile: names, currency and time zone (country defaults), publishing, and its public profile. */
export function OrgProfileForm({ org, choices, lastResult }: { org: OrgProfileView; choices: OrgChoices; lastResult: FormReply["result"] | undefined }) {
  const { t } = useTranslation("staff");
  const { country: _country, ...values } = org;
  const [form, fields] = useForm({
    id: "profile",
    lastResult,
    defaultValue: values,
    constraint: getZodConstraint(OrgProfileSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OrgProfileSchema }),
  });
  return (
    <Form method="post" id={form.id} onSubmit={form.onSubmit} noValidate className="grid gap-4 sm:grid-cols-2">
      <input type="hidden" name="intent" value="profile" />
      <div className="sm:col-span-2">
        <FormMessage id={form.errorId} errors={form.errors} />
      </div>
      <Field label={t("fields.nameAr")} meta={fields.nameAr} dir="rtl" />
      <Field label={t("fields.nameEn")} meta={fields.nameEn} dir="ltr" />
      <OrgDefaultsFields choices={choices} currency={fields.defaultCurrency} timeZone={fields.timeZone} />
      <div className="sm:col-span-2">
        <label className="inline-flex items-start gap-2">
          <input
            type="checkbox"
            name="publishOnVerify"
            id="profile-publishOnVerify"
            defaultChecked={org.publishOnVerify}
            aria-describedby="profile-publishOnVerify-hint"
            className="mt-1 h-4 w-4"
          />
          <span>
            <span className="block font-bold">{t("fields.publishOnVerify")}</span>
            <span id="profile-publishOnVerify-hint" className="block text-sm text-stone-700">
              {t("settings.publishOnVerifyHint")}
            </span>
          </span>
        </label>
      </div>
      <h3 className="font-bold sm:col-span-2">{t("settings.publicProfile")}</h3>
      <p className="text-sm text-stone-700 sm:col-span-2">{t("settings.publicProfileHint")}</p>
      <TextArea label={t("fields.missionAr")} meta={fields.missionAr} dir="rtl" />
      <TextArea label={t("fields.missionEn")} meta={fields.missionEn} dir="ltr" />
      <Field label={t("fields.registeredWithAr")} meta={fields.registeredWithAr} dir="rtl" hint={t("settings.registeredWithHint")} />
      <Field label={t("fields.registeredWithEn")} meta={fields.registeredWithEn} dir="ltr" hint={t("settings.registeredWithHintEn")} />
      <Field label={t("fields.foundedYear")} meta={fields.foundedYear as FieldMetadata<string | undefined>} type="number" dir="ltr" />
      <div className="sm:col-span-2">
        <SubmitButton>{t("settings.save")}</SubmitButton>
      </div>
    </Form>
  );
}

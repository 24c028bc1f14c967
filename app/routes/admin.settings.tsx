import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePlatformAdmin } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { noticeFrom, staffTitle } from "~/modules/organizations/route-helpers.server";
import { kAnonymityMin, setKAnonymityMin } from "~/modules/needs/needs.server";
import { creditWindowDays, setCreditWindowDays } from "~/modules/giving/credits.server";
import { Field, FormMessage, Notice, SubmitButton } from "~/components/forms";
import { PageTitle, Section, linkClass } from "~/components/staff";

/**
 * The platform's settings (platform admins only): k of the re-identification check (decision 055),
 * and the donor-credit window (issue 12).
 */
const CreditSchema = z.object({
  intent: z.literal("credit"),
  creditWindowDays: z
    .string({ required_error: "errors:required" })
    .trim()
    .regex(/^\d{1,3}$/, "admin:settings.errors.creditRange")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 365, "admin:settings.errors.creditRange"),
});

const SettingsSchema = z.object({
  k: z
    .string({ required_error: "errors:required" })
    .trim()
    .regex(/^\d{1,3}$/, "admin:settings.errors.kRange")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, "admin:settings.errors.kRange"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  return {
    title: await staffTitle(request, "admin:settings.title"),
    k: await kAnonymityMin(await getDb()),
    creditWindowDays: await creditWindowDays(await getDb()),
    notice: noticeFrom(new URL(request.url), ["saved"]),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request);
  const form = await readForm(request);
  if (form.get("intent") === "credit") {
    const credit = parseWithZod(form, { schema: CreditSchema });
    if (credit.status !== "success") return data({ result: null, credit: credit.reply() }, { status: 400 });
    await setCreditWindowDays(await getDb(), admin.actor, credit.value.creditWindowDays);
    return redirect("/admin/settings?notice=saved");
  }
  const submission = parseWithZod(form, { schema: SettingsSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  await setKAnonymityMin(await getDb(), admin.actor, submission.value.k);
  return redirect("/admin/settings?notice=saved");
}

export default function PlatformSettings() {
  const { k, creditWindowDays: days, notice } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const [form, fields] = useForm({
    id: "platform-settings",
    lastResult: reply?.result,
    defaultValue: { k: String(k) },
    constraint: getZodConstraint(SettingsSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsSchema }),
  });
  const [creditForm, creditFields] = useForm({
    id: "platform-credit",
    lastResult: reply && "credit" in reply ? reply.credit : undefined,
    defaultValue: { creditWindowDays: String(days) },
    constraint: getZodConstraint(CreditSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreditSchema }),
  });
  return (
    <div className="space-y-4">
      <PageTitle title={t("settings.title")} intro={t("settings.intro")}>
        <Link to="/admin/organizations" className={linkClass}>
          {t("settings.back")}
        </Link>
      </PageTitle>
      {notice && !reply && <Notice tone="success">{t("settings.saved")}</Notice>}
      <Section id="settings-k" title={t("settings.kTitle")}>
        <Form method="post" id={form.id} onSubmit={form.onSubmit} noValidate className="max-w-md space-y-4">
          <FormMessage id={form.errorId} errors={form.errors} />
          <Field label={t("settings.kLabel")} meta={fields.k} type="number" dir="ltr" hint={t("settings.kHint")} />
          <SubmitButton>{t("settings.save")}</SubmitButton>
        </Form>
      </Section>
      <Section id="settings-credit" title={t("settings.creditTitle")}>
        <Form method="post" id={creditForm.id} onSubmit={creditForm.onSubmit} noValidate className="max-w-md space-y-4">
          <input type="hidden" name="intent" value="credit" />
          <FormMessage id={creditForm.errorId} errors={creditForm.errors} />
          <Field label={t("settings.creditLabel")} meta={creditFields.creditWindowDays} type="number" dir="ltr" hint={t("settings.creditHint")} />
          <SubmitButton>{t("settings.save")}</SubmitButton>
        </Form>
      </Section>
    </div>
  );
}

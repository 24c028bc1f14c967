import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AuthLinks, AuthPage, linkClass } from "~/components/auth-page";
import { Field, FormMessage, Notice, SubmitButton } from "~/components/forms";
import { accountContext, requestPasswordReset } from "~/modules/identity/accounts.server";
import { invalidReply, pageTitle } from "~/modules/identity/route-helpers.server";
import { ForgotPasswordSchema } from "~/modules/identity/schemas";
import { getDb } from "~/utils/db.server";
import { badRequest, parseForm } from "~/utils/forms.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return { title: await pageTitle(request, "auth:forgot.title") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

/** The answer is the same whether or not the address has an account. */
export async function action({ request }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, ForgotPasswordSchema);
  if (submission.status !== "success") return badRequest({ result: invalidReply(submission), sent: false });
  await requestPasswordReset(await getDb(), submission.value.email, accountContext(request));
  return { result: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPassword() {
  const { t } = useTranslation("auth");
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "forgot-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ForgotPasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
  });

  return (
    <AuthPage title={t("forgot.heading")} intro={t("forgot.intro")}>
      {actionData?.sent && <Notice tone="success">{t("forgot.sent")}</Notice>}
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormMessage id={form.errorId} errors={form.errors} />
        <Field label={t("fields.email")} meta={fields.email} type="email" autoComplete="email" dir="ltr" />
        <SubmitButton>{t("forgot.submit")}</SubmitButton>
      </Form>
      <AuthLinks>
        <Link to="/login" className={linkClass}>
          {t("forgot.loginLink")}
        </Link>
      </AuthLinks>
    </AuthPage>
  );
}

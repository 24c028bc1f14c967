import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AuthLinks, AuthPage, linkClass } from "~/components/auth-page";
import { Field, FormMessage, SubmitButton } from "~/components/forms";
import { accountContext, changePassword } from "~/modules/identity/accounts.server";
import { failureReply, invalidReply, pageTitle } from "~/modules/identity/route-helpers.server";
import { ChangePasswordSchema } from "~/modules/identity/schemas";
import { requireAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { badRequest, parseForm } from "~/utils/forms.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireAuth(request);
  return { title: await pageTitle(request, "auth:password.title"), email: user.email };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

// A throttled answer tells the browser when to come back, on a full page load too.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireAuth(request);
  const { submission } = await parseForm(request, ChangePasswordSchema);
  if (submission.status !== "success") return badRequest({ result: invalidReply(submission) });
  const result = await changePassword(
    await getDb(),
    { userId: user.id, sessionId: session.id, ...submission.value },
    accountContext(request)
  );
  if (!result.ok) {
    const reply = { result: failureReply(submission, result) };
    if (result.code === "throttled") {
      return badRequest(reply, { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } });
    }
    return badRequest(reply);
  }
  return redirect("/account?passwordChanged=1");
}

export default function ChangePassword() {
  const { t } = useTranslation("auth");
  const { email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "change-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ChangePasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }),
  });

  return (
    <AuthPage title={t("password.heading")} intro={t("password.intro")}>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormMessage id={form.errorId} errors={form.errors} />
        {/* Lets a password manager know which account the new password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <Field
          label={t("fields.currentPassword")}
          meta={fields.currentPassword}
          type="password"
          autoComplete="current-password"
          dir="ltr"
        />
        <Field
          label={t("fields.newPassword")}
          meta={fields.newPassword}
          type="password"
          autoComplete="new-password"
          dir="ltr"
          hint={t("fields.passwordHint")}
        />
        <Field
          label={t("fields.confirmPassword")}
          meta={fields.confirmPassword}
          type="password"
          autoComplete="new-password"
          dir="ltr"
        />
        <SubmitButton>{t("password.submit")}</SubmitButton>
      </Form>
      <AuthLinks>
        <Link to="/account" className={linkClass}>
          {t("password.backLink")}
        </Link>
        <Link to="/forgot-password" className={linkClass}>
          {t("login.forgotLink")}
        </Link>
      </AuthLinks>
    </AuthPage>
  );
}

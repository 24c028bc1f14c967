import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AuthLinks, AuthPage, linkClass } from "~/components/auth-page";
import { Field, FormMessage, SubmitButton } from "~/components/forms";
import { accountContext, signUp } from "~/modules/identity/accounts.server";
import { failureReply, invalidReply, pageTitle } from "~/modules/identity/route-helpers.server";
import { SignUpSchema } from "~/modules/identity/schemas";
import { requireAnonymous } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { badRequest, parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request, "/account");
  return { title: await pageTitle(request, "auth:signup.title") };
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
  await requireAnonymous(request, "/account");
  const { submission } = await parseForm(request, SignUpSchema);
  if (submission.status !== "success") return badRequest({ result: invalidReply(submission) });
  const result = await signUp(
    await getDb(),
    { ...submission.value, locale: await getLocale(request) },
    accountContext(request)
  );
  if (!result.ok) {
    // Throttled (per IP and per email): the only refusal; an address that has an account is not one.
    return badRequest({ result: failureReply(submission, result) }, { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } });
  }
  // The same page whether the address was new or already had an account (no enumeration).
  return redirect("/verify-email?result=sent");
}

export default function SignUp() {
  const { t } = useTranslation("auth");
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "signup",
    lastResult: actionData?.result,
    constraint: getZodConstraint(SignUpSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignUpSchema }),
  });

  return (
    <AuthPage title={t("signup.heading")} intro={t("signup.intro")}>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormMessage id={form.errorId} errors={form.errors} />
        <Field
          label={t("fields.displayName")}
          meta={fields.displayName}
          autoComplete="name"
          hint={t("fields.displayNameHint")}
        />
        <Field label={t("fields.email")} meta={fields.email} type="email" autoComplete="email" dir="ltr" />
        <Field
          label={t("fields.choosePassword")}
          meta={fields.password}
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
        <SubmitButton>{t("signup.submit")}</SubmitButton>
      </Form>
      <AuthLinks>
        <p>
          {t("signup.haveAccount")}{" "}
          <Link to="/login" className={linkClass}>
            {t("signup.loginLink")}
          </Link>
        </p>
      </AuthLinks>
    </AuthPage>
  );
}

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
import { Field, FormMessage, Notice, SubmitButton } from "~/components/forms";
import { accountContext, signIn } from "~/modules/identity/accounts.server";
import { failureReply, invalidReply, pageTitle } from "~/modules/identity/route-helpers.server";
import { SignInSchema } from "~/modules/identity/schemas";
import { signInDestination } from "~/modules/organizations/home.server";
import { requireAnonymous, sessionCookieHeader } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { badRequest, parseForm } from "~/utils/forms.server";
import { localeCookie } from "~/utils/i18next.server";
import { safeRedirect } from "~/utils/request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"), "/");
  await requireAnonymous(request, redirectTo);
  return {
    title: await pageTitle(request, "auth:login.title"),
    redirectTo: redirectTo === "/" ? null : redirectTo,
    notice: url.searchParams.get("reset") === "1" ? ("passwordReset" as const) : null,
  };
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
  const { submission } = await parseForm(request, SignInSchema);
  if (submission.status !== "success") {
    return badRequest({ result: invalidReply(submission), unverifiedEmail: null as string | null });
  }
  const result = await signIn(await getDb(), submission.value, accountContext(request));
  if (!result.ok) {
    const reply = { result: failureReply(submission, result), unverifiedEmail: null as string | null };
    switch (result.code) {
      case "throttled":
        return badRequest(reply, { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } });
      case "emailNotVerified":
        return badRequest({ ...reply, unverifiedEmail: submission.value.email }, { status: 403 });
      default:
        return badRequest(reply);
    }
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await sessionCookieHeader(result.token));
  // The interface follows the language saved in the person's profile.
  headers.append("Set-Cookie", await localeCookie.serialize(result.user.locale));
  // Staff to their staff home (or the private page that sent them here), donors back where they were.
  const from = submission.value.redirectTo ? safeRedirect(submission.value.redirectTo, "/") : null;
  return redirect(await signInDestination(await getDb(), result.user.id, from), { headers });
}

export default function Login() {
  const { t } = useTranslation("auth");
  const { redirectTo, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "login",
    lastResult: actionData?.result,
    constraint: getZodConstraint(SignInSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInSchema }),
  });

  return (
    <AuthPage title={t("login.heading")} intro={t("login.intro")}>
      {notice === "passwordReset" && <Notice tone="success">{t("login.passwordResetNotice")}</Notice>}
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormMessage id={form.errorId} errors={form.errors} />
        {redirectTo && <input type="hidden" name="redirectTo" value={redirectTo} />}
        <Field label={t("fields.email")} meta={fields.email} type="email" autoComplete="username" dir="ltr" />
        <Field
          label={t("fields.password")}
          meta={fields.password}
          type="password"
          autoComplete="current-password"
          dir="ltr"
        />
        <SubmitButton>{t("login.submit")}</SubmitButton>
      </Form>
      {actionData?.unverifiedEmail && (
        <Form
          method="post"
          action="/verify-email"
          className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3"
        >
          <p>{t("login.unverifiedHelp")}</p>
          <input type="hidden" name="email" value={actionData.unverifiedEmail} />
          <SubmitButton>{t("verify.resendSubmit")}</SubmitButton>
        </Form>
      )}
      <AuthLinks>
        <Link to="/forgot-password" className={linkClass}>
          {t("login.forgotLink")}
        </Link>
        <p>
          {t("login.noAccount")}{" "}
          <Link to="/signup" className={linkClass}>
            {t("login.signupLink")}
          </Link>
        </p>
      </AuthLinks>
    </AuthPage>
  );
}

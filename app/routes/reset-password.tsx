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
import { accountContext, checkResetToken, resetPassword } from "~/modules/identity/accounts.server";
import { failureReply, invalidReply, pageTitle } from "~/modules/identity/route-helpers.server";
import { ResetPasswordSchema, TokenQuerySchema } from "~/modules/identity/schemas";
import { clearSessionCookieHeader } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { badRequest, parseForm } from "~/utils/forms.server";

const PROBLEM_KEYS = {
  expired: "auth:errors.linkExpired",
  used: "auth:errors.linkUsed",
  invalid: "auth:errors.linkInvalid",
} as const;

/** GET ?token= shows the form when the link can still be used; it does not spend the link. */
export async function loader({ request }: LoaderFunctionArgs) {
  const title = await pageTitle(request, "auth:reset.title");
  const parsed = TokenQuerySchema.safeParse({ token: new URL(request.url).searchParams.get("token") ?? undefined });
  if (!parsed.success) return { title, token: null, problem: "invalid" as const };
  const check = await checkResetToken(await getDb(), parsed.data.token);
  if (!check.ok) return { title, token: null, problem: check.code };
  return { title, token: parsed.data.token, problem: null };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

// The token is in the address: never send it to another site in a Referer header.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer" });

export async function action({ request }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, ResetPasswordSchema);
  if (submission.status !== "success") {
    return badRequest({ result: invalidReply(submission), linkRefused: false });
  }
  const result = await resetPassword(await getDb(), submission.value, accountContext(request));
  if (!result.ok) return badRequest({ result: failureReply(submission, result), linkRefused: true });
  // Every session has ended, this browser's included.
  return redirect("/login?reset=1", { headers: { "Set-Cookie": await clearSessionCookieHeader() } });
}

export default function ResetPassword() {
  const { t } = useTranslation("auth");
  const { token, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "reset-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ResetPasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordSchema }),
  });
  const requestNewLink = (
    <AuthLinks>
      <Link to="/forgot-password" className={linkClass}>
        {t("reset.newLink")}
      </Link>
    </AuthLinks>
  );

  if (problem || !token) {
    return (
      <AuthPage title={t("reset.heading")}>
        <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p className="font-bold">{t(PROBLEM_KEYS[problem ?? "invalid"])}</p>
          <p className="mt-1">{t("reset.problemHelp")}</p>
        </div>
        {requestNewLink}
      </AuthPage>
    );
  }

  return (
    <AuthPage title={t("reset.heading")} intro={t("reset.intro")}>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormMessage id={form.errorId} errors={form.errors} />
        <FormMessage errors={fields.token.errors} />
        <input type="hidden" name="token" value={token} />
        <Field
          label={t("fields.newPassword")}
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
        <SubmitButton>{t("reset.submit")}</SubmitButton>
      </Form>
      {actionData?.linkRefused && requestNewLink}
    </AuthPage>
  );
}

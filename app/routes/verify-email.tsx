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
import { accountContext, resendVerification, verifyEmail } from "~/modules/identity/accounts.server";
import { invalidReply, pageTitle } from "~/modules/identity/route-helpers.server";
import { ResendVerificationSchema, TokenQuerySchema } from "~/modules/identity/schemas";
import { getDb } from "~/utils/db.server";
import { badRequest, parseForm } from "~/utils/forms.server";

const STATES = ["sent", "verified", "expired", "used", "invalid"] as const;
type State = (typeof STATES)[number];
const LINK_PROBLEM_KEYS = {
  expired: "auth:errors.linkExpired",
  used: "auth:errors.linkUsed",
  invalid: "auth:errors.linkInvalid",
} as const;

/**
 * GET ?token= confirms the address, then redirects to ?result=…, so the token leaves the address
 * bar and the history, and reloading the page does not try the spent link again.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token");
  if (token !== null) {
    const parsed = TokenQuerySchema.safeParse({ token });
    const outcome = parsed.success
      ? await verifyEmail(await getDb(), parsed.data.token, accountContext(request))
      : ({ ok: false, code: "invalid" } as const);
    throw redirect(`/verify-email?result=${outcome.ok ? "verified" : outcome.code}`);
  }
  const result = url.searchParams.get("result");
  const state: State | null = STATES.find((s) => s === result) ?? null;
  return { title: await pageTitle(request, "auth:verify.title"), state };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer" });

/** "Send me a new link": the same answer whether or not the address has an account waiting. */
export async function action({ request }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, ResendVerificationSchema);
  if (submission.status !== "success") return badRequest({ result: invalidReply(submission), resent: false });
  await resendVerification(await getDb(), submission.value.email, accountContext(request));
  return { result: submission.reply({ resetForm: true }), resent: true };
}

export default function VerifyEmail() {
  const { t } = useTranslation("auth");
  const { state } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "resend-verification",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ResendVerificationSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResendVerificationSchema }),
  });

  if (state === "verified") {
    return (
      <AuthPage title={t("verify.heading")}>
        <Notice tone="success">{t("verify.verified")}</Notice>
        <Link
          to="/login"
          className="inline-block rounded bg-brand-700 px-4 py-2 font-bold text-white hover:bg-brand-800"
        >
          {t("verify.loginLink")}
        </Link>
      </AuthPage>
    );
  }

  return (
    <AuthPage title={t("verify.heading")}>
      {actionData?.resent ? (
        <Notice tone="success">{t("verify.resent")}</Notice>
      ) : state === "sent" ? (
        <Notice tone="info">{t("verify.sent")}</Notice>
      ) : state === "expired" || state === "used" || state === "invalid" ? (
        <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p className="font-bold">{t(LINK_PROBLEM_KEYS[state])}</p>
          <p className="mt-1">{t(`verify.${state}Help`)}</p>
          {state === "used" && (
            <p className="mt-2">
              <Link to="/login" className={linkClass}>
                {t("verify.loginLink")}
              </Link>
            </p>
          )}
        </div>
      ) : (
        <p className="leading-relaxed">{t("verify.intro")}</p>
      )}
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <h2 className="text-lg font-bold">{t("verify.resendHeading")}</h2>
        <FormMessage id={form.errorId} errors={form.errors} />
        <Field label={t("fields.email")} meta={fields.email} type="email" autoComplete="email" dir="ltr" />
        <SubmitButton>{t("verify.resendSubmit")}</SubmitButton>
      </Form>
      <AuthLinks>
        <Link to="/login" className={linkClass}>
          {t("verify.loginLink")}
        </Link>
      </AuthLinks>
    </AuthPage>
  );
}

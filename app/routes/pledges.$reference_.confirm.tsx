import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PledgeError } from "~/modules/pledging/errors";
import { checkConfirmation, confirmPledge } from "~/modules/pledging/pledges.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { formatDateTime } from "~/utils/format";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { ltrRun, useDigits } from "~/components/bidi";

/**
 * /pledges/:reference/confirm?token= — a guest confirms an offline pledge (decision 053). The GET
 * only shows a button (mail scanners follow links: a GET never confirms); the button POSTs the
 * token, which confirms the pledge once and redirects to the instructions page. Works without
 * JavaScript. A wrong token is 404, a pledge past its 24 hours 409; nothing changes then.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };
const TOKEN = /^[a-z2-7]{16,100}$/;

type State = "confirmable" | "already_confirmed" | "invalid" | "expired";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reference = normalizeReference(params.reference ?? "");
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const [locale, t] = await Promise.all([getLocale(request), getFixedT(request, ["pledging", "common"])]);
  const title = `${t("pledging:confirm.title")} — ${t("common:appName")}`;
  let state: State = "invalid";
  let expiresAt: string | null = null;
  let status = 404;
  if (reference && TOKEN.test(token)) {
    try {
      const check = await checkConfirmation(await getDb(), reference, token);
      state = check.outcome;
      status = 200;
      if (check.outcome === "confirmable") expiresAt = formatDateTime(check.expiresAt, locale);
    } catch (error) {
      if (!(error instanceof PledgeError)) throw error;
      state = error.code === "confirm_expired" ? "expired" : "invalid";
      status = error.status;
    }
  }
  return data({ title, reference: reference ?? "", token: state === "confirmable" ? token : "", state, expiresAt }, { status, headers: NO_STORE });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

// The token is in the address: never send it on as a referrer.
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers(loaderHeaders);
  headers.set("Referrer-Policy", "no-referrer");
  return headers;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const reference = normalizeReference(params.reference ?? "");
  const form = await readForm(request);
  const token = form.get("token");
  const state = (s: State, status: number) =>
    data({ title: "", reference: reference ?? "", token: "", state: s, expiresAt: null }, { status, headers: NO_STORE });
  if (!reference || typeof token !== "string" || !TOKEN.test(token)) return state("invalid", 404);
  try {
    await confirmPledge(await getDb(), { reference, token });
  } catch (error) {
    if (!(error instanceof PledgeError)) throw error;
    return state(error.code === "confirm_expired" ? "expired" : "invalid", error.status);
  }
  return redirect(`/pledges/${reference}?confirmed=1`);
}

export default function ConfirmPledgePage() {
  const loaded = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { t } = useTranslation("pledging");
  const digits = useDigits();
  const { reference, token, expiresAt } = loaded;
  const state = refused?.state ?? loaded.state;
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4 rounded-lg border border-stone-200 bg-white p-5" data-testid="pledge-confirm">
      <h1 className="text-2xl font-bold text-brand-800">{t("confirm.heading")}</h1>
      {state === "confirmable" && (
        <>
          <p>{t("confirm.intro", { reference: ltrRun(reference), date: digits(expiresAt ?? "") })}</p>
          <Form method="post" className="space-y-3">
            <input type="hidden" name="token" value={token} />
            <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-bold text-white hover:bg-brand-800" data-testid="pledge-confirm-submit">
              {t("confirm.submit")}
            </button>
          </Form>
        </>
      )}
      {state === "already_confirmed" && <p role="status">{t("confirm.already")}</p>}
      {state === "expired" && <p role="alert">{t("errors.confirm_expired")}</p>}
      {state === "invalid" && <p role="alert">{t("errors.confirm_invalid")}</p>}
      {reference && (
        <p>
          <Link to={`/pledges/${reference}`} className="text-brand-700 underline">
            {t("confirm.instructionsLink")}
          </Link>
        </p>
      )}
    </div>
  );
}

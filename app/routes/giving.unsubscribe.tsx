import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice, SubmitButton } from "~/components/forms";
import { stopDigest } from "~/modules/giving/preferences.server";
import { verifyUnsubscribeSignature } from "~/modules/giving/unsubscribe.server";
import { pageTitle } from "~/modules/identity/route-helpers.server";
import { getDb } from "~/utils/db.server";
import { badRequest, readForm } from "~/utils/forms.server";
import { isUuid } from "~/utils/uuid";

/**
 * /giving/unsubscribe?u=<user id>&s=<signature> — stops the digest of new matching needs without
 * signing in. The page asks first and the button posts: a mail scanner that opens links does not
 * unsubscribe anyone. A bad or forged link gets a 400 and changes nothing.
 */
function signed(u: unknown, s: unknown): string | null {
  return typeof u === "string" && isUuid(u) && typeof s === "string" && verifyUnsubscribeSignature(u.toLowerCase(), s) ? u.toLowerCase() : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const userId = signed(params.get("u"), params.get("s"));
  const data = { title: await pageTitle(request, "giving:unsubscribe.title"), valid: userId !== null, u: params.get("u") ?? "", s: params.get("s") ?? "" };
  // A bad link still gets a page (in the visitor's language) saying what to do instead, with a 400.
  return userId ? data : badRequest(data);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const userId = signed(form.get("u"), form.get("s"));
  if (!userId) return badRequest({ done: false as const });
  await stopDigest(await getDb(), userId);
  return { done: true as const };
}

export default function Unsubscribe() {
  const { t } = useTranslation("giving");
  const { u, s, valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="mx-auto w-full max-w-xl space-y-4">
      <h1 className="text-2xl font-bold text-brand-800">{t("unsubscribe.heading")}</h1>
      {actionData?.done ? (
        <Notice tone="success">
          <span data-testid="unsubscribed">{t("unsubscribe.done")}</span>
        </Notice>
      ) : actionData || !valid ? (
        <Notice tone="warning">{t("unsubscribe.invalid")}</Notice>
      ) : (
        <>
          <p>{t("unsubscribe.intro")}</p>
          <Form method="post">
            <input type="hidden" name="u" value={u} />
            <input type="hidden" name="s" value={s} />
            <SubmitButton>{t("unsubscribe.submit")}</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}

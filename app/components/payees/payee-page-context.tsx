import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useLocale } from "~/components/staff";
import type { action, loader, PayeeReply } from "~/routes/finance.$orgSlug.payees.$payeeId";

/**
 * What every section of a payee's finance page reads: the route's loader data and action reply,
 * the translators, and each form's errors and last values (a refused form shows what was sent).
 */
type Intent = "update" | "request" | "decide" | "withdraw";

export function usePayeePage() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as PayeeReply | undefined;
  const { t } = useTranslation("payees");
  const { t: tn } = useTranslation("needs");
  const locale = useLocale();
  const errorsFor = (intent: Intent) => (reply?.intent === intent ? reply.errors : {});
  const formErrorsFor = (intent: Intent) => (reply?.intent === intent ? reply.formErrors : undefined);
  const valueFor = (intent: Intent, name: string, fallback: string | null | undefined) =>
    reply?.intent === intent && reply.values[name] !== undefined ? reply.values[name] : (fallback ?? "");
  return {
    ...data,
    reply,
    t,
    tn,
    locale,
    errorsFor,
    formErrorsFor,
    valueFor,
    up: errorsFor("update"),
    rq: errorsFor("request"),
    dc: errorsFor("decide"),
    mine: data.pending ? data.pending.requestedBy === data.me : false,
  };
}

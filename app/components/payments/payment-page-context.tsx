import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useLocale } from "~/components/staff";
import { formatMoney } from "~/utils/format";
import type { action, loader } from "~/routes/finance.$orgSlug.payments.$paymentId";

/**
 * What every section of a payment's finance page reads: the route's loader data and action reply,
 * the translator, and what the page derives once (money in the payment's currency, each form's
 * errors, the need's title in the page's language, what is left to refund).
 */
export type Errors = Record<string, string[] | undefined>;

export function usePaymentPage() {
  const { org, payment: p, can, targets, receiptLinks, keys, notice } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("finance");
  const locale = useLocale();
  return {
    org,
    p,
    can,
    targets,
    receiptLinks,
    keys,
    notice,
    reply,
    t,
    locale,
    money: (minor: number) => formatMoney(minor, p.currency, locale),
    errorsFor: (intent: string): Errors => (reply?.intent === intent ? reply.errors : {}),
    needTitle: (locale === "ar" ? p.needTitleAr || p.needTitleEn : p.needTitleEn || p.needTitleAr) || p.needPublicId,
    remaining: p.amountMinor - p.refundedMinor,
  };
}

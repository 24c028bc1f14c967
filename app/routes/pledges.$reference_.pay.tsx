import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pledgeTitleIn } from "~/modules/needs/titles";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { coverAmountFor, estimateCardFee } from "~/modules/payments/card-fees";
import { CheckoutError, cardPledgeView, startCheckout } from "~/modules/payments/checkout.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { formatDate, formatMoney } from "~/utils/format";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { appOrigin } from "~/utils/request.server";
import { ltrRun, ownRun, useDigits } from "~/components/bidi";

/**
 * /pledges/:reference/pay — a card pledge waiting for payment. GET shows "continue to card
 * payment" (amount, hold, the fee cover option); the POST opens (or reuses) the pledge's Checkout
 * Session — Stripe's, or the stand-in's without STRIPE_SECRET_KEY outside production — and
 * redirects there. Anyone holding the reference may pay it (the pledge page works the same way);
 * a pledge that is not a card pledge awaiting payment, or card no longer offered, is refused with a
 * message (409), nothing changed. Works without JavaScript.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

async function view(request: Request, rawReference: string) {
  const reference = normalizeReference(rawReference);
  if (!reference) throw new Response("Not Found", { status: 404 });
  const db = await getDb();
  const found = await cardPledgeView(db, reference);
  if (!found) throw new Response("Not Found", { status: 404 });
  const locale = await getLocale(request);
  const { pledge, need, org } = found;
  const giftMinor = Math.max(0, pledge.amountMinor - pledge.paidMinor);
  const fmt = (minor: number) => formatMoney(minor, pledge.currency, locale);
  const cover = found.payable && giftMinor > 0 ? coverAmountFor(giftMinor, pledge.currency) : 0;
  return {
    db,
    found,
    locale,
    page: {
      reference: pledge.reference,
      amount: fmt(giftMinor),
      need: pledgeTitleIn({ need, org, zakat: pledge.zakat }, locale),
      org: locale === "ar" ? org.nameAr : org.nameEn,
      date: pledge.expiresAt ? formatDate(pledge.expiresAt, locale, org.timeZone) : "",
      fee: fmt(estimateCardFee(giftMinor + cover, pledge.currency)),
      cover: fmt(cover),
      total: fmt(giftMinor + cover),
      state: !found.payable ? ("not_payable" as const) : !found.cardOffered ? ("unavailable" as const) : ("payable" as const),
    },
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { page } = await view(request, params.reference ?? "");
  const t = await getFixedT(request, ["card", "common"]);
  return data({ ...page, title: `${t("card:pay.title", { reference: page.reference })} — ${t("common:appName")}`, error: null as string | null }, { headers: NO_STORE });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, found, locale, page } = await view(request, params.reference ?? "");
  const form = await readForm(request);
  const coverFee = form.get("coverFee") === "on";
  try {
    const { url } = await startCheckout(db, { pledgeId: found.pledge.id, coverFee, origin: appOrigin(request, env().APP_URL), locale });
    return redirect(url);
  } catch (error) {
    if (!(error instanceof CheckoutError)) throw error;
    if (error.code === "pledge_not_found") throw new Response("Not Found", { status: 404 });
    return data({ ...page, title: "", error: error.messageKey }, { status: error.status, headers: NO_STORE });
  }
}

export default function PayByCardPage() {
  const loaded = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { t } = useTranslation("card");
  const digits = useDigits();
  const page = refused ?? loaded;
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4 rounded-lg border border-stone-200 bg-white p-5" data-testid="card-pay">
      <h1 className="text-2xl font-bold text-brand-800">{t("pay.heading")}</h1>
      <p>{t("pay.intro", { reference: ltrRun(page.reference), amount: ltrRun(digits(page.amount)), need: ownRun(page.need), org: ownRun(page.org), date: digits(page.date) })}</p>
      {page.error && (
        <p role="alert" className="font-bold text-red-800" data-testid="card-pay-error">
          {t(page.error)}
        </p>
      )}
      {page.state === "payable" && (
        <Form method="post" reloadDocument className="space-y-3">
          <input type="hidden" name="intent" value="pay" />
          <label className="flex items-start gap-2">
            <input type="checkbox" name="coverFee" className="mt-1" />
            <span>
              {t("pay.coverFee", { fee: ltrRun(digits(page.cover)) })}
              <span className="block text-sm text-stone-600">{t("pay.coverFeeHint", { fee: ltrRun(digits(page.fee)), total: ltrRun(digits(page.total)) })}</span>
            </span>
          </label>
          <button type="submit" className="rounded bg-brand-700 px-5 py-3 text-lg font-bold text-white hover:bg-brand-800" data-testid="card-pay-submit">
            {t("pay.submit")}
          </button>
        </Form>
      )}
      {page.state === "not_payable" && <p role="status">{t("pay.notPayable")}</p>}
      {page.state === "unavailable" && <p role="status">{t("pay.unavailable")}</p>}
      <p>
        <Link to={`/pledges/${page.reference}`} className="text-brand-700 underline">
          {t("pay.back")}
        </Link>
      </p>
    </div>
  );
}

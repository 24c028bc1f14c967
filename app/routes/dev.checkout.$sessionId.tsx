import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pledgeTitleIn } from "~/modules/needs/titles";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StandInCardForm } from "~/components/standin-card-form";
import { returnUrls } from "~/modules/payments/checkout.server";
import {
  TEST_CARD_DECLINED,
  TEST_CARD_OK,
  signedWebhookRequest,
  standInActive,
  standInCompletedEvent,
  standInOpen,
  standInSession,
} from "~/modules/payments/standin.server";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";
import { notFound } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env, isProduction } from "~/utils/env.server";
import { formatMoney } from "~/utils/format";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { appOrigin } from "~/utils/request.server";

/**
 * /dev/checkout/:sessionId — the stand-in of Stripe Checkout (no STRIPE_SECRET_KEY; never in
 * production, 404 there and whenever a key is set). Clearly labelled as a test; shows the amount
 * and the pledge. Paying with 4242 4242 4242 4242 sends a signed `checkout.session.completed` to
 * POST /webhooks/stripe (the webhook route's own action: signature check, storage, processing)
 * and returns to the success page; 4000 0000 0000 0002 is declined (nothing happens); "cancel"
 * returns to the cancel page. Works without JavaScript.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

async function load(request: Request, sessionId: string) {
  if (isProduction() || !standInActive()) notFound();
  const db = await getDb();
  const found = await standInSession(db, sessionId);
  if (!found) throw new Response("Not Found", { status: 404 });
  const locale = await getLocale(request);
  const fmt = (minor: number) => formatMoney(minor, found.session.currency, locale);
  const { session, pledge, need, org } = found;
  return {
    db,
    found,
    page: {
      sessionId: session.id,
      reference: pledge.reference,
      total: fmt(session.giftMinor + session.coverFeeMinor),
      gift: fmt(session.giftMinor),
      cover: session.coverFeeMinor > 0 ? fmt(session.coverFeeMinor) : null,
      need: pledgeTitleIn({ need, org, zakat: pledge.zakat }, locale),
      org: locale === "ar" ? org.nameAr : org.nameEn,
      open: standInOpen(found),
      error: null as string | null,
    },
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { page } = await load(request, params.sessionId ?? "");
  const t = await getFixedT(request, ["card", "common"]);
  return data({ ...page, title: `${t("card:standin.title")} — ${t("common:appName")}` }, { headers: NO_STORE });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const { found, page } = await load(request, params.sessionId ?? "");
  const origin = appOrigin(request, env().APP_URL);
  const form = await readForm(request);
  const refuse = (error: string, status: number) => data({ ...page, title: "", error }, { status, headers: NO_STORE });
  if (form.get("intent") === "cancel") return redirect(returnUrls(origin, found.pledge.reference).cancel);
  if (!page.open) return refuse("card:standin.closed", 409);
  const card = String(form.get("cardNumber") ?? "").replace(/[\s-]/g, "").slice(0, 40);
  if (card === TEST_CARD_DECLINED) return refuse("card:standin.declined", 402);
  if (card !== TEST_CARD_OK) return refuse("card:standin.unknownCard", 400);
  const event = standInCompletedEvent(found, origin);
  const response = await stripeWebhook({ request: signedWebhookRequest(event, origin), params: {}, context: {} });
  if (response.status !== 200) throw new Error(`the webhook refused the stand-in's event (${response.status})`);
  return redirect(returnUrls(origin, found.pledge.reference).success.replace("{CHECKOUT_SESSION_ID}", encodeURIComponent(found.session.id)));
}

export default function StandInCheckoutPage() {
  const loaded = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { t } = useTranslation("card");
  const page = refused ?? loaded;
  return (
    <div className="mx-auto w-full max-w-lg space-y-4 rounded-lg border-4 border-dashed border-amber-500 bg-white p-5" data-testid="standin-checkout">
      <p role="note" className="rounded bg-amber-100 p-3 font-bold text-amber-900" data-testid="standin-banner">
        {t("standin.banner")}
      </p>
      <h1 className="text-2xl font-bold text-brand-800">{t("standin.heading", { amount: page.total })}</h1>
      <p>{t("standin.pledge", { reference: page.reference, need: page.need, org: page.org })}</p>
      {page.cover && (
        <ul className="text-sm text-stone-700">
          <li>{t("standin.gift", { amount: page.gift })}</li>
          <li>{t("standin.cover", { amount: page.cover })}</li>
        </ul>
      )}
      {page.error && (
        <p role="alert" className="font-bold text-red-800" data-testid="standin-error">
          {t(page.error)}
        </p>
      )}
      {page.open ? (
        <StandInCardForm payLabel={t("standin.pay", { amount: page.total })} />
      ) : (
        <p role="status">{t("standin.closed")}</p>
      )}
      <p>
        <Link to={`/pledges/${page.reference}`} className="text-brand-700 underline">
          {t("return.pledgeLink", { reference: page.reference })}
        </Link>
      </p>
    </div>
  );
}

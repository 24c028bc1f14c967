import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StandInCardForm } from "~/components/standin-card-form";
import { eq } from "drizzle-orm";
import { monthlyGifts, organizations } from "#db/schema";
import { signedStandInRequest, standInInvoicePaid, standInSubscriptionCompleted } from "~/modules/giving/monthly-stripe.server";
import { monthOf, monthlyGiftPath } from "~/modules/giving/monthly.server";
import { fundTitleIn } from "~/modules/needs/titles";
import { TEST_CARD_DECLINED, TEST_CARD_OK, standInActive } from "~/modules/payments/standin.server";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";
import { notFound } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env, isProduction } from "~/utils/env.server";
import { formatMoney } from "~/utils/format";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { appOrigin } from "~/utils/request.server";
import { isUuid } from "~/utils/uuid";

/**
 * /dev/subscribe/:giftId — the stand-in of Stripe Checkout in subscription mode (and of the
 * customer portal's "update card"), for a monthly card gift (no STRIPE_SECRET_KEY; never in
 * production: 404). Paying with 4242 4242 4242 4242 sends the signed `checkout.session.completed`
 * and the first month's `invoice.paid` to the webhook; updating the card of a past-due gift sends
 * the retried invoice's `invoice.paid`. 4000 0000 0000 0002 is declined. Works without JavaScript.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

async function load(request: Request, giftId: string) {
  if (isProduction() || !standInActive() || !isUuid(giftId)) notFound();
  const db = await getDb();
  const [row] = await db
    .select({ gift: monthlyGifts, org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn, timeZone: organizations.timeZone } })
    .from(monthlyGifts)
    .innerJoin(organizations, eq(organizations.id, monthlyGifts.orgId))
    .where(eq(monthlyGifts.id, giftId))
    .limit(1);
  if (!row || row.gift.method !== "card") throw new Response("Not Found", { status: 404 });
  const locale = await getLocale(request);
  const update = new URL(request.url).searchParams.get("update") === "1" && Boolean(row.gift.stripeSubscriptionId);
  const open = row.gift.status !== "cancelled" && (update || !row.gift.stripeSubscriptionId);
  return {
    row,
    page: { giftId, update, open, amount: formatMoney(row.gift.amountMinor, row.gift.currency, locale), fund: fundTitleIn(row.org, row.gift.zakat, locale), error: null as string | null },
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { page } = await load(request, params.giftId ?? "");
  const t = await getFixedT(request, ["card", "common"]);
  return data({ ...page, title: `${t("card:standin.title")} — ${t("common:appName")}` }, { headers: NO_STORE });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const { row, page } = await load(request, params.giftId ?? "");
  const origin = appOrigin(request, env().APP_URL);
  const form = await readForm(request);
  const back = `${monthlyGiftPath(row.gift.id)}`;
  const refuse = (error: string, status: number) => data({ ...page, title: "", error }, { status, headers: NO_STORE });
  if (form.get("intent") === "cancel") return redirect(page.update ? back : `${back}&checkout=cancelled`);
  if (!page.open) return refuse("card:standin.closed", 409);
  const card = String(form.get("cardNumber") ?? "").replace(/[\s-]/g, "").slice(0, 40);
  if (card === TEST_CARD_DECLINED) return refuse("card:standin.declined", 402);
  if (card !== TEST_CARD_OK) return refuse("card:standin.unknownCard", 400);
  const deliver = async (event: Parameters<typeof signedStandInRequest>[0]) => {
    const response = await stripeWebhook({ request: await signedStandInRequest(event, origin), params: {}, context: {} });
    if (response.status !== 200) throw new Error(`the webhook refused the stand-in's event (${response.status})`);
  };
  const now = new Date();
  const period = monthOf(row.org.timeZone, now);
  if (!page.update) {
    await deliver(standInSubscriptionCompleted(row.gift, now));
    await deliver(standInInvoicePaid(row.gift, period, now, "subscription_create"));
    return redirect(`${back}&started=1`);
  }
  // The new card pays the month that failed (Stripe retries the open invoice with it).
  if (row.gift.status === "past_due") await deliver(standInInvoicePaid(row.gift, period, now));
  return redirect(back);
}

export default function StandInSubscribePage() {
  const loaded = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { t } = useTranslation("card");
  const page = refused ?? loaded;
  return (
    <div className="mx-auto w-full max-w-lg space-y-4 rounded-lg border-4 border-dashed border-amber-500 bg-white p-5" data-testid="standin-checkout">
      <p role="note" className="rounded bg-amber-100 p-3 font-bold text-amber-900" data-testid="standin-banner">
        {t("standin.banner")}
      </p>
      <h1 className="text-2xl font-bold text-brand-800">{t(page.update ? "standin.updateHeading" : "standin.monthlyHeading", { amount: page.amount })}</h1>
      <p>{t("standin.monthlyFund", { fund: page.fund })}</p>
      {page.error && (
        <p role="alert" className="font-bold text-red-800" data-testid="standin-error">
          {t(page.error)}
        </p>
      )}
      {page.open ? (
        <StandInCardForm payLabel={t(page.update ? "standin.saveCard" : "standin.subscribe", { amount: page.amount })} />
      ) : (
        <p role="status">{t("standin.closed")}</p>
      )}
    </div>
  );
}

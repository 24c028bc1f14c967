import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Bdi, Money } from "~/components/bidi";
import { cancelStripeSubscription, startSubscriptionCheckout, updateCardUrl } from "~/modules/giving/monthly-stripe.server";
import { ENDED, MonthlyGiftError, cancelMonthlyGift, mayManageMonthlyGift, monthlyGiftView } from "~/modules/giving/monthly.server";
import { actorOf, getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { formatDate, formatMoney } from "~/utils/format";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { kickOutbox } from "~/utils/jobs.server";
import { appOrigin } from "~/utils/request.server";
import { publishedUpdateViews } from "~/modules/needs/updates.server";
import { NeedUpdatesList } from "~/components/needs/need-updates-list";

/**
 * /monthly/:giftId — a monthly gift (issue 12): the fund, the amount, how it is paid, every month
 * (its reference, whether it arrived), and the donor's buttons: finish the card payment, update
 * the card, cancel. Opened by the signed link of every email about the gift (guests need no
 * account), by the signed-in donor who made it, or a signed-in donor whose verified address it
 * is; anyone else gets a 404. Works without JavaScript.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };
const INTENTS = ["cancel", "updateCard", "checkout"] as const;

async function loadAllowed(request: Request, giftId: string, signature: string | null) {
  const db = await getDb();
  const [auth, locale] = await Promise.all([getAuth(request), getLocale(request)]);
  const view = await monthlyGiftView(db, giftId, locale);
  if (!view || !mayManageMonthlyGift(view.gift, { signature, user: auth?.user ?? null })) throw new Response("Not Found", { status: 404 });
  return { db, auth, locale, view };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const signature = url.searchParams.get("s");
  const { view, locale, db } = await loadAllowed(request, params.giftId ?? "", signature);
  const t = await getFixedT(request, ["giving", "common"]);
  // A sponsor reads the organisation's published updates on the sponsored need (decision 070).
  const updates = view.need?.publicId ? await publishedUpdateViews(db, view.need.publicId, locale, view.org.timeZone) : [];
  const { gift, org } = view;
  const fmt = (minor: number) => formatMoney(minor, gift.currency, locale);
  return data(
    {
      title: `${t("giving:monthly.title")} — ${t("common:appName")}`,
      id: gift.id,
      self: `${url.pathname}${url.search}`,
      signature: signature ?? "",
      fundName: view.fundName,
      needPublicId: view.need?.publicId ?? null,
      kafalaMonths: view.need?.months ?? null,
      updates,
      orgName: locale === "ar" ? org.nameAr : org.nameEn,
      amount: fmt(gift.amountMinor),
      method: gift.method,
      status: gift.status,
      zakat: gift.zakat,
      since: formatDate(gift.createdAt, locale, org.timeZone),
      cancelledOn: gift.cancelledAt ? formatDate(gift.cancelledAt, locale, org.timeZone) : null,
      canUpdateCard: gift.method === "card" && Boolean(gift.stripeSubscriptionId) && !ENDED.includes(gift.status),
      ended: ENDED.includes(gift.status),
      canCheckout: gift.method === "card" && !gift.stripeSubscriptionId && gift.status === "incomplete",
      months: view.months.map((m) => ({
        period: m.period,
        label: m.label,
        reference: m.reference,
        status: m.status,
        amount: fmt(m.amountMinor),
        paid: m.paidMinor > 0 ? fmt(m.paidMinor) : null,
        until: m.expiresAt && (m.status === "pending" || m.status === "awaiting_payment") ? formatDate(m.expiresAt, locale, org.timeZone) : null,
      })),
      // Back from Checkout before the webhook's events were processed: "confirming", with a refresh.
      notice: url.searchParams.get("started") === "1" ? (gift.status === "incomplete" ? "confirming" : "started") : url.searchParams.get("checkout") === "cancelled" ? "checkoutCancelled" : url.searchParams.get("created") === "1" ? "created" : url.searchParams.get("cancelled") === "1" ? "cancelled" : null,
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const giftId = params.giftId ?? "";
  const form = await readForm(request);
  const field = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");
  const signature = field("s") || null;
  const { db, auth, locale, view } = await loadAllowed(request, giftId, signature);
  const t = await getFixedT(request, ["giving"]);
  const intent = field("intent") as (typeof INTENTS)[number];
  if (!(INTENTS as readonly string[]).includes(intent)) return data({ error: t("giving:monthly.errors.intent") }, { status: 400, headers: NO_STORE });
  const origin = appOrigin(request, env().APP_URL);
  const back = (flag: string) => `/monthly/${giftId}?${signature ? `s=${encodeURIComponent(signature)}&` : ""}${flag}`;
  try {
    if (intent === "cancel") {
      await cancelMonthlyGift(db, actorOf(request, auth?.user ?? null), { giftId, origin, cancelSubscription: cancelStripeSubscription });
      kickOutbox();
      return redirect(back("cancelled=1"));
    }
    if (intent === "updateCard") return redirect(await updateCardUrl(view.gift, origin));
    return redirect((await startSubscriptionCheckout(db, { giftId, origin, locale })).url);
  } catch (error) {
    if (error instanceof MonthlyGiftError) return data({ error: t(error.messageKey) }, { status: error.status, headers: NO_STORE });
    throw error;
  }
}

const STATUS_CLASS: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-900",
  incomplete: "bg-amber-100 text-amber-900",
  past_due: "bg-red-100 text-red-900",
  cancelled: "bg-stone-200 text-stone-800",
  completed: "bg-emerald-100 text-emerald-900",
  lapsed: "bg-stone-200 text-stone-800",
};

export default function MonthlyGiftPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("giving");
  const { t: tn } = useTranslation("needs");
  const hidden = <input type="hidden" name="s" value={page.signature} />;
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold text-brand-800">{t("monthly.heading")}</h1>
      {page.notice && (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3" data-testid="monthly-notice">
          {t(`monthly.notice.${page.notice}`)}
          {page.notice === "confirming" && (
            <>
              {" "}
              <a href={page.self} className="underline" data-testid="monthly-refresh">
                {t("monthly.refresh")}
              </a>
            </>
          )}
        </p>
      )}
      {actionData?.error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 font-bold text-red-900" data-testid="monthly-error">
          {actionData.error}
        </p>
      )}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded border border-stone-200 bg-white p-4">
        <dt className="font-bold">{t("monthly.fund")}</dt>
        <dd>
          {page.needPublicId ? (
            <Link to={`/needs/${page.needPublicId}`} className="underline">
              <Bdi>{page.fundName}</Bdi>
            </Link>
          ) : (
            <Bdi>{page.fundName}</Bdi>
          )}
          {page.kafalaMonths && <span className="block text-sm text-stone-700">{t("kafala.forMonths", { count: page.kafalaMonths })}</span>}
        </dd>
        <dt className="font-bold">{t("monthly.amount")}</dt>
        <dd data-testid="monthly-amount">
          <Money text={page.amount} /> {t("monthly.perMonth")}
        </dd>
        <dt className="font-bold">{t("monthly.method")}</dt>
        <dd>{t(`monthly.methods.${page.method}`)}</dd>
        <dt className="font-bold">{t("monthly.statusLabel")}</dt>
        <dd>
          <span className={`rounded px-2 py-0.5 text-sm font-bold ${STATUS_CLASS[page.status] ?? ""}`} data-testid="monthly-status" data-status={page.status}>
            {t(`monthly.status.${page.status}`)}
          </span>
          {page.cancelledOn && <span className="ms-2 text-sm text-stone-700">{t("monthly.cancelledOn", { date: page.cancelledOn })}</span>}
        </dd>
        <dt className="font-bold">{t("monthly.since")}</dt>
        <dd>{page.since}</dd>
      </dl>
      {page.zakat && <p className="text-sm text-stone-700">{t("monthly.zakat")}</p>}
      <p className="text-sm text-stone-700">{t(page.needPublicId ? "kafala.where" : "monthly.where")}</p>

      <div className="flex flex-wrap gap-3">
        {page.canCheckout && (
          <Form method="post">
            {hidden}
            <button type="submit" name="intent" value="checkout" className="rounded bg-brand-700 px-4 py-2 font-bold text-white" data-testid="monthly-checkout">
              {t("monthly.continueCard")}
            </button>
          </Form>
        )}
        {page.canUpdateCard && (
          <Form method="post">
            {hidden}
            <button type="submit" name="intent" value="updateCard" className="rounded border border-brand-700 px-4 py-2 font-bold text-brand-800" data-testid="monthly-update-card">
              {t("monthly.updateCard")}
            </button>
          </Form>
        )}
      </div>

      <h2 className="text-xl font-bold">{t("monthly.months")}</h2>
      {page.months.length === 0 ? (
        <p data-testid="monthly-no-months">{t(page.method === "card" ? "monthly.noMonthsCard" : "monthly.noMonths")}</p>
      ) : (
        <table className="w-full border-collapse text-start" data-testid="monthly-months">
          <thead>
            <tr className="border-b border-stone-300">
              <th className="p-2 text-start">{t("monthly.month")}</th>
              <th className="p-2 text-start">{t("monthly.reference")}</th>
              <th className="p-2 text-start">{t("monthly.monthStatus")}</th>
            </tr>
          </thead>
          <tbody>
            {page.months.map((m) => (
              <tr key={m.reference} className="border-b border-stone-200" data-period={m.period}>
                <td className="p-2">{m.label}</td>
                <td className="p-2">
                  <Link to={`/pledges/${m.reference}`} className="font-mono underline" dir="ltr">
                    {m.reference}
                  </Link>
                </td>
                <td className="p-2">
                  {m.paid ? (
                    <span data-testid="month-paid">
                      {t("monthly.received")} <Money text={m.paid} />
                    </span>
                  ) : m.until ? (
                    t("monthly.payBy", { date: m.until })
                  ) : (
                    t(`monthly.monthStatuses.${m.status === "expired" || m.status === "cancelled" ? "missed" : "other"}`)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <NeedUpdatesList updates={page.updates} title={tn("updates.publicTitle")} testId="sponsor-updates" />

      {!page.ended && (
        <Form method="post" className="rounded border border-stone-200 bg-stone-50 p-4">
          {hidden}
          <p className="mb-2 text-sm">{t("monthly.cancelHint")}</p>
          <button type="submit" name="intent" value="cancel" className="rounded border border-red-700 px-4 py-2 font-bold text-red-800" data-testid="monthly-cancel">
            {t("monthly.cancel")}
          </button>
        </Form>
      )}
    </div>
  );
}

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { and, eq } from "drizzle-orm";
import { useTranslation } from "react-i18next";
import { checkoutSessions } from "#db/schema";
import { cardPledgeView } from "~/modules/payments/checkout.server";
import { pledgeMoneyByReference } from "~/modules/pledging/donor-trail.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { ltrRun, useDigits } from "~/components/bidi";

/**
 * /pledges/:reference/card-return — where Stripe Checkout (or its stand-in) sends the donor back:
 * `?session_id=` after paying (success_url), `?cancelled=1` after leaving (cancel_url). It only
 * reads: the payment itself lands through the webhook, so the page says "being confirmed" until
 * it has (refresh), then "arrived" with the receipt number. A session id that is not this
 * pledge's is ignored. No donor email, nothing of the household.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

type State = "paid" | "pending" | "cancelled" | "over";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reference = normalizeReference(params.reference ?? "");
  if (!reference) throw new Response("Not Found", { status: 404 });
  const db = await getDb();
  const [found, money, locale, t] = await Promise.all([
    cardPledgeView(db, reference),
    pledgeMoneyByReference(db, reference),
    getLocale(request),
    getFixedT(request, ["card", "pledging", "common"]),
  ]);
  if (!found || !money) throw new Response("Not Found", { status: 404 });
  const url = new URL(request.url);
  const sessionId = (url.searchParams.get("session_id") ?? "").slice(0, 200);
  const [session] = sessionId
    ? await db
        .select({ id: checkoutSessions.id, status: checkoutSessions.status })
        .from(checkoutSessions)
        .where(and(eq(checkoutSessions.id, sessionId), eq(checkoutSessions.pledgeId, found.pledge.id)))
        .limit(1)
    : [];
  const { pledge, org } = found;
  const fmt = (minor: number) => formatMoney(minor, pledge.currency, locale);
  const cardPayments = money.money.payments.filter((p) => p.method === "card");
  let state: State;
  if (cardPayments.length > 0 && (session || !url.searchParams.has("cancelled"))) state = "paid";
  else if (url.searchParams.has("cancelled") && found.payable) state = "cancelled";
  else if (session && found.payable) state = "pending";
  else if (found.payable) state = "cancelled";
  else state = "over";
  return data(
    {
      title: `${t("card:return.title", { reference: pledge.reference })} — ${t("common:appName")}`,
      state,
      reference: pledge.reference,
      date: pledge.expiresAt ? formatDate(pledge.expiresAt, locale, org.timeZone) : "",
      status: t(`pledging:status.${pledge.status}`),
      arrived: fmt(cardPayments.reduce((sum, p) => sum + p.amountMinor, 0)),
      receipts: cardPayments.filter((p) => p.receipt).map((p) => p.receipt!.number),
      canRetry: found.payable && found.cardOffered,
      sessionId: session?.id ?? "",
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export default function CardReturnPage() {
  const page = useLoaderData<typeof loader>();
  const { t } = useTranslation("card");
  const digits = useDigits();
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4 rounded-lg border border-stone-200 bg-white p-5" data-testid={`card-return-${page.state}`}>
      {page.state === "paid" && (
        <>
          <h1 className="text-2xl font-bold text-brand-800">{t("return.paidHeading")}</h1>
          <p role="status">{t("return.paid", { amount: ltrRun(digits(page.arrived)), reference: ltrRun(page.reference) })}</p>
          {page.receipts.length > 0 && (
            <ul className="list-disc ps-6">
              {page.receipts.map((number) => (
                <li key={number}>{t("return.receipt", { number })}</li>
              ))}
            </ul>
          )}
        </>
      )}
      {page.state === "pending" && (
        <>
          <h1 className="text-2xl font-bold text-brand-800">{t("return.pendingHeading")}</h1>
          <p role="status">{t("return.pending")}</p>
          <Form method="get">
            <input type="hidden" name="session_id" value={page.sessionId} />
            <button type="submit" className="rounded border border-brand-700 px-4 py-2 text-brand-800">
              {t("return.refresh")}
            </button>
          </Form>
        </>
      )}
      {page.state === "cancelled" && (
        <>
          <h1 className="text-2xl font-bold text-brand-800">{t("return.cancelledHeading")}</h1>
          <p>{t("return.cancelled", { reference: ltrRun(page.reference), date: digits(page.date) })}</p>
        </>
      )}
      {page.state === "over" && <p role="status">{t("return.over", { status: page.status })}</p>}
      {page.canRetry && page.state !== "pending" && (
        <p>
          <Link to={`/pledges/${page.reference}/pay`} className="rounded bg-brand-700 px-4 py-2 font-bold text-white hover:bg-brand-800">
            {t("return.tryAgain")}
          </Link>
        </p>
      )}
      <p>
        <Link to={`/pledges/${page.reference}`} className="text-brand-700 underline">
          {t("return.pledgeLink", { reference: ltrRun(page.reference) })}
        </Link>
      </p>
    </div>
  );
}

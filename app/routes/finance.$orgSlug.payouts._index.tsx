import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { stripeEvents } from "#db/schema";
import { notFound, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env, isProduction } from "~/utils/env.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { appOrigin } from "~/utils/request.server";
import { orgName } from "~/modules/organizations/roles";
import { noticeFrom, staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { listPayouts, unpaidCardBalances } from "~/modules/payments/payouts.server";
import { signedWebhookRequest, standInActive, standInPayoutEvent } from "~/modules/payments/standin.server";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";
import { pageFrom, Pagination } from "~/components/pagination";
import { FormMessage, Notice } from "~/components/forms";
import { PageTitle, Section, buttonClass, inputClass, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatMoney, formatNumber } from "~/utils/format";

/**
 * /finance/:orgSlug/payouts — the organisation's Stripe payouts (decision 058): card money Stripe
 * sent to its bank, newest first, paginated, each with how many card payments it carried and
 * whether a bank statement line explains it yet. While the built-in stand-in replaces Stripe (no
 * STRIPE_SECRET_KEY, never in production) a test form sends a signed `payout.paid` for the card
 * money not yet paid out, through the webhook's own handler, as the stand-in checkout does.
 */

const STANDIN_NOTICES = ["simulated"] as const;
const SimulateSchema = z.object({ intent: z.literal("simulate"), currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/) });

const standInHere = () => standInActive() && !isProduction();

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const db = await getDb();
  const locale = await getLocale(request);
  const url = new URL(request.url);
  const list = await listPayouts(db, org.id, { page: pageFrom(url) });
  const standIn = standInHere() ? (await unpaidCardBalances(db, org.id)).filter((b) => b.balanceMinor > 0) : null;
  return {
    title: await staffTitle(request, "payouts:list.title", orgName(org, locale)),
    org: { slug: org.slug, nameAr: org.nameAr, nameEn: org.nameEn, timeZone: org.timeZone },
    payouts: list.rows.map((p) => ({
      id: p.id,
      amountMinor: p.amountMinor,
      currency: p.currency,
      arrivalDate: p.arrivalDate,
      status: p.status,
      paymentCount: p.paymentCount,
      matched: p.matched,
    })),
    page: list.page,
    pages: list.pages,
    total: list.total,
    standIn,
    notice: noticeFrom(url, STANDIN_NOTICES),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  if (!standInHere()) notFound();
  const form = await readForm(request);
  const parsed = SimulateSchema.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) return data({ formErrors: ["payouts:errors.badInput"], note: null as string | null }, { status: 400 });
  const db = await getDb();
  const balance = (await unpaidCardBalances(db, org.id)).find((b) => b.currency === parsed.data.currency);
  if (!balance || balance.balanceMinor <= 0) return data({ formErrors: ["payouts:errors.nothingToPayOut"], note: null as string | null }, { status: 409 });
  const origin = appOrigin(request, env().APP_URL);
  const event = standInPayoutEvent({ orgId: org.id, currency: balance.currency, amountMinor: balance.balanceMinor });
  const response = (await stripeWebhook({ request: signedWebhookRequest(event, origin), params: {}, context: {} })) as Response;
  if (response.status !== 200) throw new Error(`the webhook refused the stand-in's payout (${response.status})`);
  const [stored] = await db.select({ status: stripeEvents.status, note: stripeEvents.lastError }).from(stripeEvents).where(eq(stripeEvents.id, event.id)).limit(1);
  if (stored?.status !== "processed") return data({ formErrors: [] as string[], note: stored?.note ?? stored?.status ?? "?" }, { status: 409 });
  const payoutId = (event.data.object as { id: string }).id;
  return redirect(`/finance/${org.slug}/payouts/${payoutId}?notice=simulated`);
}

export default function PayoutsPage() {
  const { org, payouts, page, pages, total, standIn, notice } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { t, i18n } = useTranslation("payouts");
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <PageTitle title={t("list.title")} intro={orgName(org, i18n.language)}>
        <Link to={`/finance/${org.slug}`} className={linkClass}>
          {t("list.back")}
        </Link>
      </PageTitle>
      {notice === "simulated" && <Notice tone="success">{t("standin.done")}</Notice>}
      <Section id="payouts" title={t("list.title")} description={t("list.intro")}>
        {payouts.length === 0 ? (
          <p data-testid="payouts-empty">{t("list.empty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="payouts-table">
              <caption className="sr-only">{t("list.caption")}</caption>
              <thead>
                <tr>
                  <th className={thClass}>{t("list.arrival")}</th>
                  <th className={thClass}>{t("list.amount")}</th>
                  <th className={thClass}>{t("list.status")}</th>
                  <th className={thClass}>{t("list.payments")}</th>
                  <th className={thClass}>{t("list.matched")}</th>
                  <th className={thClass}>{t("list.id")}</th>
                </tr>
              </thead>
              <tbody>
                {payouts.map((p) => (
                  <tr key={p.id} data-testid="payout-row">
                    <td className={tdClass}>{formatDate(p.arrivalDate, locale)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatMoney(p.amountMinor, p.currency, locale)}</td>
                    <td className={tdClass}>{t(`status.${p.status}`)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatNumber(p.paymentCount, locale)}</td>
                    <td className={tdClass}>{p.status === "paid" ? (p.matched ? t("list.matchedYes") : t("list.matchedNo")) : "—"}</td>
                    <td className={tdClass}>
                      <Link to={`/finance/${org.slug}/payouts/${p.id}`} className={linkClass}>
                        <span dir="ltr" className="font-mono text-xs">
                          {p.id}
                        </span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="sr-only">{formatNumber(total, locale)}</p>
        <Pagination page={page} pages={pages} />
      </Section>
      {standIn && (
        <section aria-labelledby="standin-title" className="space-y-3 rounded-lg border-4 border-dashed border-amber-500 bg-white p-5" data-testid="payout-standin">
          <h2 id="standin-title" className="text-lg font-bold">
            {t("standin.title")}
          </h2>
          <p role="note" className="rounded bg-amber-100 p-3 font-bold text-amber-900">
            {t("standin.banner")}
          </p>
          <FormMessage errors={refused?.formErrors} />
          {refused?.note && (
            <p role="alert" className="font-bold text-red-800">
              {t("standin.failed", { note: refused.note })}
            </p>
          )}
          {standIn.length === 0 ? (
            <p>{t("standin.nothing")}</p>
          ) : (
            <Form method="post" className="flex flex-wrap items-end gap-3">
              <input type="hidden" name="intent" value="simulate" />
              <label className="block">
                <span className="block font-bold">{t("standin.currency")}</span>
                <select name="currency" className={inputClass} defaultValue={standIn[0].currency}>
                  {standIn.map((b) => (
                    <option key={b.currency} value={b.currency}>
                      {`${b.currency} — ${formatMoney(b.balanceMinor, b.currency, locale)} (${formatNumber(b.payments, locale)})`}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className={buttonClass} data-testid="payout-simulate">
                {t("standin.submit")}
              </button>
            </Form>
          )}
        </section>
      )}
    </div>
  );
}

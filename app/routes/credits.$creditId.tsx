import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Bdi, Money } from "~/components/bidi";
import { CreditError, chooseCreditNeed, creditView, mayOpenCredit } from "~/modules/giving/credits.server";
import { publicTitleIn } from "~/modules/needs/titles";
import { getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { kickOutbox } from "~/utils/jobs.server";

/**
 * /credits/:creditId — donor credit (issue 12): the need a donor gave to was cancelled or expired
 * unfunded; here they choose another verified need of the organisation in one click. Opened by
 * the signed link of the email (guests need no account) or by the signed-in donor whose address
 * it is; anyone else gets a 404. Public titles only.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

async function allowed(request: Request, credit: { id: string; email: string }, signature: string | null): Promise<boolean> {
  const auth = await getAuth(request);
  return mayOpenCredit(credit, { signature, user: auth?.user ?? null });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const creditId = params.creditId ?? "";
  const url = new URL(request.url);
  const signature = url.searchParams.get("s");
  const db = await getDb();
  const view = await creditView(db, creditId);
  if (!view || !(await allowed(request, view.credit, signature))) throw new Response("Not Found", { status: 404 });
  const [locale, t] = await Promise.all([getLocale(request), getFixedT(request, ["giving", "common"])]);
  const fmt = (minor: number) => formatMoney(minor, view.credit.currency, locale);
  return data(
    {
      title: `${t("giving:credit.title")} — ${t("common:appName")}`,
      signature: signature ?? "",
      amount: fmt(view.credit.amountMinor),
      from: publicTitleIn(view.from, locale),
      org: locale === "ar" ? view.org.nameAr : view.org.nameEn,
      until: formatDate(view.credit.expiresAt, locale, view.org.timeZone),
      status: view.credit.status,
      open: view.open,
      zakat: view.credit.zakat,
      to: view.to ? { publicId: view.to.publicId, title: publicTitleIn(view.to, locale) } : null,
      options: view.options.map((o) => ({ id: o.id, publicId: o.publicId, title: publicTitleIn(o, locale), remaining: fmt(o.remainingMinor) })),
      done: url.searchParams.get("done") === "1",
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const creditId = params.creditId ?? "";
  const form = await readForm(request);
  const field = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");
  const db = await getDb();
  const view = await creditView(db, creditId);
  if (!view || !(await allowed(request, view.credit, field("s") || null))) throw new Response("Not Found", { status: 404 });
  const t = await getFixedT(request, ["giving"]);
  if (field("intent") !== "choose") return data({ error: t("giving:credit.errors.other_need") }, { status: 400, headers: NO_STORE });
  try {
    await chooseCreditNeed(db, { creditId, needId: field("needId") });
  } catch (error) {
    if (error instanceof CreditError) return data({ error: t(error.messageKey) }, { status: error.status, headers: NO_STORE });
    throw error;
  }
  kickOutbox();
  const s = field("s");
  return redirect(`/credits/${creditId}?${s ? `s=${encodeURIComponent(s)}&` : ""}done=1`);
}

export default function CreditPage() {
  const { amount, from, org, until, status, open, zakat, to, options, done, signature } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("giving");
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold text-brand-800">{t("credit.heading")}</h1>
      <p>
        {t("credit.intro", { amount, need: from, org })}
      </p>
      <p className="text-xl font-bold">
        <Money text={amount} testId="credit-amount" />
      </p>
      {actionData?.error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 font-bold text-red-900" data-testid="credit-error">
          {actionData.error}
        </p>
      )}
      {to ? (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3" data-testid="credit-done">
          {t(status === "used" ? (done ? "credit.movedNow" : "credit.moved") : "credit.allocated")}{" "}
          <Link to={`/needs/${to.publicId}`} className="underline">
            <Bdi>{to.title}</Bdi>
          </Link>
        </p>
      ) : !open ? (
        <p data-testid="credit-closed">{t(status === "to_fund" ? "credit.toFund" : "credit.closed")}</p>
      ) : (
        <>
          <p>{t("credit.choose", { until })}</p>
          {zakat && <p className="text-sm text-stone-700">{t("credit.zakat")}</p>}
          {options.length === 0 ? (
            <p data-testid="credit-no-options">{t("credit.noOptions", { until })}</p>
          ) : (
            <ul className="space-y-2" data-testid="credit-options">
              {options.map((o) => (
                <li key={o.id} className="flex flex-wrap items-center justify-between gap-2 rounded border border-stone-200 bg-white p-3">
                  <span>
                    <Link to={`/needs/${o.publicId}`} className="underline">
                      <Bdi>{o.title}</Bdi>
                    </Link>
                    <span className="block text-sm text-stone-700">
                      {t("credit.remaining")} <Money text={o.remaining} />
                    </span>
                  </span>
                  <Form method="post">
                    <input type="hidden" name="intent" value="choose" />
                    <input type="hidden" name="needId" value={o.id} />
                    <input type="hidden" name="s" value={signature} />
                    <button type="submit" className="rounded bg-brand-700 px-3 py-2 font-bold text-white" aria-label={`${t("credit.give")}: ${o.title}`}>
                      {t("credit.give")}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
          <p className="text-sm text-stone-700">{t("credit.after", { until })}</p>
        </>
      )}
    </div>
  );
}

import { randomUUID } from "node:crypto";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "~/components/bidi";
import { PageTitle, Section, buttonClass, inputClass, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { allocationsByMonth, allocationsByNeed, defaultCapPerNeed, fundBalances, planFundRun, recentRuns, runCurrencies } from "~/modules/matching/fund.server";
import { HorizontalBarChart, MonthBarChart } from "~/components/charts";
import { monthLabel } from "~/modules/giving/monthly.server";
import { publicTitleIn } from "~/modules/needs/titles";
import { FundRunError, runFund } from "~/modules/matching/fund-run.server";
import { PaymentError } from "~/modules/payments/errors";
import { readForm } from "~/utils/forms.server";
import { minorToInput, parseMoney } from "~/modules/needs/money";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { formatDateTime, formatMoney } from "~/utils/format";

/**
 * /finance/:orgSlug/funds — the organisation's solidarity fund (its unrestricted fund: over-payments,
 * money moved off cancelled or expired needs): the balance per currency and a dry run of the
 * allocator — which open needs would receive how much, and why (each score part), under a cap per
 * need. "Run now" moves the money (one transaction, runFund); the latest runs list each need
 * reached and why.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const locale = await getLocale(request);
  const db = await getDb();
  const url = new URL(request.url);
  const balances = await fundBalances(db, org.id);
  const currencyParam = (url.searchParams.get("currency") ?? "").trim().toUpperCase();
  const currency = currencyParam || balances[0]?.currency || org.defaultCurrency;
  // A run spends both funds of a currency: the zakat fund only on zakat-eligible needs.
  const balance = balances.filter((b) => b.currency === currency).reduce((t, b) => t + b.balanceMinor, 0);
  let bad: string | null = null;
  // A currency the funds hold, the organisation's own, or one a run was in (after a run spends it all, the page still opens).
  const ranIn = currencyParam && !balances.some((b) => b.currency === currencyParam) && currencyParam !== org.defaultCurrency ? await runCurrencies(db, org.id) : [];
  if (currencyParam && !balances.some((b) => b.currency === currencyParam) && currencyParam !== org.defaultCurrency && !ranIn.includes(currencyParam)) bad = "giving:funds.errors.currency";
  let capMinor = defaultCapPerNeed(balance);
  const capParam = url.searchParams.get("cap");
  if (capParam !== null && capParam.trim() !== "") {
    const parsed = parseMoney(capParam, currency);
    if (parsed.ok) capMinor = parsed.minor;
    else bad = parsed.error;
  }
  const [plan, runs, byMonth, byNeed] = await Promise.all([
    bad ? null : planFundRun(db, { orgId: org.id, currency, capPerNeedMinor: capMinor }),
    recentRuns(db, org.id),
    allocationsByMonth(db, org.id, currency),
    allocationsByNeed(db, org.id, currency),
  ]);
  const title = (n: { titleAr: string | null; titleEn: string | null }) => publicTitleIn(n, locale);
  const body = {
    title: await staffTitle(request, "giving:funds.title", orgName(org, locale)),
    orgSlug: org.slug,
    balances,
    currency,
    cap: minorToInput(capMinor, currency),
    bad,
    ran: url.searchParams.get("ran") === "1",
    // A fresh key per page view: pressing "Run now" twice (or a retried post) runs once.
    runKey: `fund-run:${randomUUID()}`,
    // The organisation's report (issue 12): what the fund gave by month and to which needs.
    byMonth: byMonth.map((m) => ({ key: m.month, label: monthLabel(m.month, locale), value: m.amountMinor, display: formatMoney(m.amountMinor, currency, locale) })),
    byNeed: byNeed.map((n) => ({ key: n.needId, label: title(n), value: n.amountMinor, valueLabel: formatMoney(n.amountMinor, currency, locale) })),
    runs: runs.map(({ run, allocations }) => ({
      id: run.id,
      currency: run.currency,
      createdAt: run.createdAt.toISOString(),
      bySystem: run.actorUserId === null,
      allocatedMinor: run.allocatedMinor,
      allocations: allocations.map((a) => ({ needId: a.needId, publicId: a.publicId, title: title(a), amountMinor: a.amountMinor, score: a.score, parts: a.parts })),
    })),
    plan: plan && {
      fundMinor: plan.fundMinor,
      allocatedMinor: plan.allocations.reduce((t, a) => t + a.amountMinor, 0),
      rows: plan.ranking.map((s) => {
        const need = plan.needs.get(s.needId)!;
        return {
          needId: s.needId,
          publicId: need.publicId,
          title: title(need),
          score: s.score,
          parts: s.parts,
          daysToDeadline: s.daysToDeadline,
          remainingMinor: need.targetMinor - need.committedMinor,
          amountMinor: plan.allocations.filter((a) => a.needId === s.needId).reduce((t, a) => t + a.amountMinor, 0),
        };
      }),
    },
  };
  return data(body, { status: bad ? 400 : 200 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const form = await readForm(request);
  const field = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)).trim() : "");
  const currency = field("currency").toUpperCase();
  const parsed = /^[A-Z]{3}$/.test(currency) ? parseMoney(field("cap"), currency) : null;
  if (field("intent") !== "run" || !parsed) return data({ error: "giving:funds.errors.currency" }, { status: 400 });
  if (!parsed.ok) return data({ error: parsed.error }, { status: 400 });
  try {
    await runFund(await getDb(), member.actor, { orgId: member.org.id, currency, capPerNeedMinor: parsed.minor, idempotencyKey: field("key") });
  } catch (error) {
    if (error instanceof FundRunError) return data({ error: `giving:funds.errors.${error.code}` }, { status: error.code === "not_allowed" ? 403 : 400 });
    // The fund changed under the plan (a payment refunded meanwhile): nothing moved; try again.
    if (error instanceof PaymentError) return data({ error: "giving:funds.errors.changed" }, { status: 409 });
    throw error;
  }
  return redirect(`/finance/${member.org.slug}/funds?currency=${currency}&ran=1#runs`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

const PARTS = ["urgency", "deadline", "waiting", "received", "closeToDone"] as const;

export default function Funds() {
  const { t } = useTranslation("giving");
  const locale = useLocale();
  const { orgSlug, balances, currency, cap, bad, plan, ran, runKey, runs, byMonth, byNeed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <PageTitle title={t("funds.heading")} intro={t("funds.intro")} />
      <Section id="balances" title={t("funds.balances")}>
        {balances.length === 0 ? (
          <p data-testid="fund-empty">{t("funds.empty")}</p>
        ) : (
          <ul className="flex flex-wrap gap-4" data-testid="fund-balances">
            {balances.map((b) => (
              <li key={`${b.fund}:${b.currency}`} className="rounded border border-stone-200 px-4 py-3" data-fund={b.fund}>
                <span className="block text-sm text-stone-700">
                  {t(`funds.kinds.${b.fund}`)} · {b.currency}
                </span>
                <Money minor={b.balanceMinor} currency={b.currency} locale={locale} className="text-xl font-bold" />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="allocations" title={t("funds.report.title")}>
        <p className="mb-2 text-sm">
          <a href={`/finance/${orgSlug}/allocations.csv`} className={linkClass} data-testid="allocations-csv">
            {t("funds.report.csv")}
          </a>
        </p>
        {byMonth.length === 0 ? (
          <p data-testid="allocations-empty">{t("funds.report.none")}</p>
        ) : (
          <div className="grid gap-6 lg:grid-cols-2">
            <MonthBarChart
              caption={t("funds.report.byMonth", { currency })}
              legend={[t("funds.report.given")]}
              dir={locale === "ar" ? "rtl" : "ltr"}
              points={byMonth.map((m) => ({ key: m.key, label: m.label, values: [m.value], titles: [m.display] }))}
            />
            <HorizontalBarChart caption={t("funds.report.byNeed", { currency })} dir={locale === "ar" ? "rtl" : "ltr"} items={byNeed} />
          </div>
        )}
      </Section>
      {ran && <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3" data-testid="fund-ran">{t("funds.ran")}</p>}
      {actionData?.error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 font-bold text-red-900" data-testid="fund-run-error">
          {t(actionData.error)}
        </p>
      )}
      <Section id="dry-run" title={t("funds.dryRun")} description={t("funds.dryRunHint")}>
        <Form method="get" className="flex flex-wrap items-end gap-3">
          <div className="space-y-1">
            <label htmlFor="currency" className="block text-sm font-bold">
              {t("funds.currency")}
            </label>
            <select id="currency" name="currency" defaultValue={currency} className={inputClass}>
              {[...new Set([currency, ...balances.map((b) => b.currency)])].map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="cap" className="block text-sm font-bold">
              {t("funds.cap")}
            </label>
            <input id="cap" name="cap" defaultValue={cap} dir="ltr" inputMode="decimal" className={inputClass} aria-describedby="cap-hint" />
          </div>
          <button type="submit" className={buttonClass}>
            {t("funds.preview")}
          </button>
          <p id="cap-hint" className="w-full text-sm text-stone-700">
            {t("funds.capHint")}
          </p>
        </Form>
        {bad && (
          <p role="alert" className="mt-4 rounded border border-red-300 bg-red-50 p-3 font-bold text-red-900" data-testid="fund-bad">
            {t(bad)}
          </p>
        )}
        {plan && (
          <>
            <p className="mt-4" data-testid="fund-plan-summary">
              {t("funds.summary", { count: plan.rows.filter((r) => r.amountMinor > 0).length })}{" "}
              <Money minor={plan.allocatedMinor} currency={currency} locale={locale} /> / <Money minor={plan.fundMinor} currency={currency} locale={locale} />
            </p>
            {plan.rows.length === 0 ? (
              <p className="mt-2">{t("funds.noNeeds")}</p>
            ) : (
              <div className="relative mt-4 min-w-0 max-w-full overflow-x-auto">
                <table className={tableClass} data-testid="fund-plan">
                  <thead>
                    <tr>
                      <th className={thClass}>{t("funds.need")}</th>
                      <th className={thClass}>{t("funds.score")}</th>
                      <th className={thClass}>{t("funds.why")}</th>
                      <th className={thClass}>{t("funds.remaining")}</th>
                      <th className={thClass}>{t("funds.wouldGet")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {plan.rows.map((r) => (
                      <tr key={r.needId} data-testid="fund-plan-row">
                        <td className={tdClass}>
                          <Link to={`/staff/${orgSlug}/needs/${r.needId}`} className={linkClass}>
                            {r.title || r.publicId}
                          </Link>
                        </td>
                        <td className={`${tdClass} font-bold`}>{r.score}</td>
                        <td className={`${tdClass} text-stone-700`}>
                          {PARTS.filter((p) => r.parts[p] > 0)
                            .map((p) => t(`funds.parts.${p}`, { points: r.parts[p] }))
                            .join(" · ")}
                        </td>
                        <td className={tdClass}>
                          <Money minor={r.remainingMinor} currency={currency} locale={locale} />
                        </td>
                        <td className={tdClass}>
                          <Money minor={r.amountMinor} currency={currency} locale={locale} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {plan.allocatedMinor > 0 && (
              <Form method="post" className="mt-4">
                <input type="hidden" name="intent" value="run" />
                <input type="hidden" name="currency" value={currency} />
                <input type="hidden" name="cap" value={cap} />
                <input type="hidden" name="key" value={runKey} />
                <button type="submit" className={buttonClass} data-testid="fund-run">
                  {t("funds.runNow")}
                </button>
                <p className="mt-1 text-sm text-stone-700">{t("funds.runNowHint")}</p>
              </Form>
            )}
          </>
        )}
      </Section>
      <Section id="runs" title={t("funds.runs")}>
        {runs.length === 0 ? (
          <p>{t("funds.noRuns")}</p>
        ) : (
          <ul className="space-y-4" data-testid="fund-runs">
            {runs.map((run) => (
              <li key={run.id} className="rounded border border-stone-200 p-3" data-testid="fund-run-record">
                <p className="font-bold">
                  <time dateTime={run.createdAt}>{formatDateTime(run.createdAt, locale)}</time> · {run.bySystem ? t("funds.bySystem") : t("funds.byFinance")} ·{" "}
                  <Money minor={run.allocatedMinor} currency={run.currency} locale={locale} />
                </p>
                <ul className="mt-2 space-y-1 text-sm">
                  {run.allocations.map((a) => (
                    <li key={a.needId}>
                      <Link to={`/staff/${orgSlug}/needs/${a.needId}`} className={linkClass}>
                        {a.title || a.publicId}
                      </Link>{" "}
                      · <Money minor={a.amountMinor} currency={run.currency} locale={locale} /> · {t("funds.whyLine", { score: a.score })}{" "}
                      {PARTS.filter((p) => (a.parts[p] ?? 0) > 0)
                        .map((p) => t(`funds.parts.${p}`, { points: a.parts[p] }))
                        .join(" · ")}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

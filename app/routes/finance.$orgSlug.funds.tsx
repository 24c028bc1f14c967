import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "~/components/bidi";
import { PageTitle, Section, buttonClass, inputClass, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { fundBalances, planFundRun } from "~/modules/matching/fund.server";
import { minorToInput, parseMoney } from "~/modules/needs/money";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";

/**
 * /finance/:orgSlug/funds — the organisation's solidarity fund (its unrestricted fund: over-payments,
 * money moved off cancelled or expired needs): the balance per currency and a dry run of the
 * allocator — which open needs would receive how much, and why (each score part), under a cap per
 * need. Read only: nothing moves from this page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const locale = await getLocale(request);
  const db = await getDb();
  const url = new URL(request.url);
  const balances = await fundBalances(db, org.id);
  const currencyParam = (url.searchParams.get("currency") ?? "").trim().toUpperCase();
  const currency = currencyParam || balances[0]?.currency || org.defaultCurrency;
  const balance = balances.find((b) => b.currency === currency)?.balanceMinor ?? 0;
  let bad: string | null = null;
  if (currencyParam && !balances.some((b) => b.currency === currencyParam)) bad = "giving:funds.errors.currency";
  // The cap defaults to a third of the fund, so one run reaches at least three needs.
  let capMinor = Math.max(1, Math.ceil(balance / 3));
  const capParam = url.searchParams.get("cap");
  if (capParam !== null && capParam.trim() !== "") {
    const parsed = parseMoney(capParam, currency);
    if (parsed.ok) capMinor = parsed.minor;
    else bad = parsed.error;
  }
  const plan = bad ? null : await planFundRun(db, { orgId: org.id, currency, capPerNeedMinor: capMinor });
  const title = (n: { titleAr: string | null; titleEn: string | null }) => (locale === "ar" ? (n.titleAr ?? n.titleEn) : (n.titleEn ?? n.titleAr)) ?? "";
  const body = {
    title: await staffTitle(request, "giving:funds.title", orgName(org, locale)),
    orgSlug: org.slug,
    balances,
    currency,
    cap: minorToInput(capMinor, currency),
    bad,
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

const PARTS = ["urgency", "deadline", "waiting", "received", "closeToDone"] as const;

export default function Funds() {
  const { t } = useTranslation("giving");
  const locale = useLocale();
  const { orgSlug, balances, currency, cap, bad, plan } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageTitle title={t("funds.heading")} intro={t("funds.intro")} />
      <Section id="balances" title={t("funds.balances")}>
        {balances.length === 0 ? (
          <p data-testid="fund-empty">{t("funds.empty")}</p>
        ) : (
          <ul className="flex flex-wrap gap-4" data-testid="fund-balances">
            {balances.map((b) => (
              <li key={b.currency} className="rounded border border-stone-200 px-4 py-3">
                <span className="block text-sm text-stone-700">{b.currency}</span>
                <Money minor={b.balanceMinor} currency={b.currency} locale={locale} className="text-xl font-bold" />
              </li>
            ))}
          </ul>
        )}
      </Section>
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
          </>
        )}
      </Section>
    </div>
  );
}

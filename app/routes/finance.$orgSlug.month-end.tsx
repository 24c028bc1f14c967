import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { readForm } from "~/utils/forms.server";
import { queryParam } from "~/utils/request-screen.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { todayIn } from "~/modules/needs/money";
import { closeMonth, listClosedMonths, monthEnd, moneyAccountOptions } from "~/modules/reports/month-end.server";
import { MonthEndError } from "~/modules/reports/errors";
import { PlainSelect } from "~/components/registry";
import { MonthField } from "~/components/charts";
import { PageTitle, Section, buttonClass, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";

/**
 * /finance/:orgSlug/month-end — pick a money account and a month: the statement's closing balance
 * against the ledger's, the difference (must be zero), the unexplained items on both sides, and
 * the Close button (a plain form post); the closed months with who closed them and when.
 */

const PickSchema = z.object({
  account: z.string().uuid(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
});

function previousMonth(today: string): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const db = await getDb();
  const url = new URL(request.url);
  const accounts = await moneyAccountOptions(db, org.id);
  const today = todayIn(org.timeZone);
  const raw = { account: queryParam(url, "account") || accounts[0]?.id || "", month: queryParam(url, "month") || previousMonth(today) };
  const common = {
    title: await staffTitle(request, "reports:monthEnd.title", orgName(org, await getLocale(request))),
    org: { slug: org.slug, timeZone: org.timeZone },
    accounts,
    picked: raw,
    closedNotice: url.searchParams.get("closed") === "1",
    closedMonths: await listClosedMonths(db, org.id),
  };
  if (accounts.length === 0) return { ...common, figures: null, invalid: false };
  const parsed = PickSchema.safeParse(raw);
  if (!parsed.success) return data({ ...common, figures: null, invalid: true }, { status: 400 });
  try {
    const figures = await monthEnd(db, { orgId: org.id, moneyAccountId: parsed.data.account, month: parsed.data.month });
    return { ...common, figures, invalid: false };
  } catch (error) {
    if (error instanceof MonthEndError) return data({ ...common, figures: null, invalid: true }, { status: error.status });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const form = await readForm(request);
  const parsed = PickSchema.safeParse({ account: form.get("account"), month: form.get("month") });
  if (!parsed.success) return data({ error: { code: "invalid" as string, details: {} as Record<string, unknown>, currency: null as string | null } }, { status: 400 });
  const db = await getDb();
  try {
    await closeMonth(db, member.actor, { orgId: member.org.id, moneyAccountId: parsed.data.account, month: parsed.data.month });
  } catch (error) {
    if (error instanceof MonthEndError) {
      const accounts = await moneyAccountOptions(db, member.org.id);
      const currency = accounts.find((a) => a.id === parsed.data.account)?.currency ?? null;
      return data({ error: { code: error.code as string, details: error.details as Record<string, unknown>, currency } }, { status: error.status });
    }
    throw error;
  }
  return redirect(`/finance/${member.org.slug}/month-end?account=${parsed.data.account}&month=${parsed.data.month}&closed=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function MonthEndPage() {
  const { org, accounts, picked, figures, invalid, closedNotice, closedMonths } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("reports");
  const { t: tf } = useTranslation("finance");
  const locale = useLocale();
  const base = `/finance/${org.slug}`;
  const accountLabel = (id: string) => {
    const a = accounts.find((x) => x.id === id);
    return a ? `${a.name} · ${a.currency}` : id;
  };
  const errorText = (() => {
    if (!actionData?.error) return null;
    const { code, details, currency } = actionData.error;
    const d = details as { month?: string; differenceMinor?: number; statementLines?: number; ledgerEntries?: number };
    return t(`errors.${code}`, {
      month: d.month?.slice(0, 7) ?? "",
      amount: d.differenceMinor !== undefined && currency ? formatMoney(d.differenceMinor, currency, locale) : "",
      lines: d.statementLines ?? 0,
      entries: d.ledgerEntries ?? 0,
    });
  })();

  return (
    <div className="space-y-6">
      <PageTitle title={t("monthEnd.title")} intro={t("monthEnd.intro")}>
        <nav className="flex flex-wrap gap-3 text-sm">
          <Link to={base} className={linkClass}>
            {tf("nav.home")}
          </Link>
          <Link to={`${base}/ledger`} className={linkClass}>
            {tf("nav.ledger")}
          </Link>
          <Link to={`${base}/reports`} className={linkClass}>
            {t("financeLinks.reports")}
          </Link>
        </nav>
      </PageTitle>

      <Section id="pick" title={t("monthEnd.pick")}>
        {accounts.length === 0 ? (
          <p>{t("monthEnd.noAccounts")}</p>
        ) : (
          <Form method="get" className="grid gap-4 sm:grid-cols-3 sm:items-end">
            <PlainSelect
              id="month-end-account"
              name="account"
              label={t("monthEnd.account")}
              defaultValue={picked.account}
              options={accounts.map((a) => ({ value: a.id, label: `${a.name} · ${a.currency} · ${tf(`accountKinds.${a.kind}`)}` }))}
            />
            <MonthField id="month-end-month" name="month" label={t("monthEnd.month")} defaultValue={picked.month} />
            <div>
              <button type="submit" className={buttonClass}>
                {t("monthEnd.show")}
              </button>
            </div>
          </Form>
        )}
        {invalid && (
          <p role="alert" className="mt-3 font-bold text-red-800">
            {t("errors.invalid")}
          </p>
        )}
      </Section>

      {closedNotice && (
        <p role="status" className="rounded bg-emerald-100 p-3 font-bold text-emerald-900" data-testid="month-closed">
          {t("monthEnd.closedNotice")}
        </p>
      )}
      {errorText && (
        <p role="alert" className="rounded bg-red-100 p-3 font-bold text-red-900" data-testid="month-end-error" data-code={actionData?.error.code}>
          {errorText}
        </p>
      )}

      {figures && (
        <Section id="figures" title={`${accountLabel(figures.moneyAccountId)} — ${figures.month.slice(0, 7)}`}>
          <dl className="grid gap-4 sm:grid-cols-3" data-testid="month-end-figures" data-difference={figures.differenceMinor}>
            <div>
              <dt className="text-sm text-stone-700">{t("monthEnd.statementClosing")}</dt>
              <dd className="text-xl font-bold tabular-nums">
                {figures.statementClosingMinor === null ? t("monthEnd.noStatement") : formatMoney(figures.statementClosingMinor, figures.currency, locale)}
              </dd>
              {figures.statementClosingSource && (
                <dd className="text-xs text-stone-700">{t(figures.statementClosingSource === "bank_balance" ? "monthEnd.sourceBankBalance" : "monthEnd.sourceComputed")}</dd>
              )}
            </div>
            <div>
              <dt className="text-sm text-stone-700">{t("monthEnd.ledgerClosing")}</dt>
              <dd className="text-xl font-bold tabular-nums">{formatMoney(figures.ledgerClosingMinor, figures.currency, locale)}</dd>
            </div>
            <div>
              <dt className="text-sm text-stone-700">{t("monthEnd.difference")}</dt>
              <dd className={`text-xl font-bold tabular-nums ${figures.differenceMinor === 0 ? "text-emerald-800" : "text-red-800"}`}>
                {formatMoney(figures.differenceMinor, figures.currency, locale)} {figures.differenceMinor === 0 ? t("monthEnd.zero") : t("monthEnd.notZero")}
              </dd>
            </div>
          </dl>
          <p className="mt-2 text-sm">{t("monthEnd.lines", { n: figures.statementLineCount })}</p>

          <h3 className="mt-6 font-bold">{t("monthEnd.unexplainedStatement", { n: figures.unexplainedStatement.length })}</h3>
          {figures.unexplainedStatement.length === 0 ? (
            <p>{t("monthEnd.noneUnexplained")}</p>
          ) : (
            <div className="relative min-w-0 max-w-full overflow-x-auto">
              <table className={tableClass} data-testid="unexplained-lines">
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>{t("monthEnd.columns.date")}</th>
                    <th scope="col" className={thClass}>{t("monthEnd.columns.amount")}</th>
                    <th scope="col" className={thClass}>{t("monthEnd.columns.matched")}</th>
                    <th scope="col" className={thClass}>{t("monthEnd.columns.status")}</th>
                    <th scope="col" className={thClass}>{t("monthEnd.columns.description")}</th>
                  </tr>
                </thead>
                <tbody>
                  {figures.unexplainedStatement.map((l) => (
                    <tr key={l.id}>
                      <td className={tdClass}>{formatDate(`${l.valueDate}T12:00:00Z`, locale)}</td>
                      <td className={`${tdClass} tabular-nums`}>{formatMoney(l.amountMinor, figures.currency, locale)}</td>
                      <td className={`${tdClass} tabular-nums`}>{formatMoney(l.matchedMinor, figures.currency, locale)}</td>
                      <td className={tdClass}>{t(`monthEnd.lineStatus.${l.status}`)}</td>
                      <td className={tdClass}>
                        <span dir="auto">{l.description}</span>{" "}
                        <Link to={`${base}/reconciliation/${l.id}`} className={linkClass}>
                          {t("monthEnd.open")}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h3 className="mt-6 font-bold">{t("monthEnd.unexplainedLedger", { n: figures.unexplainedLedger.length })}</h3>
          {figures.unexplainedLedger.length === 0 ? (
            <p>{t("monthEnd.noneUnexplained")}</p>
          ) : (
            <div className="relative min-w-0 max-w-full overflow-x-auto">
              <table className={tableClass} data-testid="unexplained-entries">
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>{t("monthEnd.columns.date")}</th>
                    <th scope="col" className={thClass}>{t("monthEnd.columns.kind")}</th>
                    <th scope="col" className={thClass}>{t("monthEnd.columns.amount")}</th>
                    <th scope="col" className={thClass}>{t("monthEnd.columns.memo")}</th>
                  </tr>
                </thead>
                <tbody>
                  {figures.unexplainedLedger.map((e) => (
                    <tr key={e.entryId}>
                      <td className={tdClass}>{formatDate(`${e.valueDate}T12:00:00Z`, locale)}</td>
                      <td className={tdClass}>{tf(`entryKinds.${e.kind}`, { defaultValue: e.kind })}</td>
                      <td className={`${tdClass} tabular-nums`}>{formatMoney(e.amountMinor, figures.currency, locale)}</td>
                      <td className={tdClass}>
                        <span dir="auto">{e.memo}</span>{" "}
                        <Link to={`${base}/ledger?from=${e.valueDate}&to=${e.valueDate}#journal`} className={linkClass}>
                          {t("monthEnd.journal")}
                        </Link>
                        {e.paymentId && (
                          <>
                            {" · "}
                            <Link to={`${base}/payments/${e.paymentId}`} className={linkClass}>
                              {tf("nav.payments")}
                            </Link>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <div className="mt-6">
            {figures.closed ? (
              <p className="font-bold text-emerald-900" data-testid="month-closed-by">
                {t("monthEnd.closedOn", { name: figures.closed.closedByName ?? "", date: formatDateTime(figures.closed.closedAt, locale, org.timeZone) })}
              </p>
            ) : (
              <Form method="post">
                <input type="hidden" name="account" value={figures.moneyAccountId} />
                <input type="hidden" name="month" value={figures.month.slice(0, 7)} />
                <button type="submit" className={buttonClass} data-testid="close-month">
                  {t("monthEnd.close")}
                </button>
                <p className="mt-1 text-sm text-stone-700">{t("monthEnd.closeHint")}</p>
              </Form>
            )}
          </div>
        </Section>
      )}

      <Section id="closed" title={t("monthEnd.closedList")}>
        {closedMonths.length === 0 ? (
          <p>{t("monthEnd.noneClosed")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="closed-months">
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("monthEnd.columns.month")}</th>
                  <th scope="col" className={thClass}>{t("monthEnd.columns.account")}</th>
                  <th scope="col" className={thClass}>{t("monthEnd.columns.statement")}</th>
                  <th scope="col" className={thClass}>{t("monthEnd.columns.ledger")}</th>
                  <th scope="col" className={thClass}>{t("monthEnd.columns.closedBy")}</th>
                  <th scope="col" className={thClass}>{t("monthEnd.columns.closedAt")}</th>
                </tr>
              </thead>
              <tbody>
                {closedMonths.map((p) => (
                  <tr key={p.id}>
                    <td className={tdClass}>
                      <Link to={`?account=${p.moneyAccountId}&month=${p.month.slice(0, 7)}`} className={linkClass} dir="ltr">
                        {p.month.slice(0, 7)}
                      </Link>
                    </td>
                    <td className={tdClass}>{accountLabel(p.moneyAccountId)}</td>
                    <td className={`${tdClass} tabular-nums`}>{p.statementClosingMinor === null ? "—" : formatMoney(p.statementClosingMinor, p.currency, locale)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatMoney(p.ledgerClosingMinor, p.currency, locale)}</td>
                    <td className={tdClass}>{p.closedByName}</td>
                    <td className={tdClass}>{formatDateTime(p.closedAt, locale, org.timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { listLines, listMoneyAccounts } from "~/modules/reconciliation/matching.server";
import { reconciliationAction } from "~/modules/reconciliation/route-actions.server";
import { MANUAL_ROWS } from "~/modules/reconciliation/manual-rows";
import { pageFrom, Pagination } from "~/components/pagination";
import { FormMessage, Notice } from "~/components/forms";
import { PageTitle, Section, buttonClass, inputClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatMoney, formatNumber } from "~/utils/format";

/**
 * /finance/:orgSlug/reconciliation — bank statement lines to explain (module C): the queue of
 * unmatched lines and lines with suggestions (their reasons translated), filters (status, account,
 * month) in the query string, pagination; per line: accept a suggestion, match by pledge reference
 * with up to three rows (a split, without JavaScript), or "not a donation" with its kind. The
 * matched tab links each line to its page, where a match is undone.
 */

const FINANCE = ["finance", "org_admin"] as const;
const STATUSES = ["open", "matched", "not_donation", "all"] as const;
const Filter = z.object({
  status: z.enum(STATUSES).default("open"),
  account: z.string().uuid().optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE);
  const url = new URL(request.url);
  const raw = { status: url.searchParams.get("status") || undefined, account: url.searchParams.get("account") || undefined, month: url.searchParams.get("month") || undefined };
  const parsed = Filter.safeParse(raw);
  const db = await getDb();
  const locale = await getLocale(request);
  const accounts = await listMoneyAccounts(db, member.org.id);
  const common = {
    title: await staffTitle(request, "reconciliation:title", orgName(member.org, locale)),
    org: { slug: member.org.slug, timeZone: member.org.timeZone },
    accounts: accounts.filter((a) => a.kind === "bank"),
    filters: raw,
  };
  if (!parsed.success) return data({ ...common, invalid: true, rows: [], total: 0, page: 1, pages: 1 }, { status: 400 });
  const result = await listLines(db, member.org.id, { status: parsed.data.status, moneyAccountId: parsed.data.account, month: parsed.data.month, page: pageFrom(url) });
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  return {
    ...common,
    invalid: false,
    rows: result.rows.map((r) => ({
      id: r.id,
      lineNo: r.lineNo,
      valueDate: r.valueDate,
      amountMinor: r.amountMinor,
      matchedMinor: r.matchedMinor,
      currency: r.currency,
      description: r.description,
      reference: r.reference,
      status: r.status,
      account: names.get(r.moneyAccountId) ?? "",
      suggestions: r.suggestions,
    })),
    total: result.total,
    page: result.page,
    pages: Math.max(1, Math.ceil(result.total / result.pageSize)),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE);
  const form = await readForm(request);
  return reconciliationAction(await getDb(), member.actor, member.org.id, form);
}

type Reason = { code: string; value?: string | number };

export function ReasonList({ reasons, currency }: { reasons: Reason[]; currency: string }) {
  const { t } = useTranslation("reconciliation");
  const locale = useLocale();
  const money = new Set(["amount_fee_short", "amount_over", "amount_part", "amount_close"]);
  return (
    <ul className="flex flex-wrap gap-1">
      {reasons.map((r, i) => (
        <li key={`${r.code}-${i}`} className="rounded bg-stone-100 px-1.5 py-0.5 text-xs">
          {t(`reasons.${r.code}`, { value: money.has(r.code) && typeof r.value === "number" ? formatMoney(r.value, currency, locale) : (r.value ?? "") })}
        </li>
      ))}
    </ul>
  );
}

export default function ReconciliationQueue() {
  const { org, accounts, filters, invalid, rows, total, page, pages } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("reconciliation");
  const locale = useLocale();
  const base = `/finance/${org.slug}/reconciliation`;
  const status = filters.status ?? "open";
  return (
    <div className="space-y-6">
      <PageTitle title={t("title")} intro={t("intro")}>
        <Link to={`/finance/${org.slug}`} className={linkClass}>
          {t("back")}
        </Link>
      </PageTitle>
      {reply && (reply.ok ? <Notice tone="success">{t(reply.messageKey)}</Notice> : <FormMessage id="reconciliation-error" errors={[reply.messageKey]} />)}
      {invalid && <FormMessage id="reconciliation-filter-error" errors={["reconciliation:invalid"]} />}

      <nav aria-label={t("filters.status")}>
        <ul className="flex flex-wrap gap-2 text-sm">
          {STATUSES.map((s) => (
            <li key={s}>
              <Link to={`${base}?status=${s}`} aria-current={s === status ? "page" : undefined} className={`inline-block rounded border px-3 py-1.5 ${s === status ? "border-stone-800 font-bold" : "border-stone-300"}`}>
                {t(`tabs.${s}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <Section id="filters" title={t("filters.title")}>
        <Form method="get" className="grid gap-3 sm:grid-cols-4 sm:items-end">
          <input type="hidden" name="status" value={status} />
          <div className="space-y-1">
            <label htmlFor="rc-account" className="block font-bold">
              {t("filters.account")}
            </label>
            <select id="rc-account" name="account" defaultValue={filters.account ?? ""} className={inputClass}>
              <option value="">{t("filters.allAccounts")}</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.currency})
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="rc-month" className="block font-bold">
              {t("filters.month")}
            </label>
            <input id="rc-month" type="month" name="month" dir="ltr" defaultValue={filters.month ?? ""} className={inputClass} />
          </div>
          <button type="submit" className={secondaryButtonClass}>
            {t("filters.apply")}
          </button>
        </Form>
      </Section>

      <p className="text-sm">{t("total", { count: total, formattedCount: formatNumber(total, locale) })}</p>
      {rows.length === 0 ? (
        <p>{t("empty")}</p>
      ) : (
        <div className="relative min-w-0 max-w-full overflow-x-auto">
          <table className={tableClass} data-testid="reconciliation-queue">
            <thead>
              <tr>
                <th className={thClass}>{t("cols.date")}</th>
                <th className={thClass}>{t("cols.description")}</th>
                <th className={thClass}>{t("cols.amount")}</th>
                <th className={thClass}>{t("cols.status")}</th>
                <th className={thClass}>{t("cols.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-testid={`line-${row.id}`}>
                  <td className={`${tdClass} whitespace-nowrap`}>
                    <time dateTime={row.valueDate}>{formatDate(row.valueDate, locale)}</time>
                    <div className="text-xs text-stone-600">{row.account}</div>
                  </td>
                  <td className={`${tdClass} min-w-48 break-words`}>
                    <span dir="auto">{row.description}</span>
                    {row.reference && (
                      <div className="text-xs text-stone-600" dir="ltr">
                        {row.reference}
                      </div>
                    )}
                  </td>
                  <td className={`${tdClass} whitespace-nowrap tabular-nums`} dir="ltr">
                    {formatMoney(row.amountMinor, row.currency, locale)}
                  </td>
                  <td className={tdClass}>{t(`lineStatus.${row.status}`)}</td>
                  <td className={`${tdClass} min-w-64 space-y-2`}>
                    <Link to={`${base}/${row.id}`} className={linkClass}>
                      {t("line.open")}
                    </Link>
                    {(row.status === "unmatched" || row.status === "suggested") && <LineForms row={row} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

function LineForms({ row }: { row: Row }) {
  const { t } = useTranslation("reconciliation");
  const incoming = row.amountMinor > 0;
  return (
    <>
      {row.suggestions.length > 0 && (
        <ul className="space-y-2">
          {row.suggestions.map((s) => {
            const fee = s.reasons.find((r) => r.code === "amount_fee_short")?.value;
            return (
              <li key={`${s.kind}-${s.id}`} className="rounded border border-stone-200 p-2">
                <div className="font-bold" dir="auto">
                  {t(`suggestion.${s.kind}`, { label: s.label })}
                </div>
                <ReasonList reasons={s.reasons} currency={row.currency} />
                <Form method="post" className="mt-1">
                  <input type="hidden" name="intent" value="accept" />
                  <input type="hidden" name="lineId" value={row.id} />
                  <input type="hidden" name="kind" value={s.kind} />
                  <input type="hidden" name="id" value={s.id} />
                  <input type="hidden" name="label" value={s.label} />
                  {typeof fee === "number" && <input type="hidden" name="fee" value={fee} />}
                  <button type="submit" className={buttonClass}>
                    {t("suggestion.accept")}
                  </button>
                </Form>
              </li>
            );
          })}
        </ul>
      )}
      {incoming && (
        <details>
          <summary className="cursor-pointer">{t("manual.title")}</summary>
          <Form method="post" className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="manual" />
            <input type="hidden" name="lineId" value={row.id} />
            <p className="text-xs">{t("manual.hint")}</p>
            {Array.from({ length: MANUAL_ROWS }, (_, i) => (
              <fieldset key={i} className="grid grid-cols-3 gap-1">
                <legend className="sr-only">{t("manual.row", { n: i + 1 })}</legend>
                <label className="text-xs">
                  {t("manual.reference")}
                  <input name={`ref${i}`} dir="ltr" autoComplete="off" className={inputClass} />
                </label>
                <label className="text-xs">
                  {t("manual.amount")}
                  <input name={`amount${i}`} dir="ltr" inputMode="decimal" className={inputClass} />
                </label>
                <label className="text-xs">
                  {t("manual.fee")}
                  <input name={`fee${i}`} dir="ltr" inputMode="decimal" className={inputClass} />
                </label>
              </fieldset>
            ))}
            <button type="submit" className={buttonClass}>
              {t("manual.submit")}
            </button>
          </Form>
        </details>
      )}
      <details>
        <summary className="cursor-pointer">{t("notDonation.title")}</summary>
        <Form method="post" className="mt-2 space-y-2">
          <input type="hidden" name="intent" value="not_donation" />
          <input type="hidden" name="lineId" value={row.id} />
          <label className="block text-xs">
            {t("notDonation.kind")}
            <select name="kind" className={inputClass} defaultValue={incoming ? "interest" : "bank_charge"}>
              {(incoming ? ["interest", "internal_transfer", "opening_balance", "other"] : ["bank_charge", "internal_transfer", "opening_balance", "other"]).map((k) => (
                <option key={k} value={k}>
                  {t(`kinds.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="block text-xs">
            {t("notDonation.note")}
            <input name="note" maxLength={500} className={inputClass} />
          </label>
          <button type="submit" className={secondaryButtonClass}>
            {t("notDonation.submit")}
          </button>
        </Form>
      </details>
    </>
  );
}

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { journal, ledgerAccountOptions, needFunds, trialBalance } from "~/modules/payments/inbox.server";
import { JournalFilterSchema, LEDGER_ENTRY_KINDS } from "~/modules/payments/schemas";
import { todayIn } from "~/modules/needs/money";
import { pageFrom, Pagination } from "~/components/pagination";
import { PlainField, PlainSelect } from "~/components/registry";
import {
  PageTitle,
  Section,
  buttonClass,
  linkClass,
  secondaryButtonClass,
  tableClass,
  tdClass,
  thClass,
  useLocale,
} from "~/components/staff";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";
import { queryParam } from "~/utils/request-screen.server";

/**
 * /finance/:orgSlug/ledger — the organisation's ledger, read only: the trial balance per currency
 * (debits equal credits, marked), each need's fund beside the need's counters (a difference in
 * red), and the journal with filters, pagination and a CSV export of the same filter.
 */

type Errors = Record<string, string[] | undefined>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const url = new URL(request.url);
  const get = (name: string) => queryParam(url, name) || undefined;
  const raw = { kind: get("kind"), from: get("from"), to: get("to"), account: get("account"), need: get("need"), currency: get("currency") };
  const db = await getDb();
  const locale = await getLocale(request);
  const [balances, funds, accounts] = await Promise.all([trialBalance(db, org.id), needFunds(db, org.id), ledgerAccountOptions(db, org.id)]);
  const common = {
    title: await staffTitle(request, "ledger:title", orgName(org, locale)),
    org: { slug: org.slug, timeZone: org.timeZone },
    today: todayIn(org.timeZone),
    balances,
    funds,
    accounts,
    filters: raw,
  };
  const parsed = JournalFilterSchema.safeParse(raw);
  if (!parsed.success) {
    return data({ ...common, errors: parsed.error.flatten().fieldErrors as Errors, entries: [], total: 0, page: 1, pages: 1 }, { status: 400 });
  }
  const result = await journal(db, { orgId: org.id, filter: parsed.data, page: pageFrom(url) });
  return { ...common, errors: {} as Errors, ...result };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function LedgerPage() {
  const { org, today, balances, funds, accounts, filters, errors, entries, total, page, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("ledger");
  const { t: tf } = useTranslation("finance");
  const locale = useLocale();
  const location = useLocation();
  const base = `/finance/${org.slug}/ledger`;
  const filtered = Object.values(filters).some(Boolean);
  const csvHref = `/finance/${org.slug}/ledger.csv${location.search.replace(/([?&])page=\d+&?/, "$1").replace(/[?&]$/, "")}`;
  const accountName = (kind: string, label: string | null) => `${tf(`accountKinds.${kind}`)}${label ? ` · ${label}` : ""}`;

  return (
    <div className="space-y-6">
      <PageTitle title={t("title")} intro={t("intro")}>
        <nav className="flex flex-wrap gap-3 text-sm">
          <Link to={`/finance/${org.slug}`} className={linkClass}>
            {tf("nav.home")}
          </Link>
          <Link to={`/finance/${org.slug}/payments`} className={linkClass}>
            {tf("nav.payments")}
          </Link>
        </nav>
      </PageTitle>

      <Section id="trial-balance" title={t("trial.title")} description={t("trial.intro")}>
        {balances.length === 0 ? (
          <p>{t("trial.empty")}</p>
        ) : (
          <div className="space-y-6">
            {balances.map((group) => (
              <div key={group.currency} data-testid="trial-balance" data-currency={group.currency} data-balanced={group.balanced ? "yes" : "no"}>
                <h3 className="font-bold">
                  <span dir="ltr">{group.currency}</span>{" "}
                  {group.balanced ? (
                    <span className="ms-2 inline-block rounded bg-emerald-100 px-2 py-0.5 text-sm text-emerald-900">✓ {t("trial.balanced")}</span>
                  ) : (
                    <span className="ms-2 inline-block rounded bg-red-100 px-2 py-0.5 text-sm font-bold text-red-900">✗ {t("trial.unbalanced")}</span>
                  )}
                </h3>
                <div className="relative min-w-0 max-w-full overflow-x-auto">
                  <table className={tableClass}>
                    <thead>
                      <tr>
                        <th scope="col" className={thClass}>{t("columns.account")}</th>
                        <th scope="col" className={thClass}>{t("columns.type")}</th>
                        <th scope="col" className={thClass}>{t("columns.debit")}</th>
                        <th scope="col" className={thClass}>{t("columns.credit")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {group.rows.map((row) => (
                        <tr key={row.accountId}>
                          <th scope="row" className={`${tdClass} text-start font-normal`}>
                            <Link to={`${base}?account=${row.accountId}#journal`} className={linkClass}>
                              {accountName(row.kind, row.label)}
                            </Link>
                          </th>
                          <td className={tdClass}>{t(`types.${row.type}`)}</td>
                          <td className={`${tdClass} tabular-nums`}>{row.balanceMinor > 0 ? formatMoney(row.balanceMinor, group.currency, locale) : ""}</td>
                          <td className={`${tdClass} tabular-nums`}>{row.balanceMinor < 0 ? formatMoney(-row.balanceMinor, group.currency, locale) : ""}</td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr className="font-bold">
                        <th scope="row" colSpan={2} className={`${tdClass} text-start`}>
                          {t("trial.total")}
                        </th>
                        <td className={`${tdClass} tabular-nums`} data-testid="trial-debits">
                          {formatMoney(group.debitMinor, group.currency, locale)}
                        </td>
                        <td className={`${tdClass} tabular-nums`} data-testid="trial-credits">
                          {formatMoney(group.creditMinor, group.currency, locale)}
                        </td>
                      </tr>
                    </tfoot>
                  </table>
                </div>
              </div>
            ))}
          </div>
        )}
      </Section>

      <Section id="funds" title={t("funds.title")} description={t("funds.intro")}>
        {funds.length === 0 ? (
          <p>{t("funds.empty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="need-funds">
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("columns.need")}</th>
                  <th scope="col" className={thClass}>{t("columns.fund")}</th>
                  <th scope="col" className={thClass}>{t("columns.deliveries")}</th>
                  <th scope="col" className={thClass}>{t("columns.paidCounter")}</th>
                  <th scope="col" className={thClass}>{t("columns.reservedCounter")}</th>
                  <th scope="col" className={thClass}>{t("columns.difference")}</th>
                </tr>
              </thead>
              <tbody>
                {funds.map((f) => {
                  const money = (minor: number) => formatMoney(minor, f.currency, locale);
                  const wrong = f.paidDifferenceMinor !== 0 || f.reservedDifferenceMinor !== 0;
                  return (
                    <tr key={f.needId} data-testid="need-fund-row" data-public-id={f.publicId} data-difference={wrong ? "yes" : "no"} className={wrong ? "bg-red-50" : undefined}>
                      <th scope="row" className={`${tdClass} text-start font-normal`}>
                        <Link to={`${base}?need=${f.publicId}#journal`} className={linkClass}>
                          {(locale === "ar" ? f.titleAr || f.titleEn : f.titleEn || f.titleAr) || f.publicId}
                        </Link>
                        <span className="block text-xs">
                          <code dir="ltr">{f.publicId}</code> · {tf(`needStates.${f.state}`, { defaultValue: f.state })} · {t("funds.target", { amount: money(f.targetMinor) })}
                        </span>
                      </th>
                      <td className={`${tdClass} tabular-nums`}>{money(f.fundMinor)}</td>
                      <td className={`${tdClass} tabular-nums`}>{f.deliveriesMinor ? money(f.deliveriesMinor) : ""}</td>
                      <td className={`${tdClass} tabular-nums`}>{money(f.paidMinor)}</td>
                      <td className={`${tdClass} tabular-nums`}>
                        {money(f.reservedMinor)}
                        {f.reservedDifferenceMinor !== 0 && <span className="block text-xs">{t("funds.expectedReserved", { amount: money(f.expectedReservedMinor) })}</span>}
                      </td>
                      <td className={`${tdClass} tabular-nums ${wrong ? "font-bold text-red-800" : "text-emerald-800"}`}>
                        {wrong ? (
                          <>
                            {f.paidDifferenceMinor !== 0 && <span className="block">{t("funds.paidDiff", { amount: money(f.paidDifferenceMinor) })}</span>}
                            {f.reservedDifferenceMinor !== 0 && <span className="block">{t("funds.reservedDiff", { amount: money(f.reservedDifferenceMinor) })}</span>}
                          </>
                        ) : (
                          `✓ ${t("funds.matches")}`
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="journal" title={t("journal.title", { n: total })}>
        <Form method="get" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 lg:items-end" action={`${base}#journal`}>
          <PlainSelect
            id="journal-kind"
            name="kind"
            label={t("journal.kind")}
            defaultValue={filters.kind ?? ""}
            errors={errors.kind}
            options={[{ value: "", label: tf("any") }, ...LEDGER_ENTRY_KINDS.map((k) => ({ value: k, label: tf(`entryKinds.${k}`) }))]}
          />
          <PlainSelect
            id="journal-account"
            name="account"
            label={t("journal.account")}
            defaultValue={filters.account ?? ""}
            errors={errors.account}
            options={[{ value: "", label: tf("any") }, ...accounts.map((a) => ({ value: a.id, label: `${a.currency} · ${accountName(a.kind, a.label)}` }))]}
          />
          <PlainField id="journal-need" name="need" label={t("journal.need")} hint={t("journal.needHint")} defaultValue={filters.need} errors={errors.need} dir="ltr" />
          <PlainField id="journal-currency" name="currency" label={t("journal.currency")} defaultValue={filters.currency} errors={errors.currency} dir="ltr" />
          <PlainField id="journal-from" name="from" type="date" label={t("journal.from")} defaultValue={filters.from} errors={errors.from} max={today} />
          <PlainField id="journal-to" name="to" type="date" label={t("journal.to")} defaultValue={filters.to} errors={errors.to} max={today} />
          <div className="flex flex-wrap items-center gap-2 sm:col-span-2 lg:col-span-3">
            <button type="submit" className={buttonClass}>
              {t("journal.submit")}
            </button>
            {filtered && (
              <Link to={`${base}#journal`} className={secondaryButtonClass}>
                {t("journal.reset")}
              </Link>
            )}
            <a href={csvHref} className={secondaryButtonClass} data-testid="journal-csv" download>
              {t("journal.csv")}
            </a>
          </div>
        </Form>
        <div className="mt-4">
          {entries.length === 0 ? (
            <p>{filtered ? t("journal.emptyFiltered") : t("journal.empty")}</p>
          ) : (
            <div className="relative min-w-0 max-w-full overflow-x-auto">
              <table className={tableClass} data-testid="journal-table">
                <caption className="sr-only">{t("journal.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>{t("columns.entry")}</th>
                    <th scope="col" className={thClass}>{t("columns.account")}</th>
                    <th scope="col" className={thClass}>{t("columns.debit")}</th>
                    <th scope="col" className={thClass}>{t("columns.credit")}</th>
                  </tr>
                </thead>
                {entries.map((e) => (
                  <tbody key={e.id} data-testid="journal-entry" data-kind={e.kind} className="border-b-2 border-stone-300">
                    {e.postings.map((p, i) => (
                      <tr key={`${e.id}-${i}`}>
                        {i === 0 && (
                          <th scope="rowgroup" rowSpan={e.postings.length} className={`${tdClass} text-start font-normal`}>
                            <span className="block font-bold">
                              {tf(`entryKinds.${e.kind}`)} · {formatDate(`${e.valueDate}T12:00:00Z`, locale)}
                            </span>
                            <span className="block text-xs" dir="auto">
                              {e.memo}
                            </span>
                            <span className="block text-xs">
                              {e.actorUserId ? e.actorName : tf("system")} · {formatDateTime(e.createdAt, locale, org.timeZone)}
                            </span>
                            {e.paymentId && (
                              <Link to={`/finance/${org.slug}/payments/${e.paymentId}`} className={`${linkClass} text-xs`}>
                                {t("journal.payment")}
                              </Link>
                            )}
                          </th>
                        )}
                        <td className={tdClass}>{accountName(p.accountKind, p.accountLabel)}</td>
                        <td className={`${tdClass} tabular-nums`}>{p.amountMinor > 0 ? formatMoney(p.amountMinor, p.currency, locale) : ""}</td>
                        <td className={`${tdClass} tabular-nums`}>{p.amountMinor < 0 ? formatMoney(-p.amountMinor, p.currency, locale) : ""}</td>
                      </tr>
                    ))}
                  </tbody>
                ))}
              </table>
            </div>
          )}
        </div>
        <Pagination page={page} pages={pages} />
      </Section>
    </div>
  );
}

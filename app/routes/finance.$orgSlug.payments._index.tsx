import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { queryParam } from "~/utils/request-screen.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { todayIn } from "~/modules/needs/money";
import { cashFourEyesMinor, listMoneyAccounts, listPayments, payablePledge, paymentCounts, searchPledges } from "~/modules/payments/inbox.server";
import { recordPaymentAction } from "~/modules/payments/record-action.server";
import type { Errors } from "~/modules/payments/record-form";
import { PAYMENT_METHODS, PAYMENT_QUEUES, PAYMENT_STATUSES, PaymentListFilterSchema } from "~/modules/payments/schemas";
import { pageFrom } from "~/components/pagination";
import { FilteredTable, TableBox } from "~/components/data-table";
import { Bdi, Ltr, Money } from "~/components/bidi";
import { ErrorList, FormMessage } from "~/components/forms";
import { PlainField, PlainSelect } from "~/components/registry";
import { PledgeReference, PledgeStatusBadge } from "~/components/pledges-staff";
import { RecordSection } from "~/components/payments/record-section";
import { PageTitle, Section, buttonClass, inputClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "~/utils/format";

/**
 * /finance/:orgSlug/payments — finance's payments inbox: find the pledge money is for (reference,
 * donor name, email or amount), record what arrived in two steps (the first post shows what will
 * happen, the second records with the form's idempotency key), and the payments with their
 * queues (awaiting a second person, suspense, flagged, money on closed needs). Every change goes
 * through payments.server.ts; this page only reads and checks.
 */

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const url = new URL(request.url);
  // Control characters (a NUL would fail the query) are dropped, like every loader's query values.
  const get = (name: string) => queryParam(url, name) || undefined;
  const raw = {
    method: get("method"),
    status: get("status"),
    flagged: get("flagged"),
    queue: get("queue"),
    from: get("from"),
    to: get("to"),
  };
  const q = (get("q") ?? "").slice(0, 120);
  const db = await getDb();
  const locale = await getLocale(request);
  const [counts, accounts, results, pledge, threshold] = await Promise.all([
    paymentCounts(db, org.id),
    listMoneyAccounts(db, org.id),
    q ? searchPledges(db, org.id, q) : Promise.resolve([]),
    get("pledge") ? payablePledge(db, org.id, get("pledge")!) : Promise.resolve(null),
    cashFourEyesMinor(db, org.id),
  ]);
  const parsed = PaymentListFilterSchema.safeParse(raw);
  const common = {
    title: await staffTitle(request, "finance:payments.title", orgName(org, locale)),
    org: { slug: org.slug, nameAr: org.nameAr, nameEn: org.nameEn, timeZone: org.timeZone, defaultCurrency: org.defaultCurrency },
    today: todayIn(org.timeZone),
    counts,
    accounts: accounts.filter((a) => a.active).map((a) => ({ id: a.id, kind: a.kind, name: a.name, currency: a.currency, active: a.active, createdAt: a.createdAt })),
    q,
    results,
    pledge,
    pledgeMissing: Boolean(get("pledge")) && !pledge,
    suspense: get("pledge") === "none",
    cashFourEyesMinor: threshold,
    filters: raw,
  };
  if (!parsed.success) {
    const errors = parsed.error.flatten().fieldErrors as Errors;
    return data({ ...common, errors, payments: [], total: 0, page: 1, pages: 1 }, { status: 400 });
  }
  const list = await listPayments(db, { orgId: org.id, filter: parsed.data, page: pageFrom(url) });
  return { ...common, errors: {} as Errors, ...list };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  return recordPaymentAction(request, member);
}

const QUEUE_TONES: Record<string, string> = {
  awaiting: "border-amber-400 bg-amber-50 text-amber-950 hover:bg-amber-100",
  suspense: "border-amber-400 bg-amber-50 text-amber-950 hover:bg-amber-100",
  flagged: "border-red-300 bg-red-50 text-red-900 hover:bg-red-100",
  closed: "border-red-300 bg-red-50 text-red-900 hover:bg-red-100",
};

export default function PaymentsInbox() {
  const loaderData = useLoaderData<typeof loader>();
  const { org, counts, q, results, pledge, filters, errors, payments, total, page, pages, today } = loaderData;
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("finance");
  const locale = useLocale();
  const base = `/finance/${org.slug}/payments`;
  const title = (row: { needTitleAr: string | null; needTitleEn: string | null; needPublicId: string | null }) =>
    (locale === "ar" ? row.needTitleAr || row.needTitleEn : row.needTitleEn || row.needTitleAr) || row.needPublicId || "";
  const filtered = Boolean(filters.method || filters.status || filters.flagged || filters.queue || filters.from || filters.to);
  const showForm = Boolean(pledge || loaderData.suspense || reply);

  return (
    <div className="space-y-6">
      <PageTitle title={t("payments.title")} intro={t("payments.intro", { timeZone: org.timeZone })}>
        <nav className="flex flex-wrap gap-3 text-sm">
          <Link to={`/finance/${org.slug}`} className={linkClass}>
            {t("nav.home")}
          </Link>
          <Link to={`/finance/${org.slug}/ledger`} className={linkClass}>
            {t("nav.ledger")}
          </Link>
          <Link to={`/finance/${org.slug}/accounts`} className={linkClass}>
            {t("nav.accounts")}
          </Link>
        </nav>
      </PageTitle>

      <Section id="queues" title={t("payments.queues.title")}>
        <ul className="flex flex-wrap gap-2 text-sm" data-testid="payment-queues">
          {PAYMENT_QUEUES.map((queue) => (
            <li key={queue}>
              <Link
                to={`${base}?queue=${queue}#payments`}
                className={`inline-block rounded border px-3 py-1.5 ${counts[queue] > 0 ? `font-bold ${QUEUE_TONES[queue]}` : "border-stone-300 hover:bg-stone-50"}`}
                data-testid={`payment-queue-${queue}`}
              >
                {t(`payments.queues.${queue}`)}: <span className="tabular-nums">{formatNumber(counts[queue], locale)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </Section>

      <Section id="find" title={t("payments.find.title")} description={t("payments.find.intro")}>
        <Form method="get" className="flex flex-wrap items-end gap-3" role="search">
          <div className="min-w-[16rem] flex-1 space-y-1">
            <label htmlFor="find-q" className="block font-bold">
              {t("payments.find.q")}
            </label>
            <input id="find-q" type="search" name="q" maxLength={120} defaultValue={q} autoComplete="off" className={inputClass} />
          </div>
          <button type="submit" className={buttonClass}>
            {t("payments.find.submit")}
          </button>
          <Link to={`${base}?pledge=none#record`} className={secondaryButtonClass} data-testid="record-suspense">
            {t("payments.find.noPledge")}
          </Link>
        </Form>
        {q && (
          <div className="mt-4">
            {results.length === 0 ? (
              <p data-testid="find-empty">{t("payments.find.empty")}</p>
            ) : (
              <TableBox label={t("payments.find.title")}>
                <table className={tableClass} data-testid="find-results">
                  <caption className="sr-only">{t("payments.find.title")}</caption>
                  <thead>
                    <tr>
                      <th scope="col" className={thClass}>{t("columns.reference")}</th>
                      <th scope="col" className={thClass}>{t("columns.donor")}</th>
                      <th scope="col" className={thClass}>{t("columns.need")}</th>
                      <th scope="col" className={thClass}>{t("columns.amount")}</th>
                      <th scope="col" className={thClass}>{t("columns.status")}</th>
                      <th scope="col" className={thClass}>
                        <span className="sr-only">{t("columns.actions")}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {results.map((p) => (
                      <tr key={p.id} data-testid="find-row" data-reference={p.reference}>
                        <th scope="row" className={`${tdClass} text-start`}>
                          <PledgeReference reference={p.reference} />
                        </th>
                        <td className={tdClass}>
                          <span className="block">{p.anonymous || !p.displayName ? t("anonymous") : <Bdi>{p.displayName}</Bdi>}</span>
                          <span className="block text-xs text-stone-700">
                            <Ltr>{p.email}</Ltr>
                          </span>
                        </td>
                        <td className={tdClass}>{title(p)}</td>
                        <td className={`${tdClass} tabular-nums`}>
                          <Money minor={p.amountMinor} currency={p.currency} locale={locale} />
                          {p.paidMinor > 0 && (
                            <span className="block text-xs">{t("payments.find.paidSoFar", { amount: formatMoney(p.paidMinor, p.currency, locale) })}</span>
                          )}
                        </td>
                        <td className={tdClass}>
                          <PledgeStatusBadge status={p.status} />
                        </td>
                        <td className={tdClass}>
                          <Link to={`${base}?pledge=${p.id}#record`} className={linkClass} data-testid="choose-pledge">
                            {t("payments.find.choose")}
                            <span className="sr-only"> {p.reference}</span>
                          </Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableBox>
            )}
          </div>
        )}
        {loaderData.pledgeMissing && <FormMessage errors={["finance:errors.pledgeNotFound"]} />}
      </Section>

      {showForm && <RecordSection />}

      <FilteredTable
        id="payments"
        title={t("payments.list.title", { n: formatNumber(total, locale) })}
        filters={{
          columns: 3,
          hidden: { queue: filters.queue },
          submitLabel: t("payments.list.submit"),
          resetLabel: t("payments.list.reset"),
          resetTo: `${base}#payments`,
          active: filtered,
          fields: (
            <>
              <PlainSelect
                id="filter-method"
                name="method"
                label={t("payments.list.method")}
                defaultValue={filters.method ?? ""}
                errors={errors.method}
                options={[{ value: "", label: t("any") }, ...PAYMENT_METHODS.map((m) => ({ value: m, label: t(`methods.${m}`) }))]}
              />
              <PlainSelect
                id="filter-status"
                name="status"
                label={t("payments.list.status")}
                defaultValue={filters.status ?? ""}
                errors={errors.status}
                options={[{ value: "", label: t("any") }, ...PAYMENT_STATUSES.map((s) => ({ value: s, label: t(`paymentStatus.${s}`) }))]}
              />
              <div>
                <label className="inline-flex items-start gap-2">
                  <input type="checkbox" name="flagged" value="1" defaultChecked={filters.flagged === "1"} className="mt-1" />
                  <span>{t("payments.list.flagged")}</span>
                </label>
                <ErrorList errors={errors.flagged} />
              </div>
              <PlainField id="filter-from" name="from" type="date" label={t("payments.list.from")} defaultValue={filters.from} errors={errors.from} max={today} />
              <PlainField id="filter-to" name="to" type="date" label={t("payments.list.to")} defaultValue={filters.to} errors={errors.to} max={today} />
            </>
          ),
        }}
        caption={t("payments.list.caption")}
        testId="payments-table"
        empty={filtered ? t("payments.list.emptyFiltered") : t("payments.list.empty")}
        columns={[
          t("columns.valueDate"),
          t("columns.amount"),
          t("columns.method"),
          t("columns.reference"),
          t("columns.where"),
          t("columns.status"),
          t("columns.recordedBy"),
        ]}
        rows={payments}
        page={page}
        pages={pages}
        renderRow={(p) => (
          <tr key={p.id} data-testid="payment-row" data-payment-id={p.id}>
            <th scope="row" className={`${tdClass} whitespace-nowrap text-start`}>
              <Link to={`${base}/${p.id}`} className={linkClass}>
                {formatDate(`${p.valueDate}T12:00:00Z`, locale)}
              </Link>
            </th>
            <td className={`${tdClass} tabular-nums`}>
              <Money minor={p.amountMinor} currency={p.currency} locale={locale} />
              {p.refundedMinor > 0 && (
                <span className="block text-xs">{t("payment.refundedSoFar", { amount: formatMoney(p.refundedMinor, p.currency, locale) })}</span>
              )}
            </td>
            <td className={tdClass}>
              {t(`methods.${p.method}`)}
              {p.externalId && (
                <span className="block text-xs">
                  <Ltr>{p.externalId}</Ltr>
                </span>
              )}
            </td>
            <td className={tdClass}>{p.pledgeReference ? <PledgeReference reference={p.pledgeReference} /> : "—"}</td>
            <td className={tdClass}>
              {t(`allocation.${p.allocation}`)}
              {p.allocation === "need_fund" && (
                <span className="block text-xs">
                  <Bdi>{title(p)}</Bdi>
                </span>
              )}
              {p.needState && ["cancelled", "expired"].includes(p.needState) && p.allocation === "need_fund" && (
                <span className="block text-xs font-bold text-red-900">{t(`needClosed.${p.needState}`)}</span>
              )}
            </td>
            <td className={tdClass}>
              {t(`paymentStatus.${p.status}`)}
              {p.flag && !p.flagResolvedAt && <span className="block text-xs font-bold text-red-900">{t(`flags.${p.flag}`)}</span>}
            </td>
            <td className={tdClass}>
              {p.recordedBy ? <Bdi>{p.recordedByName}</Bdi> : t("system")}
              <span className="block text-xs">
                <time dateTime={new Date(p.recordedAt).toISOString()}>{formatDateTime(p.recordedAt, locale, org.timeZone)}</time>
              </span>
            </td>
          </tr>
        )}
      >
        {filters.queue && (
          <p className="mt-4 font-bold" data-testid="queue-heading">
            {t(`payments.queues.${filters.queue}`)} — {t(`payments.queues.${filters.queue}Hint`)}
          </p>
        )}
      </FilteredTable>
    </div>
  );
}

import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { queryParam } from "~/utils/request-screen.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { newIdempotencyKey } from "~/modules/pledging/pledges.server";
import { minorToInput } from "~/modules/needs/money";
import {
  disbursementCounts,
  fundsAvailable,
  listDisbursements,
  payeeOf,
  payingAccounts,
  requestDisbursement,
  searchPayees,
} from "~/modules/disbursements/disbursements.server";
import { DisbursementError } from "~/modules/disbursements/errors";
import { ASSET_KIND_OF, DISBURSEMENT_METHODS, DISBURSEMENT_STATUSES } from "~/modules/disbursements/rules";
import { DisbursementListFilterSchema, RequestFormSchema, itemsFromForm } from "~/modules/disbursements/schemas";
import { pageFrom, Pagination } from "~/components/pagination";
import { StatusBadge } from "~/components/disbursements";
import { ErrorList, FormMessage, Notice } from "~/components/forms";
import { PageTitle, Section, buttonClass, inputClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatMoney } from "~/utils/format";

/**
 * /finance/:orgSlug/disbursements — money out: the batches by status (tabs, paginated), and a new
 * batch in two steps without JavaScript: `?new=1` chooses the payee (search), `?payee=<id>` shows
 * that payee's needs with money in their funds, each amount prefilled with what is available.
 */

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const locale = await getLocale(request);
  const url = new URL(request.url);
  const parsed = DisbursementListFilterSchema.safeParse({
    status: queryParam(url, "status", 20) ?? undefined,
    payee: queryParam(url, "payee", 40) ?? undefined,
    currency: queryParam(url, "currency", 3) ?? undefined,
  });
  const filter = parsed.success ? parsed.data : {};
  const db = await getDb();
  const page = pageFrom(url);
  const creating = url.searchParams.get("new") === "1" || Boolean(filter.payee);
  const [list, counts] = await Promise.all([
    creating ? null : listDisbursements(db, org.id, { status: filter.status ?? null, page }),
    disbursementCounts(db, org.id),
  ]);
  let step1 = null;
  let step2 = null;
  if (creating && !filter.payee) {
    step1 = { q: queryParam(url, "q", 100) ?? "", ...(await searchPayees(db, org.id, { q: queryParam(url, "q", 100), page })) };
  } else if (filter.payee) {
    const payee = await payeeOf(db, org.id, filter.payee);
    if (payee) {
      const accounts = await payingAccounts(db, org.id);
      const currencies = [...new Set([org.defaultCurrency, ...accounts.map((a) => a.currency)])];
      const currency = filter.currency && currencies.includes(filter.currency) ? filter.currency : org.defaultCurrency;
      const needRows = await fundsAvailable(db, org.id, { payeeId: payee.id, currency });
      step2 = {
        payee: { id: payee.id, name: payee.name, kind: payee.kind, bankApproved: payee.detailsApprovedAt !== null && payee.collection === "bank_transfer" },
        currency,
        currencies,
        accounts: accounts.filter((a) => a.currency === currency),
        needs: needRows.map((n) => ({ ...n, prefill: n.availableMinor > 0 ? minorToInput(n.availableMinor, currency) : "" })),
        idempotencyKey: newIdempotencyKey(),
      };
    }
  }
  return {
    title: await staffTitle(request, "disbursements:title", orgName(org, locale)),
    org: { slug: org.slug, timeZone: org.timeZone },
    status: filter.status ?? null,
    counts,
    list,
    step1,
    step2,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

type Reply = { errors: Record<string, string[] | undefined>; formErrors: string[]; itemErrors: Record<string, string>; values: Record<string, string> | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const form = await readForm(request);
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string").map(([k, v]) => [k, String(v).slice(0, 2000)]));
  const reply = (status: number, body: Partial<Reply>) => data<Reply>({ errors: {}, formErrors: [], itemErrors: {}, values, ...body }, { status });
  const parsed = RequestFormSchema.safeParse(values);
  if (!parsed.success) {
    const flat = parsed.error.flatten();
    return reply(400, { errors: flat.fieldErrors, formErrors: flat.formErrors });
  }
  const input = parsed.data;
  const db = await getDb();
  const accounts = await payingAccounts(db, org.id);
  const account = accounts.find((a) => a.id === input.moneyAccountId);
  if (!account || account.kind !== ASSET_KIND_OF[input.method]) return reply(400, { errors: { moneyAccountId: ["disbursements:errors.money_account_invalid"] } });
  const items = itemsFromForm(form.entries(), account.currency);
  if (!items.ok) return reply(400, { itemErrors: items.errors });
  if (items.items.length === 0) return reply(400, { formErrors: ["disbursements:errors.items_invalid"] });
  try {
    const batch = await requestDisbursement(db, member.actor, {
      orgId: org.id,
      payeeId: input.payeeId,
      method: input.method,
      moneyAccountId: account.id,
      items: items.items,
      note: input.note ?? null,
      idempotencyKey: input.idempotencyKey,
    });
    return redirect(`/finance/${org.slug}/disbursements/${batch.id}?notice=requested`);
  } catch (error) {
    if (error instanceof DisbursementError) {
      if (error.details.needId && error.code === "over_balance") {
        const available = formatMoney(error.details.availableMinor ?? 0, account.currency, await getLocale(request));
        return reply(error.status, { itemErrors: { [error.details.needId]: `over_balance|${available}` } });
      }
      return reply(error.status, { formErrors: [error.messageKey] });
    }
    throw error;
  }
}

export default function DisbursementsPage() {
  const { org, status, counts, list, step1, step2 } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("disbursements");
  const locale = useLocale();
  const base = `/finance/${org.slug}/disbursements`;
  return (
    <div className="space-y-6">
      <PageTitle title={t("title")} intro={t("intro")}>
        <Link to={`/finance/${org.slug}`} className={linkClass}>
          {t("nav.home")}
        </Link>
      </PageTitle>

      {list && (
        <Section id="batches" title={t("list.title")}>
          <p className="mb-4">
            <Link to={`${base}?new=1`} className={buttonClass} data-testid="disbursement-new">
              {t("list.new")}
            </Link>
          </p>
          <nav aria-label={t("columns.status")} className="mb-4 flex flex-wrap gap-2 text-sm">
            <Link to={base} aria-current={status === null ? "page" : undefined} className={`rounded border px-3 py-1 ${status === null ? "border-brand-700 font-bold" : "border-stone-300"}`}>
              {t("status.all")}
            </Link>
            {DISBURSEMENT_STATUSES.map((s) => (
              <Link
                key={s}
                to={`${base}?status=${s}`}
                aria-current={status === s ? "page" : undefined}
                className={`rounded border px-3 py-1 ${status === s ? "border-brand-700 font-bold" : "border-stone-300"}`}
                data-testid={`disbursement-tab-${s}`}
              >
                {t(`status.${s}`)} ({counts[s]})
              </Link>
            ))}
          </nav>
          {list.rows.length === 0 ? (
            <p>{t("list.empty")}</p>
          ) : (
            <div className="relative min-w-0 max-w-full overflow-x-auto">
              <table className={tableClass} data-testid="disbursements-table">
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>{t("columns.number")}</th>
                    <th scope="col" className={thClass}>{t("columns.payee")}</th>
                    <th scope="col" className={thClass}>{t("columns.total")}</th>
                    <th scope="col" className={thClass}>{t("columns.needs")}</th>
                    <th scope="col" className={thClass}>{t("columns.status")}</th>
                    <th scope="col" className={thClass}>{t("columns.requested")}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.rows.map((b) => (
                    <tr key={b.id} data-testid="disbursement-row" data-number={b.number}>
                      <th scope="row" className={`${tdClass} text-start`}>
                        <Link to={`${base}/${b.id}`} className={linkClass} dir="ltr">
                          {b.number}
                        </Link>
                      </th>
                      <td className={tdClass}>
                        {b.payeeName}
                        <span className="block text-xs">{t(`payeeKind.${b.payeeKind}`)}</span>
                      </td>
                      <td className={`${tdClass} tabular-nums`}>{formatMoney(b.totalMinor, b.currency, locale)}</td>
                      <td className={`${tdClass} tabular-nums`}>{b.needCount}</td>
                      <td className={tdClass}>
                        <StatusBadge status={b.status} />
                      </td>
                      <td className={tdClass}>
                        {formatDate(b.requestedAt, locale, org.timeZone)}
                        <span className="block text-xs">{b.requesterName}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination page={list.page} pages={list.pages} />
        </Section>
      )}

      {step1 && (
        <Section id="new-payee" title={t("new.step1")}>
          <Form method="get" className="mb-4 flex flex-wrap items-end gap-2">
            <input type="hidden" name="new" value="1" />
            <div>
              <label htmlFor="payee-q" className="block font-bold">
                {t("new.search")}
              </label>
              <input id="payee-q" name="q" type="search" defaultValue={step1.q} maxLength={100} className={inputClass} />
            </div>
            <button type="submit" className={secondaryButtonClass}>
              {t("new.searchButton")}
            </button>
          </Form>
          {step1.rows.length === 0 ? (
            <p>{t("new.noPayees")}</p>
          ) : (
            <div className="relative min-w-0 max-w-full overflow-x-auto">
              <table className={tableClass} data-testid="payee-choices">
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>{t("columns.payee")}</th>
                    <th scope="col" className={thClass}>{t("columns.kind")}</th>
                    <th scope="col" className={thClass}>{t("columns.needs")}</th>
                    <th scope="col" className={thClass}>
                      <span className="sr-only">{t("new.choose")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {step1.rows.map((p) => (
                    <tr key={p.id} data-testid="payee-choice">
                      <th scope="row" className={`${tdClass} text-start`}>
                        {p.name}
                        <span className="block text-xs font-normal">{p.detailsApproved ? t("new.detailsApproved") : t("new.detailsMissing")}</span>
                      </th>
                      <td className={tdClass}>{t(`payeeKind.${p.kind}`)}</td>
                      <td className={`${tdClass} tabular-nums`}>{p.needsWithMoney}</td>
                      <td className={tdClass}>
                        <Link to={`${base}?payee=${p.id}`} className={linkClass}>
                          {t("new.choose")}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination page={step1.page} pages={step1.pages} />
        </Section>
      )}

      {step2 && (
        <Section id="new-needs" title={t("new.step2", { name: step2.payee.name })}>
          <p className="mb-4 flex flex-wrap gap-4 text-sm">
            <Link to={`${base}?new=1`} className={linkClass}>
              {t("new.otherPayee")}
            </Link>
            {step2.currencies.length > 1 &&
              step2.currencies.map((c) => (
                <Link key={c} to={`${base}?payee=${step2.payee.id}&currency=${c}`} aria-current={c === step2.currency ? "page" : undefined} className={c === step2.currency ? "font-bold" : linkClass} dir="ltr">
                  {c}
                </Link>
              ))}
          </p>
          {reply?.formErrors?.length ? <FormMessage id="request-error" errors={reply.formErrors} /> : null}
          {step2.needs.length === 0 ? (
            <p data-testid="no-needs">{t("new.noNeeds", { currency: step2.currency })}</p>
          ) : step2.accounts.length === 0 ? (
            <Notice tone="warning">{t("new.noAccount", { currency: step2.currency })}</Notice>
          ) : (
            <Form method="post" className="space-y-4" data-testid="request-form">
              <input type="hidden" name="intent" value="request" />
              <input type="hidden" name="payeeId" value={step2.payee.id} />
              <input type="hidden" name="idempotencyKey" value={reply?.values?.idempotencyKey ?? step2.idempotencyKey} />
              <p className="text-sm">{t("new.amountHint")}</p>
              <div className="relative min-w-0 max-w-full overflow-x-auto">
                <table className={tableClass}>
                  <thead>
                    <tr>
                      <th scope="col" className={thClass}>{t("columns.need")}</th>
                      <th scope="col" className={thClass}>{t("columns.fund")}</th>
                      <th scope="col" className={thClass}>{t("columns.claimed")}</th>
                      <th scope="col" className={thClass}>{t("columns.available")}</th>
                      <th scope="col" className={thClass}>{t("columns.amount")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {step2.needs.map((n) => {
                      const err = reply?.itemErrors?.[n.needId];
                      const [key, available] = err ? err.split("|") : [];
                      return (
                        <tr key={n.needId} data-testid="need-choice">
                          <th scope="row" className={`${tdClass} text-start`}>
                            {(locale === "ar" ? (n.titleAr ?? n.titleEn) : (n.titleEn ?? n.titleAr)) ?? n.publicId}
                            <span className="block text-xs font-normal" dir="ltr">
                              {n.publicId}
                            </span>
                          </th>
                          <td className={`${tdClass} tabular-nums`}>{formatMoney(n.fundMinor, n.currency, locale)}</td>
                          <td className={`${tdClass} tabular-nums`}>{formatMoney(n.claimedMinor, n.currency, locale)}</td>
                          <td className={`${tdClass} tabular-nums`}>{formatMoney(n.availableMinor, n.currency, locale)}</td>
                          <td className={tdClass}>
                            <label htmlFor={`amount-${n.needId}`} className="sr-only">
                              {t("columns.amount")}
                            </label>
                            <input
                              id={`amount-${n.needId}`}
                              name={`amount_${n.needId}`}
                              inputMode="decimal"
                              dir="ltr"
                              defaultValue={reply?.values?.[`amount_${n.needId}`] ?? n.prefill}
                              className={`${inputClass} w-28`}
                            />
                            {key && (
                              <p role="alert" className="mt-1 text-sm font-bold text-red-800" data-testid="item-error">
                                {key === "over_balance" ? t("errors.over_balance", { available }) : t(key)}
                              </p>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <div className="grid gap-4 sm:grid-cols-2">
                <div>
                  <label htmlFor="request-method" className="block font-bold">
                    {t("new.method")}
                  </label>
                  <select id="request-method" name="method" defaultValue={reply?.values?.method ?? (step2.payee.bankApproved ? "bank_transfer" : "cash")} className={inputClass}>
                    {DISBURSEMENT_METHODS.map((m) => (
                      <option key={m} value={m}>
                        {t(`method.${m}`)}
                      </option>
                    ))}
                  </select>
                  <ErrorList errors={reply?.errors?.method} />
                </div>
                <div>
                  <label htmlFor="request-account" className="block font-bold">
                    {t("new.account")}
                  </label>
                  <select id="request-account" name="moneyAccountId" defaultValue={reply?.values?.moneyAccountId} className={inputClass}>
                    {step2.accounts.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.name} ({a.currency})
                      </option>
                    ))}
                  </select>
                  <ErrorList errors={reply?.errors?.moneyAccountId} />
                </div>
                <div className="sm:col-span-2">
                  <label htmlFor="request-note" className="block font-bold">
                    {t("new.note")}
                  </label>
                  <textarea id="request-note" name="note" rows={2} maxLength={2000} defaultValue={reply?.values?.note} className={inputClass} />
                  <ErrorList errors={reply?.errors?.note} />
                </div>
              </div>
              <button type="submit" className={buttonClass} data-testid="request-submit">
                {t("new.submit")}
              </button>
            </Form>
          )}
        </Section>
      )}
    </div>
  );
}

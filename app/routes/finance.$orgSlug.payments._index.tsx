import {
  MaxPartSizeExceededError,
  data,
  redirect,
  unstable_createMemoryUploadHandler,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { readForm } from "~/utils/forms.server";
import { queryParam } from "~/utils/request-screen.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { newIdempotencyKey } from "~/modules/pledging/pledges.server";
import { minorToInput, todayIn } from "~/modules/needs/money";
import { DOCUMENT_ACCEPT, MAX_DOCUMENT_BYTES } from "~/modules/registry/documents";
import { getStorage } from "~/modules/registry/storage.server";
import {
  cashFourEyesMinor,
  defaultMoneyAccount,
  externalIdTaken,
  listMoneyAccounts,
  listPayments,
  payablePledge,
  paymentCounts,
  searchPledges,
} from "~/modules/payments/inbox.server";
import { ProofError, orgProof, uploadProof } from "~/modules/payments/proof.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { paymentByRequestKey } from "~/modules/payments/inbox.server";
import { PaymentError } from "~/modules/payments/errors";
import {
  ACCOUNT_KIND_OF,
  OFFLINE_METHODS,
  PAYMENT_METHODS,
  PAYMENT_QUEUES,
  PAYMENT_STATUSES,
  PaymentListFilterSchema,
  RecordPaymentFormSchema,
  knownCurrency,
  moneyOf,
  previewOutcome,
  type PaymentPreviewOutcome,
} from "~/modules/payments/schemas";
import { pageFrom, Pagination } from "~/components/pagination";
import { ErrorList, FormMessage, Notice } from "~/components/forms";
import { PlainField, PlainSelect } from "~/components/registry";
import { PledgeReference, PledgeStatusBadge } from "~/components/pledges-staff";
import {
  PageTitle,
  Section,
  buttonClass,
  inputClass,
  linkClass,
  secondaryButtonClass,
  tableClass,
  tdClass,
  thClass,
  useLocale,
} from "~/components/staff";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "~/utils/format";

/**
 * /finance/:orgSlug/payments — finance's payments inbox: find the pledge money is for (reference,
 * donor name, email or amount), record what arrived in two steps (the first post shows what will
 * happen, the second records with the form's idempotency key), and the payments with their
 * queues (awaiting a second person, suspense, flagged, money on closed needs). Every change goes
 * through payments.server.ts; this page only reads and checks.
 */

type Errors = Record<string, string[] | undefined>;

/**
 * A refusal of payments.server.ts as this page answers it: its status (4xx) and its message in
 * the `payments` namespace; null for anything else (a bug: let it be a 500).
 */
function paymentRefusal(error: unknown): { status: number; messageKey: string } | null {
  if (!(error instanceof PaymentError)) return null;
  const e = error as PaymentError & { status?: number; messageKey?: string; code: string };
  const status = typeof e.status === "number" && e.status >= 400 && e.status < 500 ? e.status : 400;
  return { status, messageKey: e.messageKey ?? `payments:errors.${e.code}` };
}

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

/** The values of the record form as posted (strings), so a refused or previewed form keeps them. */
export interface RecordValues {
  pledgeId: string;
  method: string;
  moneyAccountId: string;
  currency: string;
  amount: string;
  fee: string;
  valueDate: string;
  externalId: string;
  note: string;
  donorName: string;
  donorEmail: string;
  proofDocumentId: string;
  proofFileName: string;
}

export interface RecordReply {
  step: "refused" | "preview";
  status: number;
  errors: Errors;
  formErrors: string[];
  values: RecordValues;
  preview: {
    outcome: PaymentPreviewOutcome;
    amountMinor: number;
    feeMinor: number;
    netMinor: number;
    outstandingMinor: number;
    surplusMinor: number;
    restMinor: number;
    currency: string;
    reference: string | null;
    accountName: string | null;
    idempotencyKey: string;
  } | null;
}

const str = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : "");

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const db = await getDb();

  const blank: RecordValues = {
    pledgeId: "",
    method: "",
    moneyAccountId: "",
    currency: "",
    amount: "",
    fee: "",
    valueDate: "",
    externalId: "",
    note: "",
    donorName: "",
    donorEmail: "",
    proofDocumentId: "",
    proofFileName: "",
  };
  const reply = (status: number, body: Partial<RecordReply>) =>
    data<RecordReply>({ step: "refused", status, errors: {}, formErrors: [], values: blank, preview: null, ...body }, { status });

  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > env().MAX_UPLOAD_BYTES) return reply(413, { errors: { proof: ["finance:errors.proofTooLarge"] } });
  let form: FormData;
  try {
    form = await readForm(request, { uploadHandler: unstable_createMemoryUploadHandler({ maxPartSize: MAX_DOCUMENT_BYTES }) });
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof MaxPartSizeExceededError) return reply(413, { errors: { proof: ["finance:errors.proofTooLarge"] } });
    return reply(400, { errors: { proof: ["finance:errors.proofUnreadable"] } });
  }

  const values: RecordValues = {
    ...blank,
    ...Object.fromEntries(Object.keys(blank).map((k) => [k, str(form.get(k)).slice(0, 1000)])),
  };
  const parsed = RecordPaymentFormSchema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) {
    const flat = parsed.error.flatten();
    return reply(400, { values, errors: flat.fieldErrors as Errors, formErrors: flat.formErrors });
  }
  const input = parsed.data;
  const errors: Errors = {};
  const fail = (status: number, field: string, key: string) => reply(status, { values, errors: { ...errors, [field]: [key] } });

  // The pledge (this organisation's only; another organisation's id is answered like an unknown one).
  const pledge = input.pledgeId ? await payablePledge(db, org.id, input.pledgeId) : null;
  if (input.pledgeId && !pledge) return fail(404, "pledgeId", "finance:errors.pledgeNotFound");
  if (!knownCurrency(input.currency)) return fail(400, "currency", "finance:errors.currencyInvalid");
  if (pledge && pledge.currency !== input.currency) return fail(400, "currency", "finance:errors.currencyMismatch");

  const amount = moneyOf(input.amount, input.currency);
  if (!amount.ok) return fail(400, "amount", amount.error);
  const fee = moneyOf(input.fee, input.currency, { allowZero: true });
  if (!fee.ok) return fail(400, "fee", fee.error);
  if (fee.minor >= amount.minor) return fail(400, "fee", "finance:errors.feeTooLarge");

  const today = todayIn(org.timeZone);
  if (input.valueDate > today) return fail(400, "valueDate", "finance:errors.valueDateFuture");

  const accounts = await listMoneyAccounts(db, org.id);
  let account = input.moneyAccountId ? accounts.find((a) => a.id === input.moneyAccountId) ?? null : defaultMoneyAccount(accounts, input.method, input.currency);
  if (input.moneyAccountId) {
    if (!account || !account.active || account.kind !== ACCOUNT_KIND_OF[input.method]) return fail(400, "moneyAccountId", "finance:errors.accountInvalid");
    if (account.currency !== input.currency) return fail(400, "moneyAccountId", "finance:errors.accountCurrency");
  }
  if (account && account.currency !== input.currency) account = null;

  // The same confirm posted again (a double click, a retry): the first payment answers it.
  if (input.step !== "preview" && input.idempotencyKey) {
    const again = await paymentByRequestKey(db, org.id, input.idempotencyKey);
    if (again) return redirect(`/finance/${org.slug}/payments/${again.id}?notice=already_recorded`);
  }
  if (input.externalId && (await externalIdTaken(db, org.id, input.method, input.externalId))) {
    return fail(409, "externalId", "finance:errors.duplicateExternalId");
  }

  // The proof: uploaded with the first step, carried by id to the second.
  let proofDocumentId = input.proofDocumentId ?? null;
  let proofFileName = values.proofFileName;
  if (proofDocumentId) {
    const proof = await orgProof(db, org.id, proofDocumentId);
    if (!proof) return fail(400, "proof", "finance:errors.proofInvalid");
    proofFileName = proof.fileName;
  }
  const file = form.get("proof");
  if (file instanceof File && file.name !== "" && input.step === "preview") {
    try {
      const stored = await uploadProof(db, getStorage(), member.actor, {
        orgId: org.id,
        fileName: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
      proofDocumentId = stored.id;
      proofFileName = stored.fileName;
    } catch (error) {
      if (error instanceof ProofError) return fail(error.status, "proof", error.messageKey);
      throw error;
    }
  }
  const kept: RecordValues = { ...values, proofDocumentId: proofDocumentId ?? "", proofFileName };

  if (input.step === "preview") {
    const expected = previewOutcome({
      pledge,
      amountMinor: amount.minor,
      method: input.method,
      currency: input.currency,
      orgCurrency: org.defaultCurrency,
      cashFourEyesMinor: await cashFourEyesMinor(db, org.id),
    });
    return reply(200, {
      step: "preview",
      values: kept,
      preview: {
        ...expected,
        amountMinor: amount.minor,
        feeMinor: fee.minor,
        netMinor: amount.minor - fee.minor,
        currency: input.currency,
        reference: pledge?.reference ?? null,
        accountName: account?.name ?? null,
        idempotencyKey: newIdempotencyKey(),
      },
    });
  }

  if (!input.idempotencyKey) return reply(400, { values: kept, formErrors: ["finance:errors.formExpired"] });
  try {
    const result = await recordPayment(db, member.actor, {
      orgId: org.id,
      pledgeId: pledge?.id ?? null,
      method: input.method,
      moneyAccountId: account?.id ?? null,
      amountMinor: amount.minor,
      feeMinor: fee.minor,
      currency: input.currency,
      valueDate: input.valueDate,
      externalId: input.externalId ?? null,
      proofDocumentId,
      note: input.note ?? null,
      idempotencyKey: input.idempotencyKey,
      donorEmail: pledge ? null : (input.donorEmail ?? null),
      donorName: pledge ? null : (input.donorName ?? null),
      locale: await getLocale(request),
      origin: new URL(request.url).origin,
    });
    return redirect(`/finance/${org.slug}/payments/${result.payment.id}?notice=${result.outcome}`);
  } catch (error) {
    const refusal = paymentRefusal(error);
    if (refusal) return reply(refusal.status, { values: kept, formErrors: [refusal.messageKey] });
    throw error;
  }
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
              <div className="relative min-w-0 max-w-full overflow-x-auto">
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
                          <span className="block">{p.anonymous || !p.displayName ? t("anonymous") : p.displayName}</span>
                          <span className="block text-xs text-stone-700" dir="ltr">
                            {p.email}
                          </span>
                        </td>
                        <td className={tdClass}>{title(p)}</td>
                        <td className={`${tdClass} whitespace-nowrap tabular-nums`}>
                          {formatMoney(p.amountMinor, p.currency, locale)}
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
              </div>
            )}
          </div>
        )}
        {loaderData.pledgeMissing && <FormMessage errors={["finance:errors.pledgeNotFound"]} />}
      </Section>

      {showForm && <RecordSection />}

      <Section id="payments" title={t("payments.list.title", { n: formatNumber(total, locale) })}>
        <Form method="get" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 lg:items-end">
          {filters.queue && <input type="hidden" name="queue" value={filters.queue} />}
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
          <div className="flex flex-wrap items-center gap-2">
            <button type="submit" className={buttonClass}>
              {t("payments.list.submit")}
            </button>
            {filtered && (
              <Link to={`${base}#payments`} className={secondaryButtonClass}>
                {t("payments.list.reset")}
              </Link>
            )}
          </div>
        </Form>
        {filters.queue && (
          <p className="mt-4 font-bold" data-testid="queue-heading">
            {t(`payments.queues.${filters.queue}`)} — {t(`payments.queues.${filters.queue}Hint`)}
          </p>
        )}
        <div className="mt-4">
          {payments.length === 0 ? (
            <p>{filtered ? t("payments.list.emptyFiltered") : t("payments.list.empty")}</p>
          ) : (
            <div className="relative min-w-0 max-w-full overflow-x-auto">
              <table className={tableClass} data-testid="payments-table">
                <caption className="sr-only">{t("payments.list.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>{t("columns.valueDate")}</th>
                    <th scope="col" className={thClass}>{t("columns.amount")}</th>
                    <th scope="col" className={thClass}>{t("columns.method")}</th>
                    <th scope="col" className={thClass}>{t("columns.reference")}</th>
                    <th scope="col" className={thClass}>{t("columns.where")}</th>
                    <th scope="col" className={thClass}>{t("columns.status")}</th>
                    <th scope="col" className={thClass}>{t("columns.recordedBy")}</th>
                  </tr>
                </thead>
                <tbody>
                  {payments.map((p) => (
                    <tr key={p.id} data-testid="payment-row" data-payment-id={p.id}>
                      <th scope="row" className={`${tdClass} whitespace-nowrap text-start`}>
                        <Link to={`${base}/${p.id}`} className={linkClass}>
                          {formatDate(`${p.valueDate}T12:00:00Z`, locale)}
                        </Link>
                      </th>
                      <td className={`${tdClass} whitespace-nowrap tabular-nums`}>
                        {formatMoney(p.amountMinor, p.currency, locale)}
                        {p.refundedMinor > 0 && (
                          <span className="block text-xs">{t("payment.refundedSoFar", { amount: formatMoney(p.refundedMinor, p.currency, locale) })}</span>
                        )}
                      </td>
                      <td className={tdClass}>
                        {t(`methods.${p.method}`)}
                        {p.externalId && (
                          <span className="block text-xs" dir="ltr">
                            {p.externalId}
                          </span>
                        )}
                      </td>
                      <td className={tdClass}>{p.pledgeReference ? <PledgeReference reference={p.pledgeReference} /> : "—"}</td>
                      <td className={tdClass}>
                        {t(`allocation.${p.allocation}`)}
                        {p.allocation === "need_fund" && <span className="block text-xs">{title(p)}</span>}
                        {p.needState && ["cancelled", "expired"].includes(p.needState) && p.allocation === "need_fund" && (
                          <span className="block text-xs font-bold text-red-900">{t(`needClosed.${p.needState}`)}</span>
                        )}
                      </td>
                      <td className={tdClass}>
                        {t(`paymentStatus.${p.status}`)}
                        {p.flag && !p.flagResolvedAt && <span className="block text-xs font-bold text-red-900">{t(`flags.${p.flag}`)}</span>}
                      </td>
                      <td className={tdClass}>
                        {p.recordedBy ? p.recordedByName : t("system")}
                        <span className="block text-xs">
                          <time dateTime={new Date(p.recordedAt).toISOString()}>{formatDateTime(p.recordedAt, locale, org.timeZone)}</time>
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <Pagination page={page} pages={pages} />
      </Section>
    </div>
  );
}

/** The record form (step one) and, after a preview, what will happen with the confirm button (step two). */
function RecordSection() {
  const { org, pledge, accounts, today, cashFourEyesMinor: threshold } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("finance");
  const locale = useLocale();
  const v = reply?.values;
  const errors = reply?.errors ?? {};
  const currency = v?.currency || pledge?.currency || org.defaultCurrency;
  const outstanding = pledge ? Math.max(0, pledge.amountMinor - pledge.paidMinor) : 0;
  const preview = reply?.step === "preview" ? reply.preview : null;
  const pledgeId = v?.pledgeId || pledge?.id || "";

  return (
    <Section id="record" title={t("payments.record.title")} description={t("payments.record.intro")}>
      {reply?.formErrors?.length ? <FormMessage id="record-error" errors={reply.formErrors} /> : null}
      {pledge ? (
        <p className="mb-4" data-testid="record-pledge">
          {t("payments.record.forPledge", {
            reference: pledge.reference,
            amount: formatMoney(pledge.amountMinor, pledge.currency, locale),
            outstanding: formatMoney(outstanding, pledge.currency, locale),
          })}{" "}
          <PledgeStatusBadge status={pledge.status} />
        </p>
      ) : (
        !pledgeId && <Notice tone="warning">{t("payments.record.noPledge")}</Notice>
      )}

      {preview && v && (
        <div className="mb-6 space-y-3 rounded border border-brand-700 p-4" data-testid="record-preview" data-outcome={preview.outcome}>
          <p className="font-bold">{t("payments.preview.title")}</p>
          <p>
            {t(`payments.preview.${preview.outcome}`, {
              amount: formatMoney(preview.amountMinor, preview.currency, locale),
              reference: preview.reference ?? "",
              outstanding: formatMoney(preview.outstandingMinor, preview.currency, locale),
              rest: formatMoney(preview.restMinor, preview.currency, locale),
              surplus: formatMoney(preview.surplusMinor, preview.currency, locale),
            })}
          </p>
          {preview.feeMinor > 0 && (
            <p>
              {t("payments.preview.fee", {
                fee: formatMoney(preview.feeMinor, preview.currency, locale),
                net: formatMoney(preview.netMinor, preview.currency, locale),
              })}
            </p>
          )}
          <p className="text-sm">
            {preview.accountName ? t("payments.preview.account", { name: preview.accountName }) : t("payments.preview.defaultAccount")}
          </p>
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="record" />
            <input type="hidden" name="step" value="record" />
            <input type="hidden" name="idempotencyKey" value={preview.idempotencyKey} />
            {(["pledgeId", "method", "moneyAccountId", "currency", "amount", "fee", "valueDate", "externalId", "note", "donorName", "donorEmail", "proofDocumentId", "proofFileName"] as const).map(
              (name) => (v[name] ? <input key={name} type="hidden" name={name} value={v[name]} /> : null),
            )}
            <button type="submit" className={buttonClass} data-testid="record-confirm">
              {t("payments.preview.confirm")}
            </button>
          </Form>
          <p className="text-sm">{t("payments.preview.change")}</p>
        </div>
      )}

      <Form method="post" encType="multipart/form-data" className="grid gap-4 sm:grid-cols-2" preventScrollReset>
        <input type="hidden" name="intent" value="record" />
        <input type="hidden" name="step" value="preview" />
        {pledgeId && <input type="hidden" name="pledgeId" value={pledgeId} />}
        {v?.proofDocumentId && <input type="hidden" name="proofDocumentId" value={v.proofDocumentId} />}
        {v?.proofFileName && <input type="hidden" name="proofFileName" value={v.proofFileName} />}
        <ErrorList errors={errors.pledgeId} />
        <PlainSelect
          id="record-method"
          name="method"
          label={t("payments.record.method")}
          defaultValue={v?.method || (pledge && (OFFLINE_METHODS as readonly string[]).includes(pledge.method) ? pledge.method : "bank_transfer")}
          errors={errors.method}
          options={OFFLINE_METHODS.map((m) => ({ value: m, label: t(`methods.${m}`) }))}
        />
        <PlainSelect
          id="record-account"
          name="moneyAccountId"
          label={t("payments.record.account")}
          defaultValue={v?.moneyAccountId ?? ""}
          errors={errors.moneyAccountId}
          options={[
            { value: "", label: t("payments.record.accountDefault") },
            ...accounts.map((a) => ({ value: a.id, label: `${a.name} (${t(`accountKinds.${a.kind}`)}, ${a.currency})` })),
          ]}
        />
        {pledge ? (
          <input type="hidden" name="currency" value={pledge.currency} />
        ) : (
          <PlainField id="record-currency" name="currency" label={t("payments.record.currency")} defaultValue={currency} errors={errors.currency} dir="ltr" />
        )}
        {pledge && <ErrorList errors={errors.currency} />}
        <PlainField
          id="record-amount"
          name="amount"
          label={t("payments.record.amount", { currency })}
          hint={t("payments.record.amountHint")}
          defaultValue={v?.amount || (pledge ? minorToInput(outstanding || pledge.amountMinor, pledge.currency) : "")}
          errors={errors.amount}
          dir="ltr"
          required
        />
        <PlainField id="record-fee" name="fee" label={t("payments.record.fee", { currency })} hint={t("payments.record.feeHint")} defaultValue={v?.fee} errors={errors.fee} dir="ltr" />
        <PlainField
          id="record-date"
          name="valueDate"
          type="date"
          label={t("payments.record.valueDate")}
          hint={t("payments.record.valueDateHint", { timeZone: org.timeZone })}
          defaultValue={v?.valueDate || today}
          max={today}
          errors={errors.valueDate}
          required
        />
        <PlainField id="record-external" name="externalId" label={t("payments.record.externalId")} hint={t("payments.record.externalIdHint")} defaultValue={v?.externalId} errors={errors.externalId} dir="ltr" />
        {!pledgeId && (
          <>
            <PlainField id="record-donor-name" name="donorName" label={t("payments.record.donorName")} defaultValue={v?.donorName} errors={errors.donorName} />
            <PlainField id="record-donor-email" name="donorEmail" label={t("payments.record.donorEmail")} defaultValue={v?.donorEmail} errors={errors.donorEmail} dir="ltr" />
          </>
        )}
        <div className="space-y-1 sm:col-span-2">
          <label htmlFor="record-proof" className="block font-bold">
            {t("payments.record.proof")}
          </label>
          <p id="record-proof-hint" className="text-sm text-stone-700">
            {v?.proofFileName ? t("payments.record.proofKept", { name: v.proofFileName }) : t("payments.record.proofHint")}
          </p>
          <input id="record-proof" type="file" name="proof" accept={DOCUMENT_ACCEPT} aria-describedby="record-proof-hint" className="block" />
          <ErrorList errors={errors.proof} />
        </div>
        <div className="space-y-1 sm:col-span-2">
          <label htmlFor="record-note" className="block font-bold">
            {t("payments.record.note")}
          </label>
          <textarea id="record-note" name="note" rows={2} maxLength={1000} defaultValue={v?.note} className={inputClass} />
          <ErrorList errors={errors.note} />
        </div>
        {threshold !== null && <p className="text-sm sm:col-span-2">{t("payments.record.fourEyes", { amount: formatMoney(threshold, org.defaultCurrency, locale) })}</p>}
        <div className="sm:col-span-2">
          <button type="submit" className={buttonClass} data-testid="record-preview-submit">
            {t("payments.record.preview")}
          </button>
        </div>
      </Form>
    </Section>
  );
}

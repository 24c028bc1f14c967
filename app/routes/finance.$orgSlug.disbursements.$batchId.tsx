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
import { notFound, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { newIdempotencyKey } from "~/modules/pledging/pledges.server";
import { todayIn } from "~/modules/needs/money";
import { DOCUMENT_ACCEPT, MAX_DOCUMENT_BYTES } from "~/modules/registry/documents";
import { getStorage } from "~/modules/registry/storage.server";
import { ProofError, uploadProof } from "~/modules/payments/proof.server";
import {
  approveDisbursement,
  cancelDisbursement,
  getDisbursement,
  markDisbursementPaid,
  rejectDisbursement,
} from "~/modules/disbursements/disbursements.server";
import { DisbursementError } from "~/modules/disbursements/errors";
import { BatchActionSchema } from "~/modules/disbursements/schemas";
import { ErrorList, Notice } from "~/components/forms";
import { PageTitle, Section, buttonClass, dangerButtonClass, inputClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";
import { StatusBadge } from "~/components/disbursements";

/**
 * /finance/:orgSlug/disbursements/:batchId — one batch: its payee, needs and history; approve or
 * reject (a different finance officer than the requester: the page says why the requester cannot);
 * withdraw; mark paid with the date, the reference and the proof; once paid, its ledger entry.
 */

const NOTICES = ["requested", "approved", "rejected", "cancelled", "paid"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const locale = await getLocale(request);
  const view = await getDisbursement(await getDb(), org.id, params.batchId ?? "");
  if (!view) notFound();
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    title: await staffTitle(request, "disbursements:title", `${view.batch.number} · ${orgName(org, locale)}`),
    org: { slug: org.slug, timeZone: org.timeZone },
    me: member.actor.userId,
    today: todayIn(org.timeZone),
    view,
    paidKey: newIdempotencyKey(),
    notice: NOTICES.find((n) => n === notice) ?? null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

type Reply = { intent: string; errors: Record<string, string[] | undefined>; formErrors: string[]; errorValues?: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const batchId = params.batchId ?? "";
  const reply = (status: number, body: Partial<Reply>) => data<Reply>({ intent: "", errors: {}, formErrors: [], values: {}, ...body }, { status });
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > env().MAX_UPLOAD_BYTES) return reply(413, { intent: "paid", errors: { proof: ["finance:errors.proofTooLarge"] } });
  let form: FormData;
  try {
    form = await readForm(request, { uploadHandler: unstable_createMemoryUploadHandler({ maxPartSize: MAX_DOCUMENT_BYTES }) });
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof MaxPartSizeExceededError) return reply(413, { intent: "paid", errors: { proof: ["finance:errors.proofTooLarge"] } });
    return reply(400, { intent: "paid", errors: { proof: ["finance:errors.proofUnreadable"] } });
  }
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string").map(([k, v]) => [k, String(v).slice(0, 2000)]));
  const intent = (values.intent ?? "").slice(0, 20);
  const parsed = BatchActionSchema.safeParse(values);
  if (!parsed.success) {
    const flat = parsed.error.flatten();
    return reply(400, { intent, errors: flat.fieldErrors, formErrors: flat.formErrors, values });
  }
  const input = parsed.data;
  const db = await getDb();
  const back = (notice: string) => redirect(`/finance/${org.slug}/disbursements/${batchId}?notice=${notice}`);
  const view = await getDisbursement(db, org.id, batchId);
  if (!view) notFound();
  try {
    switch (input.intent) {
      case "approve":
        await approveDisbursement(db, member.actor, batchId, { orgId: org.id });
        return back("approved");
      case "reject":
        await rejectDisbursement(db, member.actor, batchId, { reason: input.reason, orgId: org.id });
        return back("rejected");
      case "cancel":
        await cancelDisbursement(db, member.actor, batchId, { reason: input.reason ?? null, orgId: org.id });
        return back("cancelled");
      case "paid": {
        if (view.batch.status !== "approved" && view.batch.status !== "paid") throw new DisbursementError("invalid_state", { state: view.batch.status });
        let proofDocumentId: string | null = null;
        const file = form.get("proof");
        if (file && typeof file !== "string" && file.size > 0) {
          try {
            const stored = await uploadProof(db, getStorage(), member.actor, { orgId: org.id, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
            proofDocumentId = stored.id;
          } catch (error) {
            if (error instanceof ProofError) return reply(error.status, { intent, errors: { proof: [error.messageKey] }, values });
            throw error;
          }
        }
        await markDisbursementPaid(db, member.actor, batchId, { paidDate: input.paidDate, reference: input.reference, proofDocumentId, idempotencyKey: input.idempotencyKey ?? null, orgId: org.id });
        return back("paid");
      }
    }
  } catch (error) {
    if (error instanceof DisbursementError) {
      const locale = await getLocale(request);
      const available = error.details.availableMinor !== undefined ? formatMoney(error.details.availableMinor, view.batch.currency, locale) : "";
      return reply(error.status, { intent, formErrors: [error.messageKey], errorValues: { available, state: error.details.state ?? "" }, values });
    }
    throw error;
  }
}

const titleOf = (n: { titleAr: string | null; titleEn: string | null; publicId: string }, locale: string) =>
  (locale === "ar" ? (n.titleAr ?? n.titleEn) : (n.titleEn ?? n.titleAr)) ?? n.publicId;

export default function DisbursementPage() {
  const { org, me, today, view, paidKey, notice } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("disbursements");
  const locale = useLocale();
  const { batch, payee, account, items, names, history, entry, proof } = view;
  const money = (minor: number) => formatMoney(minor, batch.currency, locale);
  const base = `/finance/${org.slug}/disbursements`;
  const mine = batch.requestedBy === me;
  const errorsFor = (intent: string) => (reply?.intent === intent ? reply.errors : {});
  const formError = reply?.formErrors?.length ? (
    <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 font-bold text-red-900" data-testid="batch-error">
      {reply.formErrors.map((k) => (
        <p key={k}>{t(k, { available: reply.errorValues?.available ?? "", state: reply.errorValues?.state ? t(`status.${reply.errorValues.state}`, { defaultValue: reply.errorValues.state }) : "" })}</p>
      ))}
    </div>
  ) : null;

  return (
    <div className="space-y-6">
      <PageTitle title={t("batch.title", { number: batch.number })}>
        <Link to={base} className={linkClass}>
          {t("nav.list")}
        </Link>
      </PageTitle>
      {notice && (
        <div data-testid="batch-notice">
          <Notice tone="success">{t(`batch.notices.${notice}`)}</Notice>
        </div>
      )}
      {formError}

      <Section id="summary" title={t("batch.summary")}>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-2" data-testid="batch-summary">
          <div>
            <dt className="font-bold">{t("columns.status")}</dt>
            <dd>
              <StatusBadge status={batch.status} />
            </dd>
          </div>
          <div>
            <dt className="font-bold">{t("batch.payee")}</dt>
            <dd>
              {payee?.name} ({payee ? t(`payeeKind.${payee.kind}`) : ""})
            </dd>
          </div>
          <div>
            <dt className="font-bold">{t("batch.total")}</dt>
            <dd className="tabular-nums">{money(batch.totalMinor)}</dd>
          </div>
          <div>
            <dt className="font-bold">{t("batch.method")}</dt>
            <dd>{t(`method.${batch.method}`)}</dd>
          </div>
          <div>
            <dt className="font-bold">{t("batch.account")}</dt>
            <dd>{account?.name}</dd>
          </div>
          {batch.note && (
            <div>
              <dt className="font-bold">{t("batch.note")}</dt>
              <dd className="whitespace-pre-line">{batch.note}</dd>
            </div>
          )}
        </dl>
        <ul className="mt-4 space-y-1 text-sm">
          <li>{t("batch.requestedBy", { name: names[batch.requestedBy] ?? "", date: formatDateTime(batch.requestedAt, locale, org.timeZone) })}</li>
          {batch.decidedBy && batch.decidedAt && <li>{t("batch.decidedBy", { name: names[batch.decidedBy] ?? "", date: formatDateTime(batch.decidedAt, locale, org.timeZone) })}</li>}
          {batch.rejectionReason && (
            <li>
              {t("batch.rejectionReason")}: {batch.rejectionReason}
            </li>
          )}
          {batch.status === "paid" && batch.paidBy && (
            <li>{t("batch.paidBy", { name: names[batch.paidBy] ?? "", date: batch.paidDate ? formatDate(batch.paidDate, locale) : "", reference: batch.paidReference ?? "" })}</li>
          )}
          {proof && (
            <li>
              {t("batch.proof")}:{" "}
              <a href={`${base}/${batch.id}/proof`} className={linkClass} data-testid="batch-proof">
                {t("batch.downloadProof")} ({proof.fileName})
              </a>
            </li>
          )}
        </ul>
      </Section>

      <Section id="needs" title={t("batch.needs")}>
        <div className="relative min-w-0 max-w-full overflow-x-auto">
          <table className={tableClass} data-testid="batch-needs">
            <thead>
              <tr>
                <th scope="col" className={thClass}>{t("columns.need")}</th>
                <th scope="col" className={thClass}>{t("columns.amount")}</th>
                <th scope="col" className={thClass}>{t("columns.fund")}</th>
                <th scope="col" className={thClass}>{t("columns.claimed")}</th>
                <th scope="col" className={thClass}>{t("columns.state")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <th scope="row" className={`${tdClass} text-start`}>
                    <Link to={`/staff/${org.slug}/needs/${i.needId}`} className={linkClass}>
                      {titleOf(i, locale)}
                    </Link>
                  </th>
                  <td className={`${tdClass} tabular-nums`}>{money(i.amountMinor)}</td>
                  <td className={`${tdClass} tabular-nums`}>{money(i.fundMinor)}</td>
                  <td className={`${tdClass} tabular-nums`}>{money(i.otherClaimsMinor)}</td>
                  <td className={tdClass}>{i.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      {batch.status === "requested" && (
        <Section id="decide" title={t("batch.decide")}>
          {mine ? (
            <p data-testid="self-decide">{t("batch.selfDecide")}</p>
          ) : (
            <div className="flex flex-wrap items-start gap-6">
              <Form method="post">
                <input type="hidden" name="intent" value="approve" />
                <button type="submit" className={buttonClass} data-testid="batch-approve">
                  {t("batch.approve")}
                </button>
              </Form>
              <Form method="post" className="space-y-2">
                <input type="hidden" name="intent" value="reject" />
                <label htmlFor="reject-reason" className="block font-bold">
                  {t("batch.reason")}
                </label>
                <textarea id="reject-reason" name="reason" rows={2} maxLength={2000} required className={inputClass} defaultValue={reply?.intent === "reject" ? reply.values.reason : undefined} />
                <ErrorList errors={errorsFor("reject").reason} />
                <button type="submit" className={dangerButtonClass} data-testid="batch-reject">
                  {t("batch.reject")}
                </button>
              </Form>
            </div>
          )}
        </Section>
      )}

      {batch.status === "approved" && (
        <Section id="paid" title={t("batch.markPaid")} description={t("batch.markPaidIntro")}>
          <Form method="post" encType="multipart/form-data" className="grid gap-4 sm:grid-cols-2" data-testid="paid-form">
            <input type="hidden" name="intent" value="paid" />
            <input type="hidden" name="idempotencyKey" value={paidKey} />
            <div>
              <label htmlFor="paid-date" className="block font-bold">
                {t("batch.paidDate")}
              </label>
              <input id="paid-date" name="paidDate" type="date" max={today} required defaultValue={reply?.intent === "paid" ? reply.values.paidDate : today} className={inputClass} />
              <ErrorList errors={errorsFor("paid").paidDate} />
            </div>
            <div>
              <label htmlFor="paid-reference" className="block font-bold">
                {t("batch.reference")}
              </label>
              <input id="paid-reference" name="reference" required maxLength={200} dir="ltr" defaultValue={reply?.intent === "paid" ? reply.values.reference : undefined} className={inputClass} />
              <ErrorList errors={errorsFor("paid").reference} />
            </div>
            <div className="sm:col-span-2">
              <label htmlFor="paid-proof" className="block font-bold">
                {t("batch.proofFile")}
              </label>
              <input id="paid-proof" type="file" name="proof" accept={DOCUMENT_ACCEPT} className="block" />
              <ErrorList errors={errorsFor("paid").proof} />
            </div>
            <div className="sm:col-span-2">
              <button type="submit" className={buttonClass} data-testid="batch-paid">
                {t("batch.paidSubmit")}
              </button>
            </div>
          </Form>
        </Section>
      )}

      {(batch.status === "requested" || batch.status === "approved") && (
        <Section id="cancel" title={t("batch.cancel")}>
          <Form method="post" className="space-y-2">
            <input type="hidden" name="intent" value="cancel" />
            <label htmlFor="cancel-reason" className="block font-bold">
              {t("batch.cancelReason")}
            </label>
            <textarea id="cancel-reason" name="reason" rows={2} maxLength={2000} className={inputClass} />
            <button type="submit" className={secondaryButtonClass} data-testid="batch-cancel">
              {t("batch.cancel")}
            </button>
          </Form>
        </Section>
      )}

      {entry && (
        <Section id="entry" title={t("batch.entry")} description={t("batch.entryIntro", { date: formatDate(entry.valueDate, locale), memo: entry.memo })}>
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="batch-entry">
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("columns.account")}</th>
                  <th scope="col" className={thClass}>{t("columns.debit")}</th>
                  <th scope="col" className={thClass}>{t("columns.credit")}</th>
                </tr>
              </thead>
              <tbody>
                {entry.postings.map((p, i) => {
                  const need = p.account.needId ? items.find((it) => it.needId === p.account.needId) : null;
                  return (
                    <tr key={i} data-testid="entry-posting" data-kind={p.account.kind}>
                      <th scope="row" className={`${tdClass} text-start`}>
                        {need ? `${p.account.kind}: ${titleOf(need, locale)}` : p.account.kind === account?.kind ? `${p.account.kind}: ${account?.name}` : p.account.kind}
                      </th>
                      <td className={`${tdClass} tabular-nums`}>{p.amountMinor > 0 ? money(p.amountMinor) : ""}</td>
                      <td className={`${tdClass} tabular-nums`}>{p.amountMinor < 0 ? money(-p.amountMinor) : ""}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Section>
      )}

      <Section id="history" title={t("batch.history")}>
        <div className="relative min-w-0 max-w-full overflow-x-auto">
          <table className={tableClass} data-testid="batch-history">
            <thead>
              <tr>
                <th scope="col" className={thClass}>{t("columns.when")}</th>
                <th scope="col" className={thClass}>{t("columns.who")}</th>
                <th scope="col" className={thClass}>{t("columns.what")}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td className={tdClass}>{formatDateTime(h.at, locale, org.timeZone)}</td>
                  <td className={tdClass}>{h.actorName ?? "—"}</td>
                  <td className={tdClass}>
                    {t(`actions.${h.action}`, { defaultValue: h.action })}
                    {typeof h.change?.reason === "string" && <span className="block text-xs">{h.change.reason}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </div>
  );
}

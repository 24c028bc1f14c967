import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { noticeFrom, staffTitle } from "~/modules/organizations/route-helpers.server";
import { decideDetailChange, getPayee, requestDetailChange, updatePayee, withdrawDetailChange } from "~/modules/payees/payees.server";
import { PayeeError } from "~/modules/payees/errors";
import {
  BankDetailsSchema,
  DecideChangeSchema,
  PAYEE_COLLECTIONS,
  PAYEE_ROLES,
  PAYEE_STATUSES,
  UpdatePayeeSchema,
  WithdrawChangeSchema,
  maskAccountNumber,
} from "~/modules/payees/schemas";
import { FormMessage, Notice } from "~/components/forms";
import { PlainField, PlainSelect } from "~/components/registry";
import { BankDetailsList, PayeeTextArea } from "~/components/payees";
import { PageTitle, Section, buttonClass, dangerButtonClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";

/**
 * /finance/:orgSlug/payees/:payeeId — one payee: its name and contact (editable), the bank details
 * in force, the change waiting for a second finance person (approve or reject by another person;
 * the requester may withdraw it), a form to request new details, the history of changes, the
 * needs paid to it and its disbursements. Another organisation's payee is a 404.
 */

type Errors = Record<string, string[] | undefined>;
const INTENTS = ["update", "request", "decide", "withdraw"] as const;
type Intent = (typeof INTENTS)[number];

async function payeeOr404(orgId: string, payeeId: string | undefined) {
  try {
    return await getPayee(await getDb(), orgId, payeeId ?? "");
  } catch (error) {
    if (error instanceof PayeeError && error.status === 404) throw new Response("Not Found", { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, PAYEE_ROLES);
  const { org } = member;
  const found = await payeeOr404(org.id, params.payeeId);
  const locale = await getLocale(request);
  const { payee } = found;
  return {
    title: await staffTitle(request, "payees:title", `${payee.name} — ${orgName(org, locale)}`),
    slug: org.slug,
    timeZone: org.timeZone,
    me: member.user.id,
    notice: noticeFrom(new URL(request.url), ["created", "saved", "requested", "approved", "rejected", "withdrawn"] as const),
    payee: {
      id: payee.id,
      kind: payee.kind,
      name: payee.name,
      status: payee.status,
      contactName: payee.contactName,
      phone: payee.phone,
      email: payee.email,
      address: payee.address,
      notes: payee.notes,
      detailsApprovedAt: payee.detailsApprovedAt,
      details: payee.collection
        ? { collection: payee.collection, bankName: payee.bankName, accountHolder: payee.accountHolder, accountNumber: payee.accountNumber, cashCollectionNote: payee.cashCollectionNote }
        : null,
    },
    household: found.household,
    pending: found.pending,
    // The history shows account numbers masked; only the pending change (to be checked) shows it whole.
    changes: found.changes.map((c) => ({
      id: c.id,
      status: c.status,
      collection: c.proposed.collection,
      account: maskAccountNumber(c.proposed.accountNumber),
      reason: c.reason,
      decisionReason: c.decisionReason,
      requestedByName: c.requestedByName,
      requestedAt: c.requestedAt,
      decidedByName: c.decidedByName,
      decidedAt: c.decidedAt,
    })),
    needs: found.needs,
    batches: found.batches,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export interface PayeeReply {
  intent: Intent | "";
  errors: Errors;
  formErrors: string[];
  values: Record<string, string>;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, PAYEE_ROLES);
  const { org } = member;
  const found = await payeeOr404(org.id, params.payeeId);
  const form = await readForm(request);
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.slice(0, 2000)]));
  const intent = (INTENTS as readonly string[]).includes(fields.intent) ? (fields.intent as Intent) : "";
  const reply = (status: number, body: Partial<PayeeReply>) => data<PayeeReply>({ intent, errors: {}, formErrors: [], values, ...body }, { status });
  const refused = (error: unknown) => {
    if (error instanceof PayeeError) {
      return reply(error.status, error.field ? { errors: { [error.field]: [error.messageKey] } } : { formErrors: [error.messageKey] });
    }
    throw error;
  };
  const parse = <T,>(schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { flatten: () => { fieldErrors: unknown; formErrors: string[] } } } }) => {
    const parsed = schema.safeParse(fields);
    if (parsed.success) return { ok: true as const, value: parsed.data };
    const flat = parsed.error.flatten();
    return { ok: false as const, response: reply(400, { errors: flat.fieldErrors as Errors, formErrors: flat.formErrors }) };
  };
  const db = await getDb();
  const back = (notice: string) => redirect(`/finance/${org.slug}/payees/${found.payee.id}?notice=${notice}`);
  try {
    switch (intent) {
      case "update": {
        const p = parse(UpdatePayeeSchema);
        if (!p.ok) return p.response;
        await updatePayee(db, member.actor, found.payee.id, { orgId: org.id, ...p.value });
        return back("saved");
      }
      case "request": {
        const p = parse(BankDetailsSchema);
        if (!p.ok) return p.response;
        await requestDetailChange(db, member.actor, found.payee.id, { orgId: org.id, proposed: p.value.proposed, reason: p.value.reason });
        return back("requested");
      }
      case "decide": {
        const p = parse(DecideChangeSchema);
        if (!p.ok) return p.response;
        // The change must be this payee's (else: not found, as for another organisation's).
        if (!found.changes.some((c) => c.id === p.value.changeId)) return reply(404, { formErrors: ["payees:errors.change_not_found"] });
        await decideDetailChange(db, member.actor, p.value.changeId, { orgId: org.id, decision: p.value.decision, reason: p.value.reason });
        return back(p.value.decision === "approve" ? "approved" : "rejected");
      }
      case "withdraw": {
        const p = parse(WithdrawChangeSchema);
        if (!p.ok) return p.response;
        if (!found.changes.some((c) => c.id === p.value.changeId)) return reply(404, { formErrors: ["payees:errors.change_not_found"] });
        await withdrawDetailChange(db, member.actor, p.value.changeId, { orgId: org.id });
        return back("withdrawn");
      }
      default:
        return reply(400, { formErrors: ["payees:errors.invalid_input"] });
    }
  } catch (error) {
    return refused(error);
  }
}

export default function PayeePage() {
  const { slug, timeZone, me, notice, payee, household, pending, changes, needs, batches } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as PayeeReply | undefined;
  const { t } = useTranslation("payees");
  const { t: tn } = useTranslation("needs");
  const locale = useLocale();
  const errorsFor = (intent: Intent) => (reply?.intent === intent ? reply.errors : {});
  const formErrorsFor = (intent: Intent) => (reply?.intent === intent ? reply.formErrors : undefined);
  const valueFor = (intent: Intent, name: string, fallback: string | null | undefined) =>
    reply?.intent === intent && reply.values[name] !== undefined ? reply.values[name] : (fallback ?? "");
  const up = errorsFor("update");
  const rq = errorsFor("request");
  const dc = errorsFor("decide");
  const mine = pending ? pending.requestedBy === me : false;
  return (
    <div className="space-y-6">
      <PageTitle title={payee.name} intro={`${t(`kinds.${payee.kind}`)} · ${t(`statuses.${payee.status}`)}`}>
        <div className="flex flex-col gap-1 text-sm">
          <Link to={`/finance/${slug}/payees`} className={linkClass}>
            {t("page.back")}
          </Link>
          {household && (
            <Link to={`/staff/${slug}/households/${household.id}`} className={linkClass}>
              {t("page.household", { reference: household.reference })}
            </Link>
          )}
        </div>
      </PageTitle>
      {notice && (
        <Notice tone="success">
          <span data-testid="payee-notice">{t(`notices.${notice}`)}</span>
        </Notice>
      )}
      {reply && !reply.intent && <FormMessage errors={reply.formErrors} />}

      <Section id="payee-details" title={t("page.detailsTitle")}>
        {payee.details && payee.detailsApprovedAt ? (
          <div className="space-y-2" data-testid="details-in-force">
            <BankDetailsList details={payee.details} />
            <p className="text-sm text-stone-700">{t("page.approvedAt", { date: formatDateTime(payee.detailsApprovedAt, locale, timeZone) })}</p>
          </div>
        ) : (
          <p data-testid="no-details">{t("page.noDetails")}</p>
        )}
      </Section>

      {pending ? (
        <Section id="payee-pending" title={t("page.pendingTitle")}>
          <div className="space-y-3" data-testid="pending-change">
            <p className="text-sm">{t("page.requestedBy", { name: pending.requestedByName, date: formatDateTime(pending.requestedAt, locale, timeZone) })}</p>
            {pending.reason && <p className="text-sm">{pending.reason}</p>}
            <div className="grid gap-4 md:grid-cols-2">
              <div>
                <h3 className="mb-1 font-bold">{t("page.proposed")}</h3>
                <BankDetailsList details={pending.proposed} />
              </div>
              {pending.previous && (
                <div>
                  <h3 className="mb-1 font-bold">{t("page.previous")}</h3>
                  <BankDetailsList details={pending.previous} />
                </div>
              )}
            </div>
            <FormMessage errors={formErrorsFor("decide") ?? formErrorsFor("withdraw")} />
            {mine ? (
              <Form method="post" className="space-y-2">
                <Notice tone="warning">{t("page.yourRequest")}</Notice>
                <input type="hidden" name="changeId" value={pending.id} />
                <button type="submit" name="intent" value="withdraw" className={secondaryButtonClass}>
                  {t("page.withdraw")}
                </button>
              </Form>
            ) : (
              <Form method="post" className="space-y-3" data-testid="decide-form">
                <p className="text-sm">{t("page.checkAgainst")}</p>
                <input type="hidden" name="intent" value="decide" />
                <input type="hidden" name="changeId" value={pending.id} />
                <PayeeTextArea id="decide-reason" name="reason" label={t("fields.decisionReason")} errors={dc.reason} defaultValue={valueFor("decide", "reason", "")} rows={2} />
                <div className="flex flex-wrap gap-3">
                  <button type="submit" name="decision" value="approve" className={buttonClass} data-testid="approve-change">
                    {t("page.approve")}
                  </button>
                  <button type="submit" name="decision" value="reject" className={dangerButtonClass}>
                    {t("page.reject")}
                  </button>
                </div>
              </Form>
            )}
          </div>
        </Section>
      ) : (
        payee.status === "active" && (
          <Section id="payee-request" title={t("page.requestTitle")} description={t("page.requestIntro")}>
            <Form method="post" className="space-y-4" data-testid="request-form">
              <FormMessage errors={formErrorsFor("request")} />
              <input type="hidden" name="intent" value="request" />
              <div className="grid gap-4 sm:grid-cols-2">
                <PlainSelect
                  id="req-collection"
                  name="collection"
                  label={t("fields.collection")}
                  errors={rq.collection}
                  defaultValue={valueFor("request", "collection", payee.details?.collection ?? "bank_transfer")}
                  options={PAYEE_COLLECTIONS.map((c) => ({ value: c, label: t(`collections.${c}`) }))}
                />
                <PlainField id="req-bank" name="bankName" label={t("fields.bankName")} errors={rq.bankName} defaultValue={valueFor("request", "bankName", payee.details?.bankName)} />
                <PlainField id="req-holder" name="accountHolder" label={t("fields.accountHolder")} errors={rq.accountHolder} defaultValue={valueFor("request", "accountHolder", payee.details?.accountHolder)} />
                <PlainField id="req-account" name="accountNumber" dir="ltr" label={t("fields.accountNumber")} errors={rq.accountNumber} defaultValue={valueFor("request", "accountNumber", payee.details?.accountNumber)} />
                <div className="sm:col-span-2">
                  <PayeeTextArea id="req-cash" name="cashCollectionNote" label={t("fields.cashCollectionNote")} errors={rq.cashCollectionNote} defaultValue={valueFor("request", "cashCollectionNote", payee.details?.cashCollectionNote)} rows={2} />
                </div>
                <div className="sm:col-span-2">
                  <PayeeTextArea id="req-reason" name="reason" label={t("fields.reason")} errors={rq.reason} defaultValue={valueFor("request", "reason", "")} rows={2} />
                </div>
              </div>
              <button type="submit" className={buttonClass}>
                {t("page.request")}
              </button>
            </Form>
          </Section>
        )
      )}

      <Section id="payee-contact" title={t("page.contactTitle")}>
        <Form method="post" className="space-y-4" data-testid="update-form">
          <FormMessage errors={formErrorsFor("update")} />
          <input type="hidden" name="intent" value="update" />
          <div className="grid gap-4 sm:grid-cols-2">
            <PlainField id="up-name" name="name" label={t("fields.name")} errors={up.name} defaultValue={valueFor("update", "name", payee.name)} required />
            <PlainSelect
              id="up-status"
              name="status"
              label={t("fields.status")}
              errors={up.status}
              defaultValue={valueFor("update", "status", payee.status)}
              options={PAYEE_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
            />
            <PlainField id="up-contact" name="contactName" label={t("fields.contactName")} errors={up.contactName} defaultValue={valueFor("update", "contactName", payee.contactName)} />
            <PlainField id="up-phone" name="phone" type="tel" dir="ltr" label={t("fields.phone")} errors={up.phone} defaultValue={valueFor("update", "phone", payee.phone)} />
            <PlainField id="up-email" name="email" dir="ltr" label={t("fields.email")} errors={up.email} defaultValue={valueFor("update", "email", payee.email)} />
            <PlainField id="up-address" name="address" label={t("fields.address")} errors={up.address} defaultValue={valueFor("update", "address", payee.address)} />
            <div className="sm:col-span-2">
              <PayeeTextArea id="up-notes" name="notes" label={t("fields.notes")} errors={up.notes} defaultValue={valueFor("update", "notes", payee.notes)} />
            </div>
          </div>
          <button type="submit" className={buttonClass}>
            {t("page.save")}
          </button>
        </Form>
      </Section>

      <Section id="payee-history" title={t("page.historyTitle")}>
        {changes.length === 0 ? (
          <p>{t("page.historyEmpty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="change-history">
              <caption className="sr-only">{t("page.historyTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("page.columns.requested")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.by")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.account")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.status")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.decided")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr key={c.id}>
                    <td className={`${tdClass} whitespace-nowrap`}>{formatDate(c.requestedAt, locale, timeZone)}</td>
                    <td className={tdClass}>{c.requestedByName}</td>
                    <td className={`${tdClass} whitespace-nowrap`}>
                      {c.collection === "cash" ? t("list.cash") : <span dir="ltr">{c.account ?? t("page.none")}</span>}
                    </td>
                    <td className={tdClass}>{t(`changeStatuses.${c.status}`)}</td>
                    <td className={tdClass}>
                      {c.decidedAt ? (
                        <>
                          <span className="block whitespace-nowrap">{formatDate(c.decidedAt, locale, timeZone)}</span>
                          <span className="block text-xs">{c.decidedByName}</span>
                        </>
                      ) : (
                        t("page.none")
                      )}
                    </td>
                    <td className={tdClass}>{[c.reason, c.decisionReason].filter(Boolean).join(" · ") || t("page.none")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="payee-needs" title={t("page.needsTitle")}>
        {needs.length === 0 ? (
          <p>{t("page.needsEmpty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="payee-needs">
              <caption className="sr-only">{t("page.needsTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("page.columns.need")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.state")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.target")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.paid")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.disbursed")}</th>
                </tr>
              </thead>
              <tbody>
                {needs.map((n) => (
                  <tr key={n.id}>
                    <td className={tdClass}>
                      <Link to={`/staff/${slug}/needs/${n.id}`} className={linkClass}>
                        {(locale === "ar" ? (n.titleAr ?? n.titleEn) : (n.titleEn ?? n.titleAr)) ?? n.publicId}
                      </Link>
                    </td>
                    <td className={tdClass}>{tn(`states.${n.state}`)}</td>
                    <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{formatMoney(n.targetMinor, n.currency, locale)}</td>
                    <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{formatMoney(n.paidMinor, n.currency, locale)}</td>
                    <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{formatMoney(n.disbursedMinor, n.currency, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="payee-batches" title={t("page.batchesTitle")}>
        {batches.length === 0 ? (
          <p>{t("page.batchesEmpty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="payee-batches">
              <caption className="sr-only">{t("page.batchesTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("page.columns.number")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.status")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.total")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.requested")}</th>
                </tr>
              </thead>
              <tbody>
                {batches.map((b) => (
                  <tr key={b.id}>
                    <td className={tdClass}>
                      <Link to={`/finance/${slug}/disbursements/${b.id}`} className={linkClass}>
                        <span dir="ltr">{b.number}</span>
                      </Link>
                    </td>
                    <td className={tdClass}>{t(`batchStatuses.${b.status}`)}</td>
                    <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{formatMoney(b.totalMinor, b.currency, locale)}</td>
                    <td className={`${tdClass} whitespace-nowrap`}>{formatDate(b.requestedAt, locale, timeZone)}</td>
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

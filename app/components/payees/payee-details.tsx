import { Form } from "@remix-run/react";
import { PAYEE_COLLECTIONS, PAYEE_STATUSES } from "~/modules/payees/schemas";
import { FormMessage, Notice } from "~/components/forms";
import { PlainField, PlainSelect } from "~/components/registry";
import { BankDetailsList, PayeeTextArea } from "~/components/payees";
import { Section, buttonClass, dangerButtonClass, secondaryButtonClass } from "~/components/staff";
import { formatDateTime } from "~/utils/format";
import { usePayeePage } from "./payee-page-context";

/** Sections of the payee page; `t` comes from the page's hook. @i18n-namespace payees */

export function PayeeDetailsSection() {
  const { timeZone, payee, t, locale } = usePayeePage();
  return (
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
  );
}

export function PayeeChangeSection() {
  const { timeZone, payee, pending, t, locale, formErrorsFor, valueFor, rq, dc, mine } = usePayeePage();
  return (
    <>
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
    </>
  );
}

export function PayeeContactSection() {
  const { payee, t, formErrorsFor, valueFor, up } = usePayeePage();
  return (
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
  );
}

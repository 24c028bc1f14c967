import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { action, loader } from "~/routes/finance.$orgSlug.payments._index";
import { minorToInput } from "~/modules/needs/money";
import { DOCUMENT_ACCEPT } from "~/modules/registry/documents";
import { OFFLINE_METHODS } from "~/modules/payments/schemas";
import { ErrorList, FormMessage, Notice } from "~/components/forms";
import { PlainField, PlainSelect } from "~/components/registry";
import { PledgeStatusBadge } from "~/components/pledges-staff";
import { Section, buttonClass, inputClass, useLocale } from "~/components/staff";
import { formatMoney } from "~/utils/format";

/** The record form (step one) and, after a preview, what will happen with the confirm button (step two). */
export function RecordSection() {
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

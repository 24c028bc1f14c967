import { Form } from "@remix-run/react";
import { minorToInput } from "~/modules/needs/money";
import { ErrorList } from "~/components/forms";
import { PlainField, PlainSelect } from "~/components/registry";
import { Section, buttonClass, dangerButtonClass, inputClass } from "~/components/staff";
import { usePaymentPage } from "./payment-page-context";

/** Sections of the payment page; `t` comes from the page's hook. @i18n-namespace finance */

export function PaymentConfirmSection() {
  const { can, t, errorsFor } = usePaymentPage();
  if (!(can.confirm)) return null;
  return (
        <Section id="confirm" title={t("payment.confirm.title")} description={t("payment.confirm.intro")}>
          {can.ownEntry ? (
            <p className="font-bold" data-testid="own-entry">
              {t("payment.confirm.own")}
            </p>
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <button type="submit" className={buttonClass} data-testid="confirm-cash">
                  {t("payment.confirm.submit")}
                </button>
              </Form>
              <Form method="post" className="space-y-2">
                <input type="hidden" name="intent" value="reject" />
                <PlainField id="reject-reason" name="reason" label={t("payment.confirm.reason")} errors={errorsFor("reject").reason} required />
                <button type="submit" className={dangerButtonClass}>
                  {t("payment.confirm.reject")}
                </button>
              </Form>
            </div>
          )}
        </Section>
  );
}

export function PaymentAttachSection() {
  const { can, keys, t, errorsFor } = usePaymentPage();
  if (!(can.attach)) return null;
  return (
        <Section id="attach" title={t("payment.attach.title")} description={t("payment.attach.intro")}>
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="attach" />
            <input type="hidden" name="idempotencyKey" value={keys.attach} />
            <div className="min-w-[14rem]">
              <PlainField id="attach-reference" name="pledgeReference" label={t("payment.attach.reference")} errors={errorsFor("attach").pledgeReference} dir="ltr" required />
            </div>
            <button type="submit" className={buttonClass}>
              {t("payment.attach.submit")}
            </button>
          </Form>
        </Section>
  );
}

export function PaymentReallocateSection() {
  const { p, can, targets, keys, t, locale, money, errorsFor, remaining } = usePaymentPage();
  if (!(can.reallocate)) return null;
  return (
        <Section id="reallocate" title={t("payment.reallocate.title")} description={t("payment.reallocate.intro")}>
          <Form method="post" className="grid gap-4 sm:grid-cols-2">
            <input type="hidden" name="intent" value="reallocate" />
            <input type="hidden" name="idempotencyKey" value={keys.reallocate} />
            <PlainSelect
              id="reallocate-to"
              name="to"
              label={t("payment.reallocate.to")}
              errors={errorsFor("reallocate").to}
              defaultValue={p.pledge && targets.some((n) => n.id === p.pledge?.needId) ? p.pledge.needId : "unrestricted"}
              options={[
                { value: "unrestricted", label: t("payment.reallocate.unrestricted") },
                ...targets.map((n) => ({
                  value: n.id,
                  label: `${(locale === "ar" ? n.titleAr || n.titleEn : n.titleEn || n.titleAr) || n.publicId} (${n.publicId}) — ${t("payment.reallocate.room", { amount: money(n.roomMinor) })}${p.pledge?.needId === n.id ? ` — ${t("payment.reallocate.same")}` : ""}`,
                })),
              ]}
            />
            <PlainField id="reallocate-amount" name="amount" label={t("payment.reallocate.amount")} hint={t("payment.reallocate.amountHint", { amount: money(remaining) })} errors={errorsFor("reallocate").amount} dir="ltr" />
            <p className="text-sm sm:col-span-2">{t("payment.reallocate.donorTold")}</p>
            <div>
              <button type="submit" className={buttonClass}>
                {t("payment.reallocate.submit")}
              </button>
            </div>
          </Form>
        </Section>
  );
}

export function PaymentRefundSection() {
  const { p, can, keys, t, money, errorsFor, remaining } = usePaymentPage();
  if (!(can.refund)) return null;
  return (
        <Section id="refund" title={t("payment.refund.title")} description={p.method === "card" ? t("payment.refund.introCard") : t("payment.refund.introOffline")}>
          <Form method="post" className="grid gap-4 sm:grid-cols-2">
            <input type="hidden" name="intent" value="refund" />
            <input type="hidden" name="idempotencyKey" value={keys.refund} />
            <PlainField
              id="refund-amount"
              name="amount"
              label={t("payment.refund.amount", { currency: p.currency })}
              hint={t("payment.refund.amountHint", { amount: money(remaining) })}
              defaultValue={minorToInput(remaining, p.currency)}
              errors={errorsFor("refund").amount}
              dir="ltr"
              required
            />
            {p.method !== "card" && (
              <PlainField id="refund-reference" name="offlineReference" label={t("payment.refund.reference")} errors={errorsFor("refund").offlineReference} dir="ltr" required />
            )}
            <div className="space-y-1 sm:col-span-2">
              <label htmlFor="refund-reason" className="block font-bold">
                {t("payment.refund.reason")}
              </label>
              <textarea id="refund-reason" name="reason" rows={2} maxLength={500} className={inputClass} />
              <ErrorList errors={errorsFor("refund").reason} />
            </div>
            <div>
              <button type="submit" className={dangerButtonClass}>
                {t("payment.refund.submit")}
              </button>
            </div>
          </Form>
        </Section>
  );
}

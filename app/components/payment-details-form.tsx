import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { errorsAt, stringAt, type ReplyResult } from "./form-reply";
import { ErrorList, FormMessage } from "./forms";

type Details = Record<
  | "bankName"
  | "accountName"
  | "accountNumber"
  | "swift"
  | "currency"
  | "officeInstructionsAr"
  | "officeInstructionsEn"
  | "transferShopInstructionsAr"
  | "transferShopInstructionsEn"
  | "pledgeExpiryDays",
  string
> & { offeredMethods: string[] };

const OFFLINE = ["bank_transfer", "cash", "money_transfer"] as const;

const inputClass = "block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700";

/** The organisation's bank details and offline payment instructions, as donors will see them (settings page). */
export function PaymentDetailsForm({ details, result }: { details: Details; result?: ReplyResult }) {
  const { t } = useTranslation("pledging");
  const raw = result?.initialValue?.offeredMethods;
  const posted: string[] = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === "string") : typeof raw === "string" ? [raw] : [];
  const input = (name: Exclude<keyof Details, "offeredMethods">, dir: "ltr" | "rtl" | "auto", extra: Record<string, unknown> = {}) => {
    const errors = errorsAt(result, name);
    return (
      <div className="space-y-1">
        <label htmlFor={`pay-${name}`} className="block font-bold">
          {t(`settings.${name}`)}
        </label>
        <input
          id={`pay-${name}`}
          name={name}
          dir={dir}
          defaultValue={stringAt(result, name) ?? details[name]}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={errors?.length ? `pay-${name}-error` : undefined}
          className={inputClass}
          {...extra}
        />
        <ErrorList id={`pay-${name}-error`} errors={errors} />
      </div>
    );
  };
  const area = (name: Exclude<keyof Details, "offeredMethods">, dir: "ltr" | "rtl") => {
    const errors = errorsAt(result, name);
    return (
      <div className="space-y-1">
        <label htmlFor={`pay-${name}`} className="block font-bold">
          {t(`settings.${name}`)}
        </label>
        <textarea
          id={`pay-${name}`}
          name={name}
          dir={dir}
          rows={3}
          maxLength={1000}
          defaultValue={stringAt(result, name) ?? details[name]}
          aria-invalid={errors?.length ? true : undefined}
          className={inputClass}
        />
        <ErrorList id={`pay-${name}-error`} errors={errors} />
      </div>
    );
  };
  return (
    <Form method="post" className="grid gap-4 sm:grid-cols-2">
      <input type="hidden" name="intent" value="paymentDetails" />
      <div className="sm:col-span-2">
        <FormMessage errors={result?.error?.[""]} />
      </div>
      {input("bankName", "auto", { maxLength: 120 })}
      {input("accountName", "auto", { maxLength: 120 })}
      {input("accountNumber", "ltr", { maxLength: 64 })}
      {input("swift", "ltr", { maxLength: 20 })}
      {input("currency", "ltr", { maxLength: 3 })}
      {input("pledgeExpiryDays", "ltr", { type: "number", min: 1, max: 60, step: 1, required: true })}
      {area("officeInstructionsAr", "rtl")}
      {area("officeInstructionsEn", "ltr")}
      {area("transferShopInstructionsAr", "rtl")}
      {area("transferShopInstructionsEn", "ltr")}
      <fieldset className="space-y-2 sm:col-span-2" aria-describedby="pay-offeredMethods-hint">
        <legend className="font-bold">{t("settings.offeredMethods")}</legend>
        <p id="pay-offeredMethods-hint" className="text-sm text-stone-700">
          {t("settings.offeredMethodsHint")}
        </p>
        {OFFLINE.map((m) => (
          <label key={m} className="flex items-start gap-2">
            <input
              type="checkbox"
              name="offeredMethods"
              value={m}
              defaultChecked={result?.initialValue ? posted.includes(m) : details.offeredMethods.includes(m)}
              className="mt-1 h-4 w-4"
            />
            <span>
              <span className="block">{t(`form.methods.${m}`)}</span>
              <span className="block text-sm text-stone-700">{t(`settings.methodNeeds.${m}`)}</span>
            </span>
          </label>
        ))}
        <p className="text-sm text-stone-700">{t("settings.cardLater")}</p>
        <ErrorList id="pay-offeredMethods-error" errors={errorsAt(result, "offeredMethods")} />
      </fieldset>
      <div className="sm:col-span-2">
        <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-bold text-white hover:bg-brand-800">
          {t("settings.save")}
        </button>
      </div>
    </Form>
  );
}

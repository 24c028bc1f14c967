import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormMessage, SubmitButton } from "~/components/forms";
import { errorsAt, stringAt, type ReplyResult } from "~/components/form-reply";
import { inputClass } from "~/components/staff";
import { LEGAL_NAME_MAX, REGISTRATION_NUMBER_MAX } from "~/modules/payments/org-settings";
import type { CardBlock } from "~/modules/payments/org-settings.server";

export type MoneyView = {
  legalName: string;
  registrationNumber: string;
  cardEnabled: boolean;
  cashFourEyes: string;
  currency: string;
  cardBlock: CardBlock;
};

/** The Money section's form: plain HTML (works without JavaScript), refilled from the reply after a refusal. */
export function MoneySettingsForm({ money, result }: { money: MoneyView; result: ReplyResult | undefined }) {
  const { t } = useTranslation("staff");
  const text = (name: "legalName" | "registrationNumber" | "cashFourEyes", label: string, hint: string, extra: Record<string, unknown>) => {
    const id = `money-${name}`;
    const errors = errorsAt(result, name);
    return (
      <div className="space-y-1">
        <label htmlFor={id} className="block font-bold">
          {label}
        </label>
        <p id={`${id}-hint`} className="text-sm text-stone-700">
          {hint}
        </p>
        <input
          id={id}
          name={name}
          defaultValue={stringAt(result, name) ?? money[name]}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={[`${id}-hint`, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ")}
          className={inputClass}
          {...extra}
        />
        <ErrorList id={`${id}-error`} errors={errors} />
      </div>
    );
  };
  const blocked = money.cardBlock !== null;
  const cardErrors = errorsAt(result, "cardEnabled");
  const postedCard = result?.initialValue ? result.initialValue.cardEnabled === "on" : undefined;
  return (
    <Form method="post" noValidate className="grid gap-4 sm:grid-cols-2">
      <input type="hidden" name="intent" value="moneySettings" />
      <div className="sm:col-span-2">
        <FormMessage errors={result?.error?.[""] ?? undefined} />
      </div>
      {text("legalName", t("moneySettings.legalName"), t("moneySettings.legalNameHint"), { dir: "auto", maxLength: LEGAL_NAME_MAX })}
      {text("registrationNumber", t("moneySettings.registrationNumber"), t("moneySettings.registrationNumberHint"), {
        dir: "auto",
        maxLength: REGISTRATION_NUMBER_MAX,
      })}
      <div className="sm:col-span-2">
        <label className="inline-flex items-start gap-2">
          <input
            type="checkbox"
            name="cardEnabled"
            id="money-cardEnabled"
            defaultChecked={postedCard ?? money.cardEnabled}
            disabled={blocked}
            aria-describedby="money-cardEnabled-hint"
            aria-invalid={cardErrors?.length ? true : undefined}
            className="mt-1 h-4 w-4"
          />
          <span>
            <span className="block font-bold">{t("moneySettings.cardEnabled")}</span>
            <span id="money-cardEnabled-hint" className="block text-sm text-stone-700">
              {money.cardBlock === "platform_unavailable"
                ? t("moneySettings.cardPlatformUnavailable")
                : money.cardBlock === "currency_unsupported"
                  ? t("moneySettings.cardCurrencyUnsupported", { currency: money.currency })
                  : t("moneySettings.cardEnabledHint")}
            </span>
          </span>
        </label>
        <ErrorList id="money-cardEnabled-error" errors={cardErrors} />
      </div>
      {text("cashFourEyes", t("moneySettings.cashFourEyes", { currency: money.currency }), t("moneySettings.cashFourEyesHint"), {
        dir: "ltr",
        inputMode: "decimal",
        autoComplete: "off",
        maxLength: 40,
      })}
      <div className="sm:col-span-2">
        <SubmitButton>{t("moneySettings.save")}</SubmitButton>
      </div>
    </Form>
  );
}


import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * The test-card form of the Stripe stand-ins (/dev/checkout, /dev/subscribe): Stripe's test card
 * number (4242… pays, 4000…0002 is declined), the pay button with its label, and "cancel".
 * Works without JavaScript.
 */
export function StandInCardForm({ payLabel }: { payLabel: string }) {
  const { t } = useTranslation("card");
  return (
    <Form method="post" reloadDocument className="space-y-3">
      <p className="text-sm text-stone-700">{t("standin.testCards")}</p>
      <label className="block">
        <span className="block font-bold">{t("standin.cardNumber")}</span>
        <input
          name="cardNumber"
          inputMode="numeric"
          autoComplete="off"
          dir="ltr"
          required
          maxLength={23}
          defaultValue="4242 4242 4242 4242"
          className="w-full rounded border border-stone-400 px-3 py-2 font-mono"
        />
      </label>
      <div className="flex flex-wrap gap-3">
        <button type="submit" name="intent" value="pay" className="rounded bg-brand-700 px-5 py-3 font-bold text-white hover:bg-brand-800" data-testid="standin-pay">
          {payLabel}
        </button>
        <button type="submit" name="intent" value="cancel" formNoValidate className="rounded border border-stone-400 px-4 py-3">
          {t("standin.cancel")}
        </button>
      </div>
    </Form>
  );
}

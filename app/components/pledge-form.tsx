import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import { effectiveMinimum, remainingOf, suggestedAmounts } from "~/modules/pledging/amounts";
import type { PledgeReply } from "~/modules/pledging/reply";
import { minorToInput } from "~/modules/needs/money";
import { formatMoney } from "~/utils/format";
import type { Locale } from "~/utils/i18n";
import { errorsAt, stringAt } from "./form-reply";
import { ErrorList } from "./forms";

export interface PledgeFormProps {
  /** The need's public projection, with `progress` as the public need page loads it. */
  need: Pick<PublicNeed, "publicId" | "currency" | "category" | "targetMinor" | "items" | "progress">;
  /** A fresh random token from the loader: `newIdempotencyKey()` of ~/modules/pledging/pledges.server. */
  idempotencyKey: string;
  locale: Locale;
  /** The signed-in donor's email (no email input then), or null/undefined for a guest. */
  donorEmail?: string | null;
  /** The pledge action's answer when the form came back (useActionData of the pledge route). */
  reply?: PledgeReply | null;
  /** What is left to pledge; by default target − raised − reserved from `need.progress`. */
  remainingMinor?: number;
  /** Per item line (same order as need.items), how many are still unpledged; default: the line's quantity. */
  itemsLeft?: number[];
  /**
   * The payment methods the organisation offers for this need (getPledgeableNeed's `methods`:
   * its ticked offline methods with their details, card only when the platform takes cards).
   * Delivery is added for in-kind needs.
   */
  methods: readonly string[];
}

const inputClass = "block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700";

/**
 * The pledge form for the need page's `#pledge` slot. Plain HTML that works without JavaScript:
 * it posts to /needs/:publicId/pledge, which redirects to /pledges/<reference> or renders the form
 * again with its messages.
 */
export function PledgeForm({ need, idempotencyKey, locale, donorEmail, reply, remainingMinor, itemsLeft, methods: offered }: PledgeFormProps) {
  const { t } = useTranslation("pledging");
  const currency = need.currency;
  const remaining =
    remainingMinor ??
    remainingOf({ targetMinor: need.targetMinor, paidMinor: need.progress?.raisedMinor ?? 0, reservedMinor: need.progress?.reservedMinor ?? 0 });
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const open = !need.progress || need.progress.status === "open";
  const result = reply?.result ?? undefined;

  if (!open || remaining <= 0) {
    return (
      <section aria-labelledby="pledge-heading" className="space-y-2 rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="pledge-heading" className="text-xl font-bold">
          {t("form.title")}
        </h2>
        <p role="status">{t(open ? "form.full" : "form.closed")}</p>
      </section>
    );
  }

  const minimum = effectiveMinimum(currency, remaining);
  const suggestions = suggestedAmounts(remaining, currency);
  const inKind = need.category === "in_kind_item" && need.items.length > 0;
  const methods = (["bank_transfer", "cash", "money_transfer", "card", "delivery"] as const).filter((m) =>
    m === "delivery" ? inKind : offered.includes(m),
  );
  if (methods.length === 0) {
    return (
      <section aria-labelledby="pledge-heading" className="space-y-2 rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="pledge-heading" className="text-xl font-bold">
          {t("form.title")}
        </h2>
        <p role="status" data-testid="pledge-no-methods">
          {t("form.noMethods")}
        </p>
      </section>
    );
  }
  const postedMethod = stringAt(result, "method");
  const postedChoice = stringAt(result, "amountChoice");
  const field = (name: string) => ({
    id: `pledge-${name}`,
    name,
    "aria-invalid": errorsAt(result, name)?.length ? true : undefined,
    "aria-describedby": errorsAt(result, name)?.length ? `pledge-${name}-error` : undefined,
  });

  return (
    <section aria-labelledby="pledge-heading" className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
      <h2 id="pledge-heading" className="text-xl font-bold">
        {t("form.title")}
      </h2>
      <p className="text-sm text-stone-700">{t("form.intro")}</p>
      {reply?.message && (
        <div role="alert" className="space-y-2 rounded border border-red-300 bg-red-50 p-3 text-red-900">
          <p className="font-bold">{reply.message}</p>
          {reply.similarUrl && (
            <p>
              <Link to={reply.similarUrl} className="underline">
                {t("similar")}
              </Link>
            </p>
          )}
        </div>
      )}
      <Form method="post" action={`/needs/${need.publicId}/pledge`} className="space-y-4" data-testid="pledge-form">
        <input type="hidden" name="currency" value={currency} />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <p className="font-bold">{t("form.remaining", { remaining: money(remaining) })}</p>

        {inKind && (
          <fieldset className="space-y-2">
            <legend className="font-bold">{t("form.items")}</legend>
            <p className="text-sm text-stone-700">{t("form.itemsHint")}</p>
            {need.items.map((item, i) => {
              const label = (locale === "ar" ? item.labelAr ?? item.labelEn : item.labelEn ?? item.labelAr) ?? "";
              const left = itemsLeft?.[i] ?? item.quantity;
              return (
                <div key={i} className="flex flex-wrap items-center gap-2">
                  <label htmlFor={`pledge-item-${i}`} className="flex-1">
                    {t("form.itemLine", { label, cost: money(item.unitCostMinor), left, quantity: item.quantity })}
                  </label>
                  <input
                    id={`pledge-item-${i}`}
                    name={`item-${i}`}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={left}
                    step={1}
                    defaultValue={stringAt(result, `item-${i}`) ?? "0"}
                    aria-label={t("form.itemQuantity", { label })}
                    disabled={left <= 0}
                    className="w-24 rounded border border-stone-400 px-2 py-1"
                  />
                </div>
              );
            })}
            <ErrorList id="pledge-items-error" errors={errorsAt(result, "items")} />
          </fieldset>
        )}

        <fieldset className="space-y-2">
          <legend className="font-bold">{t("form.suggested")}</legend>
          <p className="text-sm text-stone-700">{t("form.minimum", { minimum: money(minimum) })}</p>
          <div className="flex flex-wrap gap-2">
            {suggestions.map((amount, i) => {
              const value = minorToInput(amount, currency);
              return (
                <label key={amount} className="inline-flex items-center gap-2 rounded border border-stone-300 px-3 py-2">
                  <input type="radio" name="amountChoice" value={value} defaultChecked={postedChoice ? postedChoice === value : i === 0} />
                  <span>{i === 0 ? t("form.suggestedWhole", { amount: money(amount) }) : money(amount)}</span>
                </label>
              );
            })}
          </div>
          <label htmlFor="pledge-amount" className="block font-bold">
            {t("form.amount", { currency })}
          </label>
          <p id="pledge-amount-hint" className="text-sm text-stone-700">
            {t("form.amountHint")}
          </p>
          <input
            {...field("amount")}
            aria-describedby={["pledge-amount-hint", errorsAt(result, "amount")?.length ? "pledge-amount-error" : ""].filter(Boolean).join(" ")}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            dir="ltr"
            defaultValue={stringAt(result, "amount") ?? ""}
            className={inputClass}
          />
          <ErrorList id="pledge-amount-error" errors={errorsAt(result, "amount")} />
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="font-bold">{t("form.method")}</legend>
          {methods.map((m, i) => (
            <label key={m} className="flex items-start gap-2">
              <input type="radio" name="method" value={m} defaultChecked={postedMethod ? postedMethod === m : i === 0} className="mt-1" />
              <span>
                <span className="block">{t(`form.methods.${m}`)}</span>
                <span className="block text-sm text-stone-700">{t(`form.methodHints.${m}`)}</span>
              </span>
            </label>
          ))}
          <ErrorList id="pledge-method-error" errors={errorsAt(result, "method")} />
        </fieldset>

        {donorEmail ? (
          <p className="text-sm">{t("form.signedInAs", { email: donorEmail })}</p>
        ) : (
          <div className="space-y-1">
            <label htmlFor="pledge-email" className="block font-bold">
              {t("form.email")}
            </label>
            <p id="pledge-email-hint" className="text-sm text-stone-700">
              {t("form.emailHint")}
            </p>
            <input
              {...field("email")}
              aria-describedby={["pledge-email-hint", errorsAt(result, "email")?.length ? "pledge-email-error" : ""].filter(Boolean).join(" ")}
              type="email"
              autoComplete="email"
              dir="ltr"
              required
              defaultValue={stringAt(result, "email") ?? ""}
              className={inputClass}
            />
            <ErrorList id="pledge-email-error" errors={errorsAt(result, "email")} />
            <p className="text-sm text-stone-700" data-testid="pledge-guest-hold">
              {t("form.guestHold")}
            </p>
          </div>
        )}

        <div className="space-y-1">
          <label htmlFor="pledge-displayName" className="block font-bold">
            {t("form.displayName")}
          </label>
          <input {...field("displayName")} type="text" maxLength={80} autoComplete="nickname" defaultValue={stringAt(result, "displayName") ?? ""} className={inputClass} />
          <ErrorList id="pledge-displayName-error" errors={errorsAt(result, "displayName")} />
        </div>
        <label className="inline-flex items-center gap-2">
          <input type="checkbox" name="anonymous" defaultChecked={stringAt(result, "anonymous") === "on"} className="h-4 w-4" />
          <span>{t("form.anonymous")}</span>
        </label>
        <div className="space-y-1">
          <label htmlFor="pledge-message" className="block font-bold">
            {t("form.message")}
          </label>
          <p id="pledge-message-hint" className="text-sm text-stone-700">
            {t("form.messageHint")}
          </p>
          <textarea
            {...field("message")}
            aria-describedby="pledge-message-hint"
            rows={3}
            maxLength={500}
            defaultValue={stringAt(result, "message") ?? ""}
            className={inputClass}
          />
          <ErrorList id="pledge-message-error" errors={errorsAt(result, "message")} />
        </div>
        <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-bold text-white hover:bg-brand-800">
          {t("form.submit")}
        </button>
      </Form>
    </section>
  );
}

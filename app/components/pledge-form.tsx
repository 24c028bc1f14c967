import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import { effectiveMinimum, minimumFor, suggestedAmounts } from "~/modules/pledging/amounts";
import type { PledgeReply } from "~/modules/pledging/reply";
import { minorToInput } from "~/modules/needs/money";
import { currencyDigits, formatMoney } from "~/utils/format";
import type { Locale } from "~/utils/i18n";
import { errorsAt, stringAt } from "./form-reply";
import { ErrorList } from "./forms";
import { NeedProgress } from "./need-progress";

/** The card fee estimate the form shows beside "cover the fee" (estimateCardFee of app/modules/payments/card-fees.ts). */
export interface CardFeeHint {
  /** The fee for the amount in the field (prefilled or posted), or null when there is none yet. */
  feeMinor: number | null;
  /** A straight line through the estimate, for the inline script to follow the typed amount: parts per million… */
  ratePpm: number;
  /** …plus a fixed part, in minor units. */
  fixedMinor: number;
}

export interface PledgeFormProps {
  /** The need's public projection, with `progress` as the public need page loads it. */
  need: Pick<PublicNeed, "publicId" | "currency" | "category" | "targetMinor" | "items" | "progress" | "zakatEligible">;
  /** A fresh random token from the loader: `newIdempotencyKey()` of ~/modules/pledging/pledges.server. */
  idempotencyKey: string;
  locale: Locale;
  /** The signed-in donor's email (no email input then), or null/undefined for a guest. */
  donorEmail?: string | null;
  /** The pledge action's answer when the form came back (useActionData of the pledge route). */
  reply?: PledgeReply | null;
  /** What is left to pledge; by default the need's figures (`need.progress.remainingMinor`). */
  remainingMinor?: number;
  /** Per item line (same order as need.items), how many are still unpledged; default: the line's quantity. */
  itemsLeft?: number[];
  /**
   * The payment methods the organisation offers for this need (getPledgeableNeed's `methods`:
   * its ticked offline methods with their details, card only when the platform takes cards).
   * Delivery is added for in-kind needs.
   */
  methods: readonly string[];
  /** An amount a quick-amount link asked for (`?amount=`), already checked; fills the field. */
  prefillAmount?: string | null;
  /** The chosen items' total from the "show the total" step (no JavaScript). */
  itemsTotalMinor?: number | null;
  /** When card is offered: the fee estimate for "cover the processing fee". */
  cardFee?: CardFeeHint | null;
}

const inputClass = "block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700";

/** The amount hint's examples in a currency's own digits: "50" and "50.25" (USD), "250000" (SYP, no decimals). */
export function amountExamples(currency: string): { whole: string; decimal: string | null } {
  const digits = currencyDigits(currency);
  const wholeMinor = minimumFor(currency) * 50;
  const whole = minorToInput(wholeMinor, currency).replace(/\.0+$/, "");
  return { whole, decimal: digits === 0 ? null : `${whole}.${"25".padEnd(digits, "0")}` };
}

/** The chosen items' total in minor units: Σ quantity × unit cost over `item-<position>` quantities. */
export function itemsTotal(items: readonly { unitCostMinor: number }[], lines: readonly { position: number; quantity: number }[]): number {
  return lines.reduce((sum, line) => sum + (items[line.position]?.unitCostMinor ?? 0) * line.quantity, 0);
}

/**
 * The pledge form for the need page's `#pledge` slot. Plain HTML that works without JavaScript:
 * it posts to /needs/:publicId/pledge, which redirects to /pledges/<reference> (or to the card
 * checkout) or renders the form again with its messages. The quick amounts are links that come
 * back with the amount filled in (the page's inline script fills the field in place); for in-kind
 * needs "show the total" posts the chosen items for their total (the script keeps it live).
 */
export function PledgeForm({
  need,
  idempotencyKey,
  locale,
  donorEmail,
  reply,
  remainingMinor,
  itemsLeft,
  methods: offered,
  prefillAmount,
  itemsTotalMinor,
  cardFee,
}: PledgeFormProps) {
  const { t } = useTranslation("pledging");
  const currency = need.currency;
  const remaining = remainingMinor ?? need.progress?.remainingMinor ?? 0;
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const open = !need.progress || need.progress.status === "open";
  const result = reply?.result ?? undefined;

  if (!open || remaining <= 0) {
    return (
      <section aria-labelledby="pledge-heading" className="space-y-2 rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="pledge-heading" className="text-xl font-bold">
          {t("form.title")}
        </h2>
        {need.progress && <NeedProgress need={need} progress={need.progress} locale={locale} />}
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
  const field = (name: string) => ({
    id: `pledge-${name}`,
    name,
    "aria-invalid": errorsAt(result, name)?.length ? true : undefined,
    "aria-describedby": errorsAt(result, name)?.length ? `pledge-${name}-error` : undefined,
  });
  const digits = currencyDigits(currency);
  const examples = amountExamples(currency);
  const intlLocale = locale === "ar" ? "ar" : "en-GB";
  const amountValue = stringAt(result, "amount") ?? prefillAmount ?? "";
  const postedLines = need.items.map((_, i) => Number(stringAt(result, `item-${i}`) ?? 0) || 0);
  const shownTotal = itemsTotalMinor ?? itemsTotal(need.items, postedLines.map((quantity, position) => ({ position, quantity })));
  const pageUrl = `/needs/${need.publicId}/pledge`;
  // The parser's generic "too many decimals" and "more than zero" say this currency's rule instead:
  // whole amounts for SYP, two decimals for USD, and the minimum in the currency.
  const amountErrors = (errors: string[] | undefined) =>
    errors?.map((key) =>
      key === "needs:errors.amountTooPrecise"
        ? t(digits === 0 ? "errors.amountWholeOnly" : "errors.amountDecimals", { currency, digits, minimum: money(minimum), example: examples.decimal ?? examples.whole })
        : key === "needs:errors.amountPositive"
          ? t("errors.below_minimum", { minimum: money(minimum) })
          : t(key),
    );

  return (
    <section aria-labelledby="pledge-heading" className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
      <h2 id="pledge-heading" className="text-xl font-bold">
        {t("form.title")}
      </h2>
      <p className="text-sm text-stone-700">{t("form.intro")}</p>
      {need.progress && <NeedProgress need={need} progress={need.progress} locale={locale} />}
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
      <Form method="post" action={pageUrl} className="space-y-4" data-testid="pledge-form">
        <input type="hidden" name="currency" value={currency} />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />

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
                    data-unit-cost={item.unitCostMinor}
                    className="w-24 rounded border border-stone-400 px-2 py-1"
                  />
                </div>
              );
            })}
            <p className="font-bold" data-testid="pledge-items-total">
              {t("form.itemsTotal")}{" "}
              <output
                htmlFor={need.items.map((_, i) => `pledge-item-${i}`).join(" ")}
                aria-live="polite"
                className="tabular-nums"
                data-items-total=""
                data-currency={currency}
                data-digits={digits}
                data-intl-locale={intlLocale}
              >
                {money(shownTotal)}
              </output>
            </p>
            <button
              type="submit"
              name="intent"
              value="preview"
              formNoValidate
              data-no-js=""
              className="rounded border border-brand-700 px-3 py-1 text-brand-700"
              data-testid="pledge-items-preview"
            >
              {t("form.itemsPreview")}
            </button>
            <ErrorList id="pledge-items-error" errors={errorsAt(result, "items")} />
          </fieldset>
        )}

        <div className="space-y-2">
          <label htmlFor="pledge-amount" className="block font-bold">
            {t("form.amount", { currency })}
          </label>
          <p id="pledge-amount-hint" className="text-sm text-stone-700" data-testid="pledge-amount-hint">
            {examples.decimal
              ? t("form.amountHintDecimal", { example: examples.whole, exampleDecimal: examples.decimal })
              : t("form.amountHintWhole", { example: examples.whole })}{" "}
            {t("form.minimum", { minimum: money(minimum) })}
            {inKind ? ` ${t("form.amountInKind")}` : ""}
          </p>
          <input
            {...field("amount")}
            aria-describedby={["pledge-amount-hint", errorsAt(result, "amount")?.length ? "pledge-amount-error" : ""].filter(Boolean).join(" ")}
            type="text"
            inputMode={digits === 0 ? "numeric" : "decimal"}
            autoComplete="off"
            dir="ltr"
            defaultValue={amountValue}
            className={inputClass}
          />
          {errorsAt(result, "amount")?.length ? (
            <ul id="pledge-amount-error" className="mt-1 space-y-1 text-sm font-bold text-red-800" role="alert">
              {amountErrors(errorsAt(result, "amount"))?.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          ) : null}
          {suggestions.length > 0 && (
            <div className="space-y-1">
              <p className="text-sm font-bold" id="pledge-quick-label">
                {t("form.suggested")}
              </p>
              {/* Links, not choices: each fills the field (a page load without JavaScript, in place with it); none is preselected. */}
              <ul className="flex flex-wrap gap-2" aria-labelledby="pledge-quick-label" data-testid="pledge-quick-amounts">
                {suggestions.map((amount, i) => {
                  const value = minorToInput(amount, currency);
                  return (
                    <li key={amount}>
                      <a
                        href={`${pageUrl}?amount=${encodeURIComponent(value)}#pledge-amount`}
                        data-fill={value}
                        data-fill-target="pledge-amount"
                        className="inline-block rounded border border-stone-300 px-3 py-2 text-brand-800 hover:border-brand-700"
                      >
                        {i === 0 ? t("form.suggestedWhole", { amount: money(amount) }) : money(amount)}
                      </a>
                    </li>
                  );
                })}
              </ul>
            </div>
          )}
        </div>

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
          {methods.includes("card") && cardFee && (
            <div className="ms-6 space-y-1 rounded border border-stone-200 bg-stone-50 p-3" data-testid="pledge-cover-fee">
              <label className="flex items-start gap-2">
                <input
                  type="checkbox"
                  name="coverFee"
                  value="on"
                  defaultChecked={stringAt(result, "coverFee") === "on"}
                  aria-describedby="pledge-cover-fee-hint"
                  className="mt-1 h-4 w-4"
                />
                <span>{t("form.coverFee")}</span>
              </label>
              <p id="pledge-cover-fee-hint" className="text-sm text-stone-700">
                {t("form.coverFeeEstimate")}{" "}
                <output
                  htmlFor="pledge-amount"
                  aria-live="polite"
                  className="font-bold tabular-nums"
                  data-fee-estimate=""
                  data-fee-rate={cardFee.ratePpm}
                  data-fee-fixed={cardFee.fixedMinor}
                  data-currency={currency}
                  data-digits={digits}
                  data-intl-locale={intlLocale}
                  data-testid="pledge-fee-estimate"
                >
                  {cardFee.feeMinor === null ? t("form.coverFeeNoAmount") : money(cardFee.feeMinor)}
                </output>{" "}
                {t("form.coverFeeHint")}
              </p>
            </div>
          )}
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
        {need.zakatEligible && (
          <label className="flex items-center gap-2">
            <input type="checkbox" name="zakat" defaultChecked={stringAt(result, "zakat") === "on"} className="h-4 w-4" data-testid="pledge-zakat" />
            <span>{t("form.zakat")}</span>
          </label>
        )}
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

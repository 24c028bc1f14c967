import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm } from "~/utils/forms.server";
import { eq } from "drizzle-orm";
import { needs } from "#db/schema";
import { PledgeForm, itemsTotal, type CardFeeHint } from "~/components/pledge-form";
import { minorToInput, parseMoney } from "~/modules/needs/money";
import { effectiveMinimum } from "~/modules/pledging/amounts";
import { estimateCardFee } from "~/modules/payments/card-fees";
import { cardPaymentsAvailable, startCheckout } from "~/modules/payments/checkout.server";
import { PledgeError } from "~/modules/pledging/errors";
import { createPledge, getPledgeableNeed, newIdempotencyKey } from "~/modules/pledging/pledges.server";
import type { PledgeReply } from "~/modules/pledging/reply";
import { parsePledgeForm } from "~/modules/pledging/form.server";
import { itemLinesFrom } from "~/modules/pledging/schemas";
import { getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { formatMoney } from "~/utils/format";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { kickOutbox } from "~/utils/jobs.server";
import { appOrigin, getClientIp } from "~/utils/request.server";
import { useFastT } from "~/utils/fast-t";

/**
 * /needs/:publicId/pledge — the action the need page's pledge form posts to (no JavaScript needed),
 * and a page of its own that shows the form again with its messages (400 bad input, 409 filled
 * meanwhile with the remaining amount and similar needs). Not nested in the need page's layout.
 * `?amount=` (a quick amount's link) fills the amount field; `intent=preview` (in-kind "show the
 * total") answers the chosen items' total and changes nothing; a card pledge goes on to Stripe
 * Checkout (or its stand-in).
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

/** What the action answers when the form comes back: the pledge reply, or the items' total of a preview. */
type DonorReply = PledgeReply & { itemsTotalMinor?: number | null };

/** A quick amount's `?amount=`: kept only when it is a pledge this need would take now. */
function prefillFrom(url: URL, currency: string, remainingMinor: number): { text: string; minor: number } | null {
  const raw = url.searchParams.get("amount");
  if (!raw || raw.length > 40) return null;
  const parsed = parseMoney(raw, currency);
  if (!parsed.ok || parsed.minor > remainingMinor || parsed.minor < effectiveMinimum(currency, remainingMinor)) return null;
  return { text: minorToInput(parsed.minor, currency), minor: parsed.minor };
}

/** The fee estimate beside "cover the processing fee": exact for the amount shown, a straight line for the script. */
function cardFeeHint(currency: string, amountMinor: number | null): CardFeeHint {
  const unit = 10 ** 6;
  const low = estimateCardFee(unit, currency);
  const high = estimateCardFee(101 * unit, currency);
  const ratePpm = Math.max(0, Math.round((high - low) / 100));
  return { feeMinor: amountMinor ? estimateCardFee(amountMinor, currency) : null, ratePpm, fixedMinor: Math.max(0, low - ratePpm) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const [found, auth, locale] = await Promise.all([getPledgeableNeed(db, params.publicId ?? "", cardPaymentsAvailable()), getAuth(request), getLocale(request)]);
  if (!found) throw new Response("Not Found", { status: 404 });
  const t = await getFixedT(request, ["pledging", "common"]);
  const title = (locale === "ar" ? found.need.titleAr ?? found.need.titleEn : found.need.titleEn ?? found.need.titleAr) ?? "";
  const prefill = prefillFrom(new URL(request.url), found.need.currency, found.need.progress?.remainingMinor ?? 0);
  return data(
    {
      title: `${t("pledging:form.pageTitle", { title })} — ${t("common:appName")}`,
      needTitle: title,
      need: found.need,
      itemsLeft: found.itemsLeft,
      remainingMinor: found.need.progress?.remainingMinor ?? 0,
      methods: found.methods,
      prefillAmount: prefill?.text ?? null,
      cardFee: found.methods.includes("card") ? cardFeeHint(found.need.currency, prefill?.minor ?? null) : null,
      idempotencyKey: newIdempotencyKey(),
      donorEmail: auth?.user.email ?? null,
      locale,
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

// Over the rate limit (429) the browser is told when to come back, on a full page load too.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const headers = new Headers(loaderHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const publicId = params.publicId ?? "";
  const [auth, locale] = await Promise.all([getAuth(request), getLocale(request)]);
  const formData = await readForm(request);
  const reply = (body: DonorReply, status: number, extra: Record<string, string> = {}) =>
    data(body, { status, headers: { ...NO_STORE, ...extra } });

  if (formData.get("intent") === "preview") {
    // In-kind "show the total" without JavaScript: the form comes back as it was, with the total.
    const found = await getPledgeableNeed(await getDb(), publicId, cardPaymentsAvailable());
    if (!found) throw new Response("Not Found", { status: 404 });
    const initialValue = Object.fromEntries([...formData.entries()].filter(([name, v]) => typeof v === "string" && name !== "idempotencyKey"));
    const lines = itemLinesFrom(formData);
    if (lines === "invalid") return reply({ result: { initialValue, error: { items: ["pledging:errors.items_invalid"] } } }, 400);
    return reply({ result: { initialValue, error: {} }, itemsTotalMinor: itemsTotal(found.need.items, lines) }, 200);
  }

  const submission = parsePledgeForm(formData);
  if (submission.status !== "success") return reply({ result: submission.reply() }, 400);
  const value = submission.value;

  const email = auth?.user.email ?? value.email;
  if (!email) return reply({ result: submission.reply({ fieldErrors: { email: ["pledging:errors.emailRequired"] } }) }, 400);
  const lines = itemLinesFrom(formData);
  if (lines === "invalid" || (value.method === "delivery" && lines.length === 0)) {
    return reply({ result: submission.reply({ fieldErrors: { items: ["pledging:errors.items_invalid"] } }) }, 400);
  }
  let amountMinor = 0;
  if (lines.length === 0) {
    // One amount field: the quick amounts fill it, nothing is chosen for the donor.
    const parsed = parseMoney(value.amount, value.currency);
    if (!parsed.ok) return reply({ result: submission.reply({ fieldErrors: { amount: [parsed.error] } }) }, 400);
    amountMinor = parsed.minor;
  }

  const db = await getDb();
  try {
    const { pledge } = await createPledge(db, {
      needPublicId: publicId,
      amountMinor,
      currency: value.currency,
      method: value.method,
      email,
      donorUserId: auth?.user.id ?? null,
      displayName: value.anonymous ? null : value.displayName,
      anonymous: value.anonymous ?? false,
      zakat: value.zakat === true,
      message: value.message,
      idempotencyKey: value.idempotencyKey,
      locale,
      items: lines.length ? lines : undefined,
      origin: appOrigin(request, env().APP_URL),
      // Per IP and per email (decision 053); the domain refuses a method the organisation does not offer.
      rateLimit: { ip: getClientIp(request) },
      cardPayments: cardPaymentsAvailable(),
    });
    kickOutbox();
    if (pledge.method === "card" && pledge.status === "awaiting_payment") {
      // Straight on to the card page; if it cannot open now, the pledge page offers "continue to card payment".
      try {
        const { url } = await startCheckout(db, {
          pledgeId: pledge.id,
          coverFee: formData.get("coverFee") === "on",
          origin: appOrigin(request, env().APP_URL),
          locale,
        });
        return redirect(url);
      } catch (error) {
        console.error("startCheckout failed; the pledge page offers to continue", error);
      }
    }
    return redirect(`/pledges/${pledge.reference}`);
  } catch (error) {
    if (!(error instanceof PledgeError)) throw error;
    if (error.code === "need_not_found") throw new Response("Not Found", { status: 404 });
    const t = await getFixedT(request, ["pledging", "common"]);
    const currency = error.details.currency ?? value.currency;
    const fmt = (minor: number | undefined) => (minor === undefined ? "" : formatMoney(minor, currency, locale));
    const [need] = await db.select({ category: needs.category }).from(needs).where(eq(needs.publicId, publicId)).limit(1);
    const filled = error.code === "need_full" || error.code === "above_remaining" || error.code === "need_not_open";
    return reply(
      {
        result: submission.reply(),
        code: error.code,
        message: t(error.messageKey, {
          remaining: fmt(error.details.remainingMinor),
          minimum: fmt(error.details.minimumMinor ?? effectiveMinimum(currency, Number.MAX_SAFE_INTEGER)),
          currency,
          minutes: Math.max(1, Math.ceil((error.details.retryAfterSeconds ?? 60) / 60)),
        }),
        remainingMinor: error.details.remainingMinor ?? null,
        currency,
        similarUrl: filled ? `/needs${need ? `?category=${need.category}` : ""}` : null,
      },
      error.status,
      error.code === "rate_limited" ? { "Retry-After": String(error.details.retryAfterSeconds ?? 60) } : {},
    );
  }
}

export default function PledgePage() {
  const { need, needTitle, itemsLeft, methods, prefillAmount, cardFee, idempotencyKey, donorEmail, locale } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as DonorReply | undefined;
  const t = useFastT("pledging");
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4">
      <p>
        <Link to={`/needs/${need.publicId}`} className="text-brand-700 underline">
          {t("form.backToNeed")}
        </Link>
      </p>
      <h1 className="text-2xl font-bold text-brand-800">{needTitle}</h1>
      <div id="pledge">
        <PledgeForm
          need={need}
          idempotencyKey={idempotencyKey}
          locale={locale}
          donorEmail={donorEmail}
          reply={reply}
          itemsLeft={itemsLeft}
          methods={methods}
          prefillAmount={prefillAmount}
          itemsTotalMinor={reply?.itemsTotalMinor ?? null}
          cardFee={cardFee}
        />
      </div>
    </div>
  );
}

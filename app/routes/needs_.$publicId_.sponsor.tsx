import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { parseWithZod } from "@conform-to/zod";
import { Bdi, Money } from "~/components/bidi";
import { KafalaError, createSponsorship, kafalaOffer } from "~/modules/giving/kafala.server";
import { startSubscriptionCheckout } from "~/modules/giving/monthly-stripe.server";
import { monthlyGiftPath } from "~/modules/giving/monthly.server";
import { publicTitleIn } from "~/modules/needs/titles";
import { cardPaymentsAvailable } from "~/modules/payments/checkout.server";
import { PledgeError } from "~/modules/pledging/errors";
import { getPledgeableNeed, newIdempotencyKey } from "~/modules/pledging/pledges.server";
import { getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { formatMoney } from "~/utils/format";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { kickOutbox } from "~/utils/jobs.server";
import { appOrigin, getClientIp } from "~/utils/request.server";

/**
 * /needs/:publicId/sponsor — kafala (issue 12, decision 067): sponsor this need every month until
 * it is funded, by card (a subscription) or offline (a reference a month). Shows the terms (how
 * much a month, for how many months), or that a sponsor already has it. The public card only:
 * nothing of the household. A plain form: works without JavaScript.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

const SponsorSchema = z.object({
  method: z.enum(["card", "bank_transfer", "cash", "money_transfer"], { errorMap: () => ({ message: "pledging:errors.methodRequired" }) }),
  zakat: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  email: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().toLowerCase().max(254, "pledging:errors.tooLong").email("pledging:errors.emailInvalid").optional()),
  displayName: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(80, "pledging:errors.tooLong").optional()),
  anonymous: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  idempotencyKey: z.string({ required_error: "pledging:errors.formExpired" }).regex(/^[A-Za-z0-9_-]{16,100}$/, "pledging:errors.formExpired"),
});

async function load(request: Request, publicId: string) {
  const db = await getDb();
  const [found, offer, auth, locale] = await Promise.all([getPledgeableNeed(db, publicId, cardPaymentsAvailable()), kafalaOffer(db, publicId), getAuth(request), getLocale(request)]);
  if (!found || !offer) throw new Response("Not Found", { status: 404 });
  return { db, found, offer, auth, locale };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { found, offer, auth, locale } = await load(request, params.publicId ?? "");
  const t = await getFixedT(request, ["giving", "common"]);
  const title = publicTitleIn(found.need, locale);
  return data(
    {
      title: `${t("giving:kafala.title", { title })} — ${t("common:appName")}`,
      needTitle: title,
      publicId: found.need.publicId,
      monthly: formatMoney(offer.monthlyMinor, found.need.currency, locale),
      months: offer.months,
      sponsored: offer.sponsored,
      open: offer.open && !offer.sponsored,
      zakatEligible: Boolean(found.need.zakatEligible),
      methods: found.methods,
      idempotencyKey: newIdempotencyKey(),
      donorEmail: auth?.user.email ?? null,
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const publicId = params.publicId ?? "";
  const { db, auth, locale } = await load(request, publicId);
  const formData = await readForm(request);
  const t = await getFixedT(request, ["giving", "pledging", "common"]);
  const reply = (status: number, body: { errors: Record<string, string[]>; message?: string }) => data(body, { status, headers: NO_STORE });
  const submission = parseWithZod(formData, { schema: SponsorSchema });
  if (submission.status !== "success") return reply(400, { errors: (submission.reply().error ?? {}) as Record<string, string[]> });
  const value = submission.value;
  const email = auth?.user.email ?? value.email;
  if (!email) return reply(400, { errors: { email: ["pledging:errors.emailRequired"] } });
  const origin = appOrigin(request, env().APP_URL);
  try {
    const { gift } = await createSponsorship(db, {
      needPublicId: publicId,
      method: value.method,
      email,
      donorUserId: auth?.user.id ?? null,
      displayName: value.anonymous ? null : value.displayName,
      anonymous: value.anonymous,
      zakat: value.zakat,
      idempotencyKey: value.idempotencyKey,
      locale,
      origin,
      rateLimit: { ip: getClientIp(request) },
      cardPayments: cardPaymentsAvailable(),
    });
    kickOutbox();
    if (gift.method === "card" && gift.status === "incomplete") {
      try {
        return redirect((await startSubscriptionCheckout(db, { giftId: gift.id, origin, locale })).url);
      } catch (error) {
        console.error("startSubscriptionCheckout failed; the sponsorship's page offers to continue", error);
      }
    }
    return redirect(`${monthlyGiftPath(gift.id)}&created=1`);
  } catch (error) {
    if (error instanceof KafalaError) return reply(error.status === 404 ? 404 : 409, { errors: {}, message: t(error.messageKey) });
    if (!(error instanceof PledgeError)) throw error;
    const message = t(error.messageKey, { minimum: "", currency: error.details.currency ?? "", remaining: "", minutes: Math.max(1, Math.ceil((error.details.retryAfterSeconds ?? 60) / 60)) });
    return data({ errors: {} as Record<string, string[]>, message }, { status: error.status, headers: { ...NO_STORE, ...(error.code === "rate_limited" ? { "Retry-After": String(error.details.retryAfterSeconds ?? 60) } : {}) } });
  }
}

const inputClass = "w-full rounded border border-stone-400 px-3 py-2";

export default function SponsorPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation(["giving", "pledging"]);
  const errors: Record<string, string[]> = reply?.errors ?? {};
  const errs = (name: string) => (errors[name] ?? []).map((e) => <p key={e} className="text-sm font-bold text-red-800">{t(e)}</p>);
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4">
      <p>
        <Link to={`/needs/${page.publicId}`} className="text-brand-700 underline">
          <Bdi>{page.needTitle}</Bdi>
        </Link>
      </p>
      <h1 className="text-2xl font-bold text-brand-800">{t("giving:kafala.heading")}</h1>
      <p className="text-lg" data-testid="kafala-terms">
        {t("giving:kafala.terms", { count: page.months })} <Money text={page.monthly} />
      </p>
      <p className="text-sm text-stone-700">{t("giving:kafala.intro")}</p>
      {reply?.message && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 font-bold text-red-900" data-testid="kafala-error">
          {reply.message}
        </p>
      )}
      {page.sponsored ? (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3" data-testid="kafala-sponsored">
          {t("giving:kafala.sponsored")}
        </p>
      ) : !page.open || page.methods.length === 0 ? (
        <p data-testid="kafala-closed">{t("giving:kafala.closed")}</p>
      ) : (
        <Form method="post" className="space-y-4 rounded-lg bg-white p-4 shadow-sm" noValidate>
          <input type="hidden" name="idempotencyKey" value={page.idempotencyKey} />
          <fieldset className="space-y-1">
            <legend className="font-bold">{t("pledging:form.method")}</legend>
            {page.methods.map((m, i) => (
              <label key={m} className="flex items-center gap-2">
                <input type="radio" name="method" value={m} required defaultChecked={i === 0} className="h-4 w-4" />
                <span>{t(`pledging:form.methods.${m}`)}</span>
              </label>
            ))}
            {errs("method")}
          </fieldset>
          {page.zakatEligible && (
            <label className="flex items-center gap-2">
              <input type="checkbox" name="zakat" className="h-4 w-4" />
              <span>{t("giving:give.zakat")}</span>
            </label>
          )}
          {!page.donorEmail && (
            <div className="space-y-1">
              <label htmlFor="kafala-email" className="block font-bold">
                {t("pledging:form.email")}
              </label>
              <input id="kafala-email" name="email" type="email" autoComplete="email" dir="ltr" required className={inputClass} />
              {errs("email")}
            </div>
          )}
          <div className="space-y-1">
            <label htmlFor="kafala-name" className="block font-bold">
              {t("pledging:form.displayName")}
            </label>
            <input id="kafala-name" name="displayName" maxLength={80} autoComplete="nickname" className={inputClass} />
          </div>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="anonymous" className="h-4 w-4" />
            <span>{t("pledging:form.anonymous")}</span>
          </label>
          {errs("idempotencyKey")}
          <p className="text-sm text-stone-700">{t("giving:kafala.privacy")}</p>
          <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-bold text-white" data-testid="kafala-submit">
            {t("giving:kafala.submit", { amount: page.monthly })}
          </button>
        </Form>
      )}
    </div>
  );
}

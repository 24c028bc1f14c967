import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { parseWithZod } from "@conform-to/zod";
import { Bdi } from "~/components/bidi";
import { NEED_CATEGORIES } from "~/modules/needs/schemas";
import { UUID_PATTERN } from "~/utils/uuid";
import { formatMoney } from "~/utils/format";
import { parseMoney } from "~/modules/needs/money";
import { cardPaymentsAvailable, startCheckout } from "~/modules/payments/checkout.server";
import { PledgeError } from "~/modules/pledging/errors";
import { createFundPledge, fundGiftForm } from "~/modules/pledging/fund-pledge.server";
import { createMonthlyGift, monthlyGiftPath } from "~/modules/giving/monthly.server";
import { startSubscriptionCheckout } from "~/modules/giving/monthly-stripe.server";
import { appealBySlug, takesSponsor } from "~/modules/giving/appeals.server";
import { newIdempotencyKey } from "~/modules/pledging/pledges.server";
import { getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { kickOutbox } from "~/utils/jobs.server";
import { appOrigin, getClientIp } from "~/utils/request.server";

/**
 * /orgs/:slug/give — give to the organisation's solidarity fund (issue 12) rather than one need:
 * the allocator gives the money to its most urgent verified needs, within what the donor chooses
 * here (kinds of need, a governorate, zakat), and the donor's pledges page says where it went.
 * Card goes on to Checkout (or its stand-in); offline methods get a reference, like any pledge.
 * A plain form: works without JavaScript.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

const asList = (v: unknown) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);

const FundGiftSchema = z.object({
  frequency: z.preprocess((v) => (v === undefined || v === "" ? "once" : v), z.enum(["once", "monthly"], { errorMap: () => ({ message: "giving:give.errors.frequency" }) })),
  amount: z.string({ required_error: "giving:give.errors.amount" }).trim().min(1, "giving:give.errors.amount").max(40, "pledging:errors.tooLong"),
  method: z.enum(["card", "bank_transfer", "cash", "money_transfer"], { errorMap: () => ({ message: "pledging:errors.methodRequired" }) }),
  zakat: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  categories: z.preprocess(asList, z.array(z.enum(NEED_CATEGORIES, { errorMap: () => ({ message: "pledging:errors.category_invalid" }) })).max(NEED_CATEGORIES.length)),
  regionId: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(UUID_PATTERN, "pledging:errors.region_invalid").optional()),
  email: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().toLowerCase().max(254, "pledging:errors.tooLong").email("pledging:errors.emailInvalid").optional()),
  displayName: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(80, "pledging:errors.tooLong").optional()),
  anonymous: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  appeal: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(80, "pledging:errors.appeal_invalid").optional()),
  idempotencyKey: z.string({ required_error: "pledging:errors.formExpired" }).regex(/^[A-Za-z0-9_-]{16,100}$/, "pledging:errors.formExpired"),
});

type Reply = { errors: Record<string, string[]>; message?: string; values: Record<string, string | string[]> };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const [form, auth, locale] = await Promise.all([fundGiftForm(db, params.slug ?? "", cardPaymentsAvailable()), getAuth(request), getLocale(request)]);
  if (!form) throw new Response("Not Found", { status: 404 });
  const t = await getFixedT(request, ["giving", "common"]);
  const name = locale === "ar" ? form.org.nameAr : form.org.nameEn;
  // The matching sponsor of an appeal of this organisation (decision 068) gives through this form.
  const appealSlug = new URL(request.url).searchParams.get("appeal");
  const found = appealSlug ? await appealBySlug(db, appealSlug) : null;
  const appeal =
    found && takesSponsor(found.appeal, form.org.id)
      ? { slug: found.appeal.slug, title: (locale === "ar" ? found.appeal.titleAr || found.appeal.titleEn : found.appeal.titleEn || found.appeal.titleAr) ?? "", percent: found.appeal.matchPercent }
      : null;
  // Filled in from /give (decision 071) or a link: amount, how often, zakat, kinds of need.
  const q = new URL(request.url).searchParams;
  const prefill: Record<string, string | string[]> = {};
  if (q.get("amount")) prefill.amount = q.get("amount")!.slice(0, 40);
  if (q.get("frequency") === "monthly") prefill.frequency = "monthly";
  if (q.get("zakat") === "on") prefill.zakat = "on";
  const categories = q.getAll("categories").filter((c) => (NEED_CATEGORIES as readonly string[]).includes(c));
  if (categories.length) prefill.categories = [...new Set(categories)];
  return data(
    {
      title: `${t("giving:give.title", { org: name })} — ${t("common:appName")}`,
      prefill,
      viaPlatform: q.get("via") === "platform",
      orgName: name,
      slug: form.org.slug,
      currency: form.org.currency,
      minimum: formatMoney(form.minimumMinor, form.org.currency, locale),
      methods: form.methods,
      governorates: form.governorates.map((g) => ({ id: g.id, name: locale === "ar" ? g.nameAr : g.nameEn })),
      idempotencyKey: newIdempotencyKey(),
      donorEmail: auth?.user.email ?? null,
      appeal,
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const headers = new Headers(loaderHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const slug = params.slug ?? "";
  const [auth, locale] = await Promise.all([getAuth(request), getLocale(request)]);
  const formData = await readForm(request);
  const values: Reply["values"] = {};
  for (const [k, v] of formData.entries()) {
    if (typeof v !== "string" || k === "idempotencyKey") continue;
    values[k] = k === "categories" ? [...asList(values[k]), v].map(String) : v;
  }
  const reply = (status: number, body: Omit<Reply, "values">, extra: Record<string, string> = {}) =>
    data({ ...body, values } satisfies Reply, { status, headers: { ...NO_STORE, ...extra } });

  const submission = parseWithZod(formData, { schema: FundGiftSchema });
  if (submission.status !== "success") return reply(400, { errors: (submission.reply().error ?? {}) as Record<string, string[]> });
  const value = submission.value;
  const email = auth?.user.email ?? value.email;
  if (!email) return reply(400, { errors: { email: ["pledging:errors.emailRequired"] } });

  const db = await getDb();
  const form = await fundGiftForm(db, slug, cardPaymentsAvailable());
  if (!form) throw new Response("Not Found", { status: 404 });
  const parsed = parseMoney(value.amount, form.org.currency);
  if (!parsed.ok) return reply(400, { errors: { amount: [parsed.error] } });
  try {
    const origin = appOrigin(request, env().APP_URL);
    const gift = {
      orgSlug: slug,
      amountMinor: parsed.minor,
      currency: form.org.currency,
      method: value.method,
      email,
      donorUserId: auth?.user.id ?? null,
      displayName: value.anonymous ? null : value.displayName,
      anonymous: value.anonymous,
      zakat: value.zakat,
      categories: value.categories,
      regionId: value.regionId ?? null,
      appealSlug: value.appeal ?? null,
      idempotencyKey: value.idempotencyKey,
      locale,
      origin,
      rateLimit: { ip: getClientIp(request) },
      cardPayments: cardPaymentsAvailable(),
    };
    if (value.frequency === "monthly" && !value.appeal) {
      // Monthly (decision 066): a card subscription through Checkout, or a standing order whose first month's reference is out now.
      const { gift: monthly } = await createMonthlyGift(db, gift);
      kickOutbox();
      if (monthly.method === "card" && monthly.status === "incomplete") {
        try {
          return redirect((await startSubscriptionCheckout(db, { giftId: monthly.id, origin, locale })).url);
        } catch (error) {
          console.error("startSubscriptionCheckout failed; the gift's page offers to continue", error);
        }
      }
      return redirect(`${monthlyGiftPath(monthly.id)}&created=1`);
    }
    const { pledge } = await createFundPledge(db, gift);
    kickOutbox();
    if (pledge.method === "card" && pledge.status === "awaiting_payment") {
      try {
        const { url } = await startCheckout(db, { pledgeId: pledge.id, coverFee: false, origin, locale });
        return redirect(url);
      } catch (error) {
        console.error("startCheckout failed; the pledge page offers to continue", error);
      }
    }
    return redirect(`/pledges/${pledge.reference}`);
  } catch (error) {
    if (!(error instanceof PledgeError)) throw error;
    if (error.code === "org_not_found") throw new Response("Not Found", { status: 404 });
    const t = await getFixedT(request, ["pledging", "giving", "common"]);
    const currency = error.details.currency ?? form.org.currency;
    const message = t(error.messageKey, {
      minimum: formatMoney(error.details.minimumMinor ?? form.minimumMinor, currency, locale),
      currency,
      remaining: "",
      minutes: Math.max(1, Math.ceil((error.details.retryAfterSeconds ?? 60) / 60)),
    });
    const field = error.code === "below_minimum" ? "amount" : error.code === "region_invalid" ? "regionId" : error.code === "category_invalid" ? "categories" : null;
    return reply(error.status, field ? { errors: { [field]: [message] } } : { errors: {}, message }, error.code === "rate_limited" ? { "Retry-After": String(error.details.retryAfterSeconds ?? 60) } : {});
  }
}

const inputClass = "w-full rounded border border-stone-400 px-3 py-2";

export default function GiveToFund() {
  const { orgName, slug, currency, minimum, methods, governorates, idempotencyKey, donorEmail, appeal, prefill, viaPlatform } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation(["giving", "pledging", "needs"]);
  const errs = (name: string) =>
    (reply?.errors[name] ?? []).map((e) => (
      <p key={e} id={`give-${name}-error`} className="text-sm font-bold text-red-800">
        {e.includes(":") ? t(e) : e}
      </p>
    ));
  const values = reply?.values ?? prefill;
  const value = (name: string) => {
    const v = values[name];
    return typeof v === "string" ? v : undefined;
  };
  const chosen = new Set(Array.isArray(values.categories) ? values.categories : values.categories ? [values.categories] : []);
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4">
      <p>
        <Link to={`/orgs/${slug}`} className="text-brand-700 underline">
          <Bdi>{orgName}</Bdi>
        </Link>
      </p>
      <h1 className="text-2xl font-bold text-brand-800">{t("giving:give.heading", { org: orgName })}</h1>
      <p>{t("giving:give.intro")}</p>
      {viaPlatform && (
        <p role="note" className="rounded border border-brand-200 bg-brand-50 p-3" data-testid="give-via-platform">
          {t("giving:platform.via", { org: orgName })}{" "}
          <Link to="/give" className="text-brand-700 underline">
            {t("giving:platform.viaBack")}
          </Link>
        </p>
      )}
      {reply?.message && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 font-bold text-red-900" data-testid="give-error">
          {reply.message}
        </p>
      )}
      {methods.length === 0 ? (
        <p data-testid="give-no-methods">{t("giving:give.noMethods")}</p>
      ) : (
        <Form method="post" className="space-y-4 rounded-lg bg-white p-4 shadow-sm" noValidate>
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          {appeal && (
            <>
              <input type="hidden" name="appeal" value={appeal.slug} />
              <p role="note" className="rounded border border-amber-300 bg-amber-50 p-3" data-testid="give-appeal">
                {t("giving:appeals.sponsorNote", { appeal: appeal.title, percent: appeal.percent })}
              </p>
            </>
          )}
          <div className="space-y-1">
            <label htmlFor="give-amount" className="block font-bold">
              {t("giving:give.amount", { currency })}
            </label>
            <p id="give-amount-hint" className="text-sm text-stone-700">
              {t("giving:give.minimum", { minimum })}
            </p>
            <input id="give-amount" name="amount" inputMode="decimal" required defaultValue={value("amount")} className={inputClass} aria-describedby="give-amount-hint give-amount-error" aria-invalid={reply?.errors.amount ? true : undefined} />
            {errs("amount")}
          </div>
          {!appeal && (
          <>
          <fieldset className="space-y-1">
            <legend className="font-bold">{t("giving:give.frequency")}</legend>
            {(["once", "monthly"] as const).map((f) => (
              <label key={f} className="flex items-center gap-2">
                <input type="radio" name="frequency" value={f} defaultChecked={(value("frequency") ?? "once") === f} className="h-4 w-4" data-testid={`give-frequency-${f}`} />
                <span>{t(`giving:give.frequencies.${f}`)}</span>
              </label>
            ))}
            <p className="text-sm text-stone-700">{t("giving:give.monthlyHint")}</p>
            {errs("frequency")}
          </fieldset>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="zakat" defaultChecked={value("zakat") === "on"} className="h-4 w-4" data-testid="give-zakat" />
            <span>{t("giving:give.zakat")}</span>
          </label>
          <fieldset className="space-y-1">
            <legend className="font-bold">{t("giving:give.categories")}</legend>
            <p className="text-sm text-stone-700">{t("giving:give.categoriesHint")}</p>
            <div className="grid gap-1 sm:grid-cols-2">
              {NEED_CATEGORIES.map((c) => (
                <label key={c} className="flex items-center gap-2">
                  <input type="checkbox" name="categories" value={c} defaultChecked={chosen.has(c)} className="h-4 w-4" />
                  <span>{t(`needs:categories.${c}`)}</span>
                </label>
              ))}
            </div>
            {errs("categories")}
          </fieldset>
          {governorates.length > 0 && (
            <div className="space-y-1">
              <label htmlFor="give-region" className="block font-bold">
                {t("giving:give.region")}
              </label>
              <select id="give-region" name="regionId" defaultValue={value("regionId") ?? ""} className={inputClass}>
                <option value="">{t("giving:give.anywhere")}</option>
                {governorates.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
              {errs("regionId")}
            </div>
          )}
          </>
          )}
          <fieldset className="space-y-1">
            <legend className="font-bold">{t("pledging:form.method")}</legend>
            {methods.map((m, i) => (
              <label key={m} className="flex items-center gap-2">
                <input type="radio" name="method" value={m} required defaultChecked={value("method") ? value("method") === m : i === 0} className="h-4 w-4" />
                <span>{t(`pledging:form.methods.${m}`)}</span>
              </label>
            ))}
            {errs("method")}
          </fieldset>
          {!donorEmail && (
            <div className="space-y-1">
              <label htmlFor="give-email" className="block font-bold">
                {t("pledging:form.email")}
              </label>
              <input id="give-email" name="email" type="email" autoComplete="email" dir="ltr" required defaultValue={value("email")} className={inputClass} aria-describedby="give-email-error" />
              {errs("email")}
            </div>
          )}
          <div className="space-y-1">
            <label htmlFor="give-name" className="block font-bold">
              {t("pledging:form.displayName")}
            </label>
            <input id="give-name" name="displayName" maxLength={80} autoComplete="nickname" defaultValue={value("displayName")} className={inputClass} />
            {errs("displayName")}
          </div>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="anonymous" defaultChecked={value("anonymous") === "on"} className="h-4 w-4" />
            <span>{t("pledging:form.anonymous")}</span>
          </label>
          {errs("idempotencyKey")}
          <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-bold text-white" data-testid="give-submit">
            {t("giving:give.submit")}
          </button>
        </Form>
      )}
    </div>
  );
}

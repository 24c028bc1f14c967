import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "react-i18next";
import { eq } from "drizzle-orm";
import { needs } from "#db/schema";
import { PledgeForm } from "~/components/pledge-form";
import { parseMoney } from "~/modules/needs/money";
import { effectiveMinimum } from "~/modules/pledging/amounts";
import { PledgeError } from "~/modules/pledging/errors";
import { createPledge, getPledgeableNeed, newIdempotencyKey } from "~/modules/pledging/pledges.server";
import type { PledgeReply } from "~/modules/pledging/reply";
import { PledgeFormSchema, itemLinesFrom } from "~/modules/pledging/schemas";
import { getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { formatMoney } from "~/utils/format";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { kickOutbox } from "~/utils/jobs.server";
import { appOrigin, getClientIp } from "~/utils/request.server";

/**
 * /needs/:publicId/pledge — the action the need page's pledge form posts to (no JavaScript needed),
 * and a page of its own that shows the form again with its messages (400 bad input, 409 filled
 * meanwhile with the remaining amount and similar needs). Not nested in the need page's layout.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const [found, auth, locale] = await Promise.all([getPledgeableNeed(db, params.publicId ?? ""), getAuth(request), getLocale(request)]);
  if (!found) throw new Response("Not Found", { status: 404 });
  const t = await getFixedT(request, ["pledging", "common"]);
  const title = (locale === "ar" ? found.need.titleAr ?? found.need.titleEn : found.need.titleEn ?? found.need.titleAr) ?? "";
  return data(
    {
      title: `${t("pledging:form.pageTitle", { title })} — ${t("common:appName")}`,
      needTitle: title,
      need: found.need,
      itemsLeft: found.itemsLeft,
      remainingMinor: found.remainingMinor,
      methods: found.methods,
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
  const submission = parseWithZod(formData, { schema: PledgeFormSchema });
  const reply = (body: PledgeReply, status: number, extra: Record<string, string> = {}) =>
    data(body, { status, headers: { ...NO_STORE, ...extra } });
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
    const typed = value.amount?.trim() ? value.amount : value.amountChoice;
    const parsed = parseMoney(typed, value.currency);
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
      message: value.message,
      idempotencyKey: value.idempotencyKey,
      locale,
      items: lines.length ? lines : undefined,
      origin: appOrigin(request, env().APP_URL),
      // Per IP and per email (decision 053); the domain refuses a method the organisation does not offer.
      rateLimit: { ip: getClientIp(request) },
    });
    kickOutbox();
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
  const { need, needTitle, itemsLeft, remainingMinor, methods, idempotencyKey, donorEmail, locale } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as PledgeReply | undefined;
  const { t } = useTranslation("pledging");
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
          remainingMinor={reply?.remainingMinor ?? remainingMinor}
          itemsLeft={itemsLeft}
          methods={methods}
        />
      </div>
    </div>
  );
}

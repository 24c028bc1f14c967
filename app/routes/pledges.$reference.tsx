import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "react-i18next";
import { ErrorList, FormMessage, Notice } from "~/components/forms";
import { errorsAt } from "~/components/form-reply";
import { PledgeError } from "~/modules/pledging/errors";
import { cancelPledge, getPledgeInstructions } from "~/modules/pledging/pledges.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { CancelPledgeSchema } from "~/modules/pledging/schemas";
import { actorOf, getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";
import { fullHoldUntil } from "~/modules/pledging/holds";
import { pledgeMoneyByReference } from "~/modules/pledging/donor-trail.server";
import { receiptPath } from "~/modules/receipts/receipts.server";
import { matchesOfPledge } from "~/modules/giving/appeals.server";
import { fundTitleIn, publicTitleIn } from "~/modules/needs/titles";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { JsButton } from "~/components/enhance";
import { Bdi, Ltr, Money, Ref, ltrRun, useDigits } from "~/components/bidi";

/**
 * /pledges/:reference — the printable payment instructions of a pledge: amount, the reference code
 * (big, copyable), the organisation's bank / office / transfer-shop instructions and the expiry
 * date; a pending pledge can be cancelled here (a guest proves it with the email address).
 * A pledge that is over (cancelled, expired, paid, refunded…) says so and shows no payment
 * instructions; money that arrived is shown with its receipts (linked for the signed-in donor
 * whose pledge it is; a guest has the link in the receipt email); a part-paid pledge shows what
 * arrived and what is still expected; a card pledge waiting for payment offers to continue to it.
 * Shows no donor email and nothing of the household.
 */

/** Pledges still waiting for money or an item: only these show how to pay. */
const OPEN_STATUSES = ["pending", "awaiting_payment", "offered"] as const;

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const raw = params.reference ?? "";
  const canonical = normalizeReference(raw);
  if (!canonical) throw new Response("Not Found", { status: 404 });
  if (canonical !== raw) throw redirect(`/pledges/${canonical}`);
  const db = await getDb();
  const [found, auth, locale, money] = await Promise.all([
    getPledgeInstructions(db, canonical),
    getAuth(request),
    getLocale(request),
    pledgeMoneyByReference(db, canonical),
  ]);
  if (!found || !money) throw new Response("Not Found", { status: 404 });
  const t = await getFixedT(request, ["pledging", "common"]);
  const { pledge, need, org, details } = found;
  const tz = org.timeZone;
  const url = new URL(request.url);
  const fmt = (minor: number) => formatMoney(minor, pledge.currency, locale);
  const mine = Boolean(auth && pledge.donorUserId === auth.user.id);
  const open = (OPEN_STATUSES as readonly string[]).includes(pledge.status);
  const arrivedMinor = money.money.payments.reduce((sum, p) => sum + p.amountMinor, 0);
  // A matched appeal (decision 068): "your 20 became 40".
  const matches = await matchesOfPledge(db, pledge.id);
  return data(
    {
      title: `${t("pledging:instructions.title", { reference: pledge.reference })} — ${t("common:appName")}`,
      locale,
      pledge: {
        reference: pledge.reference,
        status: pledge.status,
        method: pledge.method,
        amount: formatMoney(pledge.amountMinor, pledge.currency, locale),
        expiresOn: pledge.expiresAt ? formatDate(pledge.expiresAt, locale, tz) : null,
        mine,
        open,
        // What arrived for it (net of refunds) and, while it is still open, what is still expected.
        paid: money.paidMinor > 0 ? fmt(money.paidMinor) : null,
        expected: open && money.paidMinor > 0 ? fmt(Math.max(0, pledge.amountMinor - money.paidMinor)) : null,
        // Money that came after the pledge was cancelled or expired: kept for finance to resolve.
        lateMoney: (pledge.status === "cancelled" || pledge.status === "expired") && arrivedMinor > 0 ? fmt(arrivedMinor) : null,
        cancellable: (pledge.status === "pending" || pledge.status === "awaiting_payment") && money.paidMinor === 0,
        // A guest's pledge held 24 hours until confirmed by the emailed link (decision 053).
        unconfirmed: pledge.status === "pending" && !pledge.confirmedAt,
        confirmBy: pledge.expiresAt ? formatDateTime(pledge.expiresAt, locale, tz) : null,
        holdsUntil: formatDate(fullHoldUntil(pledge.createdAt, details?.pledgeExpiryDays), locale, tz),
      },
      // A gift to the solidarity fund (issue 12) has no need: the fund's name links to the organisation.
      need: need
        ? { href: `/needs/${need.publicId}`, title: publicTitleIn(need, locale), fund: false }
        : { href: `/orgs/${org.slug}`, title: fundTitleIn(org, pledge.zakat, locale), fund: true },
      zakat: pledge.zakat,
      org: { slug: org.slug, name: locale === "ar" ? org.nameAr : org.nameEn },
      bank: details
        ? {
            bankName: details.bankName,
            accountName: details.accountName,
            accountNumber: details.accountNumber,
            swift: details.swift,
            currency: details.currency,
          }
        : null,
      office: (locale === "ar" ? details?.officeInstructionsAr ?? details?.officeInstructionsEn : details?.officeInstructionsEn ?? details?.officeInstructionsAr) ?? null,
      transferShop:
        (locale === "ar"
          ? details?.transferShopInstructionsAr ?? details?.transferShopInstructionsEn
          : details?.transferShopInstructionsEn ?? details?.transferShopInstructionsAr) ?? null,
      receipts: money.money.payments
        .filter((p) => p.receipt)
        .map((p) => ({
          number: p.receipt!.number,
          amount: fmt(p.amountMinor),
          date: formatDate(`${p.valueDate}T12:00:00Z`, locale),
          href: mine ? receiptPath(p.receipt!.id) : null,
        })),
      matched: matches.map((m) => ({
        gift: formatMoney(m.giftMinor, m.currency, locale),
        total: formatMoney(m.giftMinor + m.amountMinor, m.currency, locale),
        appeal: (locale === "ar" ? m.titleAr || m.titleEn : m.titleEn || m.titleAr) ?? m.slug,
        slug: m.slug,
      })),
      cancelled: url.searchParams.has("cancelled"),
      confirmed: url.searchParams.has("confirmed"),
      signedIn: Boolean(auth),
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const reference = normalizeReference(params.reference ?? "");
  if (!reference) throw new Response("Not Found", { status: 404 });
  const auth = await getAuth(request);
  const submission = parseWithZod(await readForm(request), { schema: CancelPledgeSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  if (!auth && !submission.value.email) {
    return data({ result: submission.reply({ fieldErrors: { email: ["pledging:errors.emailRequired"] } }) }, { status: 400 });
  }
  try {
    await cancelPledge(await getDb(), {
      reference,
      userId: auth?.user.id ?? null,
      email: submission.value.email ?? null,
      actor: actorOf(request, auth?.user ?? null),
    });
  } catch (error) {
    if (!(error instanceof PledgeError)) throw error;
    return data({ result: submission.reply({ formErrors: [error.messageKey] }) }, { status: error.status });
  }
  return redirect(`/pledges/${reference}?cancelled=1`);
}

export default function PledgeInstructionsPage() {
  const { pledge, need, zakat, org, bank, office, transferShop, receipts, cancelled, confirmed, signedIn, matched } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("pledging");
  const digits = useDigits();
  const bankRows = bank
    ? ([
        ["bankName", bank.bankName],
        ["accountName", bank.accountName],
        ["accountNumber", bank.accountNumber],
        ["swift", bank.swift],
        ["bankCurrency", bank.currency],
      ] as const).filter(([, v]) => v)
    : [];
  // A receipt number and an amount inside a translated sentence: isolated left-to-right runs.
  const receiptLine = (r: { number: string; amount: string; date: string }) =>
    t("instructions.receiptLine", { number: ltrRun(r.number), amount: ltrRun(digits(r.amount)), date: digits(r.date) });
  return (
    <div className="mx-auto w-full max-w-2xl space-y-6">
      {cancelled && <Notice tone="success">{t("instructions.cancelled")}</Notice>}
      {confirmed && !pledge.unconfirmed && <Notice tone="success">{t("instructions.confirmed", { date: digits(pledge.expiresOn ?? "") })}</Notice>}
      {pledge.unconfirmed && (
        <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="pledge-unconfirmed">
          <p className="font-bold">{t("instructions.unconfirmedHeading", { date: digits(pledge.confirmBy ?? "") })}</p>
          <p className="mt-1">{t("instructions.unconfirmed", { date: digits(pledge.confirmBy ?? ""), until: digits(pledge.holdsUntil) })}</p>
        </div>
      )}
      {matched.map((m) => (
        <p key={m.slug} role="status" className="rounded border border-amber-300 bg-amber-50 p-3 font-bold" data-testid="pledge-matched">
          {t("instructions.matched", { gift: m.gift, total: m.total })}{" "}
          <Link to={`/appeals/${m.slug}`} className="underline">
            {m.appeal}
          </Link>
        </p>
      ))}
      <article id="pledge-instructions" className="space-y-4 rounded-lg border border-stone-200 bg-white p-5" data-testid="pledge-instructions">
        <h1 className="text-2xl font-bold text-brand-800">{t("instructions.heading")}</h1>
        {pledge.open ? (
          <p>{t("instructions.intro")}</p>
        ) : (
          <p role="status" className="rounded border border-stone-300 bg-stone-50 p-3 font-bold" data-testid="pledge-over">
            {t(`instructions.over.${pledge.status}`)}
          </p>
        )}
        {pledge.lateMoney && (
          <p className="rounded border border-amber-300 bg-amber-50 p-3" data-testid="pledge-late-money">
            {t("instructions.lateMoney", { amount: ltrRun(digits(pledge.lateMoney)) })}
          </p>
        )}
        <div className="rounded border-2 border-brand-700 p-4 text-center">
          <p className="text-sm font-bold">{t("instructions.reference")}</p>
          {/* One unbroken run: at 360 px the code fits at text-2xl; it never wraps at its hyphens. */}
          <p className="text-2xl font-bold sm:text-4xl">
            <Ref className="select-all tracking-wider sm:tracking-widest" testId="pledge-reference">
              {pledge.reference}
            </Ref>
          </p>
          <JsButton
            action="copy"
            value={pledge.reference}
            label={t("instructions.copy")}
            done={t("instructions.copied")}
            className="no-print mt-2 rounded border border-brand-700 px-3 py-1 text-sm text-brand-700"
            testId="copy-reference"
          />
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
          <dt className="font-bold">{t("instructions.amount")}</dt>
          <dd className="text-xl font-bold tabular-nums">
            <Money text={pledge.amount} testId="pledge-instructions-amount" />
          </dd>
          <dt className="font-bold">{t(need.fund ? "instructions.fund" : "instructions.need")}</dt>
          <dd>
            <Link to={need.href} className="underline">
              <Bdi>{need.title}</Bdi>
            </Link>
            {zakat && <span className="ms-2 rounded bg-emerald-100 px-1 text-sm text-emerald-900">{t("instructions.zakat")}</span>}
          </dd>
          <dt className="font-bold">{t("instructions.org")}</dt>
          <dd>
            <Bdi>{org.name}</Bdi>
          </dd>
          <dt className="font-bold">{t("instructions.method")}</dt>
          <dd>{t(`form.methods.${pledge.method}`)}</dd>
          <dt className="font-bold">{t("instructions.status")}</dt>
          <dd data-testid="pledge-status">{t(`status.${pledge.status}`)}</dd>
          {pledge.paid && (
            <>
              <dt className="font-bold">{t("instructions.arrived")}</dt>
              <dd className="tabular-nums" data-testid="pledge-arrived">
                <Money text={pledge.paid} />
              </dd>
            </>
          )}
          {pledge.expected && (
            <>
              <dt className="font-bold">{t("instructions.expected")}</dt>
              <dd className="font-bold tabular-nums" data-testid="pledge-expected">
                <Money text={pledge.expected} />
              </dd>
            </>
          )}
        </dl>

        {receipts.length > 0 && (
          <section className="space-y-2" aria-labelledby="receipts-heading">
            <h2 id="receipts-heading" className="text-lg font-bold">
              {t("instructions.receipts")}
            </h2>
            <ul className="list-inside list-disc" data-testid="pledge-receipts">
              {receipts.map((r) => (
                <li key={r.number}>
                  {r.href ? (
                    <Link to={r.href} reloadDocument className="text-brand-700 underline">
                      {receiptLine(r)}
                    </Link>
                  ) : (
                    receiptLine(r)
                  )}
                </li>
              ))}
            </ul>
            {receipts.some((r) => !r.href) && <p className="text-sm text-stone-700">{t("instructions.receiptEmailed")}</p>}
          </section>
        )}

        {pledge.status === "pending" && pledge.method === "bank_transfer" && (
          <section className="space-y-2">
            <h2 className="text-lg font-bold">{t("instructions.bankHeading")}</h2>
            {bankRows.length ? (
              <>
                <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                  {bankRows.map(([key, value]) => (
                    <div key={key} className="contents">
                      <dt className="font-bold">{t(`instructions.${key}`)}</dt>
                      <dd className="select-all font-mono">
                        {key === "bankName" || key === "accountName" ? <Bdi>{value}</Bdi> : <Ltr>{value}</Ltr>}
                      </dd>
                    </div>
                  ))}
                </dl>
                <p>{t("instructions.bankReferenceHint")}</p>
              </>
            ) : (
              <p>{t("instructions.noDetails")}</p>
            )}
          </section>
        )}
        {pledge.status === "pending" && pledge.method === "cash" && (
          <section className="space-y-2">
            <h2 className="text-lg font-bold">{t("instructions.officeHeading")}</h2>
            <p className="whitespace-pre-line">{office ?? t("instructions.noDetails")}</p>
          </section>
        )}
        {pledge.status === "pending" && pledge.method === "money_transfer" && (
          <section className="space-y-2">
            <h2 className="text-lg font-bold">{t("instructions.transferShopHeading")}</h2>
            <p className="whitespace-pre-line">{transferShop ?? t("instructions.noDetails")}</p>
          </section>
        )}
        {pledge.status === "awaiting_payment" && (
          <section className="no-print space-y-2" data-testid="pledge-card-continue">
            <p>{t("instructions.card", { date: digits(pledge.expiresOn ?? "") })}</p>
            {/* The pay page offers the fee cover, then opens Stripe Checkout (or its stand-in) by a POST: no JavaScript needed. */}
            <p>
              <Link
                to={`/pledges/${pledge.reference}/pay`}
                className="inline-block rounded bg-brand-700 px-5 py-3 text-lg font-bold text-white hover:bg-brand-800"
                data-testid="card-continue"
              >
                {t("instructions.cardContinue")}
              </Link>
            </p>
          </section>
        )}
        {pledge.status === "offered" && <p>{t("instructions.delivery")}</p>}
        {pledge.status === "pending" && pledge.expiresOn && !pledge.unconfirmed && (
          <p className="font-bold">{t("instructions.expires", { date: digits(pledge.expiresOn) })}</p>
        )}
      </article>

      <p className="no-print flex flex-wrap gap-4">
        <JsButton action="print" label={t("instructions.print")} className="rounded border border-stone-400 px-3 py-1" testId="print" />
        {signedIn && (
          <Link to="/account/pledges" className="text-brand-700 underline">
            {t("instructions.myPledges")}
          </Link>
        )}
      </p>

      {pledge.cancellable && (
        <section className="no-print space-y-3 rounded-lg border border-stone-200 bg-white p-5" aria-labelledby="cancel-heading">
          <h2 id="cancel-heading" className="text-lg font-bold">
            {t("instructions.cancelHeading")}
          </h2>
          <p>{t("instructions.cancelIntro")}</p>
          <FormMessage errors={actionData?.result?.error?.[""]} />
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="cancel" />
            {!pledge.mine && (
              <div className="space-y-1">
                <label htmlFor="cancel-email" className="block font-bold">
                  {t("instructions.cancelEmail")}
                </label>
                <input
                  id="cancel-email"
                  name="email"
                  type="email"
                  dir="ltr"
                  required
                  autoComplete="email"
                  aria-invalid={errorsAt(actionData?.result, "email")?.length ? true : undefined}
                  aria-describedby={errorsAt(actionData?.result, "email")?.length ? "cancel-email-error" : undefined}
                  className="block w-full rounded border border-stone-400 bg-white px-3 py-2"
                />
                <ErrorList id="cancel-email-error" errors={errorsAt(actionData?.result, "email")} />
              </div>
            )}
            <button type="submit" className="rounded border border-red-800 px-4 py-2 font-bold text-red-800">
              {t("instructions.cancelSubmit")}
            </button>
          </Form>
        </section>
      )}
    </div>
  );
}

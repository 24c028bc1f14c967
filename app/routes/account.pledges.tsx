import { Fragment } from "react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { FormMessage, Notice } from "~/components/forms";
import { PledgeError } from "~/modules/pledging/errors";
import { cancelPledge } from "~/modules/pledging/pledges.server";
import { donorTrail, type DonorTrailRow } from "~/modules/pledging/donor-trail.server";
import { receiptPath } from "~/modules/receipts/receipts.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { actorOf, requireUser } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { withNumerals, type Numerals } from "~/utils/numerals";
import { Bdi, Digits, Money, Ref, ltrRun } from "~/components/bidi";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { fundTitleIn, publicTitleIn } from "~/modules/needs/titles";
import { openCreditsOf } from "~/modules/giving/credits.server";

/**
 * /account/pledges — the donor's pledges with status, reference and instructions; cancel a pending
 * one. Under each, its trail: pledged → paid (with the receipt) → in the need's fund → refunded or
 * moved (to "another need of the organisation" or "the organisation's general fund", nothing
 * more) → disbursed (a later issue: shown as not yet).
 */

type Fixed = Awaited<ReturnType<typeof getFixedT>>;
type Locale = Awaited<ReturnType<typeof getLocale>>;

export interface TrailStep {
  step: "pledged" | "paid" | "fund" | "after" | "disbursed";
  done: boolean;
  lines: { text: string; href?: string }[];
}

/** The five steps of one pledge, as text in the donor's language. */
function trailOf(p: DonorTrailRow, t: Fixed, locale: Locale, numerals: Numerals): TrailStep[] {
  // Amounts and codes inside a sentence are isolated left-to-right runs; figures in the person's digits.
  const fmt = (minor: number) => ltrRun(withNumerals(formatMoney(minor, p.currency, locale), numerals));
  const day = (d: string) => withNumerals(formatDate(`${d}T12:00:00Z`, locale), numerals);
  const when = (d: Date | string) => withNumerals(formatDate(d, locale), numerals);
  const released = p.status === "cancelled" || p.status === "expired" || p.status === "declined";
  const paid: TrailStep = {
    step: "paid",
    done: p.money.payments.length > 0,
    lines: [],
  };
  for (const payment of p.money.payments) {
    paid.lines.push({
      text: t("pledging:trail.paid", {
        amount: fmt(payment.amountMinor),
        date: day(payment.valueDate),
      }),
    });
    if (payment.receipt)
      paid.lines.push({
        text: t("pledging:trail.receipt", { number: ltrRun(payment.receipt.number) }),
        href: receiptPath(payment.receipt.id),
      });
  }
  if (p.status === "received") {
    paid.done = true;
    paid.lines.push({ text: t("pledging:trail.delivered") });
  }
  if (paid.lines.length === 0)
    paid.lines.push({
      text: t(released ? "pledging:trail.noPayment" : "pledging:trail.notYet"),
    });

  const inFund = paid.done;
  const fund: TrailStep = {
    step: "fund",
    done: inFund,
    lines: [
      {
        text: !inFund
          ? t("pledging:trail.notYet")
          : p.need
            ? t("pledging:trail.fund", {
                received: fmt(p.need.figures.receivedMinor),
                target: fmt(p.need.targetMinor),
              })
            : t(p.fund?.zakat ? "pledging:trail.inZakatFund" : "pledging:trail.inSolidarityFund"),
      },
    ],
  };

  const after: TrailStep = { step: "after", done: false, lines: [] };
  for (const refund of p.money.refunds) {
    if (refund.status === "failed") continue;
    after.done = true;
    const date = when(refund.createdAt);
    after.lines.push({
      text: t(refund.status === "succeeded" ? "pledging:trail.refunded" : "pledging:trail.refundPending", {
        amount: fmt(refund.amountMinor),
        date,
      }),
    });
    if (refund.creditNote)
      after.lines.push({
        text: t("pledging:trail.creditNote", {
          number: ltrRun(refund.creditNote.number),
        }),
        href: receiptPath(refund.creditNote.id),
      });
  }
  for (const move of p.money.moves) {
    after.done = true;
    if (move.allocation) {
      // The solidarity fund's allocator chose this need: name it (its public title) and say why.
      const parts = move.allocation.parts;
      after.lines.push({
        text: t("pledging:trail.allocated", {
          amount: fmt(move.amountMinor),
          date: day(move.valueDate),
          need: publicTitleIn(move.allocation, locale),
        }),
        href: `/needs/${move.allocation.publicId}`,
      });
      after.lines.push({
        text: t("pledging:trail.why", {
          score: withNumerals(String(move.allocation.score), numerals),
          urgency: withNumerals(String(parts.urgency ?? 0), numerals),
          deadline: withNumerals(String(parts.deadline ?? 0), numerals),
          waiting: withNumerals(String(parts.waiting ?? 0), numerals),
          received: withNumerals(String(parts.received ?? 0), numerals),
          closeToDone: withNumerals(String(parts.closeToDone ?? 0), numerals),
        }),
      });
      continue;
    }
    after.lines.push({
      text: t(move.to === "other_need" ? "pledging:trail.movedNeed" : "pledging:trail.movedGeneral", {
        amount: fmt(move.amountMinor),
        date: day(move.valueDate),
      }),
    });
  }
  if (after.lines.length === 0) after.lines.push({ text: t("pledging:trail.nothingAfter") });

  return [
    {
      step: "pledged",
      done: true,
      lines: [
        {
          text: t("pledging:trail.pledged", {
            amount: fmt(p.amountMinor),
            date: when(p.createdAt),
          }),
        },
      ],
    },
    paid,
    fund,
    after,
    {
      step: "disbursed",
      done: false,
      lines: [{ text: t("pledging:trail.notYet") }],
    },
  ];
}

const CancelSchema = z.object({
  intent: z.literal("cancel"),
  reference: z
    .string()
    .max(40)
    .refine((v) => normalizeReference(v) !== null, "pledging:errors.referenceInvalid"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  const [rows, locale, t, credits] = await Promise.all([
    donorTrail(db, user.id),
    getLocale(request),
    getFixedT(request, ["pledging", "common"]),
    // Donor credit (issue 12): gifts whose need was cancelled or expired, waiting for the donor's choice.
    user.emailVerifiedAt ? openCreditsOf(db, user.email) : Promise.resolve([]),
  ]);
  const cancelled = normalizeReference(new URL(request.url).searchParams.get("cancelled"));
  return data(
    {
      title: `${t("pledging:account.title")} — ${t("common:appName")}`,
      cancelled,
      credits: credits.map((c) => ({
        path: c.path,
        text: t("pledging:account.credit", { amount: formatMoney(c.amountMinor, c.currency, locale), need: publicTitleIn(c, locale), until: formatDate(c.expiresAt, locale) }),
      })),
      pledges: rows.map((p) => ({
        reference: p.reference,
        status: p.status,
        amount: formatMoney(p.amountMinor, p.currency, locale),
        date: formatDate(p.createdAt, locale),
        needPublicId: p.need?.publicId ?? null,
        orgSlug: p.fund?.orgSlug ?? null,
        needTitle: p.need ? publicTitleIn(p.need, locale) : p.fund ? fundTitleIn({ nameAr: p.fund.orgNameAr, nameEn: p.fund.orgNameEn }, p.fund.zakat, locale) : "",
        cancellable: (p.status === "pending" || p.status === "awaiting_payment") && p.paidMinor === 0 && p.money.payments.length === 0,
        trail: trailOf(p, t, locale, user.numerals),
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } }
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await readForm(request), {
    schema: CancelSchema,
  });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const reference = normalizeReference(submission.value.reference)!;
  try {
    await cancelPledge(await getDb(), {
      reference,
      userId: user.id,
      actor: actorOf(request, user),
    });
  } catch (error) {
    if (!(error instanceof PledgeError)) throw error;
    return data({ result: submission.reply({ formErrors: [error.messageKey] }) }, { status: error.status });
  }
  return redirect(`/account/pledges?cancelled=${reference}`);
}

export default function MyPledges() {
  const { pledges, cancelled, credits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("pledging");
  return (
    <div className="mx-auto w-full max-w-4xl space-y-4">
      <h1 className="text-2xl font-bold text-brand-800">{t("account.title")}</h1>
      <p>{t("account.intro")}</p>
      {cancelled && <Notice tone="success">{t("account.cancelled", { reference: ltrRun(cancelled) })}</Notice>}
      {credits.length > 0 && (
        <ul className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3" data-testid="my-credits">
          {credits.map((c) => (
            <li key={c.path}>
              {c.text}{" "}
              <Link to={c.path} className="font-bold text-brand-700 underline">
                {t("account.creditChoose")}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <FormMessage errors={actionData?.result?.error?.[""] ?? actionData?.result?.error?.reference} />
      {pledges.length === 0 ? (
        <p>
          {t("account.empty")}{" "}
          <Link to="/needs" className="text-brand-700 underline">
            {t("account.browse")}
          </Link>
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-start" data-testid="my-pledges">
            <thead>
              <tr className="border-b border-stone-300 text-start">
                <th scope="col" className="p-2 text-start">
                  {t("account.columns.date")}
                </th>
                <th scope="col" className="p-2 text-start">
                  {t("account.columns.need")}
                </th>
                <th scope="col" className="p-2 text-start">
                  {t("account.columns.amount")}
                </th>
                <th scope="col" className="p-2 text-start">
                  {t("account.columns.reference")}
                </th>
                <th scope="col" className="p-2 text-start">
                  {t("account.columns.status")}
                </th>
                <th scope="col" className="p-2 text-start">
                  {t("account.columns.actions")}
                </th>
              </tr>
            </thead>
            <tbody>
              {pledges.map((p) => (
                <Fragment key={p.reference}>
                  <tr className="border-b border-stone-200">
                    <td className="p-2">
                      <Digits>{p.date}</Digits>
                    </td>
                    <td className="p-2">
                      <Link to={p.needPublicId ? `/needs/${p.needPublicId}` : `/orgs/${p.orgSlug}`} className="underline">
                        <Bdi>{p.needTitle}</Bdi>
                      </Link>
                    </td>
                    <td className="p-2 tabular-nums">
                      <Money text={p.amount} />
                    </td>
                    <td className="p-2">
                      <Ref>{p.reference}</Ref>
                    </td>
                    <td className="p-2">{t(`status.${p.status}`)}</td>
                    <td className="space-x-2 p-2 rtl:space-x-reverse">
                      <Link to={`/pledges/${p.reference}`} className="text-brand-700 underline">
                        {t("account.instructions")}
                      </Link>
                      {p.cancellable && (
                        <Form method="post" className="inline">
                          <input type="hidden" name="intent" value="cancel" />
                          <input type="hidden" name="reference" value={p.reference} />
                          <button type="submit" className="text-red-800 underline" aria-label={`${t("account.cancel")} ${p.reference}`}>
                            {t("account.cancel")}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                  <tr className="border-b border-stone-300">
                    <td colSpan={6} className="p-2 pb-4">
                      <ol
                        className="grid gap-2 text-sm sm:grid-cols-5"
                        aria-label={t("trail.label", {
                          reference: p.reference,
                        })}
                        data-testid="pledge-trail"
                      >
                        {p.trail.map((step) => (
                          <li
                            key={step.step}
                            data-step={step.step}
                            data-done={step.done ? "true" : "false"}
                            className={`rounded border p-2 ${
                              step.done ? "border-emerald-300 bg-emerald-50" : "border-stone-200 bg-stone-50 text-stone-700"
                            }`}
                          >
                            <p className="font-bold">
                              {t(`trail.steps.${step.step}`)}
                              <span className="sr-only"> — {t(step.done ? "trail.done" : "trail.pending")}</span>
                            </p>
                            {step.lines.map((line, i) =>
                              line.href ? (
                                <p key={i}>
                                  <a href={line.href} className="text-brand-700 underline">
                                    {line.text}
                                  </a>
                                </p>
                              ) : (
                                <p key={i}>{line.text}</p>
                              )
                            )}
                          </li>
                        ))}
                      </ol>
                    </td>
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

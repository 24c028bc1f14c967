import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { newIdempotencyKey } from "~/modules/pledging/pledges.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { minorToInput } from "~/modules/needs/money";
import { orgNeed, paymentDetail, reallocationTargets, type PaymentDetail } from "~/modules/payments/inbox.server";
import { attachPayment, confirmCashPayment, reallocatePayment, rejectCashPayment, requestRefund } from "~/modules/payments/payments.server";
import { stripeRefund } from "~/modules/payments/stripe-client.server";
import { PaymentError } from "~/modules/payments/errors";
import { PaymentActionSchema, moneyOf } from "~/modules/payments/schemas";
import { receiptPath } from "~/modules/receipts/receipts.server";
import { ErrorList, FormMessage, Notice } from "~/components/forms";
import { PlainField, PlainSelect } from "~/components/registry";
import { PledgeReference } from "~/components/pledges-staff";
import {
  PageTitle,
  Section,
  buttonClass,
  dangerButtonClass,
  inputClass,
  linkClass,
  tableClass,
  tdClass,
  thClass,
  useLocale,
} from "~/components/staff";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";

/**
 * /finance/:orgSlug/payments/:paymentId — one payment: what arrived, who recorded it (a person or
 * the system), its proof, its ledger postings, receipts and credit notes, refunds; and what finance
 * may do with it: confirm or reject cash as the second person, attach suspense money to a pledge,
 * move money (another need of the organisation in the same currency, or the unrestricted fund),
 * refund (card through Stripe, offline with its reference). Changes go through payments.server.ts.
 */

type Errors = Record<string, string[] | undefined>;

/**
 * A refusal of payments.server.ts as this page answers it: its status (4xx) and its message in
 * the `payments` namespace; null for anything else (a bug: let it be a 500).
 */
function paymentRefusal(error: unknown): { status: number; messageKey: string } | null {
  if (!(error instanceof PaymentError)) return null;
  const e = error as PaymentError & { status?: number; messageKey?: string; code: string };
  const status = typeof e.status === "number" && e.status >= 400 && e.status < 500 ? e.status : 400;
  return { status, messageKey: e.messageKey ?? `payments:errors.${e.code}` };
}

/** What the page offers for a payment in its current state. */
function offers(p: PaymentDetail, userId: string) {
  const inLedger = ["succeeded", "partly_refunded", "disputed"].includes(p.status);
  const closedNeed = p.allocation === "need_fund" && (p.needState === "cancelled" || p.needState === "expired");
  const openFlag = Boolean(p.flag && !p.flagResolvedAt);
  return {
    confirm: p.status === "awaiting_confirmation",
    ownEntry: p.status === "awaiting_confirmation" && p.recordedBy === userId,
    attach: inLedger && p.allocation === "suspense",
    reallocate: inLedger && p.refundedMinor < p.amountMinor && (p.allocation === "suspense" || closedNeed || openFlag),
    refund: inLedger && p.status !== "disputed" && p.refundedMinor < p.amountMinor,
    closedNeed,
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const db = await getDb();
  const payment = await paymentDetail(db, org.id, params.paymentId ?? "");
  if (!payment) notFound();
  const locale = await getLocale(request);
  const can = offers(payment, member.user.id);
  const targets = can.reallocate ? await reallocationTargets(db, org.id, payment.currency) : [];
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    title: await staffTitle(request, "finance:payment.title", orgName(org, locale)),
    org: { slug: org.slug, timeZone: org.timeZone },
    payment,
    can,
    targets,
    receiptLinks: Object.fromEntries(payment.receipts.map((r) => [r.id, receiptPath(r.id)])),
    keys: { attach: newIdempotencyKey(), reallocate: newIdempotencyKey(), refund: newIdempotencyKey() },
    notice: notice && /^[a-z_]{1,40}$/.test(notice) ? notice : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export interface PaymentActionReply {
  intent: string;
  errors: Errors;
  formErrors: string[];
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const db = await getDb();
  const payment = await paymentDetail(db, org.id, params.paymentId ?? "");
  if (!payment) notFound();
  const form = await readForm(request);
  const intent = typeof form.get("intent") === "string" ? String(form.get("intent")).slice(0, 20) : "";
  const reply = (status: number, body: Partial<PaymentActionReply>) =>
    data<PaymentActionReply>({ intent, errors: {}, formErrors: [], ...body }, { status });
  const refuse = (status: number, key: string, field?: string) =>
    field ? reply(status, { errors: { [field]: [key] } }) : reply(status, { formErrors: [key] });

  const parsed = PaymentActionSchema.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    const flat = parsed.error.flatten();
    return reply(400, { errors: flat.fieldErrors as Errors, formErrors: flat.formErrors });
  }
  const input = parsed.data;
  const can = offers(payment, member.user.id);
  const back = (notice: string) => redirect(`/finance/${org.slug}/payments/${payment.id}?notice=${notice}`);

  try {
    switch (input.intent) {
      case "confirm": {
        if (!can.confirm) return refuse(409, "finance:errors.notAwaiting");
        if (can.ownEntry) return refuse(403, "finance:errors.fourEyesSamePerson");
        await confirmCashPayment(db, member.actor, payment.id);
        return back("confirmed");
      }
      case "reject": {
        if (!can.confirm) return refuse(409, "finance:errors.notAwaiting");
        if (can.ownEntry) return refuse(403, "finance:errors.fourEyesSamePerson");
        await rejectCashPayment(db, member.actor, payment.id, input.reason);
        return back("rejected");
      }
      case "attach": {
        if (!can.attach) return refuse(409, "finance:errors.notInSuspense");
        const reference = normalizeReference(input.pledgeReference);
        if (!reference) return refuse(400, "finance:errors.referenceInvalid", "pledgeReference");
        await attachPayment(db, member.actor, { paymentId: payment.id, pledgeReference: reference, idempotencyKey: input.idempotencyKey });
        return back("attached");
      }
      case "reallocate": {
        if (!can.reallocate) return refuse(409, "finance:errors.cannotReallocate");
        let amountMinor: number | undefined;
        if (input.amount) {
          const amount = moneyOf(input.amount, payment.currency);
          if (!amount.ok) return refuse(400, amount.error, "amount");
          if (amount.minor > payment.amountMinor - payment.refundedMinor) return refuse(400, "finance:errors.reallocateTooLarge", "amount");
          amountMinor = amount.minor;
        }
        let to: { needId: string } | "unrestricted" = "unrestricted";
        if (input.to !== "unrestricted") {
          // Another organisation's need is answered like an unknown one.
          const need = await orgNeed(db, org.id, input.to);
          if (!need) return refuse(404, "finance:errors.otherOrgNeed", "to");
          if (need.currency !== payment.currency) return refuse(400, "finance:errors.otherCurrencyNeed", "to");
          to = { needId: need.id };
        }
        await reallocatePayment(db, member.actor, { paymentId: payment.id, to, idempotencyKey: input.idempotencyKey, amountMinor });
        return back("reallocated");
      }
      case "refund": {
        if (!can.refund) return refuse(409, "finance:errors.cannotRefund");
        const amount = moneyOf(input.amount, payment.currency);
        if (!amount.ok) return refuse(400, amount.error, "amount");
        if (amount.minor > payment.amountMinor - payment.refundedMinor) return refuse(400, "finance:errors.refundTooLarge", "amount");
        const card = payment.method === "card";
        if (!card && !input.offlineReference) return refuse(400, "finance:errors.offlineReferenceRequired", "offlineReference");
        await requestRefund(db, member.actor, {
          paymentId: payment.id,
          amountMinor: amount.minor,
          reason: input.reason,
          idempotencyKey: input.idempotencyKey,
          offlineReference: card ? null : (input.offlineReference ?? null),
          stripeRefund: card ? stripeRefund : undefined,
        });
        return back("refunded");
      }
    }
  } catch (error) {
    const refusal = paymentRefusal(error);
    if (refusal) return refuse(refusal.status, refusal.messageKey);
    throw error;
  }
}

export default function PaymentPage() {
  const { org, payment: p, can, targets, receiptLinks, keys, notice } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("finance");
  const locale = useLocale();
  const money = (minor: number) => formatMoney(minor, p.currency, locale);
  const errorsFor = (intent: string): Errors => (reply?.intent === intent ? reply.errors : {});
  const needTitle = (locale === "ar" ? p.needTitleAr || p.needTitleEn : p.needTitleEn || p.needTitleAr) || p.needPublicId;
  const remaining = p.amountMinor - p.refundedMinor;

  return (
    <div className="space-y-6">
      <PageTitle title={t("payment.heading", { amount: money(p.amountMinor) })} intro={t(`methods.${p.method}`)}>
        <Link to={`/finance/${org.slug}/payments`} className={linkClass}>
          {t("nav.payments")}
        </Link>
      </PageTitle>

      {notice && (
        <div data-testid="payment-notice">
          <Notice tone={notice === "suspense" || notice === "awaiting_confirmation" ? "warning" : "success"}>{t(`payment.notices.${notice}`, { defaultValue: t("payment.notices.done") })}</Notice>
        </div>
      )}
      {reply?.formErrors?.length ? <FormMessage id="payment-error" errors={reply.formErrors} /> : null}

      <Section id="details" title={t("payment.details")}>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]" data-testid="payment-details">
          <dt className="font-bold">{t("payment.amount")}</dt>
          <dd className="tabular-nums">
            {money(p.amountMinor)}
            {p.feeMinor > 0 && <span className="block">{t("payment.fee", { fee: money(p.feeMinor), net: money(p.amountMinor - p.feeMinor) })}</span>}
            {p.coverFeeMinor > 0 && <span className="block">{t("payment.coverFee", { amount: money(p.coverFeeMinor) })}</span>}
            {p.surplusMinor > 0 && <span className="block">{t("payment.surplus", { amount: money(p.surplusMinor) })}</span>}
            {p.refundedMinor > 0 && <span className="block">{t("payment.refundedSoFar", { amount: money(p.refundedMinor) })}</span>}
          </dd>
          <dt className="font-bold">{t("payment.status")}</dt>
          <dd>
            {t(`paymentStatus.${p.status}`)}
            {p.flag && (
              <span className={`block ${p.flagResolvedAt ? "" : "font-bold text-red-900"}`}>
                {t(`flags.${p.flag}`)}
                {p.flagResolvedAt && ` — ${t("payment.flagResolved")}`}
              </span>
            )}
          </dd>
          <dt className="font-bold">{t("payment.where")}</dt>
          <dd data-testid="payment-allocation" data-allocation={p.allocation}>
            {t(`allocation.${p.allocation}`)}
            {p.allocation === "need_fund" && needTitle && (
              <>
                {": "}
                <Link to={`/staff/${org.slug}/needs/${p.needId}`} className={linkClass}>
                  {needTitle}
                </Link>
              </>
            )}
            {can.closedNeed && <span className="block font-bold text-red-900">{t(`needClosed.${p.needState}`)}</span>}
          </dd>
          <dt className="font-bold">{t("payment.pledge")}</dt>
          <dd>
            {p.pledgeReference ? <PledgeReference reference={p.pledgeReference} /> : t("payment.noPledge")}
            {p.pledge && (
              <span className="block">
                {t("payment.pledgeCovered", { paid: money(p.pledge.paidMinor), amount: money(p.pledge.amountMinor) })}
              </span>
            )}
          </dd>
          <dt className="font-bold">{t("payment.valueDate")}</dt>
          <dd>{formatDate(`${p.valueDate}T12:00:00Z`, locale)}</dd>
          <dt className="font-bold">{t("payment.account")}</dt>
          <dd>{p.method === "card" ? t("payment.stripe") : (p.moneyAccountName ?? "—")}</dd>
          <dt className="font-bold">{t("payment.externalId")}</dt>
          <dd dir="ltr" className="text-start">{p.externalId ?? "—"}</dd>
          <dt className="font-bold">{t("payment.donor")}</dt>
          <dd>
            {p.donorName ?? t("anonymous")}
            {p.donorEmail && (
              <span className="block" dir="ltr">
                {p.donorEmail}
              </span>
            )}
          </dd>
          <dt className="font-bold">{t("payment.recordedBy")}</dt>
          <dd data-testid="payment-recorder">
            {p.recordedBy ? p.recordedByName : t("system")} ·{" "}
            <time dateTime={new Date(p.recordedAt).toISOString()}>{formatDateTime(p.recordedAt, locale, org.timeZone)}</time>
          </dd>
          {p.confirmedAt && (
            <>
              <dt className="font-bold">{t("payment.confirmedBy")}</dt>
              <dd>
                {p.confirmedByName ?? t("system")} · {formatDateTime(p.confirmedAt, locale, org.timeZone)}
              </dd>
            </>
          )}
          <dt className="font-bold">{t("payment.proof")}</dt>
          <dd>
            {p.proof ? (
              <a href={`/finance/${org.slug}/payments/${p.id}/proof`} className={linkClass} data-testid="payment-proof">
                {p.proof.fileName}
              </a>
            ) : (
              t("payment.noProof")
            )}
          </dd>
          {p.note && (
            <>
              <dt className="font-bold">{t("payment.note")}</dt>
              <dd className="whitespace-pre-line">{p.note}</dd>
            </>
          )}
        </dl>
      </Section>

      {can.confirm && (
        <Section id="confirm" title={t("payment.confirm.title")} description={t("payment.confirm.intro")}>
          {can.ownEntry ? (
            <p className="font-bold" data-testid="own-entry">
              {t("payment.confirm.own")}
            </p>
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <button type="submit" className={buttonClass} data-testid="confirm-cash">
                  {t("payment.confirm.submit")}
                </button>
              </Form>
              <Form method="post" className="space-y-2">
                <input type="hidden" name="intent" value="reject" />
                <PlainField id="reject-reason" name="reason" label={t("payment.confirm.reason")} errors={errorsFor("reject").reason} required />
                <button type="submit" className={dangerButtonClass}>
                  {t("payment.confirm.reject")}
                </button>
              </Form>
            </div>
          )}
        </Section>
      )}

      {can.attach && (
        <Section id="attach" title={t("payment.attach.title")} description={t("payment.attach.intro")}>
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="attach" />
            <input type="hidden" name="idempotencyKey" value={keys.attach} />
            <div className="min-w-[14rem]">
              <PlainField id="attach-reference" name="pledgeReference" label={t("payment.attach.reference")} errors={errorsFor("attach").pledgeReference} dir="ltr" required />
            </div>
            <button type="submit" className={buttonClass}>
              {t("payment.attach.submit")}
            </button>
          </Form>
        </Section>
      )}

      {can.reallocate && (
        <Section id="reallocate" title={t("payment.reallocate.title")} description={t("payment.reallocate.intro")}>
          <Form method="post" className="grid gap-4 sm:grid-cols-2">
            <input type="hidden" name="intent" value="reallocate" />
            <input type="hidden" name="idempotencyKey" value={keys.reallocate} />
            <PlainSelect
              id="reallocate-to"
              name="to"
              label={t("payment.reallocate.to")}
              errors={errorsFor("reallocate").to}
              defaultValue={p.pledge && targets.some((n) => n.id === p.pledge?.needId) ? p.pledge.needId : "unrestricted"}
              options={[
                { value: "unrestricted", label: t("payment.reallocate.unrestricted") },
                ...targets.map((n) => ({
                  value: n.id,
                  label: `${(locale === "ar" ? n.titleAr || n.titleEn : n.titleEn || n.titleAr) || n.publicId} (${n.publicId}) — ${t("payment.reallocate.room", { amount: money(n.roomMinor) })}${p.pledge?.needId === n.id ? ` — ${t("payment.reallocate.same")}` : ""}`,
                })),
              ]}
            />
            <PlainField id="reallocate-amount" name="amount" label={t("payment.reallocate.amount")} hint={t("payment.reallocate.amountHint", { amount: money(remaining) })} errors={errorsFor("reallocate").amount} dir="ltr" />
            <p className="text-sm sm:col-span-2">{t("payment.reallocate.donorTold")}</p>
            <div>
              <button type="submit" className={buttonClass}>
                {t("payment.reallocate.submit")}
              </button>
            </div>
          </Form>
        </Section>
      )}

      {can.refund && (
        <Section id="refund" title={t("payment.refund.title")} description={p.method === "card" ? t("payment.refund.introCard") : t("payment.refund.introOffline")}>
          <Form method="post" className="grid gap-4 sm:grid-cols-2">
            <input type="hidden" name="intent" value="refund" />
            <input type="hidden" name="idempotencyKey" value={keys.refund} />
            <PlainField
              id="refund-amount"
              name="amount"
              label={t("payment.refund.amount", { currency: p.currency })}
              hint={t("payment.refund.amountHint", { amount: money(remaining) })}
              defaultValue={minorToInput(remaining, p.currency)}
              errors={errorsFor("refund").amount}
              dir="ltr"
              required
            />
            {p.method !== "card" && (
              <PlainField id="refund-reference" name="offlineReference" label={t("payment.refund.reference")} errors={errorsFor("refund").offlineReference} dir="ltr" required />
            )}
            <div className="space-y-1 sm:col-span-2">
              <label htmlFor="refund-reason" className="block font-bold">
                {t("payment.refund.reason")}
              </label>
              <textarea id="refund-reason" name="reason" rows={2} maxLength={500} className={inputClass} />
              <ErrorList errors={errorsFor("refund").reason} />
            </div>
            <div>
              <button type="submit" className={dangerButtonClass}>
                {t("payment.refund.submit")}
              </button>
            </div>
          </Form>
        </Section>
      )}

      <Section id="refunds" title={t("payment.refunds.title")}>
        {p.refunds.length === 0 ? (
          <p>{t("payment.refunds.none")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="refunds-table">
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("columns.date")}</th>
                  <th scope="col" className={thClass}>{t("columns.amount")}</th>
                  <th scope="col" className={thClass}>{t("columns.status")}</th>
                  <th scope="col" className={thClass}>{t("columns.externalId")}</th>
                  <th scope="col" className={thClass}>{t("columns.recordedBy")}</th>
                </tr>
              </thead>
              <tbody>
                {p.refunds.map((r) => (
                  <tr key={r.id}>
                    <td className={tdClass}>{formatDateTime(r.createdAt, locale, org.timeZone)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatMoney(r.amountMinor, r.currency, locale)}</td>
                    <td className={tdClass}>{t(`refundStatus.${r.status}`)}</td>
                    <td className={tdClass} dir="ltr">
                      {r.stripeRefundId ?? r.externalId ?? "—"}
                    </td>
                    <td className={tdClass}>{r.recordedByName ?? t("system")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="receipts" title={t("payment.receipts.title")}>
        {p.receipts.length === 0 ? (
          <p>{t("payment.receipts.none")}</p>
        ) : (
          <ul className="space-y-1" data-testid="payment-receipts">
            {p.receipts.map((r) => (
              <li key={r.id}>
                <a href={receiptLinks[r.id]} className={linkClass}>
                  {t(`receiptKinds.${r.kind}`)} <span dir="ltr">{r.number}</span>
                </a>{" "}
                — {formatMoney(r.amountMinor, r.currency, locale)}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="postings" title={t("payment.postings.title")} description={t("payment.postings.intro")}>
        {p.postings.length === 0 ? (
          <p>{t("payment.postings.none")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="postings-table">
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("columns.entry")}</th>
                  <th scope="col" className={thClass}>{t("columns.account")}</th>
                  <th scope="col" className={thClass}>{t("columns.debit")}</th>
                  <th scope="col" className={thClass}>{t("columns.credit")}</th>
                </tr>
              </thead>
              <tbody>
                {p.postings.map((row, i) => (
                  <tr key={`${row.entryId}-${i}`}>
                    <td className={tdClass}>
                      {t(`entryKinds.${row.kind}`)} · {formatDate(`${row.valueDate}T12:00:00Z`, locale)}
                      <span className="block text-xs">{row.actorUserId ? row.actorName : t("system")}</span>
                    </td>
                    <td className={tdClass}>
                      {t(`accountKinds.${row.accountKind}`)}
                      {row.accountLabel && <span className="block text-xs">{row.accountLabel}</span>}
                    </td>
                    <td className={`${tdClass} tabular-nums`}>{row.amountMinor > 0 ? formatMoney(row.amountMinor, row.currency, locale) : ""}</td>
                    <td className={`${tdClass} tabular-nums`}>{row.amountMinor < 0 ? formatMoney(-row.amountMinor, row.currency, locale) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}

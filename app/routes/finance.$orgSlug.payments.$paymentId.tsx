import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { notFound, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { newIdempotencyKey } from "~/modules/pledging/pledges.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { orgNeed, paymentDetail, reallocationTargets, type PaymentDetail } from "~/modules/payments/inbox.server";
import { attachPayment, confirmCashPayment, reallocatePayment, rejectCashPayment, requestRefund } from "~/modules/payments/payments.server";
import { stripeRefund } from "~/modules/payments/stripe-client.server";
import { PaymentError } from "~/modules/payments/errors";
import { PaymentActionSchema, moneyOf } from "~/modules/payments/schemas";
import { receiptPath } from "~/modules/receipts/receipts.server";
import { FormMessage, Notice } from "~/components/forms";
import { PageTitle, linkClass } from "~/components/staff";
import { usePaymentPage } from "~/components/payments/payment-page-context";
import { PaymentAttachSection, PaymentConfirmSection, PaymentReallocateSection, PaymentRefundSection } from "~/components/payments/payment-actions";
import { PaymentDetailsSection, PaymentPostingsSection, PaymentReceiptsSection, PaymentRefundsSection } from "~/components/payments/payment-records";

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

/** The page's frame; its sections are in app/components. `t` comes from the page's hook. @i18n-namespace finance */
export default function PaymentPage() {
  const { org, notice, reply, t, money, p } = usePaymentPage();

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

      <PaymentDetailsSection />
      <PaymentConfirmSection />
      <PaymentAttachSection />
      <PaymentReallocateSection />
      <PaymentRefundSection />
      <PaymentRefundsSection />
      <PaymentReceiptsSection />
      <PaymentPostingsSection />
    </div>
  );
}

import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { noticeFrom, staffTitle } from "~/modules/organizations/route-helpers.server";
import { decideDetailChange, getPayee, requestDetailChange, updatePayee, withdrawDetailChange } from "~/modules/payees/payees.server";
import { PayeeError } from "~/modules/payees/errors";
import { BankDetailsSchema, DecideChangeSchema, PAYEE_ROLES, UpdatePayeeSchema, WithdrawChangeSchema, maskAccountNumber } from "~/modules/payees/schemas";
import { FormMessage, Notice } from "~/components/forms";
import { PageTitle, linkClass } from "~/components/staff";
import { usePayeePage } from "~/components/payees/payee-page-context";
import { PayeeChangeSection, PayeeContactSection, PayeeDetailsSection } from "~/components/payees/payee-details";
import { PayeeBatchesSection, PayeeHistorySection, PayeeNeedsSection } from "~/components/payees/payee-records";

/**
 * /finance/:orgSlug/payees/:payeeId — one payee: its name and contact (editable), the bank details
 * in force, the change waiting for a second finance person (approve or reject by another person;
 * the requester may withdraw it), a form to request new details, the history of changes, the
 * needs paid to it and its disbursements. Another organisation's payee is a 404.
 */

type Errors = Record<string, string[] | undefined>;
const INTENTS = ["update", "request", "decide", "withdraw"] as const;
type Intent = (typeof INTENTS)[number];

async function payeeOr404(orgId: string, payeeId: string | undefined) {
  try {
    return await getPayee(await getDb(), orgId, payeeId ?? "");
  } catch (error) {
    if (error instanceof PayeeError && error.status === 404) throw new Response("Not Found", { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, PAYEE_ROLES);
  const { org } = member;
  const found = await payeeOr404(org.id, params.payeeId);
  const locale = await getLocale(request);
  const { payee } = found;
  return {
    title: await staffTitle(request, "payees:title", `${payee.name} — ${orgName(org, locale)}`),
    slug: org.slug,
    timeZone: org.timeZone,
    me: member.user.id,
    notice: noticeFrom(new URL(request.url), ["created", "saved", "requested", "approved", "rejected", "withdrawn"] as const),
    payee: {
      id: payee.id,
      kind: payee.kind,
      name: payee.name,
      status: payee.status,
      contactName: payee.contactName,
      phone: payee.phone,
      email: payee.email,
      address: payee.address,
      notes: payee.notes,
      detailsApprovedAt: payee.detailsApprovedAt,
      details: payee.collection
        ? { collection: payee.collection, bankName: payee.bankName, accountHolder: payee.accountHolder, accountNumber: payee.accountNumber, cashCollectionNote: payee.cashCollectionNote }
        : null,
    },
    household: found.household,
    pending: found.pending,
    // The history shows account numbers masked; only the pending change (to be checked) shows it whole.
    changes: found.changes.map((c) => ({
      id: c.id,
      status: c.status,
      collection: c.proposed.collection,
      account: maskAccountNumber(c.proposed.accountNumber),
      reason: c.reason,
      decisionReason: c.decisionReason,
      requestedByName: c.requestedByName,
      requestedAt: c.requestedAt,
      decidedByName: c.decidedByName,
      decidedAt: c.decidedAt,
    })),
    needs: found.needs,
    batches: found.batches,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export interface PayeeReply {
  intent: Intent | "";
  errors: Errors;
  formErrors: string[];
  values: Record<string, string>;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, PAYEE_ROLES);
  const { org } = member;
  const found = await payeeOr404(org.id, params.payeeId);
  const form = await readForm(request);
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.slice(0, 2000)]));
  const intent = (INTENTS as readonly string[]).includes(fields.intent) ? (fields.intent as Intent) : "";
  const reply = (status: number, body: Partial<PayeeReply>) => data<PayeeReply>({ intent, errors: {}, formErrors: [], values, ...body }, { status });
  const refused = (error: unknown) => {
    if (error instanceof PayeeError) {
      return reply(error.status, error.field ? { errors: { [error.field]: [error.messageKey] } } : { formErrors: [error.messageKey] });
    }
    throw error;
  };
  const parse = <T,>(schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { flatten: () => { fieldErrors: unknown; formErrors: string[] } } } }) => {
    const parsed = schema.safeParse(fields);
    if (parsed.success) return { ok: true as const, value: parsed.data };
    const flat = parsed.error.flatten();
    return { ok: false as const, response: reply(400, { errors: flat.fieldErrors as Errors, formErrors: flat.formErrors }) };
  };
  const db = await getDb();
  const back = (notice: string) => redirect(`/finance/${org.slug}/payees/${found.payee.id}?notice=${notice}`);
  try {
    switch (intent) {
      case "update": {
        const p = parse(UpdatePayeeSchema);
        if (!p.ok) return p.response;
        await updatePayee(db, member.actor, found.payee.id, { orgId: org.id, ...p.value });
        return back("saved");
      }
      case "request": {
        const p = parse(BankDetailsSchema);
        if (!p.ok) return p.response;
        await requestDetailChange(db, member.actor, found.payee.id, { orgId: org.id, proposed: p.value.proposed, reason: p.value.reason });
        return back("requested");
      }
      case "decide": {
        const p = parse(DecideChangeSchema);
        if (!p.ok) return p.response;
        // The change must be this payee's (else: not found, as for another organisation's).
        if (!found.changes.some((c) => c.id === p.value.changeId)) return reply(404, { formErrors: ["payees:errors.change_not_found"] });
        await decideDetailChange(db, member.actor, p.value.changeId, { orgId: org.id, decision: p.value.decision, reason: p.value.reason });
        return back(p.value.decision === "approve" ? "approved" : "rejected");
      }
      case "withdraw": {
        const p = parse(WithdrawChangeSchema);
        if (!p.ok) return p.response;
        if (!found.changes.some((c) => c.id === p.value.changeId)) return reply(404, { formErrors: ["payees:errors.change_not_found"] });
        await withdrawDetailChange(db, member.actor, p.value.changeId, { orgId: org.id });
        return back("withdrawn");
      }
      default:
        return reply(400, { formErrors: ["payees:errors.invalid_input"] });
    }
  } catch (error) {
    return refused(error);
  }
}

/** The page's frame; its sections are in app/components. `t` comes from the page's hook. @i18n-namespace payees */
export default function PayeePage() {
  const { slug, notice, payee, household, reply, t } = usePayeePage();
  return (
    <div className="space-y-6">
      <PageTitle title={payee.name} intro={`${t(`kinds.${payee.kind}`)} · ${t(`statuses.${payee.status}`)}`}>
        <div className="flex flex-col gap-1 text-sm">
          <Link to={`/finance/${slug}/payees`} className={linkClass}>
            {t("page.back")}
          </Link>
          {household && (
            <Link to={`/staff/${slug}/households/${household.id}`} className={linkClass}>
              {t("page.household", { reference: household.reference })}
            </Link>
          )}
        </div>
      </PageTitle>
      {notice && (
        <Notice tone="success">
          <span data-testid="payee-notice">{t(`notices.${notice}`)}</span>
        </Notice>
      )}
      {reply && !reply.intent && <FormMessage errors={reply.formErrors} />}

      <PayeeDetailsSection />
      <PayeeChangeSection />
      <PayeeContactSection />
      <PayeeHistorySection />
      <PayeeNeedsSection />
      <PayeeBatchesSection />
    </div>
  );
}

import { MaxPartSizeExceededError, data, redirect, unstable_createMemoryUploadHandler } from "@remix-run/node";
import type { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { newIdempotencyKey } from "~/modules/pledging/pledges.server";
import { todayIn } from "~/modules/needs/money";
import { MAX_DOCUMENT_BYTES } from "~/modules/registry/documents";
import { getStorage } from "~/modules/registry/storage.server";
import { cashFourEyesMinor, defaultMoneyAccount, externalIdTaken, listMoneyAccounts, payablePledge, paymentByRequestKey } from "./inbox.server";
import { ProofError, orgProof, uploadProof } from "./proof.server";
import { recordPayment } from "./payments.server";
import { PaymentError } from "./errors";
import { ACCOUNT_KIND_OF, RecordPaymentFormSchema, knownCurrency, moneyOf, previewOutcome } from "./schemas";
import { BLANK_RECORD_VALUES, type Errors, type RecordReply, type RecordValues } from "./record-form";

/**
 * The payments inbox's record action (/finance/:orgSlug/payments, POST): checks the form, the
 * pledge, the money account and the proof; the first step answers a preview of what will happen
 * with a fresh idempotency key, the second records through payments.server.ts and redirects to the
 * payment. A refusal answers the form's values back with its message.
 */

type Member = Awaited<ReturnType<typeof requireMember>>;

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

const str = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : "");

export async function recordPaymentAction(request: Request, member: Member) {
  const { org } = member;
  const db = await getDb();

  const blank = BLANK_RECORD_VALUES;
  const reply = (status: number, body: Partial<RecordReply>) =>
    data<RecordReply>({ step: "refused", status, errors: {}, formErrors: [], values: blank, preview: null, ...body }, { status });

  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > env().MAX_UPLOAD_BYTES) return reply(413, { errors: { proof: ["finance:errors.proofTooLarge"] } });
  let form: FormData;
  try {
    form = await readForm(request, { uploadHandler: unstable_createMemoryUploadHandler({ maxPartSize: MAX_DOCUMENT_BYTES }) });
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof MaxPartSizeExceededError) return reply(413, { errors: { proof: ["finance:errors.proofTooLarge"] } });
    return reply(400, { errors: { proof: ["finance:errors.proofUnreadable"] } });
  }

  const values: RecordValues = {
    ...blank,
    ...Object.fromEntries(Object.keys(blank).map((k) => [k, str(form.get(k)).slice(0, 1000)])),
  };
  const parsed = RecordPaymentFormSchema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) {
    const flat = parsed.error.flatten();
    return reply(400, { values, errors: flat.fieldErrors as Errors, formErrors: flat.formErrors });
  }
  const input = parsed.data;
  const errors: Errors = {};
  const fail = (status: number, field: string, key: string) => reply(status, { values, errors: { ...errors, [field]: [key] } });

  // The pledge (this organisation's only; another organisation's id is answered like an unknown one).
  const pledge = input.pledgeId ? await payablePledge(db, org.id, input.pledgeId) : null;
  if (input.pledgeId && !pledge) return fail(404, "pledgeId", "finance:errors.pledgeNotFound");
  if (!knownCurrency(input.currency)) return fail(400, "currency", "finance:errors.currencyInvalid");
  if (pledge && pledge.currency !== input.currency) return fail(400, "currency", "finance:errors.currencyMismatch");

  const amount = moneyOf(input.amount, input.currency);
  if (!amount.ok) return fail(400, "amount", amount.error);
  const fee = moneyOf(input.fee, input.currency, { allowZero: true });
  if (!fee.ok) return fail(400, "fee", fee.error);
  if (fee.minor >= amount.minor) return fail(400, "fee", "finance:errors.feeTooLarge");

  const today = todayIn(org.timeZone);
  if (input.valueDate > today) return fail(400, "valueDate", "finance:errors.valueDateFuture");

  const accounts = await listMoneyAccounts(db, org.id);
  let account = input.moneyAccountId ? accounts.find((a) => a.id === input.moneyAccountId) ?? null : defaultMoneyAccount(accounts, input.method, input.currency);
  if (input.moneyAccountId) {
    if (!account || !account.active || account.kind !== ACCOUNT_KIND_OF[input.method]) return fail(400, "moneyAccountId", "finance:errors.accountInvalid");
    if (account.currency !== input.currency) return fail(400, "moneyAccountId", "finance:errors.accountCurrency");
  }
  if (account && account.currency !== input.currency) account = null;

  // The same confirm posted again (a double click, a retry): the first payment answers it.
  if (input.step !== "preview" && input.idempotencyKey) {
    const again = await paymentByRequestKey(db, org.id, input.idempotencyKey);
    if (again) return redirect(`/finance/${org.slug}/payments/${again.id}?notice=already_recorded`);
  }
  if (input.externalId && (await externalIdTaken(db, org.id, input.method, input.externalId))) {
    return fail(409, "externalId", "finance:errors.duplicateExternalId");
  }

  // The proof: uploaded with the first step, carried by id to the second.
  let proofDocumentId = input.proofDocumentId ?? null;
  let proofFileName = values.proofFileName;
  if (proofDocumentId) {
    const proof = await orgProof(db, org.id, proofDocumentId);
    if (!proof) return fail(400, "proof", "finance:errors.proofInvalid");
    proofFileName = proof.fileName;
  }
  const file = form.get("proof");
  if (file instanceof File && file.name !== "" && input.step === "preview") {
    try {
      const stored = await uploadProof(db, getStorage(), member.actor, {
        orgId: org.id,
        fileName: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
      proofDocumentId = stored.id;
      proofFileName = stored.fileName;
    } catch (error) {
      if (error instanceof ProofError) return fail(error.status, "proof", error.messageKey);
      throw error;
    }
  }
  const kept: RecordValues = { ...values, proofDocumentId: proofDocumentId ?? "", proofFileName };

  if (input.step === "preview") {
    const expected = previewOutcome({
      pledge,
      amountMinor: amount.minor,
      method: input.method,
      currency: input.currency,
      orgCurrency: org.defaultCurrency,
      cashFourEyesMinor: await cashFourEyesMinor(db, org.id),
    });
    return reply(200, {
      step: "preview",
      values: kept,
      preview: {
        ...expected,
        amountMinor: amount.minor,
        feeMinor: fee.minor,
        netMinor: amount.minor - fee.minor,
        currency: input.currency,
        reference: pledge?.reference ?? null,
        accountName: account?.name ?? null,
        idempotencyKey: newIdempotencyKey(),
      },
    });
  }

  if (!input.idempotencyKey) return reply(400, { values: kept, formErrors: ["finance:errors.formExpired"] });
  try {
    const result = await recordPayment(db, member.actor, {
      orgId: org.id,
      pledgeId: pledge?.id ?? null,
      method: input.method,
      moneyAccountId: account?.id ?? null,
      amountMinor: amount.minor,
      feeMinor: fee.minor,
      currency: input.currency,
      valueDate: input.valueDate,
      externalId: input.externalId ?? null,
      proofDocumentId,
      note: input.note ?? null,
      idempotencyKey: input.idempotencyKey,
      donorEmail: pledge ? null : (input.donorEmail ?? null),
      donorName: pledge ? null : (input.donorName ?? null),
      locale: await getLocale(request),
      origin: new URL(request.url).origin,
    });
    return redirect(`/finance/${org.slug}/payments/${result.payment.id}?notice=${result.outcome}`);
  } catch (error) {
    const refusal = paymentRefusal(error);
    if (refusal) return reply(refusal.status, { values: kept, formErrors: [refusal.messageKey] });
    throw error;
  }
}

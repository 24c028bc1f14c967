import { data, redirect } from "@remix-run/node";
import { parseWithZod } from "@conform-to/zod";
import type { Member } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { PledgeError } from "./errors";
import { getPaymentDetails, savePaymentDetails } from "./pledges.server";
import { offeredMethods } from "./methods";
import { PaymentDetailsSchema } from "./schemas";

/**
 * The "payment details" section of /staff/:orgSlug/settings (org_admin): what the settings route
 * loads and the action it delegates to when `intent=paymentDetails`.
 */

export async function paymentDetailsFor(orgId: string) {
  const row = await getPaymentDetails(await getDb(), orgId);
  return {
    bankName: row?.bankName ?? "",
    accountName: row?.accountName ?? "",
    accountNumber: row?.accountNumber ?? "",
    swift: row?.swift ?? "",
    currency: row?.currency ?? "",
    officeInstructionsAr: row?.officeInstructionsAr ?? "",
    officeInstructionsEn: row?.officeInstructionsEn ?? "",
    transferShopInstructionsAr: row?.transferShopInstructionsAr ?? "",
    transferShopInstructionsEn: row?.transferShopInstructionsEn ?? "",
    pledgeExpiryDays: String(row?.pledgeExpiryDays ?? 7),
    /** Ticked: what the organisation chose, or (never chosen) the offline methods it has details for. */
    offeredMethods: offeredMethods(row, row?.currency ?? "USD", false) as string[],
  };
}

/** Whether a posted settings form is the payment-details one (peeks without consuming the body). */
export async function isPaymentDetailsPost(request: Request): Promise<boolean> {
  const form = await readForm(request);
  return form.get("intent") === "paymentDetails";
}

export async function paymentDetailsAction(request: Request, member: Member) {
  const submission = parseWithZod(await readForm(request), { schema: PaymentDetailsSchema });
  const reply = (status: number, result = submission.reply()) =>
    data({ intent: "paymentDetails", target: null, result }, { status });
  if (submission.status !== "success") return reply(400);
  const { intent: _intent, ...v } = submission.value;
  try {
    await savePaymentDetails(await getDb(), member.actor, member.org.id, {
      bankName: v.bankName ?? null,
      accountName: v.accountName ?? null,
      accountNumber: v.accountNumber ?? null,
      swift: v.swift ?? null,
      currency: v.currency ?? null,
      officeInstructionsAr: v.officeInstructionsAr ?? null,
      officeInstructionsEn: v.officeInstructionsEn ?? null,
      transferShopInstructionsAr: v.transferShopInstructionsAr ?? null,
      transferShopInstructionsEn: v.transferShopInstructionsEn ?? null,
      pledgeExpiryDays: v.pledgeExpiryDays,
      offeredMethods: [...new Set(v.offeredMethods)],
    });
  } catch (error) {
    if (error instanceof PledgeError) return reply(error.status, submission.reply({ formErrors: [error.messageKey] }));
    throw error;
  }
  return redirect(`/staff/${member.org.slug}/settings?notice=paymentDetailsSaved#payment-details`);
}

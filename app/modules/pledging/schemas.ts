import { z } from "zod";
import { OFFLINE_METHOD_NAMES } from "./methods";

/** The methods a donor may choose on the pledge form (delivery only for in-kind needs). */
export const FORM_METHODS = ["card", "bank_transfer", "cash", "money_transfer", "delivery"] as const;

const optionalText = (max: number) => z.string().trim().max(max, "pledging:errors.tooLong").optional();

/**
 * The pledge form. The amount stays text here: parseMoney turns it into minor units of the posted
 * currency (the need's, rendered as a hidden field; the domain refuses any other). Item lines are
 * `item-<position>` quantities, read beside this schema. Messages are i18n keys.
 */
export const PledgeFormSchema = z.object({
  amount: z.string().max(40, "pledging:errors.tooLong").optional(),
  /** A suggested amount (radio); the typed `amount` wins when both are given. */
  amountChoice: z.string().max(40, "pledging:errors.tooLong").optional(),
  currency: z
    .string({ required_error: "pledging:errors.currency_mismatch" })
    .trim()
    .regex(/^[A-Za-z]{3}$/, "pledging:errors.currency_mismatch")
    .transform((s) => s.toUpperCase()),
  method: z.enum(FORM_METHODS, { errorMap: () => ({ message: "pledging:errors.methodRequired" }) }),
  email: z.string().trim().toLowerCase().max(254, "pledging:errors.tooLong").email("pledging:errors.emailInvalid").optional(),
  displayName: optionalText(80),
  anonymous: z.boolean().optional(),
  /** The donor gives it as zakat (issue 12): offered only on a zakat-eligible need. */
  zakat: z.boolean().optional(),
  message: optionalText(500),
  idempotencyKey: z
    .string({ required_error: "pledging:errors.formExpired" })
    .regex(/^[A-Za-z0-9_-]{16,100}$/, "pledging:errors.formExpired"),
});

export const CancelPledgeSchema = z.object({
  intent: z.literal("cancel"),
  email: z.string().trim().toLowerCase().max(254, "pledging:errors.tooLong").email("pledging:errors.emailInvalid").optional(),
});

const detail = (max: number) => z.string().trim().max(max, "pledging:errors.tooLong").optional();

export const PaymentDetailsSchema = z.object({
  intent: z.literal("paymentDetails"),
  bankName: detail(120),
  accountName: detail(120),
  accountNumber: detail(64),
  swift: detail(20),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, "pledging:settings.currencyInvalid")
    .transform((s) => s.toUpperCase())
    .optional(),
  officeInstructionsAr: detail(1000),
  officeInstructionsEn: detail(1000),
  transferShopInstructionsAr: detail(1000),
  transferShopInstructionsEn: detail(1000),
  /** The offline methods ticked (checkboxes: none, one or several). */
  offeredMethods: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(OFFLINE_METHOD_NAMES, { errorMap: () => ({ message: "errors:invalidChoice" }) })).max(3),
  ),
  pledgeExpiryDays: z.coerce
    .number({ invalid_type_error: "pledging:settings.pledgeExpiryDaysInvalid" })
    .int("pledging:settings.pledgeExpiryDaysInvalid")
    .min(1, "pledging:settings.pledgeExpiryDaysInvalid")
    .max(60, "pledging:settings.pledgeExpiryDaysInvalid")
    .default(7),
});

/** `item-<position>` fields with a whole quantity above zero, as item lines. */
export function itemLinesFrom(formData: FormData): { position: number; quantity: number }[] | "invalid" {
  const lines: { position: number; quantity: number }[] = [];
  for (const [name, value] of formData.entries()) {
    const match = /^item-(\d{1,3})$/.exec(name);
    if (!match || typeof value !== "string" || value.trim() === "") continue;
    if (!/^\d{1,5}$/.test(value.trim())) return "invalid";
    const quantity = Number(value.trim());
    if (quantity > 0) lines.push({ position: Number(match[1]), quantity });
  }
  return lines;
}

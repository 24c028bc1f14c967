import { z } from "zod";
import { parseMoney } from "~/modules/needs/money";
import { DISBURSEMENT_METHODS, DISBURSEMENT_STATUSES } from "./rules";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * The disbursement screens' forms and filters, shared by the server and the browser. Messages are
 * i18n keys of the `disbursements` namespace. Amounts stay text here: `itemsOf` turns them into
 * minor units of the batch's currency.
 */

const UUID = UUID_PATTERN;
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const uuid = (message: string) => z.string({ required_error: message, invalid_type_error: message }).regex(UUID, message);
const choice = <T extends readonly [string, ...string[]]>(values: T, message = "disbursements:errors.choice") =>
  z.enum(values, { errorMap: () => ({ message }) });
const isoDate = z
  .string({ required_error: "disbursements:errors.paid_date_invalid" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "disbursements:errors.paid_date_invalid");

/** `?status=&page=&q=&payee=&currency=` of the list and the new-batch steps. */
export const DisbursementListFilterSchema = z.object({
  status: optional(choice(DISBURSEMENT_STATUSES)),
  payee: optional(uuid("disbursements:errors.payee_not_found")),
  currency: optional(z.string().regex(/^[A-Z]{3}$/, "disbursements:errors.currency_mismatch")),
});

/** The request form: payee, method, account, note, the idempotency key; amounts as `amount_<needId>`. */
export const RequestFormSchema = z.object({
  intent: z.literal("request"),
  payeeId: uuid("disbursements:errors.payee_not_found"),
  method: choice(DISBURSEMENT_METHODS, "disbursements:errors.method_invalid"),
  moneyAccountId: uuid("disbursements:errors.money_account_invalid"),
  note: optional(z.string().trim().max(2000, "disbursements:errors.tooLong")),
  idempotencyKey: z.string({ required_error: "disbursements:errors.formExpired" }).regex(/^[A-Za-z0-9_-]{16,100}$/, "disbursements:errors.formExpired"),
});

/** The batch page's actions. */
export const BatchActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve") }),
  z.object({ intent: z.literal("reject"), reason: z.string({ required_error: "disbursements:errors.reason_required" }).trim().min(1, "disbursements:errors.reason_required").max(2000, "disbursements:errors.tooLong") }),
  z.object({ intent: z.literal("cancel"), reason: optional(z.string().trim().max(2000, "disbursements:errors.tooLong")) }),
  z.object({
    intent: z.literal("paid"),
    paidDate: isoDate,
    reference: z.string({ required_error: "disbursements:errors.reference_invalid" }).trim().min(1, "disbursements:errors.reference_invalid").max(200, "disbursements:errors.tooLong"),
    idempotencyKey: optional(z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, "disbursements:errors.formExpired")),
  }),
]);

/**
 * The amounts typed per need (`amount_<needId>`): blank or zero leaves the need out. Returns the
 * items in minor units of `currency`, or the field errors by need id.
 */
export function itemsFromForm(
  entries: Iterable<[string, FormDataEntryValue]>,
  currency: string,
): { ok: true; items: { needId: string; amountMinor: number }[] } | { ok: false; errors: Record<string, string> } {
  const items: { needId: string; amountMinor: number }[] = [];
  const errors: Record<string, string> = {};
  for (const [name, value] of entries) {
    const match = /^amount_([0-9a-f-]{36})$/i.exec(name);
    if (!match || typeof value !== "string" || !UUID.test(match[1])) continue;
    if (!value.trim() || /^\s*[0٠]+([.٫][0٠]*)?\s*$/.test(value)) continue;
    const parsed = parseMoney(value, currency);
    if (parsed.ok) items.push({ needId: match[1].toLowerCase(), amountMinor: parsed.minor });
    else errors[match[1].toLowerCase()] = "disbursements:errors.amount_invalid";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, items };
}

import { z } from "zod";
import { parseMoney } from "~/modules/needs/money";

/**
 * The finance screens' forms and filters (payments inbox, payment page, ledger, money accounts),
 * shared by the server and the browser. Messages are i18n keys of the `finance` namespace (or
 * `errors`). Amounts stay text here: `moneyOf` turns them into minor units of the currency.
 */

export const PAYMENT_METHODS = ["card", "bank_transfer", "cash", "money_transfer"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** What finance records by hand (card money arrives through Stripe). */
export const OFFLINE_METHODS = ["bank_transfer", "cash", "money_transfer"] as const satisfies readonly PaymentMethod[];
export type OfflineMethod = (typeof OFFLINE_METHODS)[number];
export const PAYMENT_STATUSES = ["awaiting_confirmation", "succeeded", "partly_refunded", "refunded", "disputed", "rejected"] as const;
export const PAYMENT_FLAGS = ["unknown_pledge", "paid_after_cancelled", "paid_after_expired", "need_closed", "disputed", "dispute_lost"] as const;
export const PAYMENT_QUEUES = ["awaiting", "suspense", "flagged", "closed"] as const;
export type PaymentQueue = (typeof PAYMENT_QUEUES)[number];
export const MONEY_ACCOUNT_KINDS = ["bank", "cash", "transfer_agent"] as const;
export type MoneyAccountKind = (typeof MONEY_ACCOUNT_KINDS)[number];
export const LEDGER_ENTRY_KINDS = ["payment", "fee", "refund", "reallocation", "adjustment", "reversal", "disbursement"] as const;

/** The kind of money account each offline method lands in. */
export const ACCOUNT_KIND_OF: Record<OfflineMethod, MoneyAccountKind> = {
  bank_transfer: "bank",
  cash: "cash",
  money_transfer: "transfer_agent",
};

import { UUID_PATTERN } from "~/utils/uuid";
export { isUuid, UUID_PATTERN } from "~/utils/uuid";

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { errorMap: () => ({ message: "errors:invalidChoice" }) });
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const text = (max: number) => z.string().trim().max(max, "finance:errors.tooLong");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "finance:errors.dateInvalid").refine(validDate, "finance:errors.dateInvalid");
const currencyCode = z
  .string({ required_error: "finance:errors.currencyInvalid" })
  .trim()
  .regex(/^[A-Za-z]{3}$/, "finance:errors.currencyInvalid")
  .transform((s) => s.toUpperCase());
const idempotencyKey = z
  .string({ required_error: "finance:errors.formExpired" })
  .regex(/^[A-Za-z0-9_-]{16,100}$/, "finance:errors.formExpired");
const uuidOr = (message: string) => z.string({ required_error: message, invalid_type_error: message }).regex(UUID_PATTERN, message);

/** Whether `YYYY-MM-DD` is a real calendar day. */
export function validDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < 2000 || y > 2999) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The finance messages for what parseMoney refuses. */
const MONEY_ERRORS: Record<string, string> = {
  "needs:errors.amountRequired": "finance:errors.amountRequired",
  "needs:errors.amountInvalid": "finance:errors.amountInvalid",
  "needs:errors.amountPositive": "finance:errors.amountPositive",
  "needs:errors.amountTooPrecise": "finance:errors.amountTooPrecise",
  "needs:errors.amountTooLarge": "finance:errors.amountTooLarge",
};

/** Typed money → minor units of `currency`, or the finance message key. Zero is refused (use `allowZero` for a fee). */
export function moneyOf(
  input: string | undefined | null,
  currency: string,
  options: { allowZero?: boolean } = {},
): { ok: true; minor: number } | { ok: false; error: string } {
  if (options.allowZero && (input === undefined || input === null || /^\s*[0٠]*([.٫][0٠]*)?\s*$/.test(input))) return { ok: true, minor: 0 };
  const parsed = parseMoney(input, currency);
  if (parsed.ok) return parsed;
  return { ok: false, error: MONEY_ERRORS[parsed.error] ?? "finance:errors.amountInvalid" };
}

/** `?q=&pledge=&method=&status=&flagged=1&from=&to=&queue=&page=` of the payments inbox. */
export const PaymentListFilterSchema = z
  .object({
    method: optional(choice(PAYMENT_METHODS)),
    status: optional(choice(PAYMENT_STATUSES)),
    flagged: optional(z.literal("1", { errorMap: () => ({ message: "errors:invalidChoice" }) })),
    queue: optional(choice(PAYMENT_QUEUES)),
    from: optional(isoDate),
    to: optional(isoDate),
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.from > value.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "finance:errors.rangeInvalid" });
    }
  });
export type PaymentListFilter = z.output<typeof PaymentListFilterSchema>;

/**
 * The record form (both steps). `step=preview` shows what will happen; `step=record` (the hidden
 * copy of the previewed values) records. The amounts are checked against the currency afterwards.
 */
export const RecordPaymentFormSchema = z.object({
  intent: z.literal("record", { errorMap: () => ({ message: "errors:invalidChoice" }) }),
  step: choice(["preview", "record"] as const),
  pledgeId: optional(uuidOr("finance:errors.pledgeNotFound")),
  method: choice(OFFLINE_METHODS),
  moneyAccountId: optional(uuidOr("finance:errors.accountInvalid")),
  currency: currencyCode,
  amount: z.string({ required_error: "finance:errors.amountRequired" }).max(40, "finance:errors.tooLong"),
  fee: optional(z.string().max(40, "finance:errors.tooLong")),
  valueDate: z.string({ required_error: "finance:errors.dateInvalid" }).pipe(isoDate),
  externalId: optional(text(100)),
  note: optional(text(1000)),
  donorName: optional(text(120)),
  donorEmail: optional(text(254).toLowerCase().email("finance:errors.emailInvalid")),
  proofDocumentId: optional(uuidOr("finance:errors.proofInvalid")),
  idempotencyKey: optional(idempotencyKey),
});
export type RecordPaymentForm = z.output<typeof RecordPaymentFormSchema>;

/** The payment page's forms. */
export const PaymentActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("confirm") }),
    z.object({ intent: z.literal("reject"), reason: text(500).min(3, "finance:errors.reasonRequired") }),
    z.object({
      intent: z.literal("attach"),
      pledgeReference: text(40).min(3, "finance:errors.referenceInvalid"),
      idempotencyKey,
    }),
    z.object({
      intent: z.literal("reallocate"),
      /** A need id of this organisation, or "unrestricted". */
      to: z.string({ required_error: "finance:errors.targetRequired" }).trim().min(1, "finance:errors.targetRequired").max(64),
      amount: optional(z.string().max(40, "finance:errors.tooLong")),
      idempotencyKey,
    }),
    z.object({
      intent: z.literal("refund"),
      amount: z.string({ required_error: "finance:errors.amountRequired" }).max(40, "finance:errors.tooLong"),
      reason: optional(text(500)),
      offlineReference: optional(text(100)),
      idempotencyKey,
    }),
  ],
  { errorMap: () => ({ message: "errors:invalidChoice" }) },
);
export type PaymentAction = z.output<typeof PaymentActionSchema>;

/** `?kind=&from=&to=&account=&need=&currency=&page=` of the ledger journal (and its CSV). */
export const JournalFilterSchema = z
  .object({
    kind: optional(choice(LEDGER_ENTRY_KINDS)),
    from: optional(isoDate),
    to: optional(isoDate),
    account: optional(uuidOr("finance:errors.accountInvalid")),
    need: optional(text(64)),
    currency: optional(currencyCode),
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.from > value.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "finance:errors.rangeInvalid" });
    }
  });
export type JournalFilter = z.output<typeof JournalFilterSchema>;

/** The money accounts page's forms. */
export const MoneyAccountActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("create"),
      kind: choice(MONEY_ACCOUNT_KINDS),
      name: text(120).min(2, "finance:errors.nameRequired"),
      bankName: optional(text(120)),
      accountNumber: optional(text(64)),
      currency: currencyCode,
    }),
    z.object({
      intent: z.literal("update"),
      accountId: uuidOr("finance:errors.accountInvalid"),
      name: text(120).min(2, "finance:errors.nameRequired"),
      bankName: optional(text(120)),
      accountNumber: optional(text(64)),
      currency: optional(currencyCode),
    }),
    z.object({ intent: z.literal("deactivate"), accountId: uuidOr("finance:errors.accountInvalid") }),
    z.object({ intent: z.literal("activate"), accountId: uuidOr("finance:errors.accountInvalid") }),
  ],
  { errorMap: () => ({ message: "errors:invalidChoice" }) },
);
export type MoneyAccountAction = z.output<typeof MoneyAccountActionSchema>;

/** Whether a currency code is an ISO 4217 code this runtime knows (Intl accepts any three letters, so ask its list). */
let knownCodes: Set<string> | null = null;
export function knownCurrency(code: string): boolean {
  knownCodes ??= new Set(typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : []);
  return /^[A-Z]{3}$/.test(code) && (knownCodes.size === 0 || knownCodes.has(code));
}

/**
 * What recording `amountMinor` for a pledge will do, for the first step of the two-step form
 * (CORE decides when it records; this says the same in advance).
 */
export type PaymentPreviewOutcome = "paid" | "part_paid" | "over_paid" | "suspense" | "awaiting_confirmation";

export function previewOutcome(input: {
  /** needState null: a gift to the solidarity fund, which takes the money whatever the pledge's status. */
  pledge: { status: string; amountMinor: number; paidMinor: number; needState: string | null } | null;
  amountMinor: number;
  method: string;
  currency: string;
  orgCurrency: string;
  cashFourEyesMinor: number | null;
}): { outcome: PaymentPreviewOutcome; outstandingMinor: number; surplusMinor: number; restMinor: number } {
  const { pledge, amountMinor } = input;
  if (input.method === "cash" && input.cashFourEyesMinor !== null) {
    if (input.currency !== input.orgCurrency || amountMinor >= input.cashFourEyesMinor) {
      return { outcome: "awaiting_confirmation", outstandingMinor: pledge ? Math.max(0, pledge.amountMinor - pledge.paidMinor) : 0, surplusMinor: 0, restMinor: 0 };
    }
  }
  const open = pledge && (pledge.needState === null || (["pending", "awaiting_payment"].includes(pledge.status) && ["published", "funded"].includes(pledge.needState)));
  if (!pledge || !open) return { outcome: "suspense", outstandingMinor: 0, surplusMinor: 0, restMinor: 0 };
  const outstanding = Math.max(0, pledge.amountMinor - pledge.paidMinor);
  if (amountMinor < outstanding) return { outcome: "part_paid", outstandingMinor: outstanding, surplusMinor: 0, restMinor: outstanding - amountMinor };
  if (amountMinor > outstanding) return { outcome: "over_paid", outstandingMinor: outstanding, surplusMinor: amountMinor - outstanding, restMinor: 0 };
  return { outcome: "paid", outstandingMinor: outstanding, surplusMinor: 0, restMinor: 0 };
}

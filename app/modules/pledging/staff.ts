import { z } from "zod";
import { REFERENCE_PREFIX, normalizeReference } from "./reference";

/**
 * The staff side of pledges, shared by the server and the browser: the statuses and methods as the
 * staff pages list them, who may do what, and the schemas of their filters and forms (messages are
 * i18n keys). The queries live in staff.server.ts; the rules in pledges.server.ts.
 */

export const PLEDGE_STATUSES = [
  "pending",
  "awaiting_payment",
  "paid",
  "cancelled",
  "expired",
  "offered",
  "received",
  "declined",
  "part_paid",
  "refunded",
] as const;
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];

export const PLEDGE_METHODS = ["bank_transfer", "cash", "money_transfer", "card", "delivery"] as const;
export type PledgeMethodName = (typeof PLEDGE_METHODS)[number];

/** Money finance records by hand: card payments are completed by the card processor, deliveries on the need page. */
export const MANUAL_PAYMENT_METHODS = ["bank_transfer", "cash", "money_transfer"] as const satisfies readonly PledgeMethodName[];

/** Who may open the finance pledges page and record a payment (markPledgePaid checks the same). */
export const FINANCE_ROLES = ["finance", "org_admin"] as const;
/** Who may receive or decline an in-kind delivery offer (decideOffer checks the same). */
export const OFFER_ROLES = ["caseworker", "finance", "org_admin"] as const;

export const canDecideOffers = (roles: readonly string[]) => OFFER_ROLES.some((r) => roles.includes(r));

/**
 * Whether finance may record a payment for this pledge from the list: an offline pledge still
 * waiting for its money, or one that was cancelled or expired and is not yet flagged (the money
 * then is kept and flagged for finance to resolve).
 */
export function canRecordPayment(pledge: { method: string; status: string; financeFlag: string | null }): boolean {
  if (!(MANUAL_PAYMENT_METHODS as readonly string[]).includes(pledge.method)) return false;
  if (pledge.status === "pending" || pledge.status === "awaiting_payment") return true;
  return (pledge.status === "cancelled" || pledge.status === "expired") && !pledge.financeFlag;
}

/** A guest's pending pledge that the donor has not confirmed yet (held 24 hours; decision 053). */
export function isUnconfirmed(pledge: { status: string; confirmedAt: Date | string | null }): boolean {
  return pledge.status === "pending" && !pledge.confirmedAt;
}

export type ReferenceSearch = { kind: "exact"; reference: string } | { kind: "partial"; fragment: string };

/**
 * What a reference typed in the search box means: a whole valid code in any spelling
 * (`tdm7k3q9fx`, `7K3Q 9FX`) is matched exactly; otherwise three to seven letters and digits of
 * one (dashes, spaces, case and the `TDM` prefix ignored; I and L read as 1, O as 0) are looked for
 * anywhere in the code. Anything else is null.
 */
export function referenceSearch(input: string): ReferenceSearch | null {
  const exact = normalizeReference(input);
  if (exact) return { kind: "exact", reference: exact };
  if (typeof input !== "string" || input.length > 40) return null;
  let s = input.toUpperCase().replace(/[\s\-_.]/g, "");
  if (s.startsWith(REFERENCE_PREFIX)) s = s.slice(REFERENCE_PREFIX.length);
  s = s.replace(/[IL]/g, "1").replace(/O/g, "0");
  return /^[0-9A-Z]{3,7}$/.test(s) ? { kind: "partial", fragment: s } : null;
}

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { errorMap: () => ({ message: "errors:invalidChoice" }) });

/** `?status=&method=&q=&flag=1&unconfirmed=1` of the finance pledges page. */
export const PledgeListFilterSchema = z.object({
  status: choice(PLEDGE_STATUSES).optional(),
  method: choice(PLEDGE_METHODS).optional(),
  q: z
    .string()
    .trim()
    .max(40, "errors:tooLong")
    .transform((value, ctx) => {
      if (value === "") return undefined;
      const search = referenceSearch(value);
      if (!search) {
        ctx.addIssue({ code: "custom", message: "staff:pledges.errors.referenceInvalid" });
        return z.NEVER;
      }
      return search;
    })
    .optional(),
  flag: z.literal("1", { errorMap: () => ({ message: "errors:invalidChoice" }) }).optional(),
  /** Only guests' pending pledges not yet confirmed by their emailed link (held 24 hours). */
  unconfirmed: z.literal("1", { errorMap: () => ({ message: "errors:invalidChoice" }) }).optional(),
});
export type PledgeListFilter = z.output<typeof PledgeListFilterSchema>;

const PledgeIdSchema = z
  .string({ required_error: "staff:pledges.errors.notFound", invalid_type_error: "staff:pledges.errors.notFound" })
  .uuid("staff:pledges.errors.notFound");

/** The finance page's one form: "the money of this pledge arrived". */
export const RecordPaymentSchema = z.object({
  intent: z.literal("recordPayment", { errorMap: () => ({ message: "errors:invalidChoice" }) }),
  pledgeId: PledgeIdSchema,
});

/** The need page's offer buttons: an in-kind delivery was received, or is declined. */
export const OfferDecisionSchema = z.object({
  intent: z.literal("decideOffer", { errorMap: () => ({ message: "errors:invalidChoice" }) }),
  pledgeId: PledgeIdSchema,
  decision: choice(["received", "declined"] as const),
});

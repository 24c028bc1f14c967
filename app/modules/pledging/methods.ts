import { cardAvailable } from "./amounts";

/**
 * Which payment methods an organisation offers donors (decision 053), pure so the form, the
 * settings page and createPledge share one rule.
 *
 * - Offline methods are offered only with the details a donor needs to use them: bank transfer
 *   with an account number, cash with office instructions, a money-transfer shop with its
 *   instructions (in either language). The org_admin ticks which of those to offer; never having
 *   ticked any (null) means every offline method whose details are filled in.
 * - Card only when the platform can take cards (`cardPayments`: servers pass
 *   cardPaymentsAvailable() of app/modules/payments/checkout.server.ts — a Stripe key, or the
 *   stand-in outside production), the organisation has switched card on (`cardEnabled`), and
 *   Stripe takes the currency (never SYP).
 * - Delivery (in-kind offers) is not a payment method: the pledge form offers it for in-kind needs.
 */

export const OFFLINE_METHOD_NAMES = ["bank_transfer", "cash", "money_transfer"] as const;
export type OfflineMethod = (typeof OFFLINE_METHOD_NAMES)[number];
export type PaymentMethod = OfflineMethod | "card";

/**
 * The default of `cardPayments` for pure callers that do not know the platform's configuration:
 * off. Server code passes cardPaymentsAvailable() (checkout.server.ts) instead.
 */
export const PLATFORM_CARD_PAYMENTS = false;

export interface MethodDetails {
  accountNumber?: string | null;
  officeInstructionsAr?: string | null;
  officeInstructionsEn?: string | null;
  transferShopInstructionsAr?: string | null;
  transferShopInstructionsEn?: string | null;
  offeredMethods?: readonly string[] | null;
  /** The organisation's card switch (org_payment_details.card_enabled). */
  cardEnabled?: boolean | null;
}

const filled = (...values: (string | null | undefined)[]) => values.some((v) => typeof v === "string" && v.trim() !== "");

/** Whether the organisation has filled in what a donor needs to pay by this offline method. */
export function hasDetailsFor(method: OfflineMethod, details: MethodDetails | null | undefined): boolean {
  if (!details) return false;
  switch (method) {
    case "bank_transfer":
      return filled(details.accountNumber);
    case "cash":
      return filled(details.officeInstructionsAr, details.officeInstructionsEn);
    case "money_transfer":
      return filled(details.transferShopInstructionsAr, details.transferShopInstructionsEn);
  }
}

/** The methods a donor may choose for a need in `currency` of an organisation with `details`, in the form's order. */
export function offeredMethods(
  details: MethodDetails | null | undefined,
  currency: string,
  cardPayments: boolean = PLATFORM_CARD_PAYMENTS,
): PaymentMethod[] {
  const chosen = details?.offeredMethods ?? OFFLINE_METHOD_NAMES;
  const out: PaymentMethod[] = OFFLINE_METHOD_NAMES.filter((m) => chosen.includes(m) && hasDetailsFor(m, details));
  if (cardPayments && details?.cardEnabled === true && cardAvailable(currency)) out.push("card");
  return out;
}

/** Methods ticked in the settings form that lack their details (saving them is refused with a message). */
export function methodsMissingDetails(chosen: readonly OfflineMethod[], details: MethodDetails): OfflineMethod[] {
  return chosen.filter((m) => !hasDetailsFor(m, details));
}

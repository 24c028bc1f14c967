import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "#db/client.server";
import { memberships, organizations, orgPaymentDetails } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { MAX_MINOR, minorToInput } from "~/modules/needs/money";
import { moneyOf } from "./schemas";
import { cardPaymentsAvailable } from "./stripe-client.server";
import { stripeTakes } from "./stripe-currency";

/**
 * The organisation admin's money settings (settings page, "Money" section): the legal name and
 * registration number printed on receipts, whether the organisation takes card payments, and the
 * cash amount from which a second finance person must confirm (minor units of the organisation's
 * default currency; null = never). Messages are keys of the `staff` namespace (`moneySettings.*`).
 */

import { LEGAL_NAME_MAX, REGISTRATION_NUMBER_MAX } from "./org-settings";

export { LEGAL_NAME_MAX, REGISTRATION_NUMBER_MAX };

export type MoneySettingsErrorCode = "not_allowed" | "org_not_found" | "card_unavailable" | "card_currency" | "invalid";

export class MoneySettingsError extends Error {
  constructor(readonly code: MoneySettingsErrorCode) {
    super(code);
    this.name = "MoneySettingsError";
  }
  get status(): 400 | 403 | 404 | 409 {
    switch (this.code) {
      case "not_allowed":
        return 403;
      case "org_not_found":
        return 404;
      case "invalid":
        return 400;
      default:
        return 409;
    }
  }
  get messageKey(): string {
    return `staff:moneySettings.errors.${this.code}`;
  }
}

/** Why card payments cannot be switched on, or null when they can. */
export type CardBlock = "platform_unavailable" | "currency_unsupported" | null;

/**
 * Pure: the platform must take cards (a Stripe key, or the stand-in outside production) and
 * Stripe must take the organisation's default currency (it does not take SYP).
 */
export function cardBlockReason(input: { platformAvailable: boolean; currency: string }): CardBlock {
  if (!input.platformAvailable) return "platform_unavailable";
  if (!stripeTakes(input.currency)) return "currency_unsupported";
  return null;
}

/** The reason for this process (environment) and currency. */
export function cardBlockFor(currency: string): CardBlock {
  return cardBlockReason({ platformAvailable: cardPaymentsAvailable(), currency });
}

export interface MoneySettings {
  legalName: string | null;
  registrationNumber: string | null;
  cardEnabled: boolean;
  cashFourEyesMinor: number | null;
  /** The organisation's default currency: the unit of cashFourEyesMinor. */
  currency: string;
}

export async function getMoneySettings(db: DbOrTx, orgId: string): Promise<MoneySettings> {
  const [row] = await db
    .select({
      legalName: organizations.legalName,
      registrationNumber: organizations.registrationNumber,
      currency: organizations.defaultCurrency,
      cardEnabled: orgPaymentDetails.cardEnabled,
      cashFourEyesMinor: orgPaymentDetails.cashFourEyesMinor,
    })
    .from(organizations)
    .leftJoin(orgPaymentDetails, eq(orgPaymentDetails.orgId, organizations.id))
    .where(eq(organizations.id, orgId))
    .limit(1);
  if (!row) throw new MoneySettingsError("org_not_found");
  return {
    legalName: row.legalName,
    registrationNumber: row.registrationNumber,
    cardEnabled: row.cardEnabled ?? false,
    cashFourEyesMinor: row.cashFourEyesMinor === null ? null : Number(row.cashFourEyesMinor),
    currency: row.currency,
  };
}

export interface MoneySettingsInput {
  legalName: string | null;
  registrationNumber: string | null;
  /** Undefined: keep what is stored (the checkbox is disabled while card is not possible). */
  cardEnabled?: boolean;
  cashFourEyesMinor: number | null;
}

const blankToNull = (value: string | null) => {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
};

/**
 * Saves the money settings (org_admin of the organisation only), in one transaction: the
 * organisation row is locked, org_payment_details is created when missing, and one audit row
 * records the values before and after. Switching card on is refused while card is blocked
 * (`cardBlock`, by default this process's). Nothing changes on a refusal.
 */
export async function saveMoneySettings(
  db: Db,
  actor: Actor,
  orgId: string,
  input: MoneySettingsInput,
  options: { cardBlock?: (currency: string) => CardBlock; now?: Date } = {},
): Promise<{ before: MoneySettings; after: MoneySettings }> {
  const legalName = blankToNull(input.legalName);
  const registrationNumber = blankToNull(input.registrationNumber);
  if ((legalName?.length ?? 0) > LEGAL_NAME_MAX || (registrationNumber?.length ?? 0) > REGISTRATION_NUMBER_MAX) {
    throw new MoneySettingsError("invalid");
  }
  const threshold = input.cashFourEyesMinor;
  if (threshold !== null && (!Number.isSafeInteger(threshold) || threshold < 0 || threshold > MAX_MINOR)) {
    throw new MoneySettingsError("invalid");
  }
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    if (!actor.userId) throw new MoneySettingsError("not_allowed");
    const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).for("update");
    if (!org) throw new MoneySettingsError("org_not_found");
    const roles = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, actor.userId)));
    if (!roles.some((r) => r.role === "org_admin")) throw new MoneySettingsError("not_allowed");

    const before = await getMoneySettings(tx, orgId);
    if (input.cardEnabled === true && !before.cardEnabled) {
      const block = (options.cardBlock ?? cardBlockFor)(before.currency);
      if (block === "platform_unavailable") throw new MoneySettingsError("card_unavailable");
      if (block === "currency_unsupported") throw new MoneySettingsError("card_currency");
    }
    const cardEnabled = input.cardEnabled ?? before.cardEnabled;

    await tx.update(organizations).set({ legalName, registrationNumber, updatedAt: now }).where(eq(organizations.id, orgId));
    const values = { cardEnabled, cashFourEyesMinor: threshold, updatedBy: actor.userId, updatedAt: now };
    await tx
      .insert(orgPaymentDetails)
      .values({ orgId, ...values })
      .onConflictDoUpdate({ target: orgPaymentDetails.orgId, set: values });

    const after: MoneySettings = { legalName, registrationNumber, cardEnabled, cashFourEyesMinor: threshold, currency: before.currency };
    await recordAudit(tx, actor, {
      orgId,
      action: "org.money_settings_update",
      entityType: "organization",
      entityId: orgId,
      change: { before: auditView(before), after: auditView(after) },
    });
    return { before, after };
  });
}

function auditView(s: MoneySettings) {
  return {
    legalName: s.legalName,
    registrationNumber: s.registrationNumber,
    cardEnabled: s.cardEnabled,
    cashFourEyesMinor: s.cashFourEyesMinor,
    currency: s.currency,
  };
}

// ---------------------------------------------------------------- the form

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalText = (max: number, message: string) => z.preprocess(blankToUndefined, z.string().trim().max(max, message).optional());

/** The "Money" form of the settings page (`intent=moneySettings`); the amount is checked against the currency afterwards. */
export const MoneySettingsFormSchema = z.object({
  intent: z.literal("moneySettings"),
  legalName: optionalText(LEGAL_NAME_MAX, "staff:moneySettings.errors.legalNameTooLong"),
  registrationNumber: optionalText(REGISTRATION_NUMBER_MAX, "staff:moneySettings.errors.registrationNumberTooLong"),
  cardEnabled: z.preprocess(blankToUndefined, z.literal("on", { errorMap: () => ({ message: "errors:invalidChoice" }) }).optional()),
  cashFourEyes: optionalText(40, "staff:moneySettings.errors.amountInvalid"),
});

/** What the money helpers refuse, as this form's messages. */
const AMOUNT_ERRORS: Record<string, string> = {
  "finance:errors.amountInvalid": "staff:moneySettings.errors.amountInvalid",
  "finance:errors.amountPositive": "staff:moneySettings.errors.amountNegative",
  "finance:errors.amountTooPrecise": "staff:moneySettings.errors.amountTooPrecise",
  "finance:errors.amountTooLarge": "staff:moneySettings.errors.amountTooLarge",
};

/** The typed threshold → minor units of the currency (empty: never, null), or the message key. */
export function thresholdOf(input: string | undefined, currency: string): { ok: true; minor: number | null } | { ok: false; error: string } {
  if (input === undefined || input.trim() === "") return { ok: true, minor: null };
  const parsed = moneyOf(input, currency, { allowZero: true });
  if (parsed.ok) return parsed;
  return { ok: false, error: AMOUNT_ERRORS[parsed.error] ?? "staff:moneySettings.errors.amountInvalid" };
}

/** The stored threshold as the form shows it (empty: never). */
export function thresholdInput(minor: number | null, currency: string): string {
  return minor === null ? "" : minorToInput(minor, currency);
}

import { z } from "zod";

/**
 * The payees' forms and pure rules (decision 057), shared by the server and the browser. Every
 * message is an i18n key.
 */

export const PAYEE_KINDS = ["school", "hospital", "pharmacy", "vendor", "household", "landlord"] as const;
export type PayeeKind = (typeof PAYEE_KINDS)[number];
export const PAYEE_STATUSES = ["active", "inactive"] as const;
export type PayeeStatus = (typeof PAYEE_STATUSES)[number];
export const PAYEE_COLLECTIONS = ["bank_transfer", "cash"] as const;
export const CHANGE_STATUSES = ["pending", "approved", "rejected", "withdrawn"] as const;
/** Who may read and change payees (the payments module's finance roles). */
export const PAYEE_ROLES = ["finance", "org_admin"] as const;
export const PAYEES_PAGE_SIZE = 25;

export interface BankDetails {
  collection: "bank_transfer" | "cash";
  bankName: string | null;
  accountHolder: string | null;
  accountNumber: string | null;
  cashCollectionNote: string | null;
}

/** An account number as stored: spaces, dashes and dots dropped, Arabic-Indic digits as ASCII, upper case. */
export function normalizeAccountNumber(raw: string): string {
  return raw
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\s\-._/]/g, "")
    .toUpperCase();
}

/** An IBAN's check digits (ISO 13616, mod 97). */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const value = ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}

/**
 * Whether a normalized account number may be stored: an IBAN (two letters then two digits) must
 * pass its check; a local number is 4 to 34 letters and digits.
 */
export function accountNumberValid(normalized: string): boolean {
  if (!/^[A-Z0-9]{4,34}$/.test(normalized)) return false;
  if (/^[A-Z]{2}\d{2}/.test(normalized)) return ibanValid(normalized);
  return true;
}

/** An account number as the audit and lists show it: its last four characters only. */
export function maskAccountNumber(value: string | null | undefined): string | null {
  if (!value) return null;
  const compact = value.replace(/\s/g, "");
  return compact.length > 4 ? `••••${compact.slice(-4)}` : "••••";
}

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "errors:tooLong")
    .optional()
    .transform((v) => (v ? v : null));

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    errorMap: (_issue, ctx) => ({ message: ctx.data === undefined || ctx.data === "" ? "errors:required" : "errors:invalidChoice" }),
  });

const contactFields = {
  contactName: optionalText(200),
  phone: optionalText(40),
  email: z
    .string()
    .trim()
    .max(200, "errors:tooLong")
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || z.string().email().safeParse(v).success, "errors:invalidEmail"),
  address: optionalText(500),
  notes: optionalText(2000),
};

const nameField = z.string({ required_error: "errors:required" }).trim().min(1, "errors:required").max(200, "errors:tooLong");

/** Finance creates a payee (name, kind, contact): never bank details (those go through a change request). */
export const CreatePayeeSchema = z.object({
  kind: choice(PAYEE_KINDS),
  name: nameField,
  ...contactFields,
});
export type CreatePayeeForm = z.output<typeof CreatePayeeSchema>;

/** The non-bank fields of a payee, and its status. */
export const UpdatePayeeSchema = z.object({
  name: nameField,
  ...contactFields,
  status: choice(PAYEE_STATUSES),
});
export type UpdatePayeeForm = z.output<typeof UpdatePayeeSchema>;

/**
 * Proposed bank (or cash-collection) details. A bank transfer needs the bank, the account holder
 * and a valid account number (IBAN checked); cash needs who may collect and how they prove it.
 */
export const BankDetailsSchema = z
  .object({
    collection: choice(PAYEE_COLLECTIONS),
    bankName: optionalText(200),
    accountHolder: optionalText(200),
    accountNumber: optionalText(60),
    cashCollectionNote: optionalText(1000),
    reason: optionalText(1000),
  })
  .superRefine((v, ctx) => {
    if (v.collection === "bank_transfer") {
      if (!v.bankName) ctx.addIssue({ code: "custom", path: ["bankName"], message: "errors:required" });
      if (!v.accountHolder) ctx.addIssue({ code: "custom", path: ["accountHolder"], message: "errors:required" });
      if (!v.accountNumber) ctx.addIssue({ code: "custom", path: ["accountNumber"], message: "errors:required" });
      else if (!accountNumberValid(normalizeAccountNumber(v.accountNumber))) {
        ctx.addIssue({ code: "custom", path: ["accountNumber"], message: "payees:errors.accountNumberInvalid" });
      }
    } else if (v.collection === "cash" && !v.cashCollectionNote) {
      ctx.addIssue({ code: "custom", path: ["cashCollectionNote"], message: "errors:required" });
    }
  })
  .transform((v) => ({
    proposed: {
      collection: v.collection,
      bankName: v.collection === "bank_transfer" ? v.bankName : null,
      accountHolder: v.collection === "bank_transfer" ? v.accountHolder : null,
      accountNumber: v.collection === "bank_transfer" && v.accountNumber ? normalizeAccountNumber(v.accountNumber) : null,
      cashCollectionNote: v.collection === "cash" ? v.cashCollectionNote : null,
    } satisfies BankDetails,
    reason: v.reason,
  }));
export type BankDetailsForm = z.output<typeof BankDetailsSchema>;

export const DecideChangeSchema = z
  .object({
    changeId: z.string({ required_error: "errors:required" }).uuid("errors:invalid"),
    decision: choice(["approve", "reject"] as const),
    reason: optionalText(1000),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "reject" && !v.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "payees:errors.reasonRequired" });
  });

export const WithdrawChangeSchema = z.object({
  changeId: z.string({ required_error: "errors:required" }).uuid("errors:invalid"),
});

export const PayeeListFilterSchema = z.object({
  q: z.string().trim().max(120).optional(),
  kind: z.enum(PAYEE_KINDS).optional(),
  status: z.enum(PAYEE_STATUSES).optional(),
});

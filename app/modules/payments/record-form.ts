import type { PaymentPreviewOutcome } from "./schemas";

/** The payments inbox's record form: what it posts and what the action answers (two steps: preview, then record). */

export type Errors = Record<string, string[] | undefined>;

/** The values of the record form as posted (strings), so a refused or previewed form keeps them. */
export interface RecordValues {
  pledgeId: string;
  method: string;
  moneyAccountId: string;
  currency: string;
  amount: string;
  fee: string;
  valueDate: string;
  externalId: string;
  note: string;
  donorName: string;
  donorEmail: string;
  proofDocumentId: string;
  proofFileName: string;
}

export interface RecordReply {
  step: "refused" | "preview";
  status: number;
  errors: Errors;
  formErrors: string[];
  values: RecordValues;
  preview: {
    outcome: PaymentPreviewOutcome;
    amountMinor: number;
    feeMinor: number;
    netMinor: number;
    outstandingMinor: number;
    surplusMinor: number;
    restMinor: number;
    currency: string;
    reference: string | null;
    accountName: string | null;
    idempotencyKey: string;
  } | null;
}

/** The record form's fields, empty. */
export const BLANK_RECORD_VALUES: RecordValues = {
  pledgeId: "",
  method: "",
  moneyAccountId: "",
  currency: "",
  amount: "",
  fee: "",
  valueDate: "",
  externalId: "",
  note: "",
  donorName: "",
  donorEmail: "",
  proofDocumentId: "",
  proofFileName: "",
};

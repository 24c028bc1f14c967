/**
 * Every email the app sends, with the data its template needs. Links are absolute URLs.
 *
 * Only put in `data` what the recipient already knows or is meant to learn from this email:
 * never a household's details, another person's email address, or anything from a staff area.
 */
export type EmailMessage =
  | { template: "giving-digest"; data: GivingDigestData }
  | {
      template: "donor-credit";
      /**
       * Donor credit (issue 12): the need the donor's money was for was cancelled or expired
       * unfunded; they may choose another need by the signed link until `until`, after which the
       * fund gives it to the most urgent need that fits. Public titles only.
       */
      data: { name: string; amount: string; needTitle: string; orgName: string; until: string; chooseUrl: string; zakat: boolean };
    }
  | {
      template: "need-update";
      /**
       * A verifier published a written update on a need (decision 070): its text in the donor's
       * language (else the other one), the need's public title and its public page. Nothing else.
       */
      data: { name: string; needTitle: string; orgName: string; body: string; needUrl: string };
    }
  | {
      template: "monthly-gift";
      /**
       * Monthly giving (issue 12): the gift started, a card payment failed (update the card), a
       * standing order's month was missed, or the gift was cancelled. The signed link opens the
       * gift's page (its months, update the card, cancel) without an account.
       */
      data: {
        event: "started" | "payment_failed" | "missed" | "cancelled" | "completed" | "lapsed" | "reminder";
        name: string;
        amount: string;
        fundName: string;
        method: "card" | "offline";
        manageUrl: string;
        /** A reminder: the month's reference, the day it must arrive by, and its page (where to pay). */
        reference?: string;
        payBy?: string;
        instructionsUrl?: string;
      };
    }
  | {
      template: "verify-email";
      data: {
        name: string;
        verifyUrl: string;
        /** Shown as "this link expires in N hours" when given. */
        expiresInHours?: number;
      };
    }
  | {
      template: "reset-password";
      data: { name: string; resetUrl: string; expiresInHours?: number };
    }
  | {
      template: "password-changed";
      data: {
        name: string;
        /** The /forgot-password page, offered in case the change was not the recipient's doing. */
        forgotPasswordUrl?: string;
      };
    }
  | {
      template: "invite";
      data: {
        orgName: string;
        inviterName: string;
        /** Already translated into the email's locale. */
        roleLabel: string;
        inviteUrl: string;
        expiresInHours?: number;
      };
    }
  | {
      template: "pledge-instructions";
      /**
       * A donor's offline pledge: the reference, the amount, the need's public title and the
       * organisation's payment details. Nothing of the household (the title is guarded public text).
       */
      data: {
        name: string;
        reference: string;
        /** Already formatted in the email's locale. */
        amount: string;
        needTitle: string;
        orgName: string;
        method: "bank_transfer" | "cash" | "money_transfer";
        /** Already formatted; empty when none. */
        expiresOn: string;
        bank: { bankName: string | null; accountName: string | null; accountNumber: string | null; swift: string | null } | null;
        /** The organisation's office or transfer-shop instructions in the email's language. */
        instructions: string | null;
        instructionsUrl: string;
        /** A guest's pledge: the single-use link that confirms it (null when confirmed at creation). */
        confirmUrl?: string | null;
        /** Already formatted: until when it can be confirmed (24 hours), and until when it then holds. */
        confirmBy?: string | null;
        holdsUntil?: string | null;
      };
    }
  | {
      template: "signup-attempt";
      /**
       * Someone tried to create an account with an address that already has one (the sign-up
       * page answered as for a new address, so it reveals nothing): tell the owner, offer sign-in
       * and a password reset.
       */
      data: { name: string; loginUrl: string; forgotPasswordUrl: string };
    }
  | {
      template: "pledge-released";
      /**
       * A donor's pledge released with its need (staff cancelled it, or its deadline passed): the
       * reference, the need's public title, the organisation, and — when part was paid — that
       * finance will move or refund it. Never the staff's reason or anything of the household.
       */
      data: {
        name: string;
        reference: string;
        needTitle: string;
        orgName: string;
        reason: "cancelled" | "expired";
        /** The pledge's amount, already formatted; empty for an in-kind delivery offer. */
        amount: string;
        /** What the donor had already paid, already formatted; null when nothing. */
        paid: string | null;
      };
    }
  | {
      template: "receipt";
      /**
       * The receipt of a payment (app/modules/receipts): all amounts and dates already formatted in
       * the email's locale; the need's public title only; the signed link to the printable receipt.
       */
      data: ReceiptEmailCommon & {
        valueDate: string;
        method: "card" | "bank_transfer" | "cash" | "money_transfer";
        needTitle: string | null;
        /** Where the money went: the pledge's need, the solidarity (or zakat) fund it was given to, the unrestricted fund, or not yet assigned (suspense). */
        destination: "need" | "fund" | "unrestricted" | "unassigned";
        /** Zakat or sadaqa (voluntary charity): every receipt says which (issue 12). */
        givenAs: "zakat" | "sadaqa";
        /** The split when the payment was more than the gift: the gift, the covered fee, the surplus. */
        gift: string | null;
        coverFee: string | null;
        surplus: string | null;
      };
    }
  | {
      template: "payment-moved";
      /**
       * Finance moved a donor's paid money (to another need of the organisation or its general
       * fund), or matched money that had no usable reference to the donor's pledge: where it went.
       * Amounts already formatted; the needs' public titles only, never anything of the household.
       */
      data: {
        name: string;
        /** The pledge's reference; null for money recorded without a pledge. */
        reference: string | null;
        /** The amount moved (attached: what went to the pledge's need). */
        amount: string;
        /** The need the money was for (moved); null when it sat in no need. */
        fromNeedTitle: string | null;
        orgName: string;
        kind: "moved" | "attached";
        /** The need it went to; null: the organisation's general (unrestricted) fund. */
        toNeedTitle: string | null;
        /** Attached: what the pledge could not take, now in the general fund; else null. */
        unrestricted: string | null;
      };
    }
  | {
      template: "gift-delivered";
      /**
       * A disbursement paid a need's money to its payee: "your gift reached a school". The payee's
       * KIND only (never its name), the need's public title, the amount paid out (formatted).
       */
      data: {
        name: string;
        needTitle: string;
        orgName: string;
        payeeKind: "school" | "hospital" | "pharmacy" | "vendor" | "household" | "landlord";
        amount: string;
      };
    }
  | {
      template: "credit-note";
      /** A refund's credit note, referring to the receipt it corrects. */
      data: ReceiptEmailCommon & { receiptNumber: string };
    };

/** What a receipt and a credit note email both carry. */
export interface ReceiptEmailCommon {
  name: string;
  number: string;
  amount: string;
  issuedOn: string;
  orgName: string;
  registrationNumber: string | null;
  pledgeReference: string | null;
  /** Sent again at someone's request (same number). */
  reissued: boolean;
  receiptUrl: string;
}

/** New needs matching a donor's giving preferences (issue 12). Public text and public links only. */
export type GivingDigestData = {
  name: string;
  needs: { title: string; orgName: string; remaining: string; url: string }[];
  more: boolean;
  matchesUrl: string;
  preferencesUrl: string;
  unsubscribeUrl: string;
};

export type EmailTemplateName = EmailMessage["template"];
export type EmailData<K extends EmailTemplateName> = Extract<EmailMessage, { template: K }>["data"];

export const EMAIL_TEMPLATES = [
  "verify-email",
  "reset-password",
  "password-changed",
  "invite",
  "pledge-instructions",
  "signup-attempt",
  "pledge-released",
  "receipt",
  "credit-note",
  "payment-moved",
  "gift-delivered",
  "giving-digest",
  "donor-credit",
  "monthly-gift",
  "need-update",
] as const satisfies readonly EmailTemplateName[];

/**
 * The data kept beside a rendered email for debugging: everything except links, which carry
 * single-use tokens and belong in the body only.
 */
export function metaOf(message: EmailMessage): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(message.data).filter(([key]) => !/url$/i.test(key)),
  );
}

import { createInstance, type TFunction } from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { compile } from "html-to-text";
import type { ReactElement } from "react";
import { resources } from "~/locales";
import { fallbackLng, type Locale } from "~/utils/i18n";
import type { Translate } from "#emails/types";
import VerifyEmail, { subject as verifyEmailSubject } from "#emails/verify-email";
import ResetPassword, { subject as resetPasswordSubject } from "#emails/reset-password";
import PasswordChanged, { subject as passwordChangedSubject } from "#emails/password-changed";
import Invite, { subject as inviteSubject } from "#emails/invite";
import PledgeInstructions, { subject as pledgeInstructionsSubject } from "#emails/pledge-instructions";
import SignupAttempt, { subject as signupAttemptSubject } from "#emails/signup-attempt";
import PledgeReleased, { subject as pledgeReleasedSubject } from "#emails/pledge-released";
import ReceiptEmail, { subject as receiptSubject } from "#emails/receipt";
import CreditNoteEmail, { subject as creditNoteSubject } from "#emails/credit-note";
import PaymentMoved, { subject as paymentMovedSubject } from "#emails/payment-moved";
import GiftDelivered, { subject as giftDeliveredSubject } from "#emails/gift-delivered";
import GivingDigest, { subject as givingDigestSubject } from "#emails/giving-digest";
import DonorCredit, { subject as donorCreditSubject } from "#emails/donor-credit";
import MonthlyGift, { subject as monthlyGiftSubject } from "#emails/monthly-gift";
import NeedUpdate, { subject as needUpdateSubject } from "#emails/need-update";
import type { EmailMessage } from "./messages";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

// One i18next instance for emails (server only; the browser never loads the `email` namespace).
const i18n = createInstance();
void i18n.init({
  resources: {
    ar: { email: resources.ar.email, giving: resources.ar.giving },
    en: { email: resources.en.email, giving: resources.en.giving },
  },
  lng: fallbackLng,
  fallbackLng,
  ns: ["email", "giving"],
  defaultNS: "email",
  // React escapes the text it renders; subjects are plain text.
  interpolation: { escapeValue: false },
  initImmediate: false,
});

function translatorFor(locale: Locale): Translate {
  const t: TFunction = i18n.getFixedT(locale, "email");
  return (key, options) => t(key, options ?? {}) as string;
}

function elementFor(locale: Locale, t: Translate, message: EmailMessage): { subject: string; element: ReactElement } {
  switch (message.template) {
    case "verify-email":
      return {
        subject: verifyEmailSubject(t, message.data),
        element: <VerifyEmail locale={locale} t={t} data={message.data} />,
      };
    case "reset-password":
      return {
        subject: resetPasswordSubject(t, message.data),
        element: <ResetPassword locale={locale} t={t} data={message.data} />,
      };
    case "password-changed":
      return {
        subject: passwordChangedSubject(t, message.data),
        element: <PasswordChanged locale={locale} t={t} data={message.data} />,
      };
    case "invite":
      return {
        subject: inviteSubject(t, message.data),
        element: <Invite locale={locale} t={t} data={message.data} />,
      };
    case "pledge-instructions":
      return {
        subject: pledgeInstructionsSubject(t, message.data),
        element: <PledgeInstructions locale={locale} t={t} data={message.data} />,
      };
    case "signup-attempt":
      return {
        subject: signupAttemptSubject(t, message.data),
        element: <SignupAttempt locale={locale} t={t} data={message.data} />,
      };
    case "pledge-released":
      return {
        subject: pledgeReleasedSubject(t, message.data),
        element: <PledgeReleased locale={locale} t={t} data={message.data} />,
      };
    case "receipt":
      return {
        subject: receiptSubject(t, message.data),
        element: <ReceiptEmail locale={locale} t={t} data={message.data} />,
      };
    case "credit-note":
      return {
        subject: creditNoteSubject(t, message.data),
        element: <CreditNoteEmail locale={locale} t={t} data={message.data} />,
      };
    case "payment-moved":
      return {
        subject: paymentMovedSubject(t, message.data),
        element: <PaymentMoved locale={locale} t={t} data={message.data} />,
      };
    case "gift-delivered":
      return {
        subject: giftDeliveredSubject(t, message.data),
        element: <GiftDelivered locale={locale} t={t} data={message.data} />,
      };
    case "giving-digest":
      return {
        subject: givingDigestSubject(t, message.data),
        element: <GivingDigest locale={locale} t={t} data={message.data} />,
      };
    case "donor-credit":
      return {
        subject: donorCreditSubject(t, message.data),
        element: <DonorCredit locale={locale} t={t} data={message.data} />,
      };
    case "monthly-gift":
      return {
        subject: monthlyGiftSubject(t, message.data),
        element: <MonthlyGift locale={locale} t={t} data={message.data} />,
      };
    case "need-update":
      return {
        subject: needUpdateSubject(t, message.data),
        element: <NeedUpdate locale={locale} t={t} data={message.data} />,
      };
    default: {
      const unknown: never = message;
      throw new Error(`Unknown email template: ${(unknown as { template: string }).template}`);
    }
  }
}

/**
 * The plain-text alternative, with React Email's own `plainText` settings, but from the HTML we
 * already rendered and with the converter compiled once (`render(…, { plainText: true })` renders
 * the React tree a second time and compiles html-to-text's selectors on every call; an email is
 * rendered inside the transaction that writes it, so this time is spent holding the pledge's lock).
 */
const toPlainText = compile({
  wordwrap: false,
  selectors: [
    { selector: "img", format: "skip" },
    { selector: "[data-skip-in-text=true]", format: "skip" },
    { selector: "a", options: { linkBrackets: false, hideLinkHrefIfSameAsText: true } },
  ],
});

/**
 * The email's HTML: what React Email's `render()` produces (its XHTML doctype, then the markup),
 * but rendered synchronously. `render()` streams through Suspense for components that wait; ours
 * never do, and the stream costs about twice the time — spent inside the transaction that writes
 * the email, holding the pledge's lock (issue 11: the pledge post).
 */
const DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';
function renderHtml(element: ReactElement): string {
  return `${DOCTYPE}${renderToStaticMarkup(element).replace(/<!DOCTYPE.*?>/, "")}`;
}

/** Renders an email in the recipient's language: subject, HTML and a plain-text alternative. */
export async function renderEmail(locale: Locale, message: EmailMessage): Promise<RenderedEmail> {
  const t = translatorFor(locale);
  const { subject, element } = elementFor(locale, t, message);
  const html = renderHtml(element);
  const text = toPlainText(html);
  return {
    // A subject is one line: names typed by people must not break it.
    subject: subject.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim(),
    html: withoutNul(html),
    text: withoutNul(text).trim(),
  };
}

/**
 * React 18's streaming renderer (which React Email's `render` uses) pads a buffer with a NUL byte
 * when a multi-byte character (Arabic) does not fit at its end; the character itself follows
 * intact. PostgreSQL refuses NUL in text, and it is not part of the email: drop it (React Email's
 * own `pretty` does the same).
 */
function withoutNul(value: string): string {
  return value.replaceAll("\0", "");
}

import { Resend } from "resend";
import { PermanentEmailError, type EmailTransport } from "./dispatch.server";

export interface ResendTransportOptions {
  apiKey: string;
  /** EMAIL_FROM, e.g. "Tadamon <no-reply@tadamon.example>". */
  from: string;
  /** Resend's API origin; tests and local stand-ins set RESEND_BASE_URL. Default https://api.resend.com. */
  baseUrl?: string;
}

/**
 * Sends through Resend's API. The outbox id is the idempotency key, so a send repeated after a
 * crash (the provider accepted it but we never recorded it) is not delivered twice.
 */
export function createResendTransport({ apiKey, from, baseUrl }: ResendTransportOptions): EmailTransport {
  const resend = new Resend(apiKey, baseUrl ? { baseUrl: baseUrl.replace(/\/$/, "") } : undefined);
  return {
    async send(email) {
      const { data, error } = await resend.emails.send(
        { from, to: [email.to], subject: email.subject, html: email.html, text: email.text },
        { idempotencyKey: email.idempotencyKey },
      );
      if (error) {
        const status = "statusCode" in error ? (error.statusCode as number | null) : null;
        const message = `Resend ${status ?? "network"} ${error.name}: ${error.message}`;
        // A rejected message (bad address, invalid payload) fails the same way every time.
        if (status === 400 || status === 422) throw new PermanentEmailError(message);
        throw new Error(message);
      }
      return { providerMessageId: data?.id ?? null };
    },
  };
}

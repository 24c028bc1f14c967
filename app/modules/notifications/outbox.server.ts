import type { DbOrTx } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import type { Locale } from "~/utils/i18n";

/** Every email the app sends, with the data its template needs. Links are absolute URLs. */
export type EmailMessage =
  | { template: "verify-email"; data: { name: string; verifyUrl: string } }
  | { template: "reset-password"; data: { name: string; resetUrl: string } }
  | { template: "password-changed"; data: { name: string } }
  | {
      template: "invite";
      data: { orgName: string; inviterName: string; roleLabel: string; inviteUrl: string };
    };

/**
 * Writes an email to the outbox inside the caller's transaction; the job worker sends it after
 * commit (or keeps it for the dev mailbox). Returns the outbox id.
 *
 * PLACEHOLDER RENDERING: the notifications work replaces this with React Email templates.
 */
export async function enqueueEmail(
  db: DbOrTx,
  to: string,
  locale: Locale,
  message: EmailMessage,
): Promise<string> {
  const body = JSON.stringify(message.data);
  const [row] = await db
    .insert(emailOutbox)
    .values({
      toAddress: to,
      template: message.template,
      locale,
      subject: message.template,
      html: `<pre>${body}</pre>`,
      text: body,
    })
    .returning({ id: emailOutbox.id });
  return row.id;
}

import { sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { preparedOnce } from "#db/prepared.server";
import { emailOutbox } from "#db/schema";
import type { Locale } from "~/utils/i18n";
import { metaOf, type EmailMessage } from "./messages";
import { renderEmail } from "./render.server";

export type { EmailMessage } from "./messages";

/**
 * Writes an email to the outbox inside the caller's transaction: rendered now (subject, HTML,
 * plain text, in the recipient's locale), sent by the job worker after commit, or kept for the
 * dev mailbox when no RESEND_API_KEY is set. Returns the outbox id.
 *
 * It never talks to pg-boss: on PGlite (one connection) a job-queue call made while the caller's
 * transaction is open would wait for that transaction forever. After commit, a route may call
 * `kickOutbox()` (~/utils/outbox-kick.server) to have it sent at once instead of at the next sweep.
 */
export async function enqueueEmail(
  db: DbOrTx,
  to: string,
  locale: Locale,
  message: EmailMessage,
): Promise<string> {
  const rendered = await renderEmail(locale, message);
  // Built once (db/prepared.server.ts), then only run.
  const [row] = await preparedOnce(db, "enqueue-email", () =>
    db
      .insert(emailOutbox)
      .values({
        toAddress: sql.placeholder("toAddress") as unknown as string,
        template: sql.placeholder("template") as unknown as string,
        locale: sql.placeholder("locale") as unknown as Locale,
        subject: sql.placeholder("subject") as unknown as string,
        html: sql.placeholder("html") as unknown as string,
        text: sql.placeholder("text") as unknown as string,
        meta: sql.placeholder("meta") as unknown as Record<string, unknown>,
      })
      .returning({ id: emailOutbox.id }),
  ).execute({
    toAddress: to.trim(),
    template: message.template,
    locale,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    meta: metaOf(message),
  });
  return row.id;
}

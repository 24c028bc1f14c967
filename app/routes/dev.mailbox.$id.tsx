import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { eq } from "drizzle-orm";
import { emailOutbox } from "#db/schema";
import { resources } from "~/locales";
import { OutboxStatusBadge, useMailboxStrings } from "~/components/dev-mailbox";
import { extractLinks } from "~/modules/notifications/links";
import { notFound } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { isProduction } from "~/utils/env.server";
import { formatDateTime } from "~/utils/format";
import { getLocale } from "~/utils/i18next.server";
import { UUID_PATTERN } from "~/utils/uuid";

const UUID = UUID_PATTERN;

/** One email of the dev mailbox, with its links listed so a test can follow them. Never in production. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (isProduction()) notFound();
  const id = params.id ?? "";
  if (!UUID.test(id)) notFound();
  const db = await getDb();
  const [email] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  if (!email) notFound();
  const locale = await getLocale(request);
  return {
    email: {
      id: email.id,
      toAddress: email.toAddress,
      subject: email.subject,
      status: email.status,
      template: email.template,
      locale: email.locale,
      html: email.html,
      text: email.text,
      attempts: email.attempts,
      lastError: email.lastError,
      createdAt: email.createdAt,
      sentAt: email.sentAt,
    },
    links: extractLinks(email.html),
    messages: resources[locale].email.mailbox,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.email.subject} — ${data.messages.title}` : "Dev mailbox" },
  { name: "robots", content: "noindex" },
];

export default function DevMailboxEmail() {
  const { email, links, messages } = useLoaderData<typeof loader>();
  useMailboxStrings(messages);
  const { t, i18n } = useTranslation("email");
  const locale = i18n.language === "en" ? "en" : "ar";
  const emailDir = email.locale === "ar" ? "rtl" : "ltr";
  return (
    <article className="space-y-6">
      <p>
        <Link to="/dev/mailbox" className="text-brand-700 underline">
          {t("mailbox.back")}
        </Link>
      </p>
      <h1 className="text-2xl font-bold" lang={email.locale} dir={emailDir} data-testid="mail-subject">
        {email.subject}
      </h1>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 rounded-lg border border-stone-200 bg-white p-4 text-sm">
        <dt className="font-bold">{t("mailbox.detail.to")}</dt>
        <dd>
          <span dir="ltr" data-testid="mail-to">
            {email.toAddress}
          </span>
        </dd>
        <dt className="font-bold">{t("mailbox.detail.status")}</dt>
        <dd>
          <OutboxStatusBadge status={email.status} label={t(`mailbox.status.${email.status}`)} />
        </dd>
        <dt className="font-bold">{t("mailbox.detail.template")}</dt>
        <dd>
          <span dir="ltr">{email.template}</span>
        </dd>
        <dt className="font-bold">{t("mailbox.detail.language")}</dt>
        <dd>{email.locale}</dd>
        <dt className="font-bold">{t("mailbox.detail.created")}</dt>
        <dd>{formatDateTime(email.createdAt, locale)}</dd>
        {email.sentAt ? (
          <>
            <dt className="font-bold">{t("mailbox.detail.sentAt")}</dt>
            <dd>{formatDateTime(email.sentAt, locale)}</dd>
          </>
        ) : null}
        <dt className="font-bold">{t("mailbox.detail.attempts")}</dt>
        <dd>{email.attempts.toLocaleString(locale)}</dd>
        {email.lastError ? (
          <>
            <dt className="font-bold">{t("mailbox.detail.lastError")}</dt>
            <dd dir="ltr" className="text-start font-mono break-all">{email.lastError}</dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="mail-links">
        <h2 id="mail-links" className="text-xl font-bold">
          {t("mailbox.detail.links")}
        </h2>
        {links.length === 0 ? (
          <p className="mt-2">{t("mailbox.detail.noLinks")}</p>
        ) : (
          <ul className="mt-2 space-y-1">
            {links.map((href) => (
              <li key={href}>
                <a href={href} dir="ltr" data-testid="mail-link" className="break-all text-brand-700 underline">
                  {href}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="mail-text">
        <h2 id="mail-text" className="text-xl font-bold">
          {t("mailbox.detail.text")}
        </h2>
        <pre
          lang={email.locale}
          dir={emailDir}
          data-testid="mail-text"
          className="mt-2 overflow-x-auto whitespace-pre-wrap rounded-lg border border-stone-200 bg-white p-4 font-sans text-sm"
        >
          {email.text}
        </pre>
      </section>
      <section aria-labelledby="mail-html">
        <h2 id="mail-html" className="text-xl font-bold">
          {t("mailbox.detail.html")}
        </h2>
        <iframe
          title={t("mailbox.detail.htmlFrameTitle")}
          srcDoc={email.html}
          sandbox=""
          className="mt-2 h-[40rem] w-full rounded-lg border border-stone-200 bg-white"
        />
      </section>
    </article>
  );
}

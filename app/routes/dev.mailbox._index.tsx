import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { count, desc, sql } from "drizzle-orm";
import { emailOutbox } from "#db/schema";
import { resources } from "~/locales";
import { Pagination, pageFrom } from "~/components/pagination";
import { OutboxStatusBadge, useMailboxStrings } from "~/components/dev-mailbox";
import { notFound } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { queryParam } from "~/utils/request-screen.server";
import { isProduction } from "~/utils/env.server";
import { formatDateTime } from "~/utils/format";
import { getLocale } from "~/utils/i18next.server";

const PAGE_SIZE = 20;

/** Dev mailbox: the outbox, newest first, filtered by `?to=`. Never in production. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (isProduction()) notFound();
  const url = new URL(request.url);
  const to = (queryParam(url, "to", 320) ?? "").trim().toLowerCase();
  const page = pageFrom(url);
  const where = to ? sql`lower(${emailOutbox.toAddress}) = ${to}` : undefined;
  const db = await getDb();
  const [[{ total }], emails] = await Promise.all([
    db.select({ total: count() }).from(emailOutbox).where(where),
    db
      .select({
        id: emailOutbox.id,
        toAddress: emailOutbox.toAddress,
        subject: emailOutbox.subject,
        status: emailOutbox.status,
        createdAt: emailOutbox.createdAt,
      })
      .from(emailOutbox)
      .where(where)
      .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
  ]);
  const locale = await getLocale(request);
  return {
    emails,
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    to,
    messages: resources[locale].email.mailbox,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.messages.title ?? "Dev mailbox" },
  { name: "robots", content: "noindex" },
];

export default function DevMailbox() {
  const { emails, total, page, pages, to, messages } = useLoaderData<typeof loader>();
  useMailboxStrings(messages);
  const { t, i18n } = useTranslation("email");
  const locale = i18n.language === "en" ? "en" : "ar";
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold">{t("mailbox.title")}</h1>
        <p className="mt-2 text-stone-700">{t("mailbox.intro")}</p>
      </header>
      <Form method="get" className="flex flex-wrap items-end gap-3" role="search">
        <div className="space-y-1">
          <label htmlFor="mailbox-to" className="block font-bold">
            {t("mailbox.filterLabel")}
          </label>
          <input
            id="mailbox-to"
            name="to"
            type="text"
            inputMode="email"
            dir="ltr"
            defaultValue={to}
            className="block w-72 max-w-full rounded border border-stone-400 bg-white px-3 py-2"
          />
        </div>
        <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-bold text-white hover:bg-brand-800">
          {t("mailbox.filter")}
        </button>
        {to ? (
          <Link to="/dev/mailbox" className="px-2 py-2 text-brand-700 underline">
            {t("mailbox.clear")}
          </Link>
        ) : null}
      </Form>
      <p>{t("mailbox.total", { total: total.toLocaleString(locale) })}</p>
      {emails.length === 0 ? (
        <p data-testid="mailbox-empty">{t("mailbox.empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="w-full text-start text-sm" data-testid="mailbox">
            <thead className="bg-stone-100">
              <tr>
                <th scope="col" className="px-3 py-2 text-start">{t("mailbox.columns.date")}</th>
                <th scope="col" className="px-3 py-2 text-start">{t("mailbox.columns.to")}</th>
                <th scope="col" className="px-3 py-2 text-start">{t("mailbox.columns.subject")}</th>
                <th scope="col" className="px-3 py-2 text-start">{t("mailbox.columns.status")}</th>
              </tr>
            </thead>
            <tbody>
              {emails.map((email) => (
                <tr key={email.id} className="border-t border-stone-200" data-testid="mail-row">
                  <td className="whitespace-nowrap px-3 py-2">{formatDateTime(email.createdAt, locale)}</td>
                  <td className="px-3 py-2">
                    <span dir="ltr">{email.toAddress}</span>
                  </td>
                  <td className="px-3 py-2">
                    <Link to={`/dev/mailbox/${email.id}`} className="text-brand-700 underline" dir="auto">
                      {email.subject}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <OutboxStatusBadge status={email.status} label={t(`mailbox.status.${email.status}`)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}

import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pageFrom, Pagination } from "~/components/pagination";
import { listDonorReceipts, needTitleIn } from "~/modules/receipts/receipts.server";
import { requireUser } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { Bdi, Digits, Money, Ref, ownRun } from "~/components/bidi";

/**
 * /account/receipts — the signed-in donor's receipts and credit notes, newest first (paginated),
 * and a year-end statement per organisation and year. Receipts the donor received as a guest
 * appear once that email address is confirmed on the account.
 */

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const page = pageFrom(url);
  const [list, locale, t] = await Promise.all([listDonorReceipts(await getDb(), user, page), getLocale(request), getFixedT(request, ["receipts", "common"])]);
  return data(
    {
      title: `${t("receipts:account.title")} — ${t("common:appName")}`,
      page,
      pages: list.pages,
      total: list.total,
      receipts: list.rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        number: r.number,
        date: formatDate(r.issuedAt, locale, r.orgTimeZone),
        amount: formatMoney(r.amountMinor, r.currency, locale),
        org: locale === "ar" ? r.orgNameAr : r.orgNameEn,
        needTitle: needTitleIn({ titleAr: r.needTitleAr, titleEn: r.needTitleEn }, locale),
      })),
      statements: list.statements.map((s) => ({
        href: `/account/receipts/statement?org=${encodeURIComponent(s.orgSlug)}&year=${s.year}`,
        org: locale === "ar" ? s.orgNameAr : s.orgNameEn,
        year: s.year,
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function MyReceipts() {
  const { receipts, statements, page, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("receipts");
  return (
    <div className="mx-auto w-full max-w-4xl space-y-6">
      <h1 className="text-2xl font-bold text-brand-800">{t("account.title")}</h1>
      <p>{t("account.intro")}</p>
      {receipts.length === 0 ? (
        <p data-testid="no-receipts">{t("account.empty")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-start" data-testid="my-receipts">
            <thead>
              <tr className="border-b border-stone-300">
                <th scope="col" className="p-2 text-start">{t("account.columns.date")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.number")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.kind")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.org")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.need")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.amount")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {receipts.map((r) => (
                <tr key={r.id} className="border-b border-stone-200">
                  <td className="p-2">
                    <Digits>{r.date}</Digits>
                  </td>
                  <td className="p-2">
                    <Ref>{r.number}</Ref>
                  </td>
                  <td className="p-2">{t(`kind.${r.kind}`)}</td>
                  <td className="p-2">
                    <Bdi>{r.org}</Bdi>
                  </td>
                  <td className="p-2">{r.needTitle ? <Bdi>{r.needTitle}</Bdi> : "—"}</td>
                  <td className="p-2 tabular-nums">
                    <Money text={r.kind === "credit_note" ? `− ${r.amount}` : r.amount} />
                  </td>
                  <td className="p-2">
                    <Link to={`/receipts/${r.id}`} className="text-brand-700 underline" aria-label={`${t("account.open")} ${r.number}`}>
                      {t("account.open")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={page} pages={pages} />
        </div>
      )}
      {statements.length > 0 && (
        <section className="space-y-2" aria-labelledby="statements-heading">
          <h2 id="statements-heading" className="text-lg font-bold">
            {t("account.statementsHeading")}
          </h2>
          <p>{t("account.statementsIntro")}</p>
          <ul className="list-disc space-y-1 ps-6" data-testid="statements">
            {statements.map((s) => (
              <li key={s.href}>
                <Link to={s.href} className="text-brand-700 underline">
                  {t("account.statementLink", { org: ownRun(s.org), year: s.year })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

import {
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { JsButton } from "~/components/enhance";
import {
  donorStatement,
  issuerName,
  needTitleIn,
} from "~/modules/receipts/receipts.server";
import { requireUser } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { Bdi, Digits, Ltr, Money, Ref, useDigits } from "~/components/bidi";

/**
 * /account/receipts/statement?org=<slug>&year=<yyyy> — the signed-in donor's printable year-end
 * statement for one organisation: every receipt and credit note of that year and, per currency,
 * the receipts, the credit notes and the total given. An organisation or year where the donor has
 * nothing is a 404 (the same as one that does not exist).
 */

const NO_STORE = { "Cache-Control": "private, no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const orgSlug = url.searchParams.get("org") ?? "";
  const yearText = url.searchParams.get("year") ?? "";
  const notFound = () =>
    new Response("Not Found", { status: 404, headers: NO_STORE });
  if (
    !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(orgSlug) ||
    orgSlug.length > 100 ||
    !/^\d{4}$/.test(yearText)
  )
    throw notFound();
  const year = Number(yearText);
  const statement = await donorStatement(await getDb(), user, {
    orgSlug,
    year,
  });
  if (!statement) throw notFound();
  const [locale, t] = await Promise.all([
    getLocale(request),
    getFixedT(request, ["receipts", "common"]),
  ]);
  const { org } = statement;
  const name = issuerName(org, locale);
  return data(
    {
      title: `${t("receipts:statement.title", { year, org: name })} — ${t(
        "common:appName"
      )}`,
      year,
      org: { name, registrationNumber: org.registrationNumber?.trim() || null },
      donor: user.displayName,
      generatedOn: formatDate(new Date(), locale, org.timeZone),
      rows: statement.rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        number: r.number,
        date:
          r.kind === "receipt"
            ? formatDate(r.valueDate, locale, "UTC")
            : formatDate(r.issuedAt, locale, org.timeZone),
        method: r.method,
        needTitle: needTitleIn(
          { titleAr: r.needTitleAr, titleEn: r.needTitleEn },
          locale
        ),
        amount: formatMoney(
          r.kind === "receipt" ? r.amountMinor : -r.amountMinor,
          r.currency,
          locale
        ),
      })),
      totals: statement.totals.map((x) => ({
        currency: x.currency,
        receipts: formatMoney(x.receiptsMinor, x.currency, locale),
        creditNotes: formatMoney(x.creditNotesMinor, x.currency, locale),
        net: formatMoney(x.netMinor, x.currency, locale),
        netMinor: x.netMinor,
      })),
    },
    { headers: NO_STORE }
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Tadamon" },
  { name: "robots", content: "noindex" },
];

export default function Statement() {
  const { year, org, donor, generatedOn, rows, totals } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation("receipts");
  const digits = useDigits();
  return (
    <div className="mx-auto w-full max-w-4xl space-y-6">
      <article
        id="print-document"
        className="min-w-0 space-y-4 rounded-lg border border-stone-200 bg-white p-5"
        data-testid="statement"
      >
        <header className="space-y-1 border-b border-stone-300 pb-3">
          <h1 className="text-2xl font-bold text-brand-800">
            {t("statement.heading", { year: digits(String(year)) })}
          </h1>
          <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 [&_dd]:break-words">
            <dt className="font-bold">{t("statement.issuer")}</dt>
            <dd>
              <Bdi>{org.name}</Bdi>
            </dd>
            {org.registrationNumber && (
              <>
                <dt className="font-bold">{t("statement.registration")}</dt>
                <dd>
                  <Ltr>{org.registrationNumber}</Ltr>
                </dd>
              </>
            )}
            <dt className="font-bold">{t("statement.donor")}</dt>
            <dd>
              <Bdi testId="statement-donor">{donor}</Bdi>
            </dd>
            <dt className="font-bold">{t("statement.year")}</dt>
            <dd>
              <Digits>{String(year)}</Digits>
            </dd>
          </dl>
        </header>
        <div className="relative max-w-full overflow-x-auto">
          <table className="w-full border-collapse text-start text-sm">
            <thead>
              <tr className="border-b border-stone-300">
                <th scope="col" className="p-2 text-start">
                  {t("statement.columns.number")}
                </th>
                <th scope="col" className="p-2 text-start">
                  {t("statement.columns.kind")}
                </th>
                <th scope="col" className="p-2 text-start">
                  {t("statement.columns.date")}
                </th>
                <th scope="col" className="p-2 text-start">
                  {t("statement.columns.need")}
                </th>
                <th scope="col" className="p-2 text-start">
                  {t("statement.columns.method")}
                </th>
                <th scope="col" className="p-2 text-end">
                  {t("statement.columns.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-b border-stone-200">
                  <td className="p-2">
                    <Ref>{r.number}</Ref>
                  </td>
                  <td className="p-2">{t(`kind.${r.kind}`)}</td>
                  <td className="p-2">
                    <Digits>{r.date}</Digits>
                  </td>
                  <td className="p-2">
                    {r.needTitle ? <Bdi>{r.needTitle}</Bdi> : "—"}
                  </td>
                  <td className="p-2">{t(`methods.${r.method}`)}</td>
                  <td className="p-2 text-end tabular-nums">
                    <Money text={r.amount} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <section aria-labelledby="totals-heading" className="space-y-2">
          <h2 id="totals-heading" className="text-lg font-bold">
            {t("statement.totalsHeading")}
          </h2>
          <div className="relative max-w-full overflow-x-auto">
            <table
              className="w-full border-collapse text-start"
              data-testid="statement-totals"
            >
              <thead>
                <tr className="border-b border-stone-300">
                  <th scope="col" className="p-2 text-start">
                    {t("statement.totals.currency")}
                  </th>
                  <th scope="col" className="p-2 text-end">
                    {t("statement.totals.receipts")}
                  </th>
                  <th scope="col" className="p-2 text-end">
                    {t("statement.totals.creditNotes")}
                  </th>
                  <th scope="col" className="p-2 text-end">
                    {t("statement.totals.net")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {totals.map((x) => (
                  <tr key={x.currency} className="border-b border-stone-200">
                    <td className="p-2 font-mono">{x.currency}</td>
                    <td className="p-2 text-end tabular-nums">
                      <Money text={x.receipts} />
                    </td>
                    <td className="p-2 text-end tabular-nums">
                      <Money text={x.creditNotes} />
                    </td>
                    <td className="p-2 text-end font-bold tabular-nums">
                      <Money text={x.net} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <p className="text-sm">
          {t("statement.generatedOn", { date: digits(generatedOn) })}
        </p>
      </article>
      <div className="no-print space-y-2">
        <p>{t("page.printHint")}</p>
        <p className="flex flex-wrap items-center gap-4">
          <JsButton
            action="print"
            label={t("page.print")}
            className="rounded border border-stone-400 px-3 py-1"
            testId="print"
          />
          <Link to="/account/receipts" className="text-brand-700 underline">
            {t("statement.back")}
          </Link>
        </p>
      </div>
    </div>
  );
}

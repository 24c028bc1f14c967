import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { linkClass, tableClass, tdClass, thClass } from "~/components/staff";
import { formatDate, formatMoney } from "~/utils/format";

const TONE: Record<string, string> = {
  requested: "bg-amber-100 text-amber-950",
  approved: "bg-sky-100 text-sky-950",
  paid: "bg-emerald-100 text-emerald-950",
  rejected: "bg-red-100 text-red-950",
  cancelled: "bg-stone-200 text-stone-800",
};

/** A disbursement batch's status as a small coloured label (text, not colour alone). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("disbursements");
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-bold ${TONE[status] ?? ""}`}>{t(`status.${status}`)}</span>;
}

export interface NeedDisbursementRow {
  batchId: string;
  number: string;
  status: string;
  amountMinor: number;
  currency: string;
  payeeKind: string;
  requestedAt: string | Date;
  paidDate: string | null;
}

/** The staff need page's small section: this need's batches (the payee's kind only), linked for finance. */
export function NeedDisbursements({ rows, orgSlug, linkToFinance, timeZone }: { rows: NeedDisbursementRow[]; orgSlug: string; linkToFinance: boolean; timeZone: string }) {
  const { t, i18n } = useTranslation("disbursements");
  const locale = i18n.language === "en" ? "en" : "ar";
  const paid = rows.filter((r) => r.status === "paid").reduce((s, r) => s + r.amountMinor, 0);
  return (
    <section id="need-disbursements" aria-labelledby="need-disbursements-title" className="rounded border border-stone-200 bg-white p-4">
      <h2 id="need-disbursements-title" className="text-lg font-bold">
        {t("needSection.title")}
      </h2>
      <p className="mb-2 text-sm">{t("needSection.intro")}</p>
      {rows.length === 0 ? (
        <p>{t("needSection.empty")}</p>
      ) : (
        <>
          <p className="mb-2 font-bold">{t("needSection.disbursed", { amount: formatMoney(paid, rows[0].currency, locale) })}</p>
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="need-disbursements">
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("columns.number")}</th>
                  <th scope="col" className={thClass}>{t("columns.kind")}</th>
                  <th scope="col" className={thClass}>{t("columns.amount")}</th>
                  <th scope="col" className={thClass}>{t("columns.status")}</th>
                  <th scope="col" className={thClass}>{t("columns.when")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.batchId}>
                    <th scope="row" className={`${tdClass} text-start`} dir="ltr">
                      {linkToFinance ? (
                        <Link to={`/finance/${orgSlug}/disbursements/${r.batchId}`} className={linkClass}>
                          {r.number}
                        </Link>
                      ) : (
                        r.number
                      )}
                    </th>
                    <td className={tdClass}>{t(`payeeKind.${r.payeeKind}`)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatMoney(r.amountMinor, r.currency, locale)}</td>
                    <td className={tdClass}>
                      <StatusBadge status={r.status} />
                    </td>
                    <td className={tdClass}>{r.paidDate ? formatDate(r.paidDate, locale) : formatDate(r.requestedAt, locale, timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

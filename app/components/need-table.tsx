import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatMoney } from "~/utils/format";

export interface NeedRowView {
  id: string;
  publicId: string;
  category: string;
  state: string;
  titleAr: string | null;
  titleEn: string | null;
  targetMinor: number;
  currency: string;
  deadline: string;
  urgency: string;
  householdId: string;
  householdReference: string;
  authorName: string;
  submittedAt: string | Date | null;
  mine?: boolean;
}

/** Needs as a table for staff (list and verification queue). */
export function NeedTable({ slug, rows, caption, timeZone, showSubmitted = false }: { slug: string; rows: NeedRowView[]; caption: string; timeZone: string; showSubmitted?: boolean }) {
  const { t } = useTranslation("needs");
  const locale = useLocale();
  const title = (r: NeedRowView) => (locale === "ar" ? r.titleAr || r.titleEn : r.titleEn || r.titleAr) ?? r.publicId;
  return (
    <div className="relative min-w-0 max-w-full overflow-x-auto">
      <table className={tableClass} data-testid="needs-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={thClass}>{t("list.columns.title")}</th>
            <th scope="col" className={thClass}>{t("fields.category")}</th>
            <th scope="col" className={thClass}>{t("list.columns.state")}</th>
            <th scope="col" className={thClass}>{t("card.target")}</th>
            <th scope="col" className={thClass}>{t("fields.deadline")}</th>
            <th scope="col" className={thClass}>{t("page.household")}</th>
            <th scope="col" className={thClass}>{t("page.author")}</th>
            {showSubmitted && <th scope="col" className={thClass}>{t("list.columns.submitted")}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="need-row">
              <th scope="row" className={`${tdClass} text-start`}>
                <Link to={`/staff/${slug}/needs/${r.id}`} className={linkClass}>
                  {title(r)}
                </Link>
                <span className="block text-xs font-normal text-stone-700">
                  <code dir="ltr">{r.publicId}</code>
                  {(r.urgency === "critical" || r.urgency === "high") && (
                    <span className="ms-2 font-bold text-red-800">{t(`urgency.${r.urgency}`)}</span>
                  )}
                  {r.mine && <span className="ms-2">{t("queue.yours")}</span>}
                </span>
              </th>
              <td className={tdClass}>{t(`categories.${r.category}`)}</td>
              <td className={tdClass}>{t(`states.${r.state}`)}</td>
              <td className={`${tdClass} tabular-nums`}>{formatMoney(r.targetMinor, r.currency, locale)}</td>
              <td className={tdClass}>{formatDate(`${r.deadline}T12:00:00Z`, locale)}</td>
              <td className={tdClass}>
                <Link to={`/staff/${slug}/households/${r.householdId}`} className={linkClass}>
                  {r.householdReference}
                </Link>
              </td>
              <td className={tdClass}>{r.authorName}</td>
              {showSubmitted && <td className={tdClass}>{r.submittedAt ? formatDate(r.submittedAt, locale, timeZone) : "—"}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { HouseholdNeedSummary } from "~/modules/needs/types";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Section, buttonClass, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatMoney } from "~/utils/format";

/**
 * The needs of one household, on the household page.
 * Contract: `HouseholdNeedsPanel({ orgSlug, householdId, needs, canCreate })`, where `needs` comes
 * from `listHouseholdNeeds(db, orgId, householdId)` in app/modules/needs/needs.server.ts.
 */
export type { HouseholdNeedSummary } from "~/modules/needs/types";

export function HouseholdNeedsPanel({
  orgSlug,
  householdId,
  needs,
  canCreate,
}: {
  orgSlug: string;
  householdId: string;
  needs: HouseholdNeedSummary[];
  canCreate: boolean;
}) {
  const { t } = useTranslation("needs");
  const locale = useLocale();
  const base = `/staff/${orgSlug}/needs`;
  return (
    <Section id="household-needs" title={t("panel.title")}>
      {needs.length === 0 ? (
        <p>{t("panel.empty")}</p>
      ) : (
        <div className="relative min-w-0 max-w-full overflow-x-auto">
          <table className={tableClass} data-testid="household-needs">
            <caption className="sr-only">{t("panel.title")}</caption>
            <thead>
              <tr>
                <th scope="col" className={thClass}>{t("list.columns.title")}</th>
                <th scope="col" className={thClass}>{t("list.columns.state")}</th>
                <th scope="col" className={thClass}>{t("card.target")}</th>
                <th scope="col" className={thClass}>{t("fields.deadline")}</th>
              </tr>
            </thead>
            <tbody>
              {needs.map((n) => (
                <tr key={n.id}>
                  <th scope="row" className={`${tdClass} text-start`}>
                    <Link to={`${base}/${n.id}`} className={linkClass}>
                      {(locale === "ar" ? n.titleAr || n.titleEn : n.titleEn || n.titleAr) ?? n.publicId}
                    </Link>
                    <span className="block text-xs font-normal text-stone-700">{t(`categories.${n.category}`)}</span>
                  </th>
                  <td className={tdClass}>{t(`states.${n.state}`)}</td>
                  <td className={`${tdClass} tabular-nums`}>{formatMoney(n.targetMinor, n.currency, locale)}</td>
                  <td className={tdClass}>{formatDate(`${n.deadline}T12:00:00Z`, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canCreate && (
        <p className="mt-4">
          <Link to={`${base}/new?household=${householdId}`} className={buttonClass} data-testid="household-new-need">
            {t("panel.new")}
          </Link>
        </p>
      )}
    </Section>
  );
}

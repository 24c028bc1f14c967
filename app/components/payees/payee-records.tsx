import { Link } from "@remix-run/react";
import { Section, linkClass, tableClass, tdClass, thClass } from "~/components/staff";
import { formatDate, formatMoney } from "~/utils/format";
import { usePayeePage } from "./payee-page-context";

/** Sections of the payee page; `t` comes from the page's hook. @i18n-namespace payees */

export function PayeeHistorySection() {
  const { timeZone, changes, t, locale } = usePayeePage();
  return (
      <Section id="payee-history" title={t("page.historyTitle")}>
        {changes.length === 0 ? (
          <p>{t("page.historyEmpty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="change-history">
              <caption className="sr-only">{t("page.historyTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("page.columns.requested")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.by")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.account")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.status")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.decided")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr key={c.id}>
                    <td className={`${tdClass} whitespace-nowrap`}>{formatDate(c.requestedAt, locale, timeZone)}</td>
                    <td className={tdClass}>{c.requestedByName}</td>
                    <td className={`${tdClass} whitespace-nowrap`}>
                      {c.collection === "cash" ? t("list.cash") : <span dir="ltr">{c.account ?? t("page.none")}</span>}
                    </td>
                    <td className={tdClass}>{t(`changeStatuses.${c.status}`)}</td>
                    <td className={tdClass}>
                      {c.decidedAt ? (
                        <>
                          <span className="block whitespace-nowrap">{formatDate(c.decidedAt, locale, timeZone)}</span>
                          <span className="block text-xs">{c.decidedByName}</span>
                        </>
                      ) : (
                        t("page.none")
                      )}
                    </td>
                    <td className={tdClass}>{[c.reason, c.decisionReason].filter(Boolean).join(" · ") || t("page.none")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
  );
}

export function PayeeNeedsSection() {
  const { slug, needs, t, tn, locale } = usePayeePage();
  return (
      <Section id="payee-needs" title={t("page.needsTitle")}>
        {needs.length === 0 ? (
          <p>{t("page.needsEmpty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="payee-needs">
              <caption className="sr-only">{t("page.needsTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("page.columns.need")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.state")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.target")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.paid")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.disbursed")}</th>
                </tr>
              </thead>
              <tbody>
                {needs.map((n) => (
                  <tr key={n.id}>
                    <td className={tdClass}>
                      <Link to={`/staff/${slug}/needs/${n.id}`} className={linkClass}>
                        {(locale === "ar" ? (n.titleAr ?? n.titleEn) : (n.titleEn ?? n.titleAr)) ?? n.publicId}
                      </Link>
                    </td>
                    <td className={tdClass}>{tn(`states.${n.state}`)}</td>
                    <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{formatMoney(n.targetMinor, n.currency, locale)}</td>
                    <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{formatMoney(n.paidMinor, n.currency, locale)}</td>
                    <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{formatMoney(n.disbursedMinor, n.currency, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
  );
}

export function PayeeBatchesSection() {
  const { slug, timeZone, batches, t, locale } = usePayeePage();
  return (
      <Section id="payee-batches" title={t("page.batchesTitle")}>
        {batches.length === 0 ? (
          <p>{t("page.batchesEmpty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="payee-batches">
              <caption className="sr-only">{t("page.batchesTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("page.columns.number")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.status")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.total")}</th>
                  <th scope="col" className={thClass}>{t("page.columns.requested")}</th>
                </tr>
              </thead>
              <tbody>
                {batches.map((b) => (
                  <tr key={b.id}>
                    <td className={tdClass}>
                      <Link to={`/finance/${slug}/disbursements/${b.id}`} className={linkClass}>
                        <span dir="ltr">{b.number}</span>
                      </Link>
                    </td>
                    <td className={tdClass}>{t(`batchStatuses.${b.status}`)}</td>
                    <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{formatMoney(b.totalMinor, b.currency, locale)}</td>
                    <td className={`${tdClass} whitespace-nowrap`}>{formatDate(b.requestedAt, locale, timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
  );
}

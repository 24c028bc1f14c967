import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime, formatNumber } from "~/utils/format";
import { Bdi, Money, Ref } from "./bidi";
import { FormMessage } from "./forms";
import { buttonClass, dangerButtonClass, linkClass, tableClass, tdClass, thClass, useLocale } from "./staff";

/** UI pieces of the staff pages about pledges (finance list, need page). */

const tones: Record<string, string> = {
  pending: "bg-amber-50 text-amber-950",
  awaiting_payment: "bg-amber-50 text-amber-950",
  offered: "bg-sky-50 text-sky-900",
  paid: "bg-emerald-50 text-emerald-900",
  received: "bg-emerald-50 text-emerald-900",
  cancelled: "bg-stone-100 text-stone-800",
  expired: "bg-stone-100 text-stone-800",
  declined: "bg-stone-100 text-stone-800",
};

export function PledgeStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("staff");
  return (
    <span className={`inline-block whitespace-nowrap rounded px-2 py-0.5 text-xs font-bold ${tones[status] ?? tones.cancelled}`} data-testid="pledge-status">
      {t(`pledgeStatus.${status}`)}
    </span>
  );
}

/** Money that arrived after the pledge was released: visible until finance resolves it. */
export function PledgeFlagBadge({ flag }: { flag: string }) {
  const { t } = useTranslation("staff");
  return (
    <span className="mt-1 inline-block rounded border border-red-300 bg-red-50 px-2 py-0.5 text-xs font-bold text-red-900" data-testid="pledge-flag">
      {t(`pledgeFlags.${flag}`)}
    </span>
  );
}

/** A guest's pending pledge not yet confirmed by its emailed link: held 24 hours only (decision 053). */
export function PledgeUnconfirmedBadge() {
  const { t } = useTranslation("staff");
  return (
    <span className="mt-1 inline-block rounded border border-amber-400 bg-amber-50 px-2 py-0.5 text-xs font-bold text-amber-950" data-testid="pledge-unconfirmed">
      {t("pledges.unconfirmed")}
    </span>
  );
}

/** The reference code: monospace, left to right in both languages. */
export function PledgeReference({ reference }: { reference: string }) {
  return (
    <Ref className="font-bold">
      <span data-testid="pledge-reference">{reference}</span>
    </Ref>
  );
}

export function donorLabel(t: (key: string) => string, row: { displayName: string | null; anonymous: boolean }): string {
  if (row.anonymous) return t("pledges.anonymous");
  return row.displayName ?? t("pledges.noName");
}

export interface NeedPledgeView {
  id: string;
  reference: string;
  amountMinor: number;
  currency: string;
  method: string;
  status: string;
  displayName: string | null;
  anonymous: boolean;
  createdAt: string | Date;
  financeFlag: string | null;
  items: { needItemId: string; labelAr: string | null; labelEn: string | null; quantity: number; amountMinor: number }[];
}

/**
 * The "Pledges" section of a need's staff page: each pledge with its item lines, and for an
 * offered delivery the received / decline buttons (plain forms posting `intent=decideOffer`), shown
 * only to the roles that may decide.
 */
export function NeedPledgesTable({
  rows,
  total,
  timeZone,
  canDecide,
  financeHref,
  error,
}: {
  rows: NeedPledgeView[];
  total: number;
  timeZone: string;
  canDecide: boolean;
  /** The organisation's finance pledges page, for finance staff. */
  financeHref?: string | null;
  /** The message keys of a refused decision. */
  error?: string[] | null;
}) {
  const { t } = useTranslation("staff");
  const locale = useLocale();
  const label = (item: { labelAr: string | null; labelEn: string | null }) =>
    (locale === "ar" ? item.labelAr ?? item.labelEn : item.labelEn ?? item.labelAr) ?? "—";
  const hasOffers = rows.some((r) => r.status === "offered");
  return (
    <div className="space-y-3">
      <FormMessage id="need-pledge-error" errors={error} />
      {hasOffers && !canDecide && <p className="text-sm">{t("needPledges.cannotDecide")}</p>}
      <div className="relative min-w-0 max-w-full overflow-x-auto">
        <table className={tableClass} data-testid="need-pledges">
          <caption className="sr-only">{t("needPledges.caption")}</caption>
          <thead>
            <tr>
              <th scope="col" className={thClass}>{t("needPledges.columns.reference")}</th>
              <th scope="col" className={thClass}>{t("needPledges.columns.amount")}</th>
              <th scope="col" className={thClass}>{t("needPledges.columns.method")}</th>
              <th scope="col" className={thClass}>{t("needPledges.columns.status")}</th>
              <th scope="col" className={thClass}>{t("needPledges.columns.donor")}</th>
              <th scope="col" className={thClass}>{t("needPledges.columns.created")}</th>
              {canDecide && hasOffers && <th scope="col" className={thClass}>{t("needPledges.columns.actions")}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="need-pledge-row" data-reference={row.reference}>
                <th scope="row" className={`${tdClass} text-start`}>
                  <PledgeReference reference={row.reference} />
                </th>
                <td className={tdClass}>
                  <Money minor={row.amountMinor} currency={row.currency} locale={locale} className="tabular-nums" />
                  {row.items.length > 0 && (
                    <ul className="mt-1 text-xs text-stone-800" data-testid="pledge-items">
                      {row.items.map((item) => (
                        <li key={item.needItemId}>
                          {t("needPledges.itemLine", { label: label(item), quantity: formatNumber(item.quantity, locale) })}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className={tdClass}>{t(`pledgeMethods.${row.method}`)}</td>
                <td className={tdClass}>
                  <PledgeStatusBadge status={row.status} />
                  {row.financeFlag && (
                    <span className="block">
                      <PledgeFlagBadge flag={row.financeFlag} />
                    </span>
                  )}
                </td>
                <td className={tdClass}>
                  <Bdi>{donorLabel(t, row)}</Bdi>
                </td>
                <td className={`${tdClass} whitespace-nowrap`}>
                  <time dateTime={new Date(row.createdAt).toISOString()}>{formatDateTime(row.createdAt, locale, timeZone)}</time>
                </td>
                {canDecide && hasOffers && (
                  <td className={tdClass}>
                    {row.status === "offered" && row.method === "delivery" && (
                      <Form method="post" preventScrollReset className="flex flex-wrap gap-2">
                        <input type="hidden" name="intent" value="decideOffer" />
                        <input type="hidden" name="pledgeId" value={row.id} />
                        <button type="submit" name="decision" value="received" className={buttonClass} data-testid="offer-received">
                          {t("needPledges.receive")}
                          <span className="sr-only"> {row.reference}</span>
                        </button>
                        <button type="submit" name="decision" value="declined" className={dangerButtonClass} data-testid="offer-declined">
                          {t("needPledges.decline")}
                          <span className="sr-only"> {row.reference}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > rows.length && <p className="text-sm">{t("needPledges.more", { shown: formatNumber(rows.length, locale), total: formatNumber(total, locale) })}</p>}
      {financeHref && (
        <p className="text-sm">
          <Link to={financeHref} className={linkClass}>
            {t("needPledges.financeLink")}
          </Link>
        </p>
      )}
    </div>
  );
}

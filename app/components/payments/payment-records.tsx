import { Link } from "@remix-run/react";
import { PledgeReference } from "~/components/pledges-staff";
import { Section, linkClass, tableClass, tdClass, thClass } from "~/components/staff";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";
import { usePaymentPage } from "./payment-page-context";

/** Sections of the payment page; `t` comes from the page's hook. @i18n-namespace finance */

export function PaymentDetailsSection() {
  const { org, p, can, t, locale, money, needTitle } = usePaymentPage();
  return (
      <Section id="details" title={t("payment.details")}>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]" data-testid="payment-details">
          <dt className="font-bold">{t("payment.amount")}</dt>
          <dd className="tabular-nums">
            {money(p.amountMinor)}
            {p.feeMinor > 0 && <span className="block">{t("payment.fee", { fee: money(p.feeMinor), net: money(p.amountMinor - p.feeMinor) })}</span>}
            {p.coverFeeMinor > 0 && <span className="block">{t("payment.coverFee", { amount: money(p.coverFeeMinor) })}</span>}
            {p.surplusMinor > 0 && <span className="block">{t("payment.surplus", { amount: money(p.surplusMinor) })}</span>}
            {p.refundedMinor > 0 && <span className="block">{t("payment.refundedSoFar", { amount: money(p.refundedMinor) })}</span>}
          </dd>
          <dt className="font-bold">{t("payment.status")}</dt>
          <dd>
            {t(`paymentStatus.${p.status}`)}
            {p.flag && (
              <span className={`block ${p.flagResolvedAt ? "" : "font-bold text-red-900"}`}>
                {t(`flags.${p.flag}`)}
                {p.flagResolvedAt && ` — ${t("payment.flagResolved")}`}
              </span>
            )}
          </dd>
          <dt className="font-bold">{t("payment.where")}</dt>
          <dd data-testid="payment-allocation" data-allocation={p.allocation}>
            {t(`allocation.${p.allocation}`)}
            {p.allocation === "need_fund" && needTitle && (
              <>
                {": "}
                <Link to={`/staff/${org.slug}/needs/${p.needId}`} className={linkClass}>
                  {needTitle}
                </Link>
              </>
            )}
            {can.closedNeed && <span className="block font-bold text-red-900">{t(`needClosed.${p.needState}`)}</span>}
          </dd>
          <dt className="font-bold">{t("payment.pledge")}</dt>
          <dd>
            {p.pledgeReference ? <PledgeReference reference={p.pledgeReference} /> : t("payment.noPledge")}
            {p.pledge && (
              <span className="block">
                {t("payment.pledgeCovered", { paid: money(p.pledge.paidMinor), amount: money(p.pledge.amountMinor) })}
              </span>
            )}
          </dd>
          <dt className="font-bold">{t("payment.valueDate")}</dt>
          <dd>{formatDate(`${p.valueDate}T12:00:00Z`, locale)}</dd>
          <dt className="font-bold">{t("payment.account")}</dt>
          <dd>{p.method === "card" ? t("payment.stripe") : (p.moneyAccountName ?? "—")}</dd>
          <dt className="font-bold">{t("payment.externalId")}</dt>
          {/* A processor's id (pi_…) is one long token: it may break anywhere rather than widen a phone's page. */}
          <dd dir="ltr" className="min-w-0 break-all text-start">{p.externalId ?? "—"}</dd>
          <dt className="font-bold">{t("payment.donor")}</dt>
          <dd>
            {p.donorName ?? t("anonymous")}
            {p.donorEmail && (
              <span className="block" dir="ltr">
                {p.donorEmail}
              </span>
            )}
          </dd>
          <dt className="font-bold">{t("payment.recordedBy")}</dt>
          <dd data-testid="payment-recorder">
            {p.recordedBy ? p.recordedByName : t("system")} ·{" "}
            <time dateTime={new Date(p.recordedAt).toISOString()}>{formatDateTime(p.recordedAt, locale, org.timeZone)}</time>
          </dd>
          {p.confirmedAt && (
            <>
              <dt className="font-bold">{t("payment.confirmedBy")}</dt>
              <dd>
                {p.confirmedByName ?? t("system")} · {formatDateTime(p.confirmedAt, locale, org.timeZone)}
              </dd>
            </>
          )}
          <dt className="font-bold">{t("payment.proof")}</dt>
          <dd>
            {p.proof ? (
              <a href={`/finance/${org.slug}/payments/${p.id}/proof`} className={linkClass} data-testid="payment-proof">
                {p.proof.fileName}
              </a>
            ) : (
              t("payment.noProof")
            )}
          </dd>
          {p.note && (
            <>
              <dt className="font-bold">{t("payment.note")}</dt>
              <dd className="whitespace-pre-line">{p.note}</dd>
            </>
          )}
        </dl>
      </Section>
  );
}

export function PaymentRefundsSection() {
  const { org, p, t, locale } = usePaymentPage();
  return (
      <Section id="refunds" title={t("payment.refunds.title")}>
        {p.refunds.length === 0 ? (
          <p>{t("payment.refunds.none")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="refunds-table">
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("columns.date")}</th>
                  <th scope="col" className={thClass}>{t("columns.amount")}</th>
                  <th scope="col" className={thClass}>{t("columns.status")}</th>
                  <th scope="col" className={thClass}>{t("columns.externalId")}</th>
                  <th scope="col" className={thClass}>{t("columns.recordedBy")}</th>
                </tr>
              </thead>
              <tbody>
                {p.refunds.map((r) => (
                  <tr key={r.id}>
                    <td className={tdClass}>{formatDateTime(r.createdAt, locale, org.timeZone)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatMoney(r.amountMinor, r.currency, locale)}</td>
                    <td className={tdClass}>{t(`refundStatus.${r.status}`)}</td>
                    <td className={tdClass} dir="ltr">
                      {r.stripeRefundId ?? r.externalId ?? "—"}
                    </td>
                    <td className={tdClass}>{r.recordedByName ?? t("system")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
  );
}

export function PaymentReceiptsSection() {
  const { p, receiptLinks, t, locale } = usePaymentPage();
  return (
      <Section id="receipts" title={t("payment.receipts.title")}>
        {p.receipts.length === 0 ? (
          <p>{t("payment.receipts.none")}</p>
        ) : (
          <ul className="space-y-1" data-testid="payment-receipts">
            {p.receipts.map((r) => (
              <li key={r.id}>
                <a href={receiptLinks[r.id]} className={linkClass}>
                  {t(`receiptKinds.${r.kind}`)} <span dir="ltr">{r.number}</span>
                </a>{" "}
                — {formatMoney(r.amountMinor, r.currency, locale)}
              </li>
            ))}
          </ul>
        )}
      </Section>
  );
}

export function PaymentPostingsSection() {
  const { p, t, locale } = usePaymentPage();
  return (
      <Section id="postings" title={t("payment.postings.title")} description={t("payment.postings.intro")}>
        {p.postings.length === 0 ? (
          <p>{t("payment.postings.none")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="postings-table">
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("columns.entry")}</th>
                  <th scope="col" className={thClass}>{t("columns.account")}</th>
                  <th scope="col" className={thClass}>{t("columns.debit")}</th>
                  <th scope="col" className={thClass}>{t("columns.credit")}</th>
                </tr>
              </thead>
              <tbody>
                {p.postings.map((row, i) => (
                  <tr key={`${row.entryId}-${i}`}>
                    <td className={tdClass}>
                      {t(`entryKinds.${row.kind}`)} · {formatDate(`${row.valueDate}T12:00:00Z`, locale)}
                      <span className="block text-xs">{row.actorUserId ? row.actorName : t("system")}</span>
                    </td>
                    <td className={tdClass}>
                      {t(`accountKinds.${row.accountKind}`)}
                      {row.accountLabel && <span className="block text-xs">{row.accountLabel}</span>}
                    </td>
                    <td className={`${tdClass} tabular-nums`}>{row.amountMinor > 0 ? formatMoney(row.amountMinor, row.currency, locale) : ""}</td>
                    <td className={`${tdClass} tabular-nums`}>{row.amountMinor < 0 ? formatMoney(-row.amountMinor, row.currency, locale) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
  );
}

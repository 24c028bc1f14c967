import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { noticeFrom, staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { payoutDetail } from "~/modules/payments/payouts.server";
import { Notice } from "~/components/forms";
import { PledgeReference } from "~/components/pledges-staff";
import { PageTitle, Section, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";

/**
 * /finance/:orgSlug/payouts/:payoutId — one Stripe payout (decision 058): amount, arrival date,
 * the bank account it landed in, its ledger entry (Dr bank, Cr Stripe balance; and the reversal
 * if it failed after it was paid), the card payments it carried with their pledge references,
 * and the bank statement line that explains it, if any. Read only; finance and org admins of the
 * organisation (another organisation's payout is 404).
 */

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const detail = await payoutDetail(await getDb(), org.id, String(params.payoutId ?? "").slice(0, 255));
  if (!detail) notFound();
  const locale = await getLocale(request);
  return {
    title: await staffTitle(request, "payouts:list.title", orgName(org, locale)),
    org: { slug: org.slug, timeZone: org.timeZone },
    ...detail,
    payout: { ...detail.payout, createdAt: detail.payout.createdAt.toISOString() },
    notice: noticeFrom(new URL(request.url), ["simulated"]),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function PayoutPage() {
  const { org, payout, account, entries, payments, lines, notice } = useLoaderData<typeof loader>();
  const { t } = useTranslation("payouts");
  const locale = useLocale();
  const money = (minor: number) => formatMoney(minor, payout.currency, locale);
  const accountLabel = (p: { kind: string; accountName: string | null }) =>
    p.kind === "bank" ? t("accounts.bank", { name: p.accountName ?? "" }) : p.kind === "stripe" ? t("accounts.stripe") : p.kind;
  return (
    <div className="space-y-6">
      <PageTitle title={t("detail.title", { id: "\u2066" + payout.id + "\u2069" })}>
        <Link to={`/finance/${org.slug}/payouts`} className={linkClass}>
          {t("detail.backToList")}
        </Link>
      </PageTitle>
      {notice === "simulated" && <Notice tone="success">{t("standin.done")}</Notice>}
      <Section id="summary" title={t("detail.summary")}>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" data-testid="payout-summary">
          <dt className="font-bold">{t("detail.amount")}</dt>
          <dd className="tabular-nums" data-testid="payout-amount">
            {money(payout.amountMinor)}
          </dd>
          <dt className="font-bold">{t("detail.arrival")}</dt>
          <dd>{formatDate(payout.arrivalDate, locale)}</dd>
          <dt className="font-bold">{t("detail.status")}</dt>
          <dd data-testid="payout-status">{t(`status.${payout.status}`)}</dd>
          <dt className="font-bold">{t("detail.bankAccount")}</dt>
          <dd>{account ? `${account.name}${account.bankName ? ` — ${account.bankName}` : ""}` : t("detail.noBankAccount")}</dd>
          <dt className="font-bold">{t("detail.descriptor")}</dt>
          <dd>{payout.statementDescriptor ? <span dir="ltr">{payout.statementDescriptor}</span> : t("detail.noDescriptor")}</dd>
          <dt className="font-bold">{t("detail.recordedAt")}</dt>
          <dd>{formatDateTime(payout.createdAt, locale, org.timeZone)}</dd>
        </dl>
      </Section>
      <Section id="entry" title={t("detail.entry")}>
        {entries.length === 0 ? (
          <p>{t("detail.noEntry")}</p>
        ) : (
          entries.map((e) => (
            <div key={e.id} className="mb-4" data-testid="payout-entry">
              <p className="text-sm">
                <span className="font-bold">{t("detail.entryMemo")}:</span> <span dir="ltr">{e.memo}</span> ·{" "}
                <span className="font-bold">{t("detail.entryDate")}:</span> {formatDate(e.valueDate, locale)}
              </p>
              <div className="relative min-w-0 max-w-full overflow-x-auto">
              <table className={`${tableClass} mt-2`}>
                <thead>
                  <tr>
                    <th className={thClass}>{t("detail.account")}</th>
                    <th className={thClass}>{t("detail.debit")}</th>
                    <th className={thClass}>{t("detail.credit")}</th>
                  </tr>
                </thead>
                <tbody>
                  {e.postings.map((p, i) => (
                    <tr key={i} data-testid="payout-posting">
                      <td className={tdClass}>{accountLabel(p)}</td>
                      <td className={`${tdClass} tabular-nums`}>{p.amountMinor > 0 ? money(p.amountMinor) : ""}</td>
                      <td className={`${tdClass} tabular-nums`}>{p.amountMinor < 0 ? money(-p.amountMinor) : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
            </div>
          ))
        )}
      </Section>
      <Section id="payments" title={t("detail.payments")}>
        {payments.length === 0 ? (
          <p>{t("detail.paymentsEmpty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="payout-payments">
              <thead>
                <tr>
                  <th className={thClass}>{t("detail.pledge")}</th>
                  <th className={thClass}>{t("detail.valueDate")}</th>
                  <th className={thClass}>{t("detail.paymentAmount")}</th>
                  <th className={thClass}>{t("detail.fee")}</th>
                  <th className={thClass}>{t("detail.net")}</th>
                </tr>
              </thead>
              <tbody>
                {payments.map((p) => (
                  <tr key={p.id} data-testid="payout-payment">
                    <td className={tdClass}>
                      <Link to={`/finance/${org.slug}/payments/${p.id}`} className={linkClass}>
                        {p.pledgeReference ? <PledgeReference reference={p.pledgeReference} /> : t("detail.noPledge")}
                      </Link>
                    </td>
                    <td className={tdClass}>{formatDate(p.valueDate, locale)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatMoney(p.amountMinor, p.currency, locale)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatMoney(p.feeMinor, p.currency, locale)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatMoney(p.amountMinor - p.feeMinor, p.currency, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section id="statement" title={t("detail.statement")}>
        {lines.length === 0 ? (
          <p data-testid="payout-unmatched">{t("detail.statementNone")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
          <table className={tableClass} data-testid="payout-lines">
            <thead>
              <tr>
                <th className={thClass}>{t("detail.lineDate")}</th>
                <th className={thClass}>{t("detail.lineAmount")}</th>
                <th className={thClass}>{t("detail.lineDescription")}</th>
                <th className={thClass}>
                  <span className="sr-only">{t("detail.lineOpen")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.matchId}>
                  <td className={tdClass}>{formatDate(l.valueDate, locale)}</td>
                  <td className={`${tdClass} tabular-nums`}>{formatMoney(l.amountMinor, l.currency, locale)}</td>
                  <td className={tdClass}>{l.description}</td>
                  <td className={tdClass}>
                    <Link to={`/finance/${org.slug}/reconciliation/${l.lineId}`} className={linkClass}>
                      {t("detail.lineOpen")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
      </Section>
    </div>
  );
}

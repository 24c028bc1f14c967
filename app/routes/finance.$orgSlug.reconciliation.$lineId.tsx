import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { getLine } from "~/modules/reconciliation/matching.server";
import { reconciliationAction } from "~/modules/reconciliation/route-actions.server";
import { FormMessage, Notice } from "~/components/forms";
import { PageTitle, Section, dangerButtonClass, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatMoney } from "~/utils/format";
import { ReasonList } from "./finance.$orgSlug.reconciliation._index";

/**
 * /finance/:orgSlug/reconciliation/:lineId — one statement line: what it says, its matches with
 * their reasons (pledge, payment, fee), undo (a payment the match booked is reversed), undo of
 * "not a donation". Another organisation's line is a 404.
 */

const FINANCE = ["finance", "org_admin"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE);
  const db = await getDb();
  const found = await getLine(db, member.org.id, params.lineId ?? "");
  if (!found) throw new Response("Not found", { status: 404 });
  const locale = await getLocale(request);
  return {
    title: await staffTitle(request, "reconciliation:title", orgName(member.org, locale)),
    org: { slug: member.org.slug },
    line: found.line,
    accountName: found.accountName,
    monthClosed: found.monthClosed,
    matches: found.matches.map((m) => ({ ...m.match, reference: m.reference, paymentStatus: m.paymentStatus, batchNumber: m.batchNumber })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE);
  const db = await getDb();
  if (!(await getLine(db, member.org.id, params.lineId ?? ""))) throw new Response("Not found", { status: 404 });
  return reconciliationAction(db, member.actor, member.org.id, await readForm(request));
}

export default function ReconciliationLine() {
  const { org, line, accountName, monthClosed, matches } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("reconciliation");
  const locale = useLocale();
  const money = (minor: number) => formatMoney(minor, line.currency, locale);
  return (
    <div className="space-y-6">
      <PageTitle title={t("line.title", { lineNo: line.lineNo })}>
        <Link to={`/finance/${org.slug}/reconciliation`} className={linkClass}>
          {t("backToQueue")}
        </Link>
      </PageTitle>
      {reply && (reply.ok ? <Notice tone="success">{t(reply.messageKey)}</Notice> : <FormMessage id="reconciliation-error" errors={[reply.messageKey]} />)}
      {monthClosed && <Notice tone="warning">{t("line.monthClosed")}</Notice>}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="font-bold">{t("cols.date")}</dt>
        <dd>
          <time dateTime={line.valueDate}>{formatDate(line.valueDate, locale)}</time>
        </dd>
        <dt className="font-bold">{t("cols.account")}</dt>
        <dd>{accountName}</dd>
        <dt className="font-bold">{t("cols.description")}</dt>
        <dd dir="auto" className="break-words">
          {line.description}
        </dd>
        {line.reference && (
          <>
            <dt className="font-bold">{t("line.reference")}</dt>
            <dd dir="ltr">{line.reference}</dd>
          </>
        )}
        <dt className="font-bold">{t("cols.amount")}</dt>
        <dd dir="ltr" className="tabular-nums">
          {money(line.amountMinor)}
        </dd>
        <dt className="font-bold">{t("cols.explained")}</dt>
        <dd dir="ltr" className="tabular-nums">
          {money(line.matchedMinor)}
        </dd>
        <dt className="font-bold">{t("cols.status")}</dt>
        <dd data-testid="line-status">
          {t(`lineStatus.${line.status}`)}
          {line.notDonationKind ? ` — ${t(`kinds.${line.notDonationKind}`)}` : ""}
        </dd>
      </dl>
      {line.status === "not_donation" && !monthClosed && (
        <Form method="post">
          <input type="hidden" name="intent" value="undo_not_donation" />
          <input type="hidden" name="lineId" value={line.id} />
          <button type="submit" className={dangerButtonClass}>
            {t("line.undoNotDonation")}
          </button>
        </Form>
      )}
      <Section id="matches" title={t("line.matches")}>
        {matches.length === 0 ? (
          <p>{t("line.noMatches")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="line-matches">
              <thead>
                <tr>
                  <th className={thClass}>{t("line.pledge")}</th>
                  <th className={thClass}>{t("cols.amount")}</th>
                  <th className={thClass}>{t("line.fee")}</th>
                  <th className={thClass}>{t("line.reasons")}</th>
                  <th className={thClass}>{t("line.status")}</th>
                  <th className={thClass}>{t("cols.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {matches.map((m) => (
                  <tr key={m.id}>
                    <td className={tdClass} dir="ltr">
                      {m.reference ?? m.batchNumber ?? m.payoutId ?? ""}
                      {m.paymentId && (
                        <div>
                          <Link to={`/finance/${org.slug}/payments/${m.paymentId}`} className={linkClass}>
                            {t("line.payment")}
                          </Link>
                        </div>
                      )}
                    </td>
                    <td className={`${tdClass} tabular-nums`} dir="ltr">
                      {money(m.amountMinor)}
                    </td>
                    <td className={`${tdClass} tabular-nums`} dir="ltr">
                      {m.feeMinor ? money(m.feeMinor) : "—"}
                    </td>
                    <td className={tdClass}>
                      <div className="text-xs">{t(`matchKind.${m.kind}`)}</div>
                      <ReasonList reasons={m.reasons} currency={line.currency} />
                    </td>
                    <td className={tdClass}>{m.status === "active" ? t("line.active") : t("line.undone")}</td>
                    <td className={tdClass}>
                      {m.status === "active" && !monthClosed && (
                        <Form method="post">
                          <input type="hidden" name="intent" value="undo" />
                          <input type="hidden" name="matchId" value={m.id} />
                          <button type="submit" className={dangerButtonClass}>
                            {t("line.undo")}
                          </button>
                        </Form>
                      )}
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

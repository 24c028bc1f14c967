import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { PledgeError } from "~/modules/pledging/errors";
import { markPledgePaid } from "~/modules/pledging/pledges.server";
import { findOrgPledge, listOrgPledges, pledgeStatusCounts } from "~/modules/pledging/staff.server";
import {
  FINANCE_ROLES,
  MANUAL_PAYMENT_METHODS,
  PLEDGE_METHODS,
  PLEDGE_STATUSES,
  PledgeListFilterSchema,
  RecordPaymentSchema,
  canRecordPayment,
  isUnconfirmed,
} from "~/modules/pledging/staff";
import { pageFrom } from "~/components/pagination";
import { FilteredTable } from "~/components/data-table";
import { Bdi, Ltr, Money, Ref } from "~/components/bidi";
import { ErrorList, FormMessage, Notice } from "~/components/forms";
import { PlainSelect } from "~/components/registry";
import { PledgeFlagBadge, PledgeReference, PledgeStatusBadge, PledgeUnconfirmedBadge, donorLabel } from "~/components/pledges-staff";
import {
  PageTitle,
  Section,
  inputClass,
  linkClass,
  tdClass,
  useLocale,
} from "~/components/staff";
import { formatDateTime, formatMoney, formatNumber } from "~/utils/format";

/**
 * /finance/:orgSlug/pledges — the organisation's pledges for finance officers and org admins:
 * counts per status, filters in the query string (plain GET form), and for offline pledges a link
 * to the payments inbox with the pledge chosen, where finance records what really arrived (amount,
 * value date, reference, proof). The old one-click action (markPledgePaid, the outstanding amount
 * dated today) stays for callers of this URL until it is retired. Card pledges are completed by the
 * card processor and deliveries on the need page, so neither can be recorded here.
 */

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const url = new URL(request.url);
  const raw = {
    q: url.searchParams.get("q") || undefined,
    status: url.searchParams.get("status") || undefined,
    method: url.searchParams.get("method") || undefined,
    flag: url.searchParams.get("flag") || undefined,
    unconfirmed: url.searchParams.get("unconfirmed") || undefined,
  };
  const parsed = PledgeListFilterSchema.safeParse(raw);
  const db = await getDb();
  const locale = await getLocale(request);
  const counts = await pledgeStatusCounts(db, member.org.id);
  const common = {
    title: await staffTitle(request, "staff:pledges.title", orgName(member.org, locale)),
    org: { slug: member.org.slug, nameAr: member.org.nameAr, nameEn: member.org.nameEn, timeZone: member.org.timeZone },
    counts,
    filters: raw,
  };
  if (!parsed.success) {
    // A bad filter (a hand-edited URL, a mistyped reference) shows its message and no rows.
    const errors = parsed.error.flatten().fieldErrors as Record<string, string[] | undefined>;
    return data({ ...common, errors, pledges: [], total: 0, page: 1, pages: 1 }, { status: 400 });
  }
  const result = await listOrgPledges(db, { orgId: member.org.id, filter: parsed.data, page: pageFrom(url) });
  return { ...common, errors: {} as Record<string, string[] | undefined>, ...result };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

/** What the action answers: the outcome and its message (an i18n key with the pledge's reference). */
export interface RecordPaymentReply {
  outcome: "paid" | "already_paid" | "needs_resolution" | "refused";
  messageKey: string;
  pledgeId: string | null;
  reference: string | null;
  funded: boolean;
}

const REFUSALS: Partial<Record<PledgeError["code"], string>> = {
  pledge_not_found: "staff:pledges.errors.notFound",
  not_allowed: "staff:pledges.errors.notAllowed",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const form = await readForm(request);
  const posted = form.get("pledgeId");
  const pledgeId = typeof posted === "string" ? posted.slice(0, 64) : null;
  const reply = (status: number, body: Partial<RecordPaymentReply> & Pick<RecordPaymentReply, "outcome" | "messageKey">) =>
    data<RecordPaymentReply>({ pledgeId, reference: null, funded: false, ...body }, { status });

  const parsed = RecordPaymentSchema.safeParse({ intent: form.get("intent"), pledgeId: form.get("pledgeId") ?? undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return reply(issue?.path[0] === "pledgeId" ? 404 : 400, { outcome: "refused", messageKey: issue?.message ?? "errors:invalid" });
  }

  const db = await getDb();
  // Only this organisation's pledges: another organisation's id is answered like an unknown one.
  const pledge = await findOrgPledge(db, member.org.id, parsed.data.pledgeId);
  if (!pledge) return reply(404, { outcome: "refused", messageKey: "staff:pledges.errors.notFound" });
  const reference = pledge.reference;
  if (!(MANUAL_PAYMENT_METHODS as readonly string[]).includes(pledge.method)) {
    const messageKey = pledge.method === "card" ? "staff:pledges.errors.card" : "staff:pledges.errors.delivery";
    return reply(409, { outcome: "refused", messageKey, reference });
  }

  try {
    const result = await markPledgePaid(db, member.actor, pledge.id);
    switch (result.outcome) {
      case "paid":
        return reply(200, {
          outcome: "paid",
          messageKey: result.funded ? "staff:pledges.outcome.paidFunded" : "staff:pledges.outcome.paid",
          reference,
          funded: result.funded,
        });
      case "already_paid":
        return reply(200, { outcome: "already_paid", messageKey: "staff:pledges.outcome.alreadyPaid", reference });
      case "needs_resolution":
        return reply(409, { outcome: "needs_resolution", messageKey: "staff:pledges.outcome.needsResolution", reference });
    }
  } catch (error) {
    if (error instanceof PledgeError) {
      return reply(error.status, { outcome: "refused", messageKey: REFUSALS[error.code] ?? "staff:pledges.errors.invalidState", reference });
    }
    throw error;
  }
}

export default function FinancePledgesPage() {
  const { org, counts, filters, errors, pledges, total, page, pages } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("staff");
  const locale = useLocale();
  const base = `/finance/${org.slug}/pledges`;
  const filtered = Boolean(filters.q || filters.status || filters.method || filters.flag || filters.unconfirmed);
  const title = (row: { needTitleAr: string | null; needTitleEn: string | null; needPublicId: string | null }) =>
    (locale === "ar" ? row.needTitleAr || row.needTitleEn : row.needTitleEn || row.needTitleAr) || row.needPublicId;
  const when = (value: string | Date) => (
    <time dateTime={new Date(value).toISOString()}>{formatDateTime(value, locale, org.timeZone)}</time>
  );

  return (
    <div className="space-y-6">
      <PageTitle title={t("pledges.title")} intro={t("pledges.intro", { timeZone: org.timeZone })}>
        <Link to={`/finance/${org.slug}`} className={linkClass}>
          {t("pledges.backToFinance")}
        </Link>
      </PageTitle>

      {reply &&
        (reply.outcome === "refused" ? (
          <FormMessage id="record-payment-error" errors={[reply.messageKey]} />
        ) : (
          <div data-testid="record-payment-notice">
            <Notice tone={reply.outcome === "paid" ? "success" : reply.outcome === "needs_resolution" ? "warning" : "info"}>
              {t(reply.messageKey, { reference: reply.reference ?? "" })}
            </Notice>
          </div>
        ))}

      <Section id="counts" title={t("pledges.counts.title")}>
        <ul className="flex flex-wrap gap-2 text-sm" aria-label={t("pledges.counts.label")} data-testid="pledge-counts">
          <li>
            <Link to={base} className="inline-block rounded border border-stone-300 px-3 py-1.5 hover:bg-stone-50">
              {t("pledges.counts.all")}: <span className="font-bold tabular-nums">{formatNumber(counts.total, locale)}</span>
            </Link>
          </li>
          {PLEDGE_STATUSES.filter((s) => counts.byStatus[s] > 0).map((s) => (
            <li key={s}>
              <Link
                to={`${base}?status=${s}`}
                className="inline-block rounded border border-stone-300 px-3 py-1.5 hover:bg-stone-50"
                data-testid={`pledge-count-${s}`}
              >
                {t(`pledgeStatus.${s}`)}: <span className="font-bold tabular-nums">{formatNumber(counts.byStatus[s], locale)}</span>
              </Link>
            </li>
          ))}
          {counts.unconfirmed > 0 && (
            <li>
              <Link
                to={`${base}?unconfirmed=1`}
                className="inline-block rounded border border-amber-400 bg-amber-50 px-3 py-1.5 font-bold text-amber-950 hover:bg-amber-100"
                data-testid="pledge-count-unconfirmed"
              >
                {t("pledges.counts.unconfirmed")}: <span className="tabular-nums">{formatNumber(counts.unconfirmed, locale)}</span>
              </Link>
            </li>
          )}
          {counts.needsResolution > 0 && (
            <li>
              <Link
                to={`${base}?flag=1`}
                className="inline-block rounded border border-red-300 bg-red-50 px-3 py-1.5 font-bold text-red-900 hover:bg-red-100"
                data-testid="pledge-count-flagged"
              >
                {t("pledges.counts.needsResolution")}: <span className="tabular-nums">{formatNumber(counts.needsResolution, locale)}</span>
              </Link>
            </li>
          )}
        </ul>
      </Section>

      <FilteredTable
        id="results"
        title={t("pledges.results", { n: formatNumber(total, locale) })}
        filters={{
          id: "filters",
          title: t("pledges.filters.title"),
          submitLabel: t("pledges.filters.submit"),
          resetLabel: t("pledges.filters.reset"),
          resetTo: base,
          active: filtered,
          fields: (
            <>
              <div className="space-y-1 sm:col-span-2">
                <label htmlFor="pledges-q" className="block font-bold">
                  {t("pledges.filters.q")}
                </label>
                <p id="pledges-q-hint" className="text-sm text-stone-700">
                  {t("pledges.filters.qHint")}
                </p>
                <input
                  id="pledges-q"
                  type="search"
                  name="q"
                  dir="ltr"
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={40}
                  defaultValue={filters.q ?? ""}
                  aria-describedby={errors.q?.length ? "pledges-q-hint pledges-q-error" : "pledges-q-hint"}
                  aria-invalid={errors.q?.length ? true : undefined}
                  className={`${inputClass} font-mono`}
                />
                <ErrorList id="pledges-q-error" errors={errors.q} />
              </div>
              <PlainSelect
                id="pledges-status"
                name="status"
                label={t("pledges.filters.status")}
                defaultValue={filters.status ?? ""}
                errors={errors.status}
                options={[{ value: "", label: t("pledges.filters.any") }, ...PLEDGE_STATUSES.map((s) => ({ value: s, label: t(`pledgeStatus.${s}`) }))]}
              />
              <PlainSelect
                id="pledges-method"
                name="method"
                label={t("pledges.filters.method")}
                defaultValue={filters.method ?? ""}
                errors={errors.method}
                options={[{ value: "", label: t("pledges.filters.any") }, ...PLEDGE_METHODS.map((m) => ({ value: m, label: t(`pledgeMethods.${m}`) }))]}
              />
              <div className="sm:col-span-2 lg:col-span-3">
                <label className="inline-flex items-start gap-2">
                  <input type="checkbox" name="flag" value="1" defaultChecked={filters.flag === "1"} className="mt-1" />
                  <span>{t("pledges.filters.flag")}</span>
                </label>
                <ErrorList errors={errors.flag} />
                <label className="mt-2 flex items-start gap-2">
                  <input type="checkbox" name="unconfirmed" value="1" defaultChecked={filters.unconfirmed === "1"} className="mt-1" />
                  <span>{t("pledges.filters.unconfirmed")}</span>
                </label>
                <ErrorList errors={errors.unconfirmed} />
              </div>
            </>
          ),
        }}
        caption={t("pledges.title")}
        testId="pledges-table"
        empty={filtered ? t("pledges.emptyFiltered") : t("pledges.empty")}
        columns={[
          t("pledges.columns.reference"),
          t("pledges.columns.need"),
          t("pledges.columns.amount"),
          t("pledges.columns.method"),
          t("pledges.columns.status"),
          t("pledges.columns.donor"),
          t("pledges.columns.created"),
          t("pledges.columns.dates"),
          t("pledges.columns.actions"),
        ]}
        rows={pledges}
        page={page}
        pages={pages}
        renderRow={(p) => {
          const late = p.status === "cancelled" || p.status === "expired";
          return (
            <tr key={p.id} data-testid="pledge-row" data-reference={p.reference}>
              <th scope="row" className={`${tdClass} text-start`}>
                <PledgeReference reference={p.reference} />
              </th>
              <td className={tdClass}>
                {p.needId ? (
                  <>
                    <Link to={`/staff/${org.slug}/needs/${p.needId}`} className={linkClass}>
                      <Bdi>{title(p)}</Bdi>
                    </Link>
                    <span className="block text-xs text-stone-700">
                      <Ref>{p.needPublicId ?? ""}</Ref>
                    </span>
                  </>
                ) : (
                  <Link to={`/finance/${org.slug}/funds`} className={linkClass}>
                    <Bdi>{title(p)}</Bdi>
                  </Link>
                )}
              </td>
              <td className={tdClass}>
                <Money minor={p.amountMinor} currency={p.currency} locale={locale} className="tabular-nums" />
              </td>
              <td className={tdClass}>{t(`pledgeMethods.${p.method}`)}</td>
              <td className={tdClass}>
                <PledgeStatusBadge status={p.status} />
                {isUnconfirmed(p) && (
                  <span className="block">
                    <PledgeUnconfirmedBadge />
                  </span>
                )}
                {p.financeFlag && (
                  <span className="block">
                    <PledgeFlagBadge flag={p.financeFlag} />
                  </span>
                )}
              </td>
              <td className={tdClass}>
                <span className="block">
                  <Bdi>{donorLabel(t, p)}</Bdi>
                </span>
                <span className="block text-xs text-stone-700">
                  <Ltr>{p.email}</Ltr>
                </span>
              </td>
              <td className={`${tdClass} whitespace-nowrap`}>{when(p.createdAt)}</td>
              <td className={`${tdClass} text-xs`}>
                {p.paidAt ? (
                  <span className="block">{t("pledges.paidOn", { date: formatDateTime(p.paidAt, locale, org.timeZone) })}</span>
                ) : p.expiresAt && (p.status === "pending" || p.status === "awaiting_payment") ? (
                  <span className="block">{t("pledges.expires", { date: formatDateTime(p.expiresAt, locale, org.timeZone) })}</span>
                ) : null}
                {p.releasedAt && (
                  <span className="block">{t("pledges.releasedOn", { date: formatDateTime(p.releasedAt, locale, org.timeZone) })}</span>
                )}
                {p.financeFlag && p.latePaidMinor != null && p.paidAt && (
                  <span className="block font-bold text-red-900">
                    {t("pledges.latePaid", {
                      amount: formatMoney(p.latePaidMinor, p.currency, locale),
                      date: formatDateTime(p.paidAt, locale, org.timeZone),
                    })}
                  </span>
                )}
              </td>
              <td className={tdClass}>
                {canRecordPayment(p) && (
                  <Link
                    to={`/finance/${org.slug}/payments?pledge=${p.id}#record`}
                    className={`${linkClass} font-bold`}
                    data-testid="record-payment-open"
                  >
                    {late ? t("pledges.record.openLate") : t("pledges.record.open")}
                    <span className="sr-only"> {p.reference}</span>
                  </Link>
                )}
              </td>
            </tr>
          );
        }}
      />
    </div>
  );
}

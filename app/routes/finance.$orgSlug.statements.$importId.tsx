import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import {
  commitImport,
  getImport,
  mappingFromForm,
  previewStoredImport,
  StatementError,
  StatementImportError,
  updateImportMapping,
} from "~/modules/reconciliation/statements.server";
import { FormMessage } from "~/components/forms";
import { PageTitle, Section, buttonClass, inputClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatMoney, formatNumber } from "~/utils/format";

/**
 * /finance/:orgSlug/statements/:importId — before the import: the columns (guessed or the account's
 * saved mapping) with a preview of the first parsed rows and the problems by line; "import" starts
 * it. While importing: a <progress> bar, refreshed every 2 seconds by <meta http-equiv=refresh>
 * (no JavaScript needed). When done: the counts, the problems by line number, and the way to the
 * reconciliation queue.
 */

const FIELDS = ["date", "valueDate", "amount", "debit", "credit", "description", "reference", "balance"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const db = await getDb();
  const locale = await getLocale(request);
  const found = await getImport(db, org.id, params.importId ?? "");
  if (!found) throw new Response("Not found", { status: 404 });
  const { content: _content, ...imp } = found.import;
  void _content;
  let preview: { sample: { lineNo: number; valueDate: string; amountMinor: number; description: string; reference: string | null; balanceMinor: number | null }[]; headers: string[]; columns: number; error: string | null } | null = null;
  if (imp.status === "uploaded") {
    try {
      const p = await previewStoredImport(db, org.id, imp.id);
      preview = { sample: p.sample, headers: p.headers, columns: p.columns, error: null };
      imp.problems = p.problems;
      imp.totalRows = p.totalRows;
      imp.malformedRows = p.malformed;
    } catch (error) {
      if (!(error instanceof StatementError)) throw error;
      preview = { sample: [], headers: [], columns: Math.max(1, (imp.mapping.headers ?? []).length), error: `statements:errors.${error.code}` };
    }
  }
  return {
    title: await staffTitle(request, "statements:title", orgName(org, locale)),
    org: { slug: org.slug, timeZone: org.timeZone },
    account: found.account,
    imp: { ...imp, problems: imp.problems.slice(0, 500), moreProblems: imp.problems.length > 500 },
    preview,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const tags: ReturnType<MetaFunction>[number][] = [{ title: data?.title ?? "Tadamon" }];
  if (data && (data.imp.status === "importing" || data.imp.status === "matching")) tags.push({ httpEquiv: "refresh", content: "2" });
  return tags;
};

type Reply = { errors: string[] };

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const db = await getDb();
  const refuse = (status: number, code: string) => data<Reply>({ errors: [`statements:errors.${code}`] }, { status });
  const found = await getImport(db, org.id, params.importId ?? "");
  if (!found) return refuse(404, "import_not_found");
  const form = await readForm(request);
  const intent = form.get("intent");
  try {
    const mapping = mappingFromForm(form, found.import.mapping);
    if (intent === "import") await commitImport(db, member.actor, found.import.id, mapping, { orgId: org.id });
    else await updateImportMapping(db, member.actor, org.id, found.import.id, mapping);
  } catch (error) {
    if (error instanceof StatementError) return refuse(422, error.code);
    if (error instanceof StatementImportError) return refuse(error.code === "not_allowed" ? 403 : error.code === "already_committed" ? 409 : 400, error.code);
    throw error;
  }
  return redirect(`/finance/${org.slug}/statements/${found.import.id}`);
}

export default function StatementImportPage() {
  const { org, account, imp, preview } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("statements");
  const locale = useLocale();
  const money = (minor: number | null) => (minor == null ? "" : formatMoney(minor, account.currency, locale));
  const problems = (
    <Section id="problems" title={t("problems.title")}>
      {imp.problems.length === 0 ? (
        <p>{t("problems.none")}</p>
      ) : (
        <ul className="list-inside list-disc space-y-1 text-sm">
          {imp.problems.map((p) => (
            <li key={`${p.line}-${p.code}`}>
              {t("problems.line", { line: formatNumber(p.line, locale) })}: {t(`problems.${p.code}`, { defaultValue: p.code })}
              {p.detail && p.code !== "balance_break" ? ` (${p.detail})` : ""}
            </li>
          ))}
        </ul>
      )}
      {imp.moreProblems && <p className="mt-2 text-sm">{t("problems.more")}</p>}
    </Section>
  );
  return (
    <div className="space-y-6">
      <PageTitle title={`${imp.fileName} — ${account.name} (${account.currency})`} intro={t(`status.${imp.status}`)}>
        <Link to={`/finance/${org.slug}/statements`} className={linkClass}>
          {t("back")}
        </Link>
      </PageTitle>
      {reply?.errors && <FormMessage errors={reply.errors} />}
      {imp.status === "uploaded" && preview && (
        <>
          {preview.error && <FormMessage errors={[preview.error]} />}
          <Section id="mapping" title={t("mapping.title")} description={t("mapping.intro")}>
            <Form method="post" className="grid gap-4 sm:grid-cols-2">
              {FIELDS.map((field) => (
                <label key={field} className="block">
                  <span className="block font-bold">{t(`mapping.${field}`)}</span>
                  <select name={field} defaultValue={imp.mapping[field] == null || imp.mapping[field] === -1 ? "" : String(imp.mapping[field])} className={inputClass}>
                    {field !== "date" && <option value="">{t("mapping.none")}</option>}
                    {Array.from({ length: preview.columns }, (_, i) => (
                      <option key={i} value={String(i)}>
                        {preview.headers[i] ? `${preview.headers[i]} (${t("mapping.column", { n: i + 1 })})` : t("mapping.column", { n: i + 1 })}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
              <label className="block">
                <span className="block font-bold">{t("mapping.dateOrder")}</span>
                <select name="dateOrder" defaultValue={imp.mapping.dateOrder} className={inputClass}>
                  {(["auto", "dmy", "mdy", "ymd"] as const).map((o) => (
                    <option key={o} value={o}>
                      {t(`mapping.orders.${o}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="block">
                <span className="block font-bold">{t("mapping.decimalMark")}</span>
                <select name="decimalMark" defaultValue={imp.mapping.decimalMark} className={inputClass}>
                  {([".", ","] as const).map((m) => (
                    <option key={m} value={m}>
                      {t(`mapping.marks.${m}`)}
                    </option>
                  ))}
                </select>
              </label>
              <div className="flex flex-wrap gap-3 sm:col-span-2">
                <button type="submit" name="intent" value="preview" className={secondaryButtonClass}>
                  {t("mapping.preview")}
                </button>
                <button type="submit" name="intent" value="import" className={buttonClass}>
                  {t("mapping.import", { count: imp.totalRows })}
                </button>
              </div>
            </Form>
          </Section>
          <Section id="preview" title={t("preview.title")} description={t("preview.rows", { total: formatNumber(imp.totalRows, locale), malformed: formatNumber(imp.malformedRows, locale) })}>
            {preview.sample.length === 0 ? (
              <p>{t("preview.empty")}</p>
            ) : (
              <div className="relative min-w-0 max-w-full overflow-x-auto">
                <table className={tableClass}>
                  <thead>
                    <tr>
                      {(["line", "date", "amount", "description", "reference", "balance"] as const).map((h) => (
                        <th key={h} className={thClass}>
                          {t(`preview.${h}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {preview.sample.map((l) => (
                      <tr key={l.lineNo}>
                        <td className={tdClass}>{formatNumber(l.lineNo, locale)}</td>
                        <td className={tdClass}>{formatDate(l.valueDate, locale)}</td>
                        <td className={`${tdClass} tabular-nums`} dir="ltr">
                          {money(l.amountMinor)}
                        </td>
                        <td className={tdClass}>{l.description}</td>
                        <td className={tdClass}>{l.reference ?? ""}</td>
                        <td className={`${tdClass} tabular-nums`} dir="ltr">
                          {money(l.balanceMinor)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
          {problems}
        </>
      )}
      {(imp.status === "importing" || imp.status === "matching") && (
        <Section id="progress" title={t("progress.title")}>
          <progress value={imp.processedRows} max={Math.max(1, imp.totalRows)} className="w-full" aria-describedby="progress-label" />
          <p id="progress-label" className="mt-2">
            {imp.status === "matching" ? t("progress.matching") : t("progress.label", { done: formatNumber(imp.processedRows, locale), total: formatNumber(imp.totalRows, locale) })}
          </p>
          <p className="mt-1 text-sm text-stone-700">{t("progress.refresh")}</p>
        </Section>
      )}
      {(imp.status === "done" || imp.status === "failed") && (
        <>
          <Section id="summary" title={t("summary.title")}>
            {imp.status === "failed" && <FormMessage errors={[t("summary.failed", { error: imp.error ?? "" })]} />}
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              {(
                [
                  ["rows", imp.totalRows],
                  ["new", imp.newLines],
                  ["duplicates", imp.duplicateLines],
                  ["malformed", imp.malformedRows],
                  ["matched", imp.matchedAuto],
                  ["suggested", imp.suggested],
                  ["unmatched", imp.unmatched],
                ] as const
              ).map(([key, n]) => (
                <div key={key}>
                  <dt className="text-sm text-stone-700">{t(`summary.${key}`)}</dt>
                  <dd className="text-xl font-bold" data-testid={`summary-${key}`}>
                    {formatNumber(n, locale)}
                  </dd>
                </div>
              ))}
              {imp.closingBalanceMinor != null && (
                <div>
                  <dt className="text-sm text-stone-700">{t("summary.closing")}</dt>
                  <dd className="text-xl font-bold" dir="ltr">
                    {money(imp.closingBalanceMinor)}
                  </dd>
                </div>
              )}
            </dl>
            <p className="mt-4">
              <Link to={`/finance/${org.slug}/reconciliation`} className={linkClass}>
                {t("summary.queue")}
              </Link>
            </p>
          </Section>
          {problems}
        </>
      )}
    </div>
  );
}

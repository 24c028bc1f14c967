import {
  MaxPartSizeExceededError,
  data,
  redirect,
  unstable_createMemoryUploadHandler,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import {
  listBankAccounts,
  listImports,
  MAX_STATEMENT_BYTES,
  previewImport,
  StatementError,
  StatementImportError,
} from "~/modules/reconciliation/statements.server";
import { pageFrom, Pagination } from "~/components/pagination";
import { FormMessage } from "~/components/forms";
import { PageTitle, Section, buttonClass, inputClass, linkClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatDate, formatDateTime, formatNumber } from "~/utils/format";

/**
 * /finance/:orgSlug/statements — the organisation's bank accounts, its statement imports with their
 * counts, and the upload form (account + CSV file, multipart; works without JavaScript). An upload
 * is stored with a guessed or saved mapping and opens its preview page.
 */

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const db = await getDb();
  const locale = await getLocale(request);
  const [accounts, imports] = await Promise.all([listBankAccounts(db, org.id), listImports(db, org.id, pageFrom(new URL(request.url)))]);
  return {
    title: await staffTitle(request, "statements:title", orgName(org, locale)),
    org: { slug: org.slug, timeZone: org.timeZone },
    accounts,
    imports: imports.rows,
    page: imports.page,
    pages: Math.max(1, Math.ceil(imports.total / imports.pageSize)),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

const UploadSchema = z.object({ moneyAccountId: z.string().uuid() });

type Reply = { errors: string[]; detail?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const refuse = (status: number, code: string, detail?: string) => data<Reply>({ errors: [`statements:errors.${code}`], detail }, { status });
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_STATEMENT_BYTES + 262_144) return refuse(413, "too_big");
  let form: FormData;
  try {
    form = await readForm(request, { uploadHandler: unstable_createMemoryUploadHandler({ maxPartSize: MAX_STATEMENT_BYTES }) });
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof MaxPartSizeExceededError) return refuse(413, "too_big");
    return refuse(400, "file_missing");
  }
  const parsed = UploadSchema.safeParse({ moneyAccountId: form.get("moneyAccountId") });
  if (!parsed.success) return refuse(400, "account_invalid");
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0) return refuse(400, file && typeof file !== "string" ? "empty_file" : "file_missing");
  const db = await getDb();
  try {
    const preview = await previewImport(db, member.actor, {
      orgId: org.id,
      moneyAccountId: parsed.data.moneyAccountId,
      fileName: file.name || "statement.csv",
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    return redirect(`/finance/${org.slug}/statements/${preview.importId}`);
  } catch (error) {
    if (error instanceof StatementError) return refuse(error.code === "too_big" ? 413 : 422, error.code, error.detail);
    if (error instanceof StatementImportError) return refuse(error.code === "not_allowed" ? 403 : 400, error.code);
    throw error;
  }
}

export default function StatementsPage() {
  const { org, accounts, imports, page, pages } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("statements");
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <PageTitle title={t("title")} intro={t("intro")} />
      {reply?.errors && <FormMessage errors={reply.errors} />}
      <Section id="upload" title={t("upload.title")}>
        {accounts.length === 0 ? (
          <p>{t("accounts.none")}</p>
        ) : (
          <Form method="post" encType="multipart/form-data" className="space-y-4">
            <label className="block">
              <span className="block font-bold">{t("upload.account")}</span>
              <select name="moneyAccountId" required className={inputClass}>
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({a.currency})
                  </option>
                ))}
              </select>
            </label>
            <label className="block">
              <span className="block font-bold">{t("upload.file")}</span>
              <input type="file" name="file" required accept=".csv,.txt,text/csv,text/plain" className={inputClass} />
            </label>
            <button type="submit" className={buttonClass}>
              {t("upload.submit")}
            </button>
          </Form>
        )}
      </Section>
      <Section id="accounts" title={t("accounts.title")}>
        <div className="relative min-w-0 max-w-full overflow-x-auto">
        <table className={tableClass}>
          <thead>
            <tr>
              <th className={thClass}>{t("accounts.name")}</th>
              <th className={thClass}>{t("accounts.bank")}</th>
              <th className={thClass}>{t("accounts.currency")}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td className={tdClass}>{a.name}</td>
                <td className={tdClass}>{a.bankName ?? ""}</td>
                <td className={tdClass}>{a.currency}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </Section>
      <Section id="imports" title={t("imports.title")}>
        {imports.length === 0 ? (
          <p>{t("imports.none")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
          <table className={tableClass}>
            <thead>
              <tr>
                <th className={thClass}>{t("imports.file")}</th>
                <th className={thClass}>{t("imports.account")}</th>
                <th className={thClass}>{t("imports.period")}</th>
                <th className={thClass}>{t("imports.status")}</th>
                <th className={thClass}>{t("imports.counts")}</th>
                <th className={thClass}>{t("imports.matching")}</th>
                <th className={thClass}>{t("imports.uploaded")}</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id}>
                  <td className={tdClass}>
                    <Link to={`/finance/${org.slug}/statements/${i.id}`} className={linkClass}>
                      {i.fileName}
                    </Link>
                  </td>
                  <td className={tdClass}>
                    {i.accountName} ({i.currency})
                  </td>
                  <td className={tdClass}>{i.firstDate && i.lastDate ? `${formatDate(i.firstDate, locale)} – ${formatDate(i.lastDate, locale)}` : ""}</td>
                  <td className={tdClass}>{t(`status.${i.status}`)}</td>
                  <td className={tdClass}>{[i.newLines, i.duplicateLines, i.malformedRows].map((n) => formatNumber(n, locale)).join(" / ")}</td>
                  <td className={tdClass}>{i.status === "done" ? [i.matchedAuto, i.suggested, i.unmatched].map((n) => formatNumber(n, locale)).join(" / ") : ""}</td>
                  <td className={tdClass}>{formatDateTime(i.createdAt, locale, org.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
        <Pagination page={page} pages={pages} />
      </Section>
    </div>
  );
}

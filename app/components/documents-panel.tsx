import type { DocumentSummary } from "~/modules/registry/types";
import { useFetcher, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList, Notice } from "~/components/forms";
import {
  Section,
  buttonClass,
  inputClass,
  linkClass,
  tableClass,
  tdClass,
  thClass,
  useLocale,
} from "~/components/staff";
import { formatDateTime } from "~/utils/format";
import { DOCUMENT_ACCEPT, DOCUMENT_KINDS, formatBytes } from "~/modules/registry/documents";

/**
 * A household's private evidence documents: the list with download links (every download is audited)
 * and, for caseworkers and org admins, the upload form. The form posts to the documents route; it
 * works without JavaScript (a refused file then gets a short page with a link back).
 * `documents` comes from `listDocuments(db, orgId, householdId)` in app/modules/registry/documents.server.ts.
 */
export type { DocumentSummary } from "~/modules/registry/types";

export function DocumentsPanel({
  orgSlug,
  householdId,
  documents,
  canUpload,
  timeZone,
  needs,
}: {
  orgSlug: string;
  householdId: string;
  documents: DocumentSummary[];
  canUpload: boolean;
  /** The organisation's time zone for dates (UTC when not given). */
  timeZone?: string;
  /** The household's needs, to attach a document to one of them as its evidence (optional). */
  needs?: { id: string; label: string }[];
}) {
  const { t } = useTranslation("registry");
  const locale = useLocale();
  const [searchParams] = useSearchParams();
  const fetcher = useFetcher<{ error?: string }>();
  const added = searchParams.get("notice") === "documentAdded";
  const error = fetcher.state === "idle" ? fetcher.data?.error : undefined;
  const busy = fetcher.state !== "idle";
  const needLabel = new Map((needs ?? []).map((n) => [n.id, n.label]));
  const formId = `documents-upload-${householdId}`;

  return (
    <Section id="documents" title={t("documents.title")} description={t("documents.intro")}>
      <div className="space-y-4" data-testid="documents-panel">
        {added && !error && <Notice tone="success">{t("documents.notice.documentAdded")}</Notice>}
        {documents.length === 0 ? (
          <p>{t("documents.empty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="documents-table">
              <caption className="sr-only">{t("documents.title")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>
                    {t("documents.table.name")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("documents.table.kind")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("documents.table.size")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("documents.table.date")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("documents.table.uploadedBy")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("documents.table.sha256")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {documents.map((doc) => (
                  <tr key={doc.id}>
                    <th scope="row" className={`${tdClass} text-start font-normal`}>
                      <a
                        href={`/staff/${orgSlug}/documents/${doc.id}`}
                        download
                        className={linkClass}
                        aria-label={t("documents.table.downloadLabel", { name: doc.fileName })}
                      >
                        <bdi>{doc.fileName}</bdi>
                      </a>
                      {doc.needId && needLabel.has(doc.needId) && (
                        <span className="block text-xs text-stone-700">
                          {t("documents.table.forNeed", { need: needLabel.get(doc.needId) })}
                        </span>
                      )}
                    </th>
                    <td className={tdClass}>{t(`documents.kinds.${doc.kind}`)}</td>
                    <td className={`${tdClass} tabular-nums`}>{formatBytes(doc.sizeBytes, locale)}</td>
                    <td className={tdClass}>{formatDateTime(doc.createdAt, locale, timeZone)}</td>
                    <td className={tdClass}>{doc.uploadedByName}</td>
                    <td className={tdClass}>
                      <code dir="ltr" title={doc.sha256} className="text-xs">
                        {doc.sha256.slice(0, 12)}
                      </code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {canUpload && (
          <fetcher.Form
            key={documents.length}
            method="post"
            encType="multipart/form-data"
            action={`/staff/${orgSlug}/households/${householdId}/documents`}
            id={formId}
            aria-labelledby={`${formId}-title`}
            className="space-y-3 rounded border border-stone-200 bg-stone-50 p-4"
          >
            <h3 id={`${formId}-title`} className="font-bold">
              {t("documents.upload.title")}
            </h3>
            <p id={`${formId}-help`} className="text-sm text-stone-700">
              {t("documents.upload.help")}
            </p>
            <div className="grid gap-3 sm:grid-cols-2">
              <div className="space-y-1">
                <label htmlFor={`${formId}-kind`} className="block font-bold">
                  {t("documents.upload.kind")}
                </label>
                <select id={`${formId}-kind`} name="kind" defaultValue="other" className={inputClass}>
                  {DOCUMENT_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`documents.kinds.${kind}`)}
                    </option>
                  ))}
                </select>
              </div>
              {needs && needs.length > 0 && (
                <div className="space-y-1">
                  <label htmlFor={`${formId}-need`} className="block font-bold">
                    {t("documents.upload.need")}
                  </label>
                  <select id={`${formId}-need`} name="needId" defaultValue="" className={inputClass}>
                    <option value="">{t("documents.upload.needNone")}</option>
                    {needs.map((n) => (
                      <option key={n.id} value={n.id}>
                        {n.label}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </div>
            <div className="space-y-1">
              <label htmlFor={`${formId}-file`} className="block font-bold">
                {t("documents.upload.file")}
              </label>
              <input
                id={`${formId}-file`}
                type="file"
                name="file"
                required
                accept={DOCUMENT_ACCEPT}
                aria-describedby={[`${formId}-help`, error ? `${formId}-error` : null].filter(Boolean).join(" ")}
                aria-invalid={error ? true : undefined}
                className="block w-full text-sm"
              />
              <ErrorList id={`${formId}-error`} errors={error ? [error] : undefined} />
            </div>
            <button type="submit" className={buttonClass} aria-disabled={busy || undefined}>
              {busy ? t("documents.upload.submitting") : t("documents.upload.submit")}
            </button>
          </fetcher.Form>
        )}
      </div>
    </Section>
  );
}

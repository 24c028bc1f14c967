import {
  MaxPartSizeExceededError,
  data,
  redirect,
  unstable_createMemoryUploadHandler,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { env } from "~/utils/env.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { uploadDocument } from "~/modules/registry/documents.server";
import { DocumentNotFoundError, DocumentRuleError, MAX_DOCUMENT_BYTES } from "~/modules/registry/documents";
import { getStorage } from "~/modules/registry/storage.server";

/**
 * Evidence upload (action only). Success → back to the household page with a notice. A refused
 * file → 400/413 with the message: as data for the panel's fetcher, or as a small localized page
 * for a browser without JavaScript. A household of another organisation → 404.
 */

const householdPage = (orgSlug: string, householdId: string) =>
  `/staff/${orgSlug}/households/${encodeURIComponent(householdId)}`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  return redirect(householdPage(member.org.slug, params.householdId ?? ""));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The refusal, in the form the caller can show: JSON-ish data for fetchers, a page for plain forms. */
async function refuse(request: Request, status: 400 | 413, messageKey: string, back: string) {
  const accept = request.headers.get("accept") ?? "";
  if (!accept.includes("text/html")) return data({ error: messageKey }, { status });
  const [t, locale] = await Promise.all([getFixedT(request, ["registry", "common"]), getLocale(request)]);
  const html = `<!doctype html>
<html lang="${locale}" dir="${locale === "ar" ? "rtl" : "ltr"}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t("registry:documents.refused.title"))} · ${escapeHtml(t("common:appName"))}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6">
<h1>${escapeHtml(t("registry:documents.refused.title"))}</h1>
<p role="alert">${escapeHtml(t(messageKey))}</p>
<p><a href="${escapeHtml(back)}">${escapeHtml(t("registry:documents.refused.back"))}</a></p>
</body></html>`;
  return new Response(html, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["caseworker", "org_admin"]);
  const householdId = params.householdId ?? "";
  const back = householdPage(member.org.slug, householdId);

  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > env().MAX_UPLOAD_BYTES) return refuse(request, 413, "registry:documents.errors.tooLarge", back);
  if (!/^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "")) {
    return refuse(request, 400, "registry:documents.errors.noFile", back);
  }

  let form: FormData;
  try {
    // readForm applies every form's bounds (fields, names, control characters) to the parts too.
    form = await readForm(request, {
      uploadHandler: unstable_createMemoryUploadHandler({ maxPartSize: MAX_DOCUMENT_BYTES }),
    });
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof MaxPartSizeExceededError) {
      return refuse(request, 413, "registry:documents.errors.tooLarge", back);
    }
    return refuse(request, 400, "registry:documents.errors.unreadable", back);
  }

  const file = form.get("file");
  if (!(file instanceof File) || file.name === "") {
    return refuse(request, 400, "registry:documents.errors.noFile", back);
  }
  const kind = form.get("kind");
  const needId = form.get("needId");

  const db = await getDb();
  try {
    await uploadDocument(db, getStorage(), member.actor, {
      orgId: member.org.id,
      householdId,
      needId: typeof needId === "string" && needId !== "" ? needId : null,
      kind: typeof kind === "string" ? kind : "",
      fileName: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
  } catch (error) {
    if (error instanceof DocumentNotFoundError) throw new Response("Not Found", { status: 404 });
    if (error instanceof DocumentRuleError) return refuse(request, error.status, error.messageKey, back);
    throw error;
  }
  return redirect(`${back}?notice=documentAdded#documents`);
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readDocument } from "~/modules/registry/documents.server";
import { DocumentNotFoundError, contentDisposition } from "~/modules/registry/documents";
import { getStorage } from "~/modules/registry/storage.server";

/**
 * Download of one evidence document, for any staff member of its organisation; audited every time.
 * Always an attachment, never rendered inline, never cached.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  const db = await getDb();
  let doc;
  try {
    doc = await readDocument(db, getStorage(), member.actor, member.org.id, params.documentId ?? "");
  } catch (error) {
    if (error instanceof DocumentNotFoundError) notFound();
    throw error;
  }
  return new Response(new Uint8Array(doc.bytes), {
    status: 200,
    headers: {
      "Content-Type": doc.mimeType,
      "Content-Length": String(doc.bytes.byteLength),
      "Content-Disposition": contentDisposition(doc.fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Referrer-Policy": "no-referrer",
    },
  });
}


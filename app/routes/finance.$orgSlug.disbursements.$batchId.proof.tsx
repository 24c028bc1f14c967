import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { ProofError } from "~/modules/payments/proof.server";
import { readDisbursementProof } from "~/modules/disbursements/proof.server";
import { contentDisposition } from "~/modules/registry/documents";
import { getStorage } from "~/modules/registry/storage.server";

/** Download of a paid disbursement's proof, for finance of its organisation only; audited; an attachment, never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  let proof;
  try {
    proof = await readDisbursementProof(await getDb(), getStorage(), member.actor, member.org.id, params.batchId ?? "");
  } catch (error) {
    if (error instanceof ProofError) notFound();
    throw error;
  }
  return new Response(new Uint8Array(proof.bytes), {
    status: 200,
    headers: {
      "Content-Type": proof.mimeType,
      "Content-Length": String(proof.bytes.byteLength),
      "Content-Disposition": contentDisposition(proof.fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Referrer-Policy": "no-referrer",
    },
  });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import { ProofError, readPaymentProof } from "~/modules/payments/proof.server";
import { contentDisposition } from "~/modules/registry/documents";
import { getStorage } from "~/modules/registry/storage.server";

/**
 * Download of a payment's proof (bank slip, receipt-book page) for finance and org admins of its
 * organisation only; audited every time. Always an attachment, never rendered inline, never cached.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  let proof;
  try {
    proof = await readPaymentProof(await getDb(), getStorage(), member.actor, member.org.id, params.paymentId ?? "");
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

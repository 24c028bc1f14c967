import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { disbursementBatches, paymentDocuments } from "#db/schema";
import type { Actor } from "~/modules/audit/audit.server";
import type { DocumentStorage } from "~/modules/registry/storage.server";
import { ProofError, readProofDocument } from "~/modules/payments/proof.server";
import { UUID_PATTERN } from "~/utils/uuid";

const UUID = UUID_PATTERN;

/**
 * The proof of a paid disbursement (bank transfer slip, signed cash receipt), stored like payment
 * proofs (app/modules/payments/proof.server.ts uploads it); of this organisation only, audited.
 */
export async function readDisbursementProof(db: DbOrTx, storage: DocumentStorage, actor: Actor, orgId: string, batchId: string) {
  if (!UUID.test(batchId)) throw new ProofError("disbursements:errors.batch_not_found", 404);
  const [row] = await db
    .select({ doc: paymentDocuments })
    .from(disbursementBatches)
    .innerJoin(paymentDocuments, and(eq(paymentDocuments.id, disbursementBatches.proofDocumentId), eq(paymentDocuments.orgId, disbursementBatches.orgId)))
    .where(and(eq(disbursementBatches.id, batchId), eq(disbursementBatches.orgId, orgId)))
    .limit(1);
  if (!row) throw new ProofError("disbursements:errors.batch_not_found", 404);
  return readProofDocument(db, storage, actor, orgId, row.doc, { disbursementBatchId: batchId });
}

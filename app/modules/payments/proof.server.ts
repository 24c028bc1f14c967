import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { paymentDocuments, payments } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { detectDocumentType, sha256Hex } from "~/modules/registry/documents.server";
import { MAX_DOCUMENT_BYTES, cleanFileName, isDocumentMimeType, type DocumentMimeType } from "~/modules/registry/documents";
import { newStorageKey, type DocumentStorage } from "~/modules/registry/storage.server";
import { isUuid } from "./schemas";

/**
 * Proof of payment (a bank slip, a receipt-book page, a shop's transfer slip): stored privately
 * like household evidence (random key, type judged from the bytes, SHA-256 kept), in
 * payment_documents; downloaded by finance only, audited every time.
 */

export class ProofError extends Error {
  constructor(
    readonly messageKey: string,
    readonly status: 400 | 404 | 413 = 400,
  ) {
    super(messageKey);
    this.name = "ProofError";
  }
}

/** Checks the file (not empty, ≤ 10 MB, PDF/JPEG/PNG by its bytes), stores it and records its row. */
export async function uploadProof(
  db: DbOrTx,
  storage: DocumentStorage,
  actor: Actor,
  input: { orgId: string; fileName: string; bytes: Uint8Array },
): Promise<{ id: string; fileName: string; mimeType: DocumentMimeType; sizeBytes: number }> {
  const { bytes } = input;
  if (!actor.userId) throw new Error("uploadProof needs a signed-in actor");
  if (bytes.byteLength === 0) throw new ProofError("finance:errors.proofEmpty");
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) throw new ProofError("finance:errors.proofTooLarge", 413);
  const mimeType = await detectDocumentType(bytes);
  if (!mimeType) throw new ProofError("finance:errors.proofWrongType");
  const fileName = cleanFileName(input.fileName, mimeType);
  const sha256 = sha256Hex(bytes);
  const storageKey = newStorageKey();
  await storage.put(storageKey, bytes, mimeType);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(paymentDocuments)
        .values({ orgId: input.orgId, fileName, mimeType, sizeBytes: bytes.byteLength, sha256, storageKey, uploadedBy: actor.userId! })
        .returning();
      await recordAudit(tx, actor, {
        orgId: input.orgId,
        action: "payment_document.upload",
        entityType: "payment_document",
        entityId: row.id,
        change: { mimeType, sizeBytes: row.sizeBytes, sha256 },
      });
      return { id: row.id, fileName: row.fileName, mimeType, sizeBytes: row.sizeBytes };
    });
  } catch (error) {
    await storage.delete(storageKey).catch((cleanupError: unknown) => {
      console.warn("[payments] could not delete orphaned proof", storageKey, cleanupError);
    });
    throw error;
  }
}

/** A proof document of this organisation (for the record form's second step), or null. */
export async function orgProof(db: DbOrTx, orgId: string, documentId: string) {
  if (!isUuid(documentId)) return null;
  const [row] = await db
    .select({ id: paymentDocuments.id, fileName: paymentDocuments.fileName, mimeType: paymentDocuments.mimeType, sizeBytes: paymentDocuments.sizeBytes })
    .from(paymentDocuments)
    .where(and(eq(paymentDocuments.id, documentId), eq(paymentDocuments.orgId, orgId)))
    .limit(1);
  return row ?? null;
}

/** The proof of a payment of this organisation, with its bytes; audited. Throws ProofError(404) otherwise. */
export async function readPaymentProof(db: DbOrTx, storage: DocumentStorage, actor: Actor, orgId: string, paymentId: string) {
  if (!isUuid(paymentId)) throw new ProofError("finance:errors.paymentNotFound", 404);
  const [row] = await db
    .select({ doc: paymentDocuments })
    .from(payments)
    .innerJoin(paymentDocuments, and(eq(paymentDocuments.id, payments.proofDocumentId), eq(paymentDocuments.orgId, payments.orgId)))
    .where(and(eq(payments.id, paymentId), eq(payments.orgId, orgId)))
    .limit(1);
  if (!row) throw new ProofError("finance:errors.paymentNotFound", 404);
  return readProofDocument(db, storage, actor, orgId, row.doc, { paymentId });
}

/**
 * A stored proof's bytes (a payment's or a paid disbursement's), checked against its type and its
 * SHA-256, the download audited with what it proves (`link`).
 */
export async function readProofDocument(
  db: DbOrTx,
  storage: DocumentStorage,
  actor: Actor,
  orgId: string,
  doc: typeof paymentDocuments.$inferSelect,
  link: Record<string, string>,
) {
  if (!isDocumentMimeType(doc.mimeType)) throw new Error(`payment document ${doc.id} has an unexpected type`);
  const bytes = await storage.get(doc.storageKey);
  if (sha256Hex(bytes) !== doc.sha256) throw new Error(`payment document ${doc.id} does not match its SHA-256`);
  await recordAudit(db, actor, {
    orgId,
    action: "payment_document.download",
    entityType: "payment_document",
    entityId: doc.id,
    change: { ...link, sha256: doc.sha256 },
  });
  return { fileName: doc.fileName, mimeType: doc.mimeType, bytes };
}

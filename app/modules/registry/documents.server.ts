import { createHash } from "node:crypto";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { documents, householdEvents, households, needs, users } from "#db/schema";
import type { DbOrTx } from "#db/client.server";
import type { DocumentSummary } from "./types";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import {
  DocumentNotFoundError,
  DocumentRuleError,
  MAX_DOCUMENT_BYTES,
  cleanFileName,
  isDocumentKind,
  isDocumentMimeType,
  type DocumentKind,
  type DocumentMimeType,
} from "./documents";
import { newStorageKey, type DocumentStorage } from "./storage.server";
import { isUuid } from "~/utils/uuid";

/**
 * Private evidence documents of a household (and optionally of one of its needs). The bytes live in
 * private storage under a random key; the row keeps the type found in the bytes and their SHA-256.
 * Every read is scoped by organisation and audited.
 */


export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The type of a file from its first bytes (magic numbers), or null when it is not one we accept. */
export async function detectDocumentType(bytes: Uint8Array): Promise<DocumentMimeType | null> {
  const found = await fileTypeFromBuffer(bytes);
  return found && isDocumentMimeType(found.mime) ? found.mime : null;
}

const summaryColumns = {
  id: documents.id,
  fileName: documents.fileName,
  kind: documents.kind,
  mimeType: documents.mimeType,
  sizeBytes: documents.sizeBytes,
  sha256: documents.sha256,
  createdAt: documents.createdAt,
  uploadedByName: users.displayName,
  needId: documents.needId,
};

async function selectSummaries(db: DbOrTx, where: SQL | undefined): Promise<DocumentSummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(documents)
    .innerJoin(users, eq(users.id, documents.uploadedBy))
    .where(where)
    .orderBy(desc(documents.createdAt), desc(documents.id));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** Every document of a household, newest first, scoped by organisation. */
export async function listDocuments(db: DbOrTx, orgId: string, householdId: string): Promise<DocumentSummary[]> {
  if (!isUuid(orgId) || !isUuid(householdId)) return [];
  return selectSummaries(db, and(eq(documents.orgId, orgId), eq(documents.householdId, householdId)));
}

/** The evidence attached to one need (the verifier's screen), newest first, scoped by organisation. */
export async function listNeedDocuments(db: DbOrTx, orgId: string, needId: string): Promise<DocumentSummary[]> {
  if (!isUuid(orgId) || !isUuid(needId)) return [];
  return selectSummaries(db, and(eq(documents.orgId, orgId), eq(documents.needId, needId)));
}

export interface UploadDocumentInput {
  orgId: string;
  householdId: string;
  needId?: string | null;
  kind: DocumentKind | string;
  fileName: string;
  bytes: Uint8Array;
}

/**
 * Checks the file (not empty, at most 10 MB, a PDF, JPEG or PNG judged by its bytes), stores it,
 * then records the row, the household's timeline event and the audit entry in one transaction. If
 * that transaction fails, the stored object is deleted again.
 *
 * Throws DocumentNotFoundError (household or need not in this organisation) or DocumentRuleError.
 */
export async function uploadDocument(
  db: DbOrTx,
  storage: DocumentStorage,
  actor: Actor,
  input: UploadDocumentInput,
): Promise<DocumentSummary> {
  const { orgId, householdId, bytes } = input;
  const needId = input.needId || null;
  if (!actor.userId) throw new Error("uploadDocument needs a signed-in actor");
  if (!isUuid(orgId) || !isUuid(householdId)) throw new DocumentNotFoundError("household");
  const [household] = await db
    .select({ id: households.id })
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.orgId, orgId)))
    .limit(1);
  if (!household) throw new DocumentNotFoundError("household");
  if (needId !== null) {
    if (!isUuid(needId)) throw new DocumentNotFoundError("need");
    const [need] = await db
      .select({ id: needs.id })
      .from(needs)
      .where(and(eq(needs.id, needId), eq(needs.orgId, orgId), eq(needs.householdId, householdId)))
      .limit(1);
    if (!need) throw new DocumentNotFoundError("need");
  }

  if (!isDocumentKind(input.kind)) throw new DocumentRuleError("registry:documents.errors.kind");
  if (bytes.byteLength === 0) throw new DocumentRuleError("registry:documents.errors.empty");
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) throw new DocumentRuleError("registry:documents.errors.tooLarge", 413);
  const mimeType = await detectDocumentType(bytes);
  if (!mimeType) throw new DocumentRuleError("registry:documents.errors.wrongType");

  const kind = input.kind;
  const fileName = cleanFileName(input.fileName, mimeType);
  const sha256 = sha256Hex(bytes);
  const storageKey = newStorageKey();

  await storage.put(storageKey, bytes, mimeType);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(documents)
        .values({
          orgId,
          householdId,
          needId,
          kind,
          fileName,
          mimeType,
          sizeBytes: bytes.byteLength,
          sha256,
          storageKey,
          uploadedBy: actor.userId!,
        })
        .returning();
      await tx.insert(householdEvents).values({
        householdId,
        orgId,
        kind: "document_added",
        details: { documentId: row.id, kind, fileName, mimeType, sizeBytes: row.sizeBytes, needId },
        actorId: actor.userId,
      });
      await recordAudit(tx, actor, {
        orgId,
        action: "document.upload",
        entityType: "document",
        entityId: row.id,
        change: { householdId, needId, kind, mimeType, sizeBytes: row.sizeBytes, sha256 },
      });
      const [uploader] = await tx
        .select({ displayName: users.displayName })
        .from(users)
        .where(eq(users.id, actor.userId!))
        .limit(1);
      return {
        id: row.id,
        fileName: row.fileName,
        kind: row.kind,
        mimeType: row.mimeType,
        sizeBytes: row.sizeBytes,
        sha256: row.sha256,
        createdAt: row.createdAt.toISOString(),
        uploadedByName: uploader?.displayName ?? "",
        needId: row.needId,
      };
    });
  } catch (error) {
    // The row never came to be: do not leave an orphaned file behind.
    await storage.delete(storageKey).catch((cleanupError: unknown) => {
      console.warn("[documents] could not delete orphaned object", storageKey, cleanupError);
    });
    throw error;
  }
}

export interface DocumentDownload {
  id: string;
  orgId: string;
  householdId: string;
  fileName: string;
  mimeType: DocumentMimeType;
  sizeBytes: number;
  sha256: string;
  bytes: Uint8Array;
}

/**
 * A document's metadata and bytes for a member of its organisation, with a `document.download` audit
 * row for every call. Another organisation's document (or none) is DocumentNotFoundError, and then
 * nothing is audited. Bytes whose SHA-256 no longer matches are refused (an error, not a download).
 */
export async function readDocument(
  db: DbOrTx,
  storage: DocumentStorage,
  actor: Actor,
  orgId: string,
  documentId: string,
): Promise<DocumentDownload> {
  if (!isUuid(orgId) || !isUuid(documentId)) throw new DocumentNotFoundError();
  const [doc] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.orgId, orgId)))
    .limit(1);
  if (!doc) throw new DocumentNotFoundError();
  if (!isDocumentMimeType(doc.mimeType)) throw new Error(`document ${doc.id} has an unexpected type`);
  const bytes = await storage.get(doc.storageKey);
  if (sha256Hex(bytes) !== doc.sha256) throw new Error(`document ${doc.id} does not match its SHA-256`);
  await recordAudit(db, actor, {
    orgId,
    action: "document.download",
    entityType: "document",
    entityId: doc.id,
    change: { householdId: doc.householdId, needId: doc.needId, sha256: doc.sha256 },
  });
  return {
    id: doc.id,
    orgId: doc.orgId,
    householdId: doc.householdId,
    fileName: doc.fileName,
    mimeType: doc.mimeType,
    sizeBytes: doc.sizeBytes,
    sha256: doc.sha256,
    bytes,
  };
}

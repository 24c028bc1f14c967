/**
 * STUB — replaced by the documents work. The household page mounts this panel.
 * Contract: `DocumentsPanel({ orgSlug, householdId, documents, canUpload })`, where `documents` comes
 * from `listDocuments(db, orgId, householdId)` in app/modules/registry/documents.server.ts.
 */
export interface DocumentSummary {
  id: string;
  fileName: string;
  kind: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  uploadedByName: string;
  needId: string | null;
}

export function DocumentsPanel(_props: {
  orgSlug: string;
  householdId: string;
  documents: DocumentSummary[];
  canUpload: boolean;
}) {
  return null;
}

import type { DbOrTx } from "#db/client.server";
import type { DocumentSummary } from "~/components/documents-panel";

/** STUB — replaced by the documents work. Every document of a household, newest first, scoped by organisation. */
export async function listDocuments(_db: DbOrTx, _orgId: string, _householdId: string): Promise<DocumentSummary[]> {
  return [];
}

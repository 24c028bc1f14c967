// The `statement-import` job (app/utils/jobs.server.ts): runs a committed statement import as the
// system. Idempotent: a finished import is left as it is; a retried one counts its own lines again.
import type { Db } from "#db/client.server";
import { runImport } from "./statements.server";

export async function runStatementImportJob(db: Db, importId: string): Promise<void> {
  await runImport(db, importId);
}

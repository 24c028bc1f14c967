import type { DbOrTx } from "#db/client.server";
import type { payees } from "#db/schema";
import { PayeeError } from "~/modules/payees/errors";
import { payablePayee } from "~/modules/payees/payees.server";
import { DisbursementError } from "./errors";
import type { DisbursementMethod } from "./rules";

export type Payee = typeof payees.$inferSelect;

/**
 * The payee may be paid by this method (the payees module's rule: of the organisation, active,
 * and — for a bank transfer — with details a second finance person approved), refused as a
 * disbursement error so the batch pages show it in their own words.
 */
export async function payableFor(tx: DbOrTx, orgId: string, payeeId: string, method: DisbursementMethod): Promise<Payee> {
  try {
    return await payablePayee(tx, orgId, payeeId, method);
  } catch (error) {
    if (error instanceof PayeeError && (error.code === "payee_not_found" || error.code === "payee_inactive" || error.code === "details_not_approved")) {
      throw new DisbursementError(error.code);
    }
    throw error;
  }
}

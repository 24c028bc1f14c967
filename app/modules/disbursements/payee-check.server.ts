import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { payees } from "#db/schema";
import { DisbursementError } from "./errors";
import type { DisbursementMethod } from "./rules";

export type Payee = typeof payees.$inferSelect;

/**
 * The payee may be paid by this method: of the organisation, active, and — for a bank transfer —
 * with approved bank details (a second finance person approved them). Stands in for the payees
 * module's `payablePayee(tx, orgId, payeeId, method)`; swap to it once that module is in.
 */
export async function payableFor(tx: DbOrTx, orgId: string, payeeId: string, method: DisbursementMethod): Promise<Payee> {
  const [payee] = await tx.select().from(payees).where(and(eq(payees.id, payeeId), eq(payees.orgId, orgId))).limit(1);
  if (!payee) throw new DisbursementError("payee_not_found");
  if (payee.status !== "active") throw new DisbursementError("payee_inactive");
  if (method === "bank_transfer") {
    const approved = payee.detailsApprovedAt !== null && payee.collection === "bank_transfer" && Boolean(payee.accountNumber?.trim());
    if (!approved) throw new DisbursementError("details_not_approved");
  }
  return payee;
}

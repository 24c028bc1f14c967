import { linkSignature, verifyLinkSignature } from "~/utils/link-signing.server";

/**
 * The signature of a receipt link (HMAC under SESSION_SECRET, app/utils/link-signing.server.ts),
 * so a guest donor can open the receipt from the email without an account, and nobody can guess
 * another receipt's link. It does not expire (a receipt is kept for years); it names one receipt only.
 */
export function receiptSignature(receiptId: string): string {
  return linkSignature("receipt", receiptId);
}

/** Constant-time check of a signature from a link; false for anything malformed. */
export function verifyReceiptSignature(receiptId: string, signature: string | null | undefined): boolean {
  return verifyLinkSignature("receipt", receiptId, signature);
}

/** The receipt's page with its signature: a guest opens it from the email. */
export function receiptPath(receiptId: string): string {
  return `/receipts/${receiptId}?s=${receiptSignature(receiptId)}`;
}

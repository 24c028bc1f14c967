import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "~/utils/env.server";

/**
 * The signature of a receipt link: HMAC-SHA256 of the receipt id under SESSION_SECRET, so a guest
 * donor can open the receipt from the email without an account, and nobody can guess another
 * receipt's link. It does not expire (a receipt is kept for years); it names one receipt only.
 */

/** Used outside production when SESSION_SECRET is unset (env validation requires it in production). */
const DEVELOPMENT_SECRET = "tadamon-development-session-secret-not-for-production";

function secret(): string {
  const config = env();
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  if (config.NODE_ENV === "production") throw new Error("SESSION_SECRET is required in production");
  return DEVELOPMENT_SECRET;
}

/** 128 bits of the MAC, base64url (22 characters). */
export function receiptSignature(receiptId: string): string {
  return createHmac("sha256", secret()).update(`receipt:${receiptId}`).digest().subarray(0, 16).toString("base64url");
}

/** Constant-time check of a signature from a link; false for anything malformed. */
export function verifyReceiptSignature(receiptId: string, signature: string | null | undefined): boolean {
  if (!signature || signature.length !== 22 || !/^[A-Za-z0-9_-]+$/.test(signature)) return false;
  const expected = Buffer.from(receiptSignature(receiptId));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The receipt's page with its signature: a guest opens it from the email. */
export function receiptPath(receiptId: string): string {
  return `/receipts/${receiptId}?s=${receiptSignature(receiptId)}`;
}

import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "~/utils/env.server";

/**
 * Signed links that work without signing in (a receipt, the digest's unsubscribe link):
 * HMAC-SHA256 of "<purpose>:<id>" under SESSION_SECRET, 128 bits in base64url (22 characters).
 * The purpose label keeps one kind of link from opening another.
 */

/** Used outside production when SESSION_SECRET is unset (env validation requires it in production). */
const DEVELOPMENT_SECRET = "tadamon-development-session-secret-not-for-production";

function secret(): string {
  const config = env();
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  if (config.NODE_ENV === "production") throw new Error("SESSION_SECRET is required in production");
  return DEVELOPMENT_SECRET;
}

export function linkSignature(purpose: string, id: string): string {
  return createHmac("sha256", secret()).update(`${purpose}:${id}`).digest().subarray(0, 16).toString("base64url");
}

/** Constant-time check of a signature from a link; false for anything malformed. */
export function verifyLinkSignature(purpose: string, id: string, signature: string | null | undefined): boolean {
  if (!signature || signature.length !== 22 || !/^[A-Za-z0-9_-]+$/.test(signature)) return false;
  const expected = Buffer.from(linkSignature(purpose, id));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

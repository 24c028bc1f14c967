import { linkSignature, verifyLinkSignature } from "~/utils/link-signing.server";

/**
 * The digest's unsubscribe link works without signing in: it carries the person's id and a
 * signature of it (app/utils/link-signing.server.ts), so nobody can unsubscribe someone else.
 */
const PURPOSE = "digest-unsubscribe";

export function verifyUnsubscribeSignature(userId: string, signature: string | null | undefined): boolean {
  return verifyLinkSignature(PURPOSE, userId, signature);
}

export function unsubscribePath(userId: string): string {
  return `/giving/unsubscribe?u=${userId}&s=${linkSignature(PURPOSE, userId)}`;
}

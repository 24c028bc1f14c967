/**
 * How long a pledge holds its amount (decision 053), pure:
 * - a guest's offline pledge (not signed in, or signed in without a verified email): 24 hours,
 *   until the donor confirms it by the link in the instructions email;
 * - a confirmed offline pledge (at creation for a verified donor, or once a guest confirms):
 *   the organisation's full period, counted from the pledge's creation (so confirming never
 *   holds a need longer than the organisation chose, and the first email can already say until
 *   when);
 * - a card pledge: a day (a Checkout session's lifetime); an in-kind delivery offer: no expiry.
 */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
/** An unconfirmed guest pledge is released after this long. */
export const UNCONFIRMED_HOLD_MS = 24 * HOUR_MS;
/** A card pledge left in Checkout is released after a day (Stripe's session lifetime). */
export const CARD_HOLD_MS = DAY_MS;
export const DEFAULT_EXPIRY_DAYS = 7;

export type HoldKind = "offline" | "card" | "delivery";

/** When a confirmed offline pledge made at `createdAt` expires: the organisation's full period (at least the unconfirmed hold). */
export function fullHoldUntil(createdAt: Date, expiryDays: number | null | undefined): Date {
  const days = expiryDays ?? DEFAULT_EXPIRY_DAYS;
  return new Date(createdAt.getTime() + Math.max(days * DAY_MS, UNCONFIRMED_HOLD_MS));
}

/**
 * A new pledge's expiry and whether it starts confirmed. `verifiedDonor`: signed in with a
 * verified email address.
 */
export function initialHold(
  kind: HoldKind,
  input: { now: Date; verifiedDonor: boolean; expiryDays: number | null | undefined },
): { expiresAt: Date | null; confirmed: boolean } {
  if (kind === "card") return { expiresAt: new Date(input.now.getTime() + CARD_HOLD_MS), confirmed: true };
  if (kind === "delivery") return { expiresAt: null, confirmed: true };
  if (input.verifiedDonor) return { expiresAt: fullHoldUntil(input.now, input.expiryDays), confirmed: true };
  return { expiresAt: new Date(input.now.getTime() + UNCONFIRMED_HOLD_MS), confirmed: false };
}

/** Whether an unconfirmed pledge can still be confirmed at `now` (pending and its 24 hours not over). */
export function canConfirm(pledge: { status: string; confirmedAt: Date | null; expiresAt: Date | null }, now: Date): boolean {
  return (
    pledge.status === "pending" && pledge.confirmedAt === null && pledge.expiresAt !== null && pledge.expiresAt.getTime() > now.getTime()
  );
}

/**
 * Sliding-window rate limits (decision 053), pure: given the times of the counted actions of one
 * key (newest first), when may the next one happen? Each limit is "at most `max` in any `windowMs`".
 * With n ≥ max hits in the window, the next action is allowed once the max-th most recent hit
 * leaves the window, i.e. at that hit + windowMs.
 */

export interface Limit {
  max: number;
  windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Pledge creation. Per client IP: a camp office or a cybercafé where dozens of donors share one
 * address must still get through (30 an hour is one every two minutes, all day long); per email
 * (normalized): a real donor pledges a few times, a script with one throwaway address does not
 * get far. Only pledges actually created count (a refused or replayed post does not).
 */
export const PLEDGE_LIMITS = {
  ip: [
    { max: 30, windowMs: HOUR },
    { max: 100, windowMs: DAY },
  ],
  email: [
    { max: 5, windowMs: HOUR },
    { max: 15, windowMs: DAY },
  ],
} as const satisfies Record<string, readonly Limit[]>;

/**
 * Sign-up, in the sign-in throttle's 15-minute window: every attempt counts (new address or not).
 * Per email 3 (the same as MAX_EMAILS_PER_WINDOW, so an address never gets more than 3 mails a
 * window from sign-up), per IP 10.
 */
export const SIGNUP_LIMITS = {
  ip: [{ max: 10, windowMs: 15 * MINUTE }],
  email: [{ max: 3, windowMs: 15 * MINUTE }],
} as const satisfies Record<string, readonly Limit[]>;

/** The longest window of any limit: hits older than this are never read again (pruned daily). */
export const LONGEST_WINDOW_MS = DAY;

/**
 * When the next action is allowed under `limits`, or null when it is allowed now. `hitsNewestFirst`
 * are the times of the counted actions (any order is accepted; only those within a window count).
 */
export function allowedAt(hitsNewestFirst: readonly Date[], limits: readonly Limit[], now: Date): Date | null {
  // A hit stamped a moment after `now` (a request that started later but committed first) still counts.
  const hits = [...hitsNewestFirst].map((d) => d.getTime()).sort((a, b) => b - a);
  let until: number | null = null;
  for (const limit of limits) {
    const inWindow = hits.filter((t) => t > now.getTime() - limit.windowMs);
    if (inWindow.length < limit.max) continue;
    const edge = inWindow[limit.max - 1] + limit.windowMs;
    if (edge > now.getTime() && (until === null || edge > until)) until = edge;
  }
  return until === null ? null : new Date(until);
}

/** Seconds for a Retry-After header: at least 1, rounded up. */
export function retryAfterSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

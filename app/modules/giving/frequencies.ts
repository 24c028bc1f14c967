/** How often a donor hears of new needs that match their preferences (also the database enum's values). */
export const DIGEST_FREQUENCIES = ["off", "weekly", "monthly"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

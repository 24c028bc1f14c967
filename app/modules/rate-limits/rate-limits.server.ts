import { and, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "#db/client.server";
import { rateLimitHits } from "#db/schema";
import { LONGEST_WINDOW_MS, allowedAt, type Limit } from "./rules";

/**
 * Rate limits stored in the database (rate_limit_hits), checked and counted inside the caller's
 * transaction. `checkLimits` takes a transaction-scoped advisory lock per (bucket, key), always in
 * the order given, so two simultaneous requests of one key are counted one after the other.
 */

export interface LimitRule {
  /** e.g. "pledge_ip", "pledge_email", "signup_ip", "signup_email" */
  bucket: string;
  /** the normalized IP or email */
  key: string;
  limits: readonly Limit[];
}

/**
 * When the first of the rules allows the action again (the latest of them), or null when all allow it now.
 * Two statements whatever the number of rules (each round trip is spent holding the caller's locks):
 * one takes every rule's advisory lock, in the order given (a select list is evaluated left to
 * right), then one reads every rule's recent hits (each rule's own newest `most`, UNION ALL) —
 * after the locks, so it sees every hit committed by whoever held them before.
 */
export async function checkLimits(tx: Tx, rules: readonly LimitRule[], now: Date): Promise<Date | null> {
  if (rules.length === 0) return null;
  const locks = rules.map((rule) => sql`pg_advisory_xact_lock(hashtextextended(${`rate:${rule.bucket}:${rule.key}`}, 0))`);
  await tx.execute(sql`select ${sql.join(locks, sql`, `)}`);
  const reads = rules.map((rule, i) => {
    const longest = Math.max(...rule.limits.map((l) => l.windowMs));
    const most = Math.max(...rule.limits.map((l) => l.max));
    return tx
      .select({ rule: sql<number>`${i}::int`.as("rule"), at: rateLimitHits.createdAt })
      .from(rateLimitHits)
      .where(
        and(
          eq(rateLimitHits.bucket, rule.bucket),
          eq(rateLimitHits.key, rule.key),
          gt(rateLimitHits.createdAt, new Date(now.getTime() - longest)),
        ),
      )
      .orderBy(desc(rateLimitHits.createdAt))
      .limit(most);
  });
  const rows = reads.length === 1 ? await reads[0] : await reads.slice(1).reduce((all, read) => all.unionAll(read), reads[0].$dynamic());
  let until: Date | null = null;
  rules.forEach((rule, i) => {
    const at = allowedAt(
      rows.filter((r) => Number(r.rule) === i).map((r) => r.at),
      rule.limits,
      now,
    );
    if (at && (!until || at > until)) until = at;
  });
  return until;
}

/** Counts one action for each rule (call it once the action has been done, in the same transaction). */
export async function recordHits(tx: DbOrTx, rules: readonly Pick<LimitRule, "bucket" | "key">[], now: Date): Promise<void> {
  if (rules.length === 0) return;
  await tx.insert(rateLimitHits).values(rules.map((r) => ({ bucket: r.bucket, key: r.key, createdAt: now })));
}

/** Daily housekeeping: hits older than the longest window are never read again. */
export async function pruneRateLimitHits(db: DbOrTx, olderThan = new Date(Date.now() - LONGEST_WINDOW_MS)): Promise<number> {
  const rows = await db.delete(rateLimitHits).where(lt(rateLimitHits.createdAt, olderThan)).returning({ id: rateLimitHits.id });
  return rows.length;
}

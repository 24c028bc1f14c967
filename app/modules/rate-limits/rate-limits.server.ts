import { and, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "#db/client.server";
import { preparedOnce } from "#db/prepared.server";
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
  // Built once per set of rules (their buckets and limits; db/prepared.server.ts), then only run.
  const windows = rules.map((rule) => ({ longest: Math.max(...rule.limits.map((l) => l.windowMs)), most: Math.max(...rule.limits.map((l) => l.max)) }));
  const params: Record<string, unknown> = {};
  rules.forEach((rule, i) => Object.assign(params, { [`key${i}`]: rule.key, [`since${i}`]: new Date(now.getTime() - windows[i].longest) }));
  const rows = await preparedOnce(tx, `rate-check|${rules.map((r, i) => `${r.bucket}:${windows[i].most}`).join(",")}`, () => {
    const reads = rules.map((rule, i) =>
      tx
        .select({ rule: sql<number>`${sql.raw(String(i))}::int`.as("rule"), at: rateLimitHits.createdAt })
        .from(rateLimitHits)
        .where(
          and(
            eq(rateLimitHits.bucket, rule.bucket),
            eq(rateLimitHits.key, sql.placeholder(`key${i}`)),
            gt(rateLimitHits.createdAt, sql.placeholder(`since${i}`)),
          ),
        )
        .orderBy(desc(rateLimitHits.createdAt))
        .limit(windows[i].most),
    );
    return reads.length === 1 ? reads[0] : reads.slice(1).reduce((all, read) => all.unionAll(read), reads[0].$dynamic());
  }).execute(params);
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
  // Built once per number of rules (db/prepared.server.ts), then only run.
  const params: Record<string, unknown> = { now };
  rules.forEach((r, i) => Object.assign(params, { [`bucket${i}`]: r.bucket, [`key${i}`]: r.key }));
  await preparedOnce(tx, `record-hits|${rules.length}`, () =>
    tx.insert(rateLimitHits).values(
      rules.map((_, i) => ({
        bucket: sql.placeholder(`bucket${i}`) as unknown as string,
        key: sql.placeholder(`key${i}`) as unknown as string,
        createdAt: sql.placeholder("now") as unknown as Date,
      })),
    ),
  ).execute(params);
}

/** Daily housekeeping: hits older than the longest window are never read again. */
export async function pruneRateLimitHits(db: DbOrTx, olderThan = new Date(Date.now() - LONGEST_WINDOW_MS)): Promise<number> {
  const rows = await db.delete(rateLimitHits).where(lt(rateLimitHits.createdAt, olderThan)).returning({ id: rateLimitHits.id });
  return rows.length;
}

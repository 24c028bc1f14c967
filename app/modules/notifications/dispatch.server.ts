import { and, asc, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { emailOutbox } from "#db/schema";

/** One email handed to a transport. */
export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per outbox row: a provider that honours it never delivers the row twice. */
  idempotencyKey: string;
}

/** Something that delivers email (Resend in production, a fake in tests). Throws on failure. */
export interface EmailTransport {
  send(email: OutgoingEmail): Promise<{ providerMessageId: string | null }>;
}

/** A failure that no retry can fix (e.g. the provider rejects the address): the row fails at once. */
export class PermanentEmailError extends Error {
  override name = "PermanentEmailError";
}

export interface RetryPolicy {
  /** Attempts before a row is marked `failed`. */
  maxAttempts: number;
  /** Delay after the first failure; doubled after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * How long a claimed row stays out of other workers' reach while it is being sent. If the worker
   * dies mid-send, the row is due again after this (the idempotency key prevents a double delivery).
   */
  leaseMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 60_000,
  maxDelayMs: 60 * 60_000,
  leaseMs: 5 * 60_000,
};

/** Delay before the next attempt after `attempt` failed attempts: 1 min, 2, 4, 8 … capped at 1 h. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
}

/**
 * Templates whose body carries a single-use link (a token). Once such an email is handed to the
 * provider, the outbox keeps its subject and meta but not the live link.
 */
const REDACTED_AFTER_SEND = new Set(["verify-email", "reset-password", "invite"]);
export const REDACTED_BODY = "[removed after sending: this email contained a single-use link]";

export interface DispatchOptions {
  /** Rows claimed per round. */
  batchSize?: number;
  /** Rounds per call, so one run of the job stays short. */
  maxRounds?: number;
  policy?: Partial<RetryPolicy>;
  /** Only these recipients (tests share one PostgreSQL database; production leaves it unset). */
  recipients?: string[];
}

export interface DispatchResult {
  sent: string[];
  kept: string[];
  retrying: string[];
  failed: string[];
}

/**
 * Sends the outbox rows that are due at `now`. Without a transport (no RESEND_API_KEY) the rows
 * are marked `kept` for the dev mailbox. Safe to run twice or concurrently: a row is claimed by a
 * single conditional UPDATE (`FOR UPDATE SKIP LOCKED`) that moves it out of reach for a lease,
 * and its outcome is written only if the claim is still the row's latest (`attempts` fences it).
 * No transaction is held while the provider is called, so the embedded database stays free.
 */
export async function dispatchPending(
  db: Db,
  transport: EmailTransport | null,
  now: Date = new Date(),
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  if (!(policy.baseDelayMs > 0) || !(policy.leaseMs > 0) || !(policy.maxAttempts >= 1)) {
    throw new RangeError("retry policy: delays must be positive and maxAttempts at least 1");
  }
  const batchSize = options.batchSize ?? 25;
  const maxRounds = options.maxRounds ?? 20;
  const result: DispatchResult = { sent: [], kept: [], retrying: [], failed: [] };

  const due: SQL[] = [eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, now)];
  if (options.recipients) {
    if (options.recipients.length === 0) return result;
    due.push(inArray(emailOutbox.toAddress, options.recipients));
  }

  if (!transport) {
    const kept = await db
      .update(emailOutbox)
      .set({ status: "kept" })
      .where(and(...due))
      .returning({ id: emailOutbox.id });
    result.kept.push(...kept.map((r) => r.id));
    return result;
  }

  for (let round = 0; round < maxRounds; round++) {
    const claimable = db
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(and(...due))
      .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.createdAt))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    const claimed = await db
      .update(emailOutbox)
      .set({
        attempts: sql`${emailOutbox.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + policy.leaseMs),
      })
      .where(and(inArray(emailOutbox.id, claimable), eq(emailOutbox.status, "pending")))
      .returning();

    for (const row of claimed) {
      // Written only while this claim is the row's latest and it is still pending.
      const stillOurs = and(
        eq(emailOutbox.id, row.id),
        eq(emailOutbox.status, "pending"),
        eq(emailOutbox.attempts, row.attempts),
      );
      try {
        const { providerMessageId } = await transport.send({
          id: row.id,
          to: row.toAddress,
          subject: row.subject,
          html: row.html,
          text: row.text,
          idempotencyKey: `email-outbox/${row.id}`,
        });
        const redact = REDACTED_AFTER_SEND.has(row.template);
        await db
          .update(emailOutbox)
          .set({
            status: "sent",
            sentAt: now,
            providerMessageId,
            lastError: null,
            ...(redact ? { html: REDACTED_BODY, text: REDACTED_BODY } : {}),
          })
          .where(stillOurs);
        result.sent.push(row.id);
      } catch (error) {
        const message = describeError(error);
        const giveUp = error instanceof PermanentEmailError || row.attempts >= policy.maxAttempts;
        if (giveUp) {
          await db
            .update(emailOutbox)
            .set({ status: "failed", lastError: message })
            .where(stillOurs);
          result.failed.push(row.id);
        } else {
          await db
            .update(emailOutbox)
            .set({
              lastError: message,
              nextAttemptAt: new Date(now.getTime() + backoffDelayMs(row.attempts, policy)),
            })
            .where(stillOurs);
          result.retrying.push(row.id);
        }
      }
    }
    if (claimed.length < batchSize) break;
  }
  return result;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 1000);
}

import PgBoss from "pg-boss";
import type { Database } from "#db/client.server";
import {
  dispatchPending,
  type DispatchOptions,
  type EmailTransport,
} from "~/modules/notifications/dispatch.server";
import { createResendTransport } from "~/modules/notifications/resend-transport.server";
import { expirePledges } from "~/modules/pledging/pledges.server";
import { expireNeeds } from "~/modules/needs/expiry.server";
import { pruneLoginAttempts, pruneRateLimits } from "~/modules/identity/accounts.server";
import { deleteExpiredSessions } from "~/modules/identity/session.server";
import { processDueStripeEvents, processStripeEvent } from "~/modules/payments/stripe-events.server";
import { runStatementImportJob } from "~/modules/reconciliation/import-job.server";
import { runDigests } from "~/modules/giving/digest.server";
import { runScheduledFunds } from "~/modules/matching/fund-run.server";
import { runMonthlyGifts } from "~/modules/giving/monthly-job.server";
import { matchAppealGifts } from "~/modules/giving/appeals.server";
import { expireCredits, offerCredits } from "~/modules/giving/credits.server";
import { env } from "./env.server";
import { pageDataChanged } from "./page-cache.server";
import { kickOutbox, setOutboxKicker } from "./outbox-kick.server";

/** The queue whose jobs mean "sweep the email outbox now". */
export const OUTBOX_QUEUE = "email-outbox";
/** The queue whose jobs mean "release unpaid pledges whose time is up" (every 5 minutes). */
export const PLEDGE_EXPIRY_QUEUE = "pledge-expiry";
/** The queue whose jobs mean "expire published needs past their deadline day" (every 15 minutes), as the system. */
export const NEED_EXPIRY_QUEUE = "need-expiry";
/** Daily housekeeping: login attempts and rate-limit counts older than a day (throttling looks back 15 minutes, rate limits a day) and dead sessions. */
export const HOUSEKEEPING_QUEUE = "housekeeping";
/** Stripe's stored events: a job per event sent by the webhook, and every minute the deferred/failed ones whose retry time came. */
export const STRIPE_EVENTS_QUEUE = "stripe-events";
/** A committed bank statement import (its id): lines stored in chunks, then matched, as the system. */
export const STATEMENT_IMPORT_QUEUE = "statement-import";
/** The giving digest: new needs matching a donor's preferences, to those who opted in (daily check, weekly or monthly per donor). */
export const GIVING_DIGEST_QUEUE = "giving-digest";
/** The solidarity funds' scheduled run (issue 12): every Monday, as the system, each organisation's funds at the default cap. */
export const FUND_RUN_QUEUE = "fund-run";
/** Donor credit (issue 12): offer credit for money on cancelled or expired needs, and resolve credits whose window ended (hourly). */
export const DONOR_CREDITS_QUEUE = "donor-credits";
/** Monthly giving (issue 12): each standing order's month (its reference, emailed) and the stand-in's card renewals (hourly; idempotent). */
export const MONTHLY_GIFTS_QUEUE = "monthly-gifts";
/** Appeals (issue 12): match the gifts to a matched appeal's needs from its sponsor's money (every five minutes, and after Stripe events). */
export const APPEAL_MATCH_QUEUE = "appeal-matches";
/** pg-boss's own tables live in this schema, beside the app's. */
const PGBOSS_SCHEMA = "pgboss";

interface Jobs {
  boss: PgBoss;
  outboxWorkerId: string;
}

export interface StartJobsOptions {
  /** Default: Resend when RESEND_API_KEY is set, else none (emails are kept for the dev mailbox). */
  transport?: EmailTransport | null;
  /** Passed to every outbox sweep (tests narrow it to their own recipients). */
  dispatch?: DispatchOptions;
  /** How often an idle worker looks for a job (a kick from this process wakes it at once). */
  pollingIntervalSeconds?: number;
}

// On globalThis so the dev server's module reloads do not start a second worker.
const globalForJobs = globalThis as unknown as { __tadamonJobs?: Promise<Jobs> };

/**
 * Registers a worker whose every finished batch, done or failed, tells the anonymous page cache
 * that what donor pages show may have changed (decision 060).
 */
function work<T>(boss: PgBoss, queue: string, options: PgBoss.WorkOptions, handler: PgBoss.WorkHandler<T>): Promise<string> {
  return boss.work<T>(queue, options, async (jobs) => {
    try {
      return await handler(jobs);
    } finally {
      pageDataChanged();
    }
  });
}

/** The transport this configuration asks for: Resend with an API key, none without. */
export function transportFromEnv(): EmailTransport | null {
  const config = env();
  if (!config.RESEND_API_KEY) return null;
  return createResendTransport({
    apiKey: config.RESEND_API_KEY,
    from: config.EMAIL_FROM,
    baseUrl: config.RESEND_BASE_URL,
  });
}

/**
 * Starts pg-boss on the app's database and the outbox worker. pg-boss runs its SQL through
 * `database.executeSql`: the node-postgres pool on PostgreSQL, the one PGlite connection otherwise
 * (see ../shared/STACK.md). The outbox queue is `stately` (at most one sweep waiting and one
 * running), fed by a cron schedule every minute (retries and anything missed) and by `kickOutbox()`.
 */
export async function startJobs(database: Database, options: StartJobsOptions = {}): Promise<void> {
  if (globalForJobs.__tadamonJobs) {
    await globalForJobs.__tadamonJobs;
    return;
  }
  const starting = (async (): Promise<Jobs> => {
    const boss = new PgBoss({
      db: { executeSql: (text, values) => database.executeSql(text, values) },
      schema: PGBOSS_SCHEMA,
      application_name: "tadamon",
    });
    boss.on("error", (error) => console.error("[jobs]", error));
    await boss.start();
    try {
      const transport = options.transport !== undefined ? options.transport : transportFromEnv();
      await boss.createQueue(OUTBOX_QUEUE, {
        name: OUTBOX_QUEUE,
        policy: "stately",
        // A sweep never needs pg-boss's retry: failed rows are retried by the outbox's own backoff.
        retryLimit: 0,
        expireInSeconds: 15 * 60,
      });
      const outboxWorkerId = await work(
        boss,
        OUTBOX_QUEUE,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5 },
        async () => {
          const result = await dispatchPending(database.db, transport, new Date(), options.dispatch);
          logSweep(result);
        },
      );
      await boss.schedule(OUTBOX_QUEUE, "* * * * *", {}, { tz: "UTC" });
      // Pledge expiry: idempotent (a second run changes nothing), so a missed or doubled run is harmless.
      await boss.createQueue(PLEDGE_EXPIRY_QUEUE, { name: PLEDGE_EXPIRY_QUEUE, policy: "stately", retryLimit: 0, expireInSeconds: 15 * 60 });
      await work(boss, PLEDGE_EXPIRY_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async () => {
        const expired = await expirePledges(database.db, new Date());
        if (expired.length > 0 && env().NODE_ENV !== "test") console.info(`[pledges] expired ${expired.length}`);
      });
      await boss.schedule(PLEDGE_EXPIRY_QUEUE, "*/5 * * * *", {}, { tz: "UTC" });
      await boss.send(PLEDGE_EXPIRY_QUEUE, {}); // and once at start-up, for pledges that fell due while down
      // Need expiry: idempotent too (each need under its row lock, state read again); its emails go out with the next sweep.
      await boss.createQueue(NEED_EXPIRY_QUEUE, { name: NEED_EXPIRY_QUEUE, policy: "stately", retryLimit: 0, expireInSeconds: 15 * 60 });
      await work(boss, NEED_EXPIRY_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async () => {
        await runNeedExpiry(database.db);
      });
      await boss.schedule(NEED_EXPIRY_QUEUE, "*/15 * * * *", {}, { tz: "UTC" });
      await boss.send(NEED_EXPIRY_QUEUE, {}); // and once at start-up, for deadlines that passed while down
      await boss.createQueue(HOUSEKEEPING_QUEUE, { name: HOUSEKEEPING_QUEUE, policy: "stately", retryLimit: 2, expireInSeconds: 15 * 60 });
      await work(boss, HOUSEKEEPING_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async () => {
        await pruneLoginAttempts(database.db);
        await pruneRateLimits(database.db);
        await deleteExpiredSessions(database.db);
      });
      await boss.schedule(HOUSEKEEPING_QUEUE, "17 3 * * *", {}, { tz: "UTC" });
      // Stripe events: idempotent per event (Stripe's ids, the payments module's keys); a job with
      // an eventId processes that event, the minute's schedule (no eventId) the due ones.
      await boss.createQueue(STRIPE_EVENTS_QUEUE, { name: STRIPE_EVENTS_QUEUE, retryLimit: 2, expireInSeconds: 15 * 60 });
      await work<{ eventId?: string; origin?: string }>(boss, STRIPE_EVENTS_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5 }, async (jobs) => {
        const origin = env().APP_URL?.replace(/\/$/, "");
        for (const job of jobs) {
          const status = job.data?.eventId ? await processStripeEvent(database.db, job.data.eventId, { origin: job.data.origin ?? origin }) : null;
          // Then whatever it unblocked (a refund that came before its payment: at once), and the due ones.
          await processDueStripeEvents(database.db, { origin: job.data?.origin ?? origin, allDeferred: status === "processed" });
        }
        // A gift to an appeal's need is matched as soon as its payment lands (decision 068).
        await matchAppealGifts(database.db).catch((error) => console.error("[appeals] matching failed", error));
        kickOutbox(); // receipts and donor emails written by the payments
      });
      await boss.schedule(STRIPE_EVENTS_QUEUE, "* * * * *", {}, { tz: "UTC" });
      await boss.send(STRIPE_EVENTS_QUEUE, {}); // and once at start-up
      // Statement imports: one job per import (singleton by id); runImport is safe to run again.
      await boss.createQueue(STATEMENT_IMPORT_QUEUE, { name: STATEMENT_IMPORT_QUEUE, retryLimit: 2, expireInSeconds: 60 * 60 });
      await work<{ importId: string }>(boss, STATEMENT_IMPORT_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async (jobs) => {
        for (const job of jobs) if (job.data?.importId) await runStatementImportJob(database.db, job.data.importId);
        kickOutbox(); // receipts written by the payments the matcher recorded
      });
      // Giving digests: each donor in one transaction that moves their digest clock, so a rerun sends nothing twice.
      await boss.createQueue(GIVING_DIGEST_QUEUE, { name: GIVING_DIGEST_QUEUE, policy: "stately", retryLimit: 1, expireInSeconds: 60 * 60 });
      await work(boss, GIVING_DIGEST_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async () => {
        const counts = await runDigests(database.db);
        if (counts.sent > 0) kickOutbox();
      });
      await boss.schedule(GIVING_DIGEST_QUEUE, "40 6 * * *", {}, { tz: "UTC" });
      // The funds' weekly run: one key per organisation, currency and ISO week, so a rerun moves nothing.
      await boss.createQueue(FUND_RUN_QUEUE, { name: FUND_RUN_QUEUE, policy: "stately", retryLimit: 1, expireInSeconds: 60 * 60 });
      await work(boss, FUND_RUN_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async () => {
        const result = await runScheduledFunds(database.db);
        if (result.runs > 0) kickOutbox();
      });
      await boss.schedule(FUND_RUN_QUEUE, "0 7 * * 1", {}, { tz: "UTC" });
      // Donor credit: new offers, then credits whose window ended (each its own transaction, keyed).
      await boss.createQueue(DONOR_CREDITS_QUEUE, { name: DONOR_CREDITS_QUEUE, policy: "stately", retryLimit: 1, expireInSeconds: 60 * 60 });
      await work(boss, DONOR_CREDITS_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async () => {
        const offered = await offerCredits(database.db, { origin: env().APP_URL ?? "http://localhost:3000" });
        const ended = await expireCredits(database.db);
        if (offered + ended > 0) kickOutbox();
      });
      await boss.schedule(DONOR_CREDITS_QUEUE, "17 * * * *", {}, { tz: "UTC" });
      // Appeal matching (offline payments recorded by finance or the statement import): every five minutes.
      await boss.createQueue(APPEAL_MATCH_QUEUE, { name: APPEAL_MATCH_QUEUE, policy: "stately", retryLimit: 1, expireInSeconds: 30 * 60 });
      await work(boss, APPEAL_MATCH_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async () => {
        if ((await matchAppealGifts(database.db)) > 0) kickOutbox();
      });
      await boss.schedule(APPEAL_MATCH_QUEUE, "*/5 * * * *", {}, { tz: "UTC" });
      // Monthly gifts: every run finds what is due this month and issues it once (keyed per gift and month).
      await boss.createQueue(MONTHLY_GIFTS_QUEUE, { name: MONTHLY_GIFTS_QUEUE, policy: "stately", retryLimit: 1, expireInSeconds: 60 * 60 });
      await work(boss, MONTHLY_GIFTS_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async () => {
        const issued = await runMonthlyGifts(database.db, { origin: env().APP_URL ?? "http://localhost:3000" });
        if (issued > 0) kickOutbox();
      });
      await boss.schedule(MONTHLY_GIFTS_QUEUE, "23 * * * *", {}, { tz: "UTC" });
      // Anything written while the app was down goes out now rather than at the next minute.
      await boss.send(OUTBOX_QUEUE, {});
      return { boss, outboxWorkerId };
    } catch (error) {
      await boss.stop({ graceful: false, wait: true }).catch(() => {});
      throw error;
    }
  })();
  globalForJobs.__tadamonJobs = starting;
  starting.catch(() => {
    if (globalForJobs.__tadamonJobs === starting) globalForJobs.__tadamonJobs = undefined;
  });
  await starting;
}

/** What a `need-expiry` job does: expire the needs past their deadline day now, then ask for an outbox sweep for the donors' emails. */
export async function runNeedExpiry(db: Database["db"], now: Date = new Date()): Promise<string[]> {
  const expired = await expireNeeds(db, now);
  if (expired.length > 0) {
    if (env().NODE_ENV !== "test") console.info(`[needs] expired ${expired.length}`);
    kickOutbox();
  }
  return expired;
}

/**
 * Queues the processing of a stored Stripe event and answers at once: false when no worker runs in
 * this process (JOBS=off, tests) — the webhook then processes it inline. A job that cannot be sent
 * is not lost: the event is stored and the minute's schedule picks it up.
 */
export function queueStripeEvent(eventId: string, origin?: string): boolean {
  const starting = globalForJobs.__tadamonJobs;
  if (!starting) return false;
  void starting
    .then(({ boss }) => boss.send(STRIPE_EVENTS_QUEUE, { eventId, origin }, { singletonKey: eventId }))
    .catch((error) => console.error("[jobs] stripe event queue failed", error));
  return true;
}

/**
 * Queues a committed statement import and answers at once: false when no worker runs in this
 * process (JOBS=off, tests, the CLI) — the caller then runs it inline.
 */
export function queueStatementImport(importId: string): boolean {
  const starting = globalForJobs.__tadamonJobs;
  if (!starting) return false;
  void starting
    .then(({ boss }) => boss.send(STATEMENT_IMPORT_QUEUE, { importId }, { singletonKey: importId }))
    .catch((error) => console.error("[jobs] statement import queue failed", error));
  return true;
}

/** Stops the worker, letting a running sweep finish. Call before closing the database. */
export async function stopJobs(): Promise<void> {
  const starting = globalForJobs.__tadamonJobs;
  globalForJobs.__tadamonJobs = undefined;
  if (!starting) return;
  const jobs = await starting.catch(() => undefined);
  if (!jobs) return;
  await jobs.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
}

/**
 * Asks for an outbox sweep now. Call it after the transaction that wrote an email has committed.
 * It never waits and never throws: the job is queued in the background (so even a call made inside
 * an open transaction cannot deadlock the embedded database; it simply runs after the commit), and
 * without a running worker (JOBS=off, tests) it does nothing — the minute sweep still sends.
 */
/** Sends the outbox now rather than at the next minute (the kicker registered below). */
export { kickOutbox };

function kickRunningOutbox(): void {
  const starting = globalForJobs.__tadamonJobs;
  if (!starting) return;
  void starting
    .then(async ({ boss, outboxWorkerId }) => {
      await boss.send(OUTBOX_QUEUE, {});
      boss.notifyWorker(outboxWorkerId);
    })
    .catch((error) => console.error("[jobs] outbox kick failed", error));
}
setOutboxKicker(kickRunningOutbox);

function logSweep(result: { sent: string[]; kept: string[]; retrying: string[]; failed: string[] }) {
  if (env().NODE_ENV === "test") return;
  const parts = (["sent", "kept", "retrying", "failed"] as const)
    .filter((key) => result[key].length > 0)
    .map((key) => `${key} ${result[key].length}`);
  if (parts.length === 0) return;
  const hint = result.kept.length > 0 ? " (read them at /dev/mailbox)" : "";
  console.info(`[outbox] ${parts.join(", ")}${hint}`);
  if (result.failed.length > 0) console.error(`[outbox] gave up on ${result.failed.join(", ")}`);
}

/**
 * Offers donor credit now (issue 12) rather than at the next hourly sweep: called by the staff
 * need page after a need is cancelled, so its donors hear at once. Never waits, never throws.
 */
export function kickDonorCredits(): void {
  const starting = globalForJobs.__tadamonJobs;
  if (!starting) return;
  void starting.then(({ boss }) => boss.send(DONOR_CREDITS_QUEUE, {})).catch((error) => console.error("[jobs] donor-credit kick failed", error));
}

/**
 * "Send the outbox now": a module that imports nothing, so the modules that write emails
 * (identity, organisations, pledging…) can ask for a sweep without importing the job runner —
 * which imports those modules' own jobs (the jobs.server ↔ accounts.server cycle, issue 11).
 * The job runner registers the kicker when it starts; before that (tests, CLI scripts, JOBS=off)
 * a kick does nothing and the minute's cron sweep sends the mail.
 */
const holder = globalThis as unknown as { __tadamonOutboxKicker?: () => void };

export function setOutboxKicker(kicker: (() => void) | undefined): void {
  holder.__tadamonOutboxKicker = kicker;
}

export function kickOutbox(): void {
  holder.__tadamonOutboxKicker?.();
}

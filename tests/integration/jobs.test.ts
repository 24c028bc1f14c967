import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { emailOutbox } from "#db/schema";
import { getDatabase } from "~/utils/db.server";
import { kickOutbox, startJobs, stopJobs } from "~/utils/jobs.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { unique } from "../fixtures/db";

afterAll(async () => {
  await stopJobs();
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("pg-boss outbox worker", () => {
  it("starts on the current database and turns a pending email into `kept` (no RESEND_API_KEY)", async () => {
    const database = await getDatabase();
    const to = `${unique("job")}@example.test`;
    // Only this test's recipient: the PostgreSQL test database is shared with other workers.
    await startJobs(database, { transport: null, dispatch: { recipients: [to] }, pollingIntervalSeconds: 0.5 });

    const id = await database.db.transaction((tx) =>
      enqueueEmail(tx, to, "en", { template: "password-changed", data: { name: "Sam" } }),
    );
    kickOutbox();

    const status = await waitFor(
      async () => (await database.db.select().from(emailOutbox).where(eq(emailOutbox.id, id)))[0]?.status,
      (s) => s === "kept",
    );
    expect(status).toBe("kept");

    await stopJobs();
    // Stopped: a kick is a no-op and nothing is left running.
    kickOutbox();
  });
});

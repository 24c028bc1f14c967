// The pledge-expiry job: scheduled every 5 minutes on pg-boss, and a run releases due pledges.
import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { pledges } from "#db/schema";
import { getDatabase, getDb } from "~/utils/db.server";
import { HOUSEKEEPING_QUEUE, PLEDGE_EXPIRY_QUEUE, startJobs, stopJobs } from "~/utils/jobs.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { needRow, pledgeInput, pledgeWorld } from "../fixtures/pledging";

afterAll(async () => {
  await stopJobs();
});

describe("pledge expiry job", () => {
  it("is scheduled every 5 minutes and releases an overdue pledge when it runs", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000, expiryDays: 1 });
    const { pledge } = await createPledge(await getDb(), pledgeInput(w.need, { amountMinor: 4_000, now: new Date("2020-01-01T00:00:00Z") }));
    expect((await needRow(w.need.id)).reservedMinor).toBe(4_000);

    const database = await getDatabase();
    await startJobs(database, { transport: null, dispatch: { recipients: ["nobody@example.test"] }, pollingIntervalSeconds: 0.5 });
    const { rows } = await database.executeSql("select name, cron from pgboss.schedule where name = $1", [PLEDGE_EXPIRY_QUEUE]);
    expect(rows).toEqual([{ name: PLEDGE_EXPIRY_QUEUE, cron: "*/5 * * * *" }]);
    // Beside it, the daily housekeeping (old login attempts, dead sessions).
    const housekeeping = await database.executeSql("select cron from pgboss.schedule where name = $1", [HOUSEKEEPING_QUEUE]);
    expect(housekeeping.rows).toEqual([{ cron: "17 3 * * *" }]);

    // startJobs asks for one run at start-up; the schedule does the rest.
    const until = Date.now() + 20_000;
    let status = pledge.status;
    while (Date.now() < until) {
      [{ status }] = await (await getDb()).select({ status: pledges.status }).from(pledges).where(eq(pledges.id, pledge.id));
      if (status === "expired") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe("expired");
    expect((await needRow(w.need.id)).reservedMinor).toBe(0);
  });
});

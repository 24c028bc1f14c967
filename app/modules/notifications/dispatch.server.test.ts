import { describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { emailOutbox } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { unique } from "../../../tests/fixtures/db";
import { enqueueEmail, type EmailMessage } from "./outbox.server";
import {
  backoffDelayMs,
  dispatchPending,
  PermanentEmailError,
  REDACTED_BODY,
  type EmailTransport,
  type OutgoingEmail,
} from "./dispatch.server";

// The PostgreSQL test database is shared by parallel workers: every dispatch below is narrowed to
// this test's own recipients, and every assertion reads only their rows.
const address = () => `${unique("out")}@example.test`;
const verify: EmailMessage = {
  template: "verify-email",
  data: { name: "Sam", verifyUrl: "https://tadamon.test/verify-email?token=abc" },
};
const changed: EmailMessage = { template: "password-changed", data: { name: "Sam" } };

async function enqueue(to: string, message: EmailMessage = verify) {
  const db = await getDb();
  return enqueueEmail(db, to, "en", message);
}

async function rowsOf(recipients: string[]) {
  const db = await getDb();
  return db.select().from(emailOutbox).where(inArray(emailOutbox.toAddress, recipients));
}

/** A little after the rows were written (their next_attempt_at defaults to the database's now()). */
const soon = () => new Date(Date.now() + 1000);

function recordingTransport(delayMs = 0) {
  const calls: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    async send(email) {
      calls.push(email);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return { providerMessageId: `msg-${calls.length}` };
    },
  };
  return { transport, calls };
}

function failingTransport(error: () => Error = () => new Error("provider unavailable")) {
  let calls = 0;
  const transport: EmailTransport = {
    async send() {
      calls += 1;
      throw error();
    },
  };
  return { transport, calls: () => calls };
}

describe("dispatchPending", () => {
  it("without a transport (no RESEND_API_KEY) marks due emails `kept`, once", async () => {
    const db = await getDb();
    const to = address();
    const id = await enqueue(to);
    const first = await dispatchPending(db, null, soon(), { recipients: [to] });
    expect(first.kept).toEqual([id]);
    const [row] = await rowsOf([to]);
    expect(row).toMatchObject({ status: "kept", attempts: 0, sentAt: null });
    const second = await dispatchPending(db, null, soon(), { recipients: [to] });
    expect(second).toEqual({ sent: [], kept: [], retrying: [], failed: [] });
    expect(await rowsOf([to])).toEqual([row]);
  });

  it("sends each email once; a second run changes nothing", async () => {
    const db = await getDb();
    const recipients = [address(), address(), address()];
    const ids = [];
    for (const to of recipients) ids.push(await enqueue(to, to === recipients[2] ? changed : verify));
    const { transport, calls } = recordingTransport();
    const now = soon();

    const first = await dispatchPending(db, transport, now, { recipients });
    expect(first.sent.sort()).toEqual([...ids].sort());
    expect(calls.map((c) => c.to).sort()).toEqual([...recipients].sort());
    expect(calls.every((c) => c.idempotencyKey === `email-outbox/${c.id}`)).toBe(true);
    const after = await rowsOf(recipients);
    expect(after.every((r) => r.status === "sent" && r.attempts === 1 && r.sentAt && r.providerMessageId)).toBe(true);

    const second = await dispatchPending(db, transport, now, { recipients });
    const third = await dispatchPending(db, transport, new Date(now.getTime() + 86_400_000), { recipients });
    expect(second.sent).toEqual([]);
    expect(third.sent).toEqual([]);
    expect(calls).toHaveLength(3);
    expect(await rowsOf(recipients)).toEqual(after);
  });

  it("removes single-use links from the stored body once sent, and keeps other bodies", async () => {
    const db = await getDb();
    const withLink = address();
    const withoutLink = address();
    await enqueue(withLink, verify);
    await enqueue(withoutLink, changed);
    const { transport, calls } = recordingTransport();
    await dispatchPending(db, transport, soon(), { recipients: [withLink, withoutLink] });
    // The provider got the real link…
    expect(calls.find((c) => c.to === withLink)!.html).toContain("token=abc");
    const rows = await rowsOf([withLink, withoutLink]);
    const sentWithLink = rows.find((r) => r.toAddress === withLink)!;
    // …the outbox keeps no live token.
    expect(sentWithLink.html).toBe(REDACTED_BODY);
    expect(sentWithLink.text).toBe(REDACTED_BODY);
    expect(sentWithLink.subject).toBe("Confirm your email address for Tadamon");
    expect(rows.find((r) => r.toAddress === withoutLink)!.html).toContain("Your password was changed");
  });

  it("retries a failing send with a growing delay, then marks it `failed`", async () => {
    const db = await getDb();
    const to = address();
    const id = await enqueue(to);
    const { transport, calls } = failingTransport();
    const policy = { maxAttempts: 4 };
    let now = soon();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await dispatchPending(db, transport, now, { recipients: [to], policy });
      expect(result.retrying).toEqual([id]);
      const [row] = await rowsOf([to]);
      expect(row).toMatchObject({ status: "pending", attempts: attempt, lastError: "Error: provider unavailable" });
      delays.push(row.nextAttemptAt.getTime() - now.getTime());
      // Not due a moment before its time.
      const early = await dispatchPending(db, transport, new Date(row.nextAttemptAt.getTime() - 1), { recipients: [to], policy });
      expect(early.retrying).toEqual([]);
      now = row.nextAttemptAt;
    }
    expect(delays).toEqual([60_000, 120_000, 240_000]);
    expect(delays).toEqual([1, 2, 3].map((n) => backoffDelayMs(n)));

    const last = await dispatchPending(db, transport, now, { recipients: [to], policy });
    expect(last.failed).toEqual([id]);
    const [row] = await rowsOf([to]);
    expect(row).toMatchObject({ status: "failed", attempts: 4, sentAt: null });
    expect(calls()).toBe(4);

    // A failed email is never picked up again.
    await dispatchPending(db, transport, new Date(now.getTime() + 30 * 86_400_000), { recipients: [to], policy });
    expect(calls()).toBe(4);
  });

  it("caps the backoff at one hour", () => {
    expect(backoffDelayMs(1)).toBe(60_000);
    expect(backoffDelayMs(7)).toBe(3_600_000);
    expect(backoffDelayMs(20)).toBe(3_600_000);
  });

  it("fails at once when the provider rejects the email for good", async () => {
    const db = await getDb();
    const to = address();
    const id = await enqueue(to);
    const { transport, calls } = failingTransport(() => new PermanentEmailError("invalid recipient"));
    const result = await dispatchPending(db, transport, soon(), { recipients: [to] });
    expect(result.failed).toEqual([id]);
    const [row] = await rowsOf([to]);
    expect(row).toMatchObject({ status: "failed", attempts: 1, lastError: "PermanentEmailError: invalid recipient" });
    expect(calls()).toBe(1);
  });

  it("sends each email once when several workers run at the same time", async () => {
    const db = await getDb();
    const recipients = Array.from({ length: 6 }, address);
    for (const to of recipients) await enqueue(to, changed);
    const { transport, calls } = recordingTransport(15);
    const now = soon();
    const results = await Promise.all(
      [1, 2, 3].map(() => dispatchPending(db, transport, now, { recipients, batchSize: 2 })),
    );
    const sent = results.flatMap((r) => r.sent);
    expect(sent).toHaveLength(6);
    expect(new Set(sent).size).toBe(6);
    expect(calls).toHaveLength(6);
    expect((await rowsOf(recipients)).every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("ignores the late answer of a claim whose lease ran out and was taken over", async () => {
    const db = await getDb();
    const to = address();
    const id = await enqueue(to, changed);
    let release!: () => void;
    const stuck: EmailTransport = {
      send: () => new Promise((resolve) => (release = () => resolve({ providerMessageId: "late" }))),
    };
    const now = soon();
    const slow = dispatchPending(db, stuck, now, { recipients: [to] });
    // Wait until the slow worker has claimed the row and is waiting on the provider.
    for (let i = 0; i < 100 && !release; i++) await new Promise((r) => setTimeout(r, 10));
    expect(release).toBeTypeOf("function");

    const { transport } = recordingTransport();
    const afterLease = new Date(now.getTime() + 5 * 60_000 + 1);
    expect((await dispatchPending(db, transport, afterLease, { recipients: [to] })).sent).toEqual([id]);
    release();
    await slow;
    const [row] = await rowsOf([to]);
    expect(row).toMatchObject({ status: "sent", attempts: 2, providerMessageId: "msg-1" });
  });

  it("touches only the recipients it is given", async () => {
    const db = await getDb();
    const mine = address();
    const other = address();
    await enqueue(mine);
    await enqueue(other);
    await dispatchPending(db, null, soon(), { recipients: [mine] });
    const rows = await rowsOf([mine, other]);
    expect(rows.find((r) => r.toAddress === mine)!.status).toBe("kept");
    expect(rows.find((r) => r.toAddress === other)!.status).toBe("pending");
    await db.update(emailOutbox).set({ status: "kept" }).where(eq(emailOutbox.toAddress, other));
  });
});

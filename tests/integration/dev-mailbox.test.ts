import { afterEach, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { loader as listLoader } from "~/routes/dev.mailbox._index";
import { loader as emailLoader } from "~/routes/dev.mailbox.$id";
import { unique } from "../fixtures/db";

const saved = { nodeEnv: process.env.NODE_ENV, secret: process.env.SESSION_SECRET };
afterEach(() => {
  process.env.NODE_ENV = saved.nodeEnv;
  if (saved.secret === undefined) delete process.env.SESSION_SECRET;
  else process.env.SESSION_SECRET = saved.secret;
  resetEnvCache();
});

function args(url: string, params: Record<string, string> = {}): LoaderFunctionArgs {
  return { request: new Request(new URL(url, "http://localhost")), params, context: {} };
}

const address = () => `${unique("box")}@example.test`;

describe("dev mailbox", () => {
  it("lists a recipient's emails newest first, with their status", async () => {
    const db = await getDb();
    const to = address();
    const first = await enqueueEmail(db, to, "en", { template: "password-changed", data: { name: "Sam" } });
    await new Promise((r) => setTimeout(r, 5));
    const second = await enqueueEmail(db, to, "ar", {
      template: "verify-email",
      data: { name: "سامي", verifyUrl: "https://tadamon.test/verify-email?token=abc" },
    });
    await enqueueEmail(db, address(), "en", { template: "password-changed", data: { name: "Other" } });

    const data = await listLoader(args(`/dev/mailbox?to=${encodeURIComponent(to.toUpperCase())}`));
    expect(data.total).toBe(2);
    expect(data.emails.map((e) => e.id)).toEqual([second, first]);
    expect(data.emails[0]).toMatchObject({ toAddress: to, status: "pending", subject: "تأكيد بريدك الإلكتروني في تضامن" });
    expect(data.messages.title).toBeTruthy();
  });

  it("pages through 20 emails at a time", async () => {
    const db = await getDb();
    const to = address();
    for (let i = 0; i < 21; i++) {
      await enqueueEmail(db, to, "en", { template: "password-changed", data: { name: `N${i}` } });
    }
    const page1 = await listLoader(args(`/dev/mailbox?to=${to}`));
    const page2 = await listLoader(args(`/dev/mailbox?to=${to}&page=2`));
    expect(page1).toMatchObject({ total: 21, page: 1, pages: 2 });
    expect(page1.emails).toHaveLength(20);
    expect(page2.emails).toHaveLength(1);
    expect(new Set([...page1.emails, ...page2.emails].map((e) => e.id)).size).toBe(21);
  });

  it("shows one email with its text, HTML and links", async () => {
    const db = await getDb();
    const to = address();
    const verifyUrl = `https://tadamon.test/verify-email?token=${unique("tok")}&lng=ar`;
    const id = await enqueueEmail(db, to, "ar", { template: "verify-email", data: { name: "سامي", verifyUrl } });
    const data = await emailLoader(args(`/dev/mailbox/${id}`, { id }));
    expect(data.email).toMatchObject({ id, toAddress: to, status: "pending", locale: "ar" });
    expect(data.links).toEqual([verifyUrl]);
    expect(data.email.text).toContain(verifyUrl);
    expect(data.email.html).toContain('dir="rtl"');
  });

  it("answers 404 for an unknown or malformed id", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    await expect(emailLoader(args(`/dev/mailbox/${missing}`, { id: missing }))).rejects.toMatchObject({ status: 404 });
    await expect(emailLoader(args("/dev/mailbox/nope", { id: "nope" }))).rejects.toMatchObject({ status: 404 });
  });

  it("does not exist in production", async () => {
    const db = await getDb();
    const id = await enqueueEmail(db, address(), "en", { template: "password-changed", data: { name: "Sam" } });
    process.env.NODE_ENV = "production";
    process.env.SESSION_SECRET = "s".repeat(40);
    process.env.IDENTITY_HASH_SECRET = "h".repeat(40);
    resetEnvCache();
    await expect(listLoader(args("/dev/mailbox"))).rejects.toMatchObject({ status: 404 });
    await expect(emailLoader(args(`/dev/mailbox/${id}`, { id }))).rejects.toMatchObject({ status: 404 });
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { inArray } from "drizzle-orm";
import { emailOutbox } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { env, resetEnvCache } from "~/utils/env.server";
import { transportFromEnv } from "~/utils/jobs.server";
import { unique } from "../../../tests/fixtures/db";
import { resendHandlers, type CapturedResendRequest } from "../../../tests/mocks/resend";
import { enqueueEmail } from "./outbox.server";
import { dispatchPending, REDACTED_BODY } from "./dispatch.server";
import { createResendTransport } from "./resend-transport.server";

const BASE_URL = "http://resend.stand-in.test";
const server = setupServer();
const captured: CapturedResendRequest[] = [];
const saved = { key: process.env.RESEND_API_KEY, base: process.env.RESEND_BASE_URL };

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  captured.length = 0;
  process.env.RESEND_API_KEY = saved.key;
  process.env.RESEND_BASE_URL = saved.base;
  if (saved.key === undefined) delete process.env.RESEND_API_KEY;
  if (saved.base === undefined) delete process.env.RESEND_BASE_URL;
  resetEnvCache();
});
afterAll(() => server.close());

const address = () => `${unique("rs")}@example.test`;
const soon = () => new Date(Date.now() + 1000);

async function rowsOf(recipients: string[]) {
  const db = await getDb();
  return db.select().from(emailOutbox).where(inArray(emailOutbox.toAddress, recipients));
}

describe("sending through Resend", () => {
  it("with RESEND_API_KEY and RESEND_BASE_URL set, the job posts the email to Resend once", async () => {
    server.use(...resendHandlers(BASE_URL, captured));
    process.env.RESEND_API_KEY = "re_test_key";
    process.env.RESEND_BASE_URL = BASE_URL;
    resetEnvCache();
    const transport = transportFromEnv();
    expect(transport).not.toBeNull();

    const db = await getDb();
    const to = address();
    const verifyUrl = `https://tadamon.test/verify-email?token=${unique("tok")}`;
    const id = await enqueueEmail(db, to, "ar", { template: "verify-email", data: { name: "سامي", verifyUrl } });

    const result = await dispatchPending(db, transport, soon(), { recipients: [to] });
    expect(result.sent).toEqual([id]);
    expect(captured).toHaveLength(1);
    const [{ body, headers }] = captured;
    expect(body.to).toEqual([to]);
    expect(body.from).toBe(env().EMAIL_FROM);
    expect(body.subject).toBe("تأكيد بريدك الإلكتروني في تضامن");
    expect(body.html).toContain(verifyUrl);
    expect(body.html).toContain('dir="rtl"');
    expect(body.text).toContain(verifyUrl);
    expect(headers.authorization).toBe("Bearer re_test_key");
    expect(headers["idempotency-key"]).toBe(`email-outbox/${id}`);

    const [row] = await rowsOf([to]);
    expect(row).toMatchObject({ status: "sent", providerMessageId: "re_1", attempts: 1, lastError: null });
    expect(row.html).toBe(REDACTED_BODY);

    await dispatchPending(db, transport, soon(), { recipients: [to] });
    expect(captured).toHaveLength(1);
  });

  it("keeps the email for a retry when Resend answers 500, and fails it on a 422", async () => {
    const flaky = address();
    const invalid = address();
    server.use(
      ...resendHandlers(BASE_URL, captured, (request) =>
        request.body.to[0] === invalid
          ? HttpResponse.json({ statusCode: 422, name: "validation_error", message: "Invalid `to` field." }, { status: 422 })
          : HttpResponse.json({ statusCode: 500, name: "internal_server_error", message: "Try again" }, { status: 500 }),
      ),
    );
    const transport = createResendTransport({ apiKey: "re_test_key", from: "Tadamon <no-reply@tadamon.test>", baseUrl: BASE_URL });
    const db = await getDb();
    for (const to of [flaky, invalid]) await enqueueEmail(db, to, "en", { template: "password-changed", data: { name: "Sam" } });

    const result = await dispatchPending(db, transport, soon(), { recipients: [flaky, invalid] });
    expect(result.retrying).toHaveLength(1);
    expect(result.failed).toHaveLength(1);
    const rows = await rowsOf([flaky, invalid]);
    const flakyRow = rows.find((r) => r.toAddress === flaky)!;
    expect(flakyRow).toMatchObject({ status: "pending", attempts: 1 });
    expect(flakyRow.lastError).toContain("500");
    const invalidRow = rows.find((r) => r.toAddress === invalid)!;
    expect(invalidRow).toMatchObject({ status: "failed", attempts: 1 });
    expect(invalidRow.lastError).toContain("validation_error");
  });

  it("without RESEND_API_KEY there is no transport: emails are kept", () => {
    delete process.env.RESEND_API_KEY;
    resetEnvCache();
    expect(transportFromEnv()).toBeNull();
  });
});

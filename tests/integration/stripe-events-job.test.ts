// With the job worker running, POST /webhooks/stripe stores the event and answers at once; the
// `stripe-events` pg-boss job processes it (as the system): the card pledge ends paid.
import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { pledges, stripeEvents } from "#db/schema";
import { getDatabase, getDb } from "~/utils/db.server";
import { startJobs, stopJobs } from "~/utils/jobs.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { webhookSecret } from "~/modules/payments/stripe-client.server";
import * as webhook from "~/routes/webhooks.stripe";
import { pledgeInput, pledgeWorld } from "../fixtures/pledging";

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

describe("stripe-events job", () => {
  it("the webhook answers 200 having stored the event; the worker processes it", async () => {
    const w = await pledgeWorld();
    const p = (await createPledge(await getDb(), pledgeInput(w.need, { method: "card", amountMinor: 2_000, cardPayments: true }))).pledge;
    await startJobs(await getDatabase(), { transport: null, dispatch: { recipients: ["nobody@example.test"] }, pollingIntervalSeconds: 0.5 });

    const pi = `pi_${randomUUID().replace(/-/g, "")}`;
    const event = {
      id: `evt_job_${randomUUID().slice(0, 8)}`,
      object: "event",
      type: "checkout.session.completed",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: `cs_test_${randomUUID().slice(0, 8)}`,
          object: "checkout.session",
          payment_status: "paid",
          payment_intent: pi,
          amount_total: 2_000,
          currency: "usd",
          client_reference_id: p.reference,
          metadata: { pledgeId: p.id, pledgeReference: p.reference, orgId: p.orgId, giftMinor: "2000", coverFeeMinor: "0" },
        },
      },
    };
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret()! });
    const request = new Request("http://localhost/webhooks/stripe", { method: "POST", headers: { "stripe-signature": signature, "content-type": "application/json" }, body: payload });
    const response = (await webhook.action({ request, params: {}, context: {} })) as Response;
    expect(response.status).toBe(200);
    const [stored] = await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
    expect(stored).toBeDefined();

    const status = await waitFor(
      async () => (await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, event.id)))[0]?.status,
      (s) => s === "processed",
    );
    expect(status).toBe("processed");
    const [pledge] = await (await getDb()).select().from(pledges).where(eq(pledges.id, p.id));
    expect(pledge.status).toBe("paid");
    await stopJobs();
  });
});

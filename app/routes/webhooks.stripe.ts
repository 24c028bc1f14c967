import type { ActionFunctionArgs } from "@remix-run/node";
import { storeStripeEvent, processStripeEvent, verifyStripeEvent, WebhookSignatureError } from "~/modules/payments/stripe-events.server";
import { getDb } from "~/utils/db.server";
import { enqueueStripeEvent, kickOutbox } from "~/utils/jobs.server";

/**
 * POST /webhooks/stripe — Stripe's events (and the stand-in checkout's, signed the same way).
 * The signature is checked on the raw body (STRIPE_WEBHOOK_SECRET; outside production without it
 * the stand-in's fixed dev secret): bad or missing → 400 and nothing stored. The event is stored
 * by its id (a repeated delivery stores nothing) and answered 200 at once; the `stripe-events`
 * pg-boss job processes it — inline when jobs are off (JOBS=off, tests). Exempt from the Origin
 * check and the form-body screen (server.js, request-screen.server.ts: every /webhooks/ path).
 */

const HEADERS = { "Cache-Control": "no-store", "Content-Type": "application/json" };
const answer = (status: number, body: Record<string, unknown>) => new Response(JSON.stringify(body), { status, headers: HEADERS });

/** Stripe's payloads are small; anything far larger is not an event. */
const MAX_BODY_BYTES = 512 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return answer(405, { error: "method not allowed" });
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > MAX_BODY_BYTES) return answer(413, { error: "too large" });
  const raw = await request.text();
  if (raw.length > MAX_BODY_BYTES) return answer(413, { error: "too large" });
  let event;
  try {
    event = verifyStripeEvent(raw, request.headers.get("Stripe-Signature"));
  } catch (error) {
    if (error instanceof WebhookSignatureError) return answer(400, { error: "signature" });
    throw error;
  }
  const db = await getDb();
  const created = await storeStripeEvent(db, event);
  let queued = false;
  try {
    queued = await enqueueStripeEvent(event.id);
  } catch (error) {
    // Stored: the minute's schedule picks it up.
    console.error("[stripe] could not queue", event.id, error instanceof Error ? error.message : error);
    queued = true;
  }
  if (!queued) {
    // No worker in this process (JOBS=off): process now, after storing (idempotent for repeats).
    await processStripeEvent(db, event.id);
    kickOutbox();
  }
  return answer(200, { received: true, duplicate: !created });
}

export function loader() {
  return answer(405, { error: "POST only" });
}

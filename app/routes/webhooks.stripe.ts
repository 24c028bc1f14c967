import type { ActionFunctionArgs } from "@remix-run/node";
import { handleStripeWebhook } from "~/modules/payments/stripe-events.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { kickOutbox, queueStripeEvent } from "~/utils/jobs.server";
import { appOrigin } from "~/utils/request.server";

/**
 * POST /webhooks/stripe — Stripe's events (and the stand-in checkout's, signed the same way).
 * The signature is checked on the raw body (STRIPE_WEBHOOK_SECRET; outside production without it
 * the stand-in's fixed dev secret): bad or missing → 400 and nothing stored. The event is stored
 * by its id (a repeated delivery stores nothing) and answered 200 at once; the `stripe-events`
 * pg-boss job processes it — inline when no worker runs here (JOBS=off, tests). Exempt from the
 * Origin check and the form-body screen (server.js, request-screen.server.ts: every /webhooks/
 * path); never cached.
 */

/** Stripe's payloads are small; anything far larger is not an event. */
const MAX_BODY_BYTES = 512 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  const headers = { "Cache-Control": "no-store" };
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES) return Response.json({ error: "too large" }, { status: 413, headers });
  const response = await handleStripeWebhook(await getDb(), request, {
    origin: appOrigin(request, env().APP_URL),
    enqueue: (eventId, origin) => queueStripeEvent(eventId, origin),
  });
  kickOutbox(); // receipts and donor emails the payment wrote (a no-op without a worker)
  response.headers.set("Cache-Control", "no-store");
  return response;
}

export function loader() {
  return Response.json({ error: "POST only" }, { status: 405, headers: { Allow: "POST", "Cache-Control": "no-store" } });
}

import type { Db } from "#db/client.server";
import { handleStripeWebhook } from "~/modules/payments/stripe-events.server";
import { billStandInSubscriptions } from "./monthly-stripe.server";
import { issueStandingOrderMonths, remindStandingOrders, startConfirmedStandingOrders } from "./monthly.server";

/**
 * The monthly-gifts job (hourly, idempotent): standing orders whose first month was confirmed
 * start; each standing order's month is issued once (its reference emailed) and, unpaid a few days
 * before it expires, reminded once; the stand-in bills
 * its card subscriptions for the month through the webhook, like Stripe would. Answers how many
 * months it issued or billed.
 */
export async function runMonthlyGifts(db: Db, options: { origin: string; now?: Date }): Promise<number> {
  const now = options.now ?? new Date();
  await startConfirmedStandingOrders(db, now);
  const issued = await issueStandingOrderMonths(db, { origin: options.origin, now });
  const reminded = await remindStandingOrders(db, { origin: options.origin, now });
  const billed = await billStandInSubscriptions(db, {
    origin: options.origin,
    now,
    deliver: (request) => handleStripeWebhook(db, request, { origin: options.origin, enqueue: () => false }),
  });
  return issued + reminded + billed;
}

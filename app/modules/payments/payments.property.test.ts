import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { getDb } from "~/utils/db.server";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { transitionNeed } from "~/modules/needs/needs.server";
import { todayIn } from "~/modules/needs/money";
import { cancelPledge, createPledge, type Pledge } from "~/modules/pledging/pledges.server";
import { PledgeError } from "~/modules/pledging/errors";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { actorFor } from "../../../tests/fixtures/needs";
import { idemKey, pledgeInput, pledgeWorld, publishedNeed } from "../../../tests/fixtures/pledging";
import { PaymentError } from "./errors";
import { attachPayment, reallocatePayment, recordPayment, releasePledge, requestRefund, type Payment } from "./payments.server";

/**
 * Any sequence of pledges, payments (part, whole, over, with fees, unexplained), refunds,
 * reallocations, attachments, cancellations and expiries — each either done or refused — keeps
 * every entry summing to zero, the trial balance at zero per organisation and currency, no need
 * fund negative, and the need counters equal to the ledger (checkLedger).
 */

const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("pledge" as const), need: fc.nat(1), amount: fc.integer({ min: 100, max: 6_000 }), card: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant("pay" as const), pledge: fc.nat(20), kind: fc.constantFrom("part", "whole", "over"), fee: fc.nat(60) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("suspense" as const), amount: fc.integer({ min: 1, max: 3_000 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("refund" as const), payment: fc.nat(20), share: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("move" as const), payment: fc.nat(20), to: fc.constantFrom(0, 1, -1), share: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("attach" as const), payment: fc.nat(20), pledge: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("cancel" as const), pledge: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("expire" as const), pledge: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("cancelNeed" as const), need: fc.nat(1) }) },
);

/** Refusals are fine (nothing changes); anything else fails the property. */
async function attempt(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof PaymentError || error instanceof PledgeError) return;
    throw error;
  }
}

describe("money invariants (fast-check)", () => {
  it("any sequence keeps the ledger balanced and the need counters equal to the funds", async () => {
    const db = await getDb();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 3, maxLength: 12 }), async (ops) => {
        const w = await pledgeWorld({ targetMinor: 10_000 });
        const second = await publishedNeed(w, { targetMinor: 5_000 });
        const needList = [w.need, second];
        const finance = actorFor(w.finance.id);
        const today = todayIn(w.org.timeZone);
        const made: Pledge[] = [];
        const paid: Payment[] = [];
        const pick = <T>(list: T[], i: number) => (list.length ? list[i % list.length] : null);
        for (const o of ops) {
          switch (o.t) {
            case "pledge":
              await attempt(async () => {
                const r = await createPledge(db, pledgeInput(needList[o.need], { amountMinor: o.amount, method: o.card ? "card" : "bank_transfer", cardPayments: true }));
                made.push(r.pledge);
              });
              break;
            case "pay": {
              const p = pick(made, o.pledge);
              if (!p) break;
              const base = p.amountMinor;
              const amount = o.kind === "part" ? Math.max(1, Math.floor(base / 3)) : o.kind === "whole" ? base : base + 250;
              const card = p.method === "card";
              await attempt(async () => {
                const r = await recordPayment(db, card ? SYSTEM_ACTOR : finance, {
                  orgId: w.org.id,
                  pledgeId: p.id,
                  method: card ? "card" : "bank_transfer",
                  amountMinor: amount,
                  feeMinor: Math.min(o.fee, amount - 1),
                  currency: "USD",
                  valueDate: today,
                  externalId: card ? `pi_${idemKey()}` : null,
                  idempotencyKey: idemKey(),
                });
                if (r.outcome !== "already_recorded") paid.push(r.payment);
              });
              break;
            }
            case "suspense":
              await attempt(async () => {
                const r = await recordPayment(db, finance, { orgId: w.org.id, method: "bank_transfer", amountMinor: o.amount, currency: "USD", valueDate: today, idempotencyKey: idemKey() });
                paid.push(r.payment);
              });
              break;
            case "refund": {
              const pay = pick(paid, o.payment);
              if (!pay) break;
              const amount = Math.max(1, Math.floor((pay.amountMinor * o.share) / 100));
              await attempt(() =>
                requestRefund(db, finance, {
                  paymentId: pay.id,
                  amountMinor: amount,
                  idempotencyKey: idemKey(),
                  offlineReference: "back",
                  stripeRefund: async () => ({ id: `re_${idemKey()}`, status: "succeeded" }),
                }),
              );
              break;
            }
            case "move": {
              const pay = pick(paid, o.payment);
              if (!pay) break;
              const amount = Math.max(1, Math.floor((pay.amountMinor * o.share) / 100));
              await attempt(() =>
                reallocatePayment(db, finance, { paymentId: pay.id, to: o.to < 0 ? "unrestricted" : { needId: needList[o.to].id }, idempotencyKey: idemKey(), amountMinor: o.share === 100 ? undefined : amount }),
              );
              break;
            }
            case "attach": {
              const pay = pick(paid, o.payment);
              const p = pick(made, o.pledge);
              if (!pay || !p) break;
              await attempt(() => attachPayment(db, finance, { paymentId: pay.id, pledgeReference: p.reference, idempotencyKey: idemKey() }));
              break;
            }
            case "cancel": {
              const p = pick(made, o.pledge);
              if (p) await attempt(() => cancelPledge(db, { reference: p.reference, email: p.email, actor: SYSTEM_ACTOR }));
              break;
            }
            case "expire": {
              const p = pick(made, o.pledge);
              if (p) await attempt(() => releasePledge(db, SYSTEM_ACTOR, p.id, { reason: "expired" }));
              break;
            }
            case "cancelNeed":
              await attempt(async () => {
                try {
                  await transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: needList[o.need].id, action: "cancel", reason: "property test" });
                } catch (error) {
                  if (error instanceof Error && /NeedError|transition|invalid/i.test(`${error.name} ${error.message}`)) return;
                  throw error;
                }
              });
              break;
          }
        }
        const check = await checkLedger(db, w.org.id);
        expect(check.problems).toEqual([]);
        expect(check.balance.totals.every((t) => t.balanceMinor === 0)).toBe(true);
        expect(check.rows.every((r) => r.fundMinor >= 0)).toBe(true);
      }),
      { numRuns: 100 },
    );
  }, 240_000);
});

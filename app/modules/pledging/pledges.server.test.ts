import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, emailOutbox, needs, needTransitions, pledges, users } from "#db/schema";
import { getDatabase, getDb } from "~/utils/db.server";
import { transitionNeed } from "~/modules/needs/needs.server";
import { createUser } from "../../../tests/fixtures/db";
import { actorFor, sewingMachine } from "../../../tests/fixtures/needs";
import { idemKey, needRow, pledgeInput, pledgeWorld } from "../../../tests/fixtures/pledging";
import { PledgeError } from "./errors";
import { minimumFor, suggestedAmounts, effectiveMinimum } from "./amounts";
import {
  attachGuestPledges,
  cancelPledge,
  confirmPledge,
  createPledge,
  decideOffer,
  expirePledges,
  markPledgePaid,
  offerDelivery,
  settleNeedState,
} from "./pledges.server";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";

async function refusal(promise: Promise<unknown>): Promise<PledgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PledgeError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function pledgesOf(needId: string) {
  return (await getDb()).select().from(pledges).where(eq(pledges.needId, needId));
}

/** What must not move when an input is refused. */
async function snapshot(needId: string) {
  const need = await needRow(needId);
  return { reserved: need.reservedMinor, paid: need.paidMinor, donors: need.donorCount, state: need.state, pledges: (await pledgesOf(needId)).length };
}

describe("amount rules (pure)", () => {
  it("has a minimum per currency in minor units, and the last bit of a need may always be given", () => {
    expect(minimumFor("USD")).toBe(100);
    expect(minimumFor("EGP")).toBe(2_000);
    expect(minimumFor("SYP")).toBe(5_000); // SYP has no minor digits in ISO/CLDR
    expect(effectiveMinimum("USD", 40)).toBe(40);
    expect(effectiveMinimum("USD", 10_000)).toBe(100);
  });

  it("suggests the remainder and round parts of it, each at least the minimum", () => {
    expect(suggestedAmounts(45_000, "USD")).toEqual([45_000, 20_000, 10_000, 2_000]);
    expect(suggestedAmounts(150, "USD")).toEqual([150]);
    expect(suggestedAmounts(0, "USD")).toEqual([]);
  });
});

describe("creating a pledge", () => {
  it("a guest's offline pledge is pending, reserves its amount, is held 24 hours until confirmed and emails the reference", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000, expiryDays: 5 });
    const now = new Date("2026-11-23T10:00:00Z");
    const { pledge, created } = await createPledge(await getDb(), pledgeInput(w.need, { amountMinor: 2_500, now }));
    expect(created).toBe(true);
    expect(pledge).toMatchObject({ status: "pending", amountMinor: 2_500, currency: "USD", method: "bank_transfer", orgId: w.org.id });
    expect(pledge.reference).toMatch(/^TDM-[0-9A-Z]{4}-[0-9A-Z]{3}$/);
    // A guest: 24 hours until confirmed (then the organisation's 5 days from creation; decision 053).
    expect(pledge.expiresAt?.toISOString()).toBe("2026-11-24T10:00:00.000Z");
    expect(pledge.confirmedAt).toBeNull();
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 2_500, paid: 0, donors: 0 }); // a donor is counted once money arrives

    const [mail] = await (await getDb()).select().from(emailOutbox).where(eq(emailOutbox.toAddress, pledge.email));
    expect(mail.template).toBe("pledge-instructions");
    expect(mail.text).toContain(pledge.reference);
    expect(mail.text).toContain("$25.00");
    expect(mail.text).toContain("LB62 0999 0000 0001 0019 0122 9114");
    expect(mail.text).toContain(`http://tadamon.test/pledges/${pledge.reference}`);
    expect(mail.text).toContain(`http://tadamon.test/pledges/${pledge.reference}/confirm?token=`);
    expect(JSON.stringify(mail.meta)).not.toContain("token");
    // Nothing of the household: names, phone, ID number, address, private payee.
    for (const secret of ["فاطمة أحمد الحسن", "Yousef Al-Hassan", "+961 3 123 456", "000123456789", "شارع الحمرا", "Al-Amal Private School", "LB00 0000"]) {
      expect(mail.html).not.toContain(secret);
      expect(mail.text).not.toContain(secret);
      expect(JSON.stringify(mail.meta)).not.toContain(secret);
    }
  });

  it("a card pledge is awaiting_payment, reserved too, held a day, with no instructions email", async () => {
    const w = await pledgeWorld();
    const now = new Date("2026-11-23T10:00:00Z");
    const { pledge } = await createPledge(await getDb(), pledgeInput(w.need, { method: "card", amountMinor: 3_000, now, cardPayments: true }));
    expect(pledge.status).toBe("awaiting_payment");
    expect(pledge.expiresAt?.toISOString()).toBe("2026-11-24T10:00:00.000Z");
    expect((await snapshot(w.need.id)).reserved).toBe(3_000);
    expect(await (await getDb()).select().from(emailOutbox).where(eq(emailOutbox.toAddress, pledge.email))).toHaveLength(0);
  });

  it("the same idempotency key gives one pledge (a double submit)", async () => {
    const w = await pledgeWorld();
    const input = pledgeInput(w.need, { amountMinor: 2_000 });
    const first = await createPledge(await getDb(), input);
    const second = await createPledge(await getDb(), { ...input });
    expect(second.created).toBe(false);
    expect(second.pledge.id).toBe(first.pledge.id);
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 2_000, donors: 0, pledges: 1 });
    // The same key for another need or another email is refused, not merged.
    const other = await pledgeWorld();
    expect((await refusal(createPledge(await getDb(), { ...input, needPublicId: other.need.publicId }))).code).toBe("idempotency_conflict");
    expect((await refusal(createPledge(await getDb(), { ...input, email: "someone-else@example.test" }))).code).toBe("idempotency_conflict");
  });

  it("lower-cases the email", async () => {
    const w = await pledgeWorld();
    const { pledge } = await createPledge(await getDb(), pledgeInput(w.need, { email: "  Samira.K@Example.TEST " }));
    expect(pledge.email).toBe("samira.k@example.test");
  });
});

describe("bad input: a typed error and nothing else changed", () => {
  it("above the remaining capacity → need carries the remaining amount", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    await createPledge(await getDb(), pledgeInput(w.need, { amountMinor: 7_000 }));
    const before = await snapshot(w.need.id);
    const error = await refusal(createPledge(await getDb(), pledgeInput(w.need, { amountMinor: 3_001 })));
    expect(error.code).toBe("above_remaining");
    expect(error.status).toBe(409);
    expect(error.details.remainingMinor).toBe(3_000);
    expect(await snapshot(w.need.id)).toEqual(before);
  });

  it("below the minimum, zero, negative or not an integer", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const before = await snapshot(w.need.id);
    for (const amountMinor of [99, 0, -500, 10.5, Number.NaN]) {
      const error = await refusal(createPledge(await getDb(), pledgeInput(w.need, { amountMinor })));
      expect(error.code).toBe("below_minimum");
      expect(error.status).toBe(400);
      expect(error.details.minimumMinor).toBe(100);
    }
    expect(await snapshot(w.need.id)).toEqual(before);
  });

  it("in another currency", async () => {
    const w = await pledgeWorld();
    const before = await snapshot(w.need.id);
    const error = await refusal(createPledge(await getDb(), pledgeInput(w.need, { currency: "EUR" })));
    expect(error).toMatchObject({ code: "currency_mismatch" });
    expect(error.status).toBe(400);
    expect(await snapshot(w.need.id)).toEqual(before);
  });

  it("a card in a currency the processor does not take", async () => {
    const w = await pledgeWorld({ currency: "SYP", targetMinor: 1_000_000 });
    const error = await refusal(createPledge(await getDb(), pledgeInput(w.need, { method: "card", amountMinor: 10_000, cardPayments: true })));
    expect(error.code).toBe("card_unavailable");
    expect((await snapshot(w.need.id)).pledges).toBe(0);
  });

  it("a forged or unknown need id", async () => {
    const w = await pledgeWorld();
    for (const needPublicId of ["ZZZZZZZZZZZZ", "'; drop table needs; --", w.need.id, ""]) {
      const error = await refusal(createPledge(await getDb(), pledgeInput(w.need, { needPublicId })));
      expect(error.code).toBe("need_not_found");
      expect(error.status).toBe(404);
    }
    expect((await snapshot(w.need.id)).pledges).toBe(0);
  });

  it("an unpublished, cancelled or funded need", async () => {
    const db = await getDb();
    const w = await pledgeWorld();
    // cancelled
    await transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: w.need.id, action: "cancel", reason: "moved away" });
    const cancelled = await refusal(createPledge(db, pledgeInput(w.need)));
    expect(cancelled).toMatchObject({ code: "need_not_open", details: { state: "cancelled" } });
    expect(cancelled.status).toBe(409);
    // unpublished (draft)
    await db.update(needs).set({ state: "draft" }).where(eq(needs.id, w.need.id));
    expect((await refusal(createPledge(db, pledgeInput(w.need)))).details.state).toBe("draft");
    // funded
    await db.update(needs).set({ state: "funded" }).where(eq(needs.id, w.need.id));
    expect((await refusal(createPledge(db, pledgeInput(w.need)))).details.state).toBe("funded");
    expect((await snapshot(w.need.id)).pledges).toBe(0);
  });

  it("a need filled meanwhile (all reserved) → need_full with 0 remaining", async () => {
    const w = await pledgeWorld({ targetMinor: 5_000 });
    await createPledge(await getDb(), pledgeInput(w.need, { amountMinor: 5_000 }));
    const error = await refusal(createPledge(await getDb(), pledgeInput(w.need, { amountMinor: 100 })));
    expect(error).toMatchObject({ code: "need_full", details: { remainingMinor: 0 } });
  });
});

describe("capacity", () => {
  it("sequential: 100 pledges of one unit for a need with room for 10 → exactly 10 reserved", async () => {
    const w = await pledgeWorld({ targetMinor: 10 * 1_000 });
    const db = await getDb();
    let ok = 0;
    for (let i = 0; i < 100; i += 1) {
      try {
        await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
        ok += 1;
      } catch (error) {
        expect(error).toBeInstanceOf(PledgeError);
      }
    }
    expect(ok).toBe(10);
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 10_000, donors: 0, pledges: 10 });
  });

  it.runIf(Boolean(process.env.DATABASE_URL))("concurrent on PostgreSQL: 100 racing pledges, room for 10 → exactly the target reserved", async () => {
    const w = await pledgeWorld({ targetMinor: 10 * 1_000 });
    const db = await getDb();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }))),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(10);
    for (const r of lost) expect((r.reason as PledgeError).code).toMatch(/need_full|above_remaining/);
    const need = await needRow(w.need.id);
    expect(need.reservedMinor).toBe(10_000);
    const [{ total }] = await db
      .select({ total: sql<number>`coalesce(sum(${pledges.amountMinor}), 0)::int` })
      .from(pledges)
      .where(and(eq(pledges.needId, w.need.id), eq(pledges.status, "pending")));
    expect(Number(total)).toBe(10_000);
    expect((await getDatabase()).kind).toBe("postgres");
  });
});

describe("cancel and expiry", () => {
  it("a donor cancels by email (guest) and the reservation is released; a stranger cannot", async () => {
    const w = await pledgeWorld();
    const { pledge } = await createPledge(await getDb(), pledgeInput(w.need, { amountMinor: 4_000 }));
    const actor = actorFor(w.author.id);
    expect((await refusal(cancelPledge(await getDb(), { reference: pledge.reference, email: "nope@example.test", actor }))).code).toBe("pledge_not_found");
    expect((await snapshot(w.need.id)).reserved).toBe(4_000);
    const cancelled = await cancelPledge(await getDb(), { reference: pledge.reference.toLowerCase(), email: pledge.email.toUpperCase(), actor });
    expect(cancelled).toMatchObject({ status: "cancelled" });
    expect(cancelled.cancelledAt).not.toBeNull();
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 0, donors: 0 });
    expect((await refusal(cancelPledge(await getDb(), { reference: pledge.reference, email: pledge.email, actor }))).code).toBe("not_cancellable");
  });

  it("a signed-in donor cancels their own pledge", async () => {
    const w = await pledgeWorld();
    const donor = await createUser();
    const { pledge } = await createPledge(await getDb(), pledgeInput(w.need, { donorUserId: donor.id, email: donor.email }));
    await cancelPledge(await getDb(), { reference: pledge.reference, userId: donor.id, actor: actorFor(donor.id) });
    expect((await snapshot(w.need.id)).reserved).toBe(0);
  });

  it("expiry releases capacity, and a second run changes nothing", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000, expiryDays: 7 });
    const db = await getDb();
    const t0 = new Date("2030-01-01T00:00:00Z");
    const a = await createPledge(db, pledgeInput(w.need, { amountMinor: 3_000, now: t0 }));
    const b = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_000, now: new Date("2030-01-05T00:00:00Z") }));
    // Both guests confirm within their 24 hours, so each holds for the organisation's 7 days.
    await confirmPledge(db, { reference: a.pledge.reference, token: a.confirmToken!, now: new Date("2030-01-01T01:00:00Z") });
    await confirmPledge(db, { reference: b.pledge.reference, token: b.confirmToken!, now: new Date("2030-01-05T01:00:00Z") });
    expect((await snapshot(w.need.id)).reserved).toBe(5_000);

    const later = new Date("2030-01-08T00:00:01Z");
    const first = await expirePledges(db, later);
    expect(first).toContain(a.pledge.reference);
    expect(first).not.toContain(b.pledge.reference);
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 2_000, donors: 0 });
    const [row] = await db.select().from(pledges).where(eq(pledges.id, a.pledge.id));
    expect(row).toMatchObject({ status: "expired" });

    const before = await snapshot(w.need.id);
    expect((await expirePledges(db, later)).filter((r) => r === a.pledge.reference || r === b.pledge.reference)).toEqual([]);
    expect(await snapshot(w.need.id)).toEqual(before);
  });
});

describe("paid", () => {
  it("paid moves reserved to paid; reaching the target makes the need funded with a transition", async () => {
    const w = await pledgeWorld({ targetMinor: 5_000 });
    const db = await getDb();
    const a = await createPledge(db, pledgeInput(w.need, { amountMinor: 3_000 }));
    const b = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_000, method: "card", cardPayments: true }));
    const r1 = await markPledgePaid(db, actorFor(w.finance.id), a.pledge.id);
    expect(r1).toMatchObject({ outcome: "paid", funded: false });
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 2_000, paid: 3_000, state: "published" });
    const r2 = await markPledgePaid(db, actorFor(w.finance.id), b.pledge.id);
    expect(r2).toMatchObject({ outcome: "paid", funded: true });
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 0, paid: 5_000, state: "funded" });
    const transitions = await db.select().from(needTransitions).where(eq(needTransitions.needId, w.need.id));
    expect(transitions.map((t) => `${t.fromState}→${t.toState}`)).toContain("published→funded");
    // A retry changes nothing.
    expect((await markPledgePaid(db, actorFor(w.finance.id), a.pledge.id)).outcome).toBe("already_paid");
    expect((await snapshot(w.need.id)).paid).toBe(5_000);
    const audit = await db.select().from(auditLog).where(eq(auditLog.orgId, w.org.id));
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(["pledge.paid", "need.fund"]));
  });

  it("the system funds and unfunds a need too: the transition and the audit row name no person", async () => {
    const w = await pledgeWorld({ targetMinor: 5_000 });
    const db = await getDb();
    await db.update(needs).set({ paidMinor: 5_000 }).where(eq(needs.id, w.need.id));
    expect(await db.transaction((tx) => settleNeedState(tx, SYSTEM_ACTOR, w.need.id, new Date()))).toBe("funded");
    expect((await needRow(w.need.id)).state).toBe("funded");
    // Nothing more to do: a second call changes nothing.
    expect(await db.transaction((tx) => settleNeedState(tx, SYSTEM_ACTOR, w.need.id, new Date()))).toBeNull();
    await db.update(needs).set({ paidMinor: 4_000 }).where(eq(needs.id, w.need.id));
    expect(await db.transaction((tx) => settleNeedState(tx, SYSTEM_ACTOR, w.need.id, new Date()))).toBe("unfunded");
    const transitions = await db.select().from(needTransitions).where(eq(needTransitions.needId, w.need.id));
    const system = transitions.filter((t) => t.action === "fund" || t.action === "unfund");
    expect(system.map((t) => [`${t.fromState}→${t.toState}`, t.actorId])).toEqual([
      ["published→funded", null],
      ["funded→published", null],
    ]);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.orgId, w.org.id), eq(auditLog.entityId, w.need.id)));
    expect(audit.filter((a) => a.action === "need.fund" || a.action === "need.unfund").every((a) => a.actorUserId === null)).toBe(true);
  });

  it("only finance or an org admin of that organisation may mark a pledge paid", async () => {
    const w = await pledgeWorld();
    const other = await pledgeWorld();
    const { pledge } = await createPledge(await getDb(), pledgeInput(w.need));
    for (const actor of [actorFor(w.author.id), actorFor(other.finance.id), { userId: null, ip: null, userAgent: null }]) {
      expect((await refusal(markPledgePaid(await getDb(), actor, pledge.id))).code).toBe("not_allowed");
    }
    expect((await snapshot(w.need.id)).paid).toBe(0);
  });

  it("a cancelled or expired pledge paid later is kept for finance (flagged, never lost) and the need does not move", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const cancelled = await createPledge(db, pledgeInput(w.need, { amountMinor: 4_000 }));
    await cancelPledge(db, { reference: cancelled.pledge.reference, email: cancelled.pledge.email, actor: actorFor(w.author.id) });
    const expired = await createPledge(db, pledgeInput(w.need, { amountMinor: 3_000, now: new Date("2020-01-01T00:00:00Z") }));
    await expirePledges(db, new Date("2021-01-01T00:00:00Z"));
    // Someone else takes the capacity meanwhile.
    await createPledge(db, pledgeInput(w.need, { amountMinor: 10_000 }));
    const before = await snapshot(w.need.id);

    const r1 = await markPledgePaid(db, actorFor(w.finance.id), cancelled.pledge.id);
    expect(r1.outcome).toBe("needs_resolution");
    expect(r1.pledge).toMatchObject({ status: "cancelled", financeFlag: "paid_after_cancelled", latePaidMinor: 4_000 });
    const r2 = await markPledgePaid(db, actorFor(w.finance.id), expired.pledge.id);
    expect(r2.pledge).toMatchObject({ status: "expired", financeFlag: "paid_after_expired", latePaidMinor: 3_000 });
    expect(r2.pledge.paidAt).not.toBeNull();
    expect(await snapshot(w.need.id)).toEqual(before);
    // Recorded twice → still one flag, nothing else moves.
    expect((await markPledgePaid(db, actorFor(w.finance.id), expired.pledge.id)).outcome).toBe("needs_resolution");
    expect(await snapshot(w.need.id)).toEqual(before);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.orgId, w.org.id), eq(auditLog.action, "pledge.paid_after_release")));
    expect(audit).toHaveLength(2);
  });
});

describe("in-kind", () => {
  it("a donor funds chosen item lines (amount = their total), and a line cannot be over-pledged", async () => {
    const w = await pledgeWorld({ items: sewingMachine }); // 1 × 18000 + 4 × 250
    const db = await getDb();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1, items: [{ position: 1, quantity: 2 }] }));
    expect(pledge.amountMinor).toBe(500);
    expect((await refusal(createPledge(db, pledgeInput(w.need, { items: [{ position: 1, quantity: 3 }] })))).code).toBe("item_unavailable");
    expect((await refusal(createPledge(db, pledgeInput(w.need, { items: [{ position: 9, quantity: 1 }] })))).code).toBe("items_invalid");
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 500, pledges: 1 });
  });

  it("an offer to deliver is reserved; received counts in progress (and can fund), declined releases", async () => {
    const w = await pledgeWorld({ items: [{ labelAr: "كرسي متحرك", labelEn: "Wheelchair", quantity: 2, unitCostMinor: 15_000 }] });
    const db = await getDb();
    const base = pledgeInput(w.need);
    const offer1 = await offerDelivery(db, { ...base, item: { position: 0, quantity: 1 } });
    expect(offer1.pledge).toMatchObject({ status: "offered", method: "delivery", amountMinor: 15_000, expiresAt: null });
    const offer2 = await offerDelivery(db, { ...pledgeInput(w.need), item: { position: 0, quantity: 1 } });
    expect((await snapshot(w.need.id)).reserved).toBe(30_000);

    expect((await refusal(decideOffer(db, actorFor(w.verifier.id), offer1.pledge.id, "received"))).code).toBe("not_allowed");
    await decideOffer(db, actorFor(w.author.id), offer1.pledge.id, "declined");
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 15_000, paid: 0 });
    const again = await offerDelivery(db, { ...pledgeInput(w.need), item: { position: 0, quantity: 1 } });
    await decideOffer(db, actorFor(w.author.id), offer2.pledge.id, "received");
    const done = await decideOffer(db, actorFor(w.admin.id), again.pledge.id, "received");
    expect(done.funded).toBe(true);
    expect(await snapshot(w.need.id)).toMatchObject({ reserved: 0, paid: 30_000, state: "funded" });
  });
});

describe("guest pledges", () => {
  it("attach to the account that verifies the same email", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const email = `guest-${idemKey().slice(0, 8)}@example.test`;
    const { pledge } = await createPledge(db, pledgeInput(w.need, { email }));
    expect(pledge.donorUserId).toBeNull();
    const [user] = await db.select().from(users).where(eq(users.id, (await createUser({ email, emailVerifiedAt: null })).id));
    expect(await attachGuestPledges(db, user.id, email.toUpperCase())).toBe(1);
    const [row] = await db.select().from(pledges).where(eq(pledges.id, pledge.id));
    expect(row.donorUserId).toBe(user.id);
    expect(await attachGuestPledges(db, user.id, email)).toBe(0);
  });
});

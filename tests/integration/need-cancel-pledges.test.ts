// Cancelling a need releases its live pledges in the same transaction and tells each donor
// (template pledge-released, in the pledge's language). Money in its fund: need-cancel-money.test.ts.
import { describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { emailOutbox, needTransitions, pledges } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { transitionNeed } from "~/modules/needs/needs.server";
import { createPledge, offerDelivery } from "~/modules/pledging/pledges.server";
import * as needPage from "~/routes/staff.$orgSlug.needs.$needId._index";
import { actorFor, needsWorld, sewingMachine } from "../fixtures/needs";
import { makeRequest, run, signIn } from "../fixtures/routes";
import { needRow, pledgeInput, pledgeWorld, publishedNeed } from "../fixtures/pledging";

// One address whose email cannot be written: proves the release and the emails share the cancel's transaction.
const FAILING = "cannot-be-told@example.test";
vi.mock("~/modules/notifications/outbox.server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("~/modules/notifications/outbox.server")>();
  return {
    ...actual,
    enqueueEmail: (async (db, to, locale, message) => {
      if (to === FAILING && message.template === "pledge-released") throw new Error("outbox unavailable");
      return actual.enqueueEmail(db, to, locale, message);
    }) as typeof actual.enqueueEmail,
  };
});

const REASON = "The family moved to Tripoli; Fatima's school fees are paid by her uncle";

async function releasedMail(to: string) {
  const db = await getDb();
  return db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.template, "pledge-released")));
}

describe("cancelling a need with live pledges", () => {
  it("releases every pending pledge with the need and tells each donor in the pledge's language, nothing private", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const en = await createPledge(db, pledgeInput(w.need, { amountMinor: 3_000, locale: "en" }));
    const ar = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_000, locale: "ar", method: "cash", displayName: "سميرة" }));
    expect((await needRow(w.need.id)).reservedMinor).toBe(5_000);

    const updated = await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: w.need.id, action: "cancel", reason: REASON });
    expect(updated).toMatchObject({ state: "cancelled", reservedMinor: 0, paidMinor: 0 });
    const rows = await db.select().from(pledges).where(eq(pledges.needId, w.need.id));
    expect(rows.map((p) => p.status).sort()).toEqual(["cancelled", "cancelled"]);
    expect(rows.every((p) => p.releasedAt !== null)).toBe(true);
    const [cancel] = await db.select().from(needTransitions).where(and(eq(needTransitions.needId, w.need.id), eq(needTransitions.action, "cancel")));
    expect(cancel).toMatchObject({ actorId: w.author.id, fromState: "published", toState: "cancelled" });

    const [enMail] = await releasedMail(en.pledge.email);
    expect(enMail.locale).toBe("en");
    expect(enMail.subject).toContain(en.pledge.reference);
    expect(enMail.text).toContain("cancelled the need “School fees for a ninth-grade student”");
    expect(enMail.text).toContain("Nothing more is expected from you");
    expect(enMail.text).not.toContain("already paid");
    const [arMail] = await releasedMail(ar.pledge.email);
    expect(arMail.locale).toBe("ar");
    expect(arMail.text).toContain("«أقساط مدرسية لطالبة في الصف التاسع»");
    expect(arMail.text).toContain(ar.pledge.reference);
    expect(arMail.text).toContain("لم يعد مطلوباً منك أي شيء");
    for (const m of [enMail, arMail]) {
      // Not the staff's reason, not the household, not the payee.
      for (const secret of ["Tripoli", "uncle", "فاطمة أحمد الحسن", "Yousef", "Al-Amal Private School", "IBAN LB00"]) {
        expect(m.html).not.toContain(secret);
        expect(m.text).not.toContain(secret);
      }
    }
  });

  it("an in-kind delivery offer is released too, and its donor told (no amount)", async () => {
    const w = await pledgeWorld({ items: sewingMachine });
    const db = await getDb();
    const offer = await offerDelivery(db, { ...pledgeInput(w.need, { locale: "en" }), item: { position: 0, quantity: 1 } });
    expect(offer.pledge.status).toBe("offered");
    await transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: w.need.id, action: "cancel", reason: "Bought by the school" });
    const [row] = await db.select().from(pledges).where(eq(pledges.id, offer.pledge.id));
    expect(["cancelled", "declined"]).toContain(row.status);
    expect((await needRow(w.need.id)).reservedMinor).toBe(0);
    const [mail] = await releasedMail(offer.pledge.email);
    expect(mail.text).toContain(offer.pledge.reference);
    expect(mail.text).not.toContain("()");
  });

  it("if a donor cannot be told, nothing happens: the need stays published and its pledges live (one transaction)", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const ok = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
    await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000, email: FAILING, method: "cash" }));
    await expect(
      transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: w.need.id, action: "cancel", reason: "Duplicate" }),
    ).rejects.toThrow("outbox unavailable");
    const need = await needRow(w.need.id);
    expect(need).toMatchObject({ state: "published", reservedMinor: 2_000 });
    const rows = await db.select().from(pledges).where(eq(pledges.needId, w.need.id));
    expect(rows.map((p) => p.status)).toEqual(["pending", "pending"]);
    expect(await releasedMail(ok.pledge.email)).toHaveLength(0);
  });

  it("a verified need (not yet published) is cancelled with no pledge and no email", async () => {
    const w = await needsWorld({ publishOnVerify: false });
    const db = await getDb();
    const need = await publishedNeed(w); // verify only: publishOnVerify is off
    expect(need.state).toBe("verified");
    const updated = await transitionNeed(db, actorFor(w.verifier.id), { orgId: w.org.id, needId: need.id, action: "cancel", reason: "Withdrawn" });
    expect(updated.state).toBe("cancelled");
    expect(await db.select().from(pledges).where(eq(pledges.needId, need.id))).toHaveLength(0);
  });

  it("through the staff page: the cancel button (with its reason) releases the pledges and the donor is told", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_500 }));
    const params = { orgSlug: w.org.slug, needId: w.need.id };
    const url = `/staff/${w.org.slug}/needs/${w.need.id}`;
    const cookie = await signIn(w.admin.id);
    const noReason = await run(needPage.action, makeRequest(url, { cookie, form: { intent: "cancel", reason: "" } }), params);
    expect(noReason.status).toBe(400);
    expect((await db.select().from(pledges).where(eq(pledges.id, pledge.id)))[0].status).toBe("pending");
    const ok = await run(needPage.action, makeRequest(url, { cookie, form: { intent: "cancel", reason: "Treatment no longer needed" } }), params);
    expect(ok.status).toBe(302);
    expect((await needRow(w.need.id))).toMatchObject({ state: "cancelled", reservedMinor: 0 });
    expect((await db.select().from(pledges).where(eq(pledges.id, pledge.id)))[0].status).toBe("cancelled");
    expect(await releasedMail(pledge.email)).toHaveLength(1);
  });
});

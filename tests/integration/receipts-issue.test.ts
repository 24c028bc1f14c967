// Issuing receipts and credit notes (app/modules/receipts): numbering per organisation, kind and
// year without gaps, idempotency, the donor copied from the pledge, the email in the outbox.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { orgCounters, receipts } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { issueReceipt } from "~/modules/receipts/receipts.server";
import { verifyReceiptSignature } from "~/modules/receipts/signing.server";
import { creditNoteFor, outboxTo, paymentRow, pledgeFor, receiptFor, receiptRow, receiptsWorld, refundRow } from "./receipts-world";

describe("issueReceipt", () => {
  it("numbers a payment's receipt, copies the donor from the pledge and writes the email in the donor's language", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 5_000, locale: "ar", displayName: "سميرة" });
    const payment = await paymentRow(w, { pledgeId: pledge.id, amountMinor: 5_000 });
    const first = await receiptFor(payment.id);
    expect(first.number).toBe("R-2026-000001");
    const row = await receiptRow(first.id);
    expect(row).toMatchObject({ kind: "receipt", year: 2026, sequence: 1, amountMinor: 5_000, currency: "USD", donorEmail: pledge.email, donorName: "سميرة", locale: "ar" });

    const mail = (await outboxTo(pledge.email)).filter((m) => m.template === "receipt");
    expect(mail).toHaveLength(1);
    expect(mail[0].locale).toBe("ar");
    expect(mail[0].subject).toContain("R-2026-000001");
    expect(mail[0].subject).toMatch(/[\u0600-\u06ff]/);
    expect(mail[0].text).toContain("Test Association for Relief (registered)");
    expect(mail[0].text).toContain("LB-REG-2291");
    expect(mail[0].text).toContain(pledge.reference);
    const link = mail[0].text.match(/http:\/\/tadamon\.test\/receipts\/([0-9a-f-]{36})\?s=([A-Za-z0-9_-]+)/);
    expect(link?.[1]).toBe(first.id);
    expect(verifyReceiptSignature(first.id, link![2])).toBe(true);
  });

  it("is idempotent: a second call returns the same receipt, no number used, no second email", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 1_000 });
    const payment = await paymentRow(w, { pledgeId: pledge.id });
    const a = await receiptFor(payment.id);
    const b = await receiptFor(payment.id);
    expect(b).toEqual(a);
    const db = await getDb();
    expect(await db.select().from(receipts).where(eq(receipts.paymentId, payment.id))).toHaveLength(1);
    const [counter] = await db.select().from(orgCounters).where(and(eq(orgCounters.orgId, w.org.id), eq(orgCounters.name, "receipt:2026")));
    expect(counter.value).toBe(1);
    expect((await outboxTo(pledge.email)).filter((m) => m.template === "receipt")).toHaveLength(1);
  });
});

describe("numbering", () => {
  it("numbers each organisation, kind and year from 1 without gaps, in the organisation's calendar", async () => {
    const w = await receiptsWorld();
    const other = await receiptsWorld();
    const db = await getDb();
    // Interleaved years and organisations; 23:30 UTC on 31 December is already the new year in Beirut.
    const plan = [
      ...Array.from({ length: 12 }, (_, i) => ({ world: i % 3 === 0 ? other : w, at: new Date(`2025-0${(i % 9) + 1}-10T12:00:00Z`) })),
      { world: w, at: new Date("2025-12-31T21:30:00Z") }, // 23:30 in Beirut: still 2025
      { world: w, at: new Date("2025-12-31T22:30:00Z") }, // 00:30 on 1 January in Beirut: 2026
      ...Array.from({ length: 9 }, (_, i) => ({ world: i % 2 ? other : w, at: new Date(`2026-0${i + 1}-10T12:00:00Z`) })),
    ];
    for (const step of plan) {
      const payment = await paymentRow(step.world, { pledgeId: null, donorEmail: null });
      await receiptFor(payment.id, step.at);
    }
    // A payment whose transaction rolls back gives its number back.
    const doomed = await paymentRow(w, { pledgeId: null, donorEmail: null });
    await expect(
      db.transaction(async (tx) => {
        await issueReceipt(tx, { paymentId: doomed.id, now: new Date("2026-06-01T12:00:00Z") });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const after = await paymentRow(w, { pledgeId: null, donorEmail: null });
    await receiptFor(after.id, new Date("2026-06-02T12:00:00Z"));

    for (const world of [w, other]) {
      const rows = await db.select().from(receipts).where(eq(receipts.orgId, world.org.id));
      for (const year of [2025, 2026]) {
        const ofYear = rows.filter((r) => r.year === year).sort((a, b) => a.sequence - b.sequence);
        expect(ofYear.map((r) => r.sequence)).toEqual(ofYear.map((_, i) => i + 1));
        expect(ofYear.map((r) => r.number)).toEqual(ofYear.map((_, i) => `R-${year}-${String(i + 1).padStart(6, "0")}`));
      }
    }
    const mine = await db.select().from(receipts).where(eq(receipts.orgId, w.org.id));
    expect(mine.filter((r) => r.year === 2025)).toHaveLength(9);
    expect(mine.filter((r) => r.year === 2026)).toHaveLength(1 + 5 + 1);
    expect(mine.find((r) => r.paymentId === doomed.id)).toBeUndefined();
    expect(mine.find((r) => r.paymentId === after.id)?.number).toBe("R-2026-000007");
  });
});

describe("issueCreditNote", () => {
  it("numbers credit notes apart from receipts, refers to the payment's receipt, is idempotent and emails the donor", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 4_000, locale: "en", displayName: "Sam" });
    const payment = await paymentRow(w, { pledgeId: pledge.id, amountMinor: 4_000 });
    const receipt = await receiptFor(payment.id);
    const refund = await refundRow(payment, 1_500);
    const note = await creditNoteFor(refund.id);
    expect(note.number).toBe("CN-2026-000001");
    expect(await creditNoteFor(refund.id)).toEqual(note);
    const row = await receiptRow(note.id);
    expect(row).toMatchObject({ kind: "credit_note", refundId: refund.id, refersToReceiptId: receipt.id, amountMinor: 1_500, donorEmail: pledge.email, locale: "en" });
    const second = await creditNoteFor((await refundRow(payment, 500)).id);
    expect(second.number).toBe("CN-2026-000002");

    const mail = (await outboxTo(pledge.email)).filter((m) => m.template === "credit-note");
    expect(mail).toHaveLength(2);
    expect(mail[0].locale).toBe("en");
    expect(mail.map((m) => m.subject).sort()).toEqual([
      expect.stringContaining("CN-2026-000001"),
      expect.stringContaining("CN-2026-000002"),
    ]);
    // The outbox lists in no particular order on PostgreSQL: the first credit note's email by its number.
    const first = mail.find((m) => m.subject.includes("CN-2026-000001"))!;
    expect(first.text).toContain(`corrects receipt ${receipt.number}`);
    expect(first.text).toContain("$15.00");
  });

  it("issues the receipt first when the refunded payment has none", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 2_000 });
    const payment = await paymentRow(w, { pledgeId: pledge.id, amountMinor: 2_000 });
    const note = await creditNoteFor((await refundRow(payment, 2_000)).id);
    const row = await receiptRow(note.id);
    const [original] = await (await getDb()).select().from(receipts).where(and(eq(receipts.paymentId, payment.id), eq(receipts.kind, "receipt")));
    expect(row.refersToReceiptId).toBe(original.id);
    expect(original.number).toBe("R-2026-000001");
  });
});

describe("who the receipt is for", () => {
  it("money with no pledge takes the payment's donor fields; no email means a receipt but no email", async () => {
    const w = await receiptsWorld({ legalName: null });
    const withEmail = await paymentRow(w, { pledgeId: null, donorEmail: " Walk.In@Example.TEST ", donorName: "Walk-in donor", locale: "en" });
    const r = await receiptFor(withEmail.id);
    expect(await receiptRow(r.id)).toMatchObject({ donorEmail: "walk.in@example.test", donorName: "Walk-in donor", donorUserId: null, locale: "en" });
    const [mail] = await outboxTo("walk.in@example.test");
    // No legal name: the display name; money not yet assigned says so.
    expect(mail.text).toContain("Test Association received");
    expect(mail.text).toContain("assigned to the need you meant");

    const silent = await paymentRow(w, { pledgeId: null, donorEmail: null });
    const s = await receiptFor(silent.id);
    expect((await receiptRow(s.id)).donorEmail).toBeNull();
    expect(s.number).toBe("R-2026-000002");
  });

  it("an over-payment's receipt says the surplus went to the unrestricted fund, and a covered fee is shown apart", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 5_000, locale: "en" });
    const payment = await paymentRow(w, { pledgeId: pledge.id, method: "card", amountMinor: 6_200, coverFeeMinor: 200, surplusMinor: 1_000 });
    await receiptFor(payment.id);
    const [mail] = (await outboxTo(pledge.email)).filter((m) => m.template === "receipt");
    expect(mail.text).toContain("$62.00");
    expect(mail.text).toContain("Of which your gift to the need: US$50.00");
    expect(mail.text).toContain("processing fee you chose to cover: US$2.00");
    expect(mail.text).toContain("You paid US$10.00 more than your pledge: this surplus went to the organisation’s unrestricted fund");
    expect(mail.text).toContain("Card");
  });
});

describe.skipIf(!process.env.DATABASE_URL)("on PostgreSQL, at the same time", () => {
  it("many receipts at once: one per payment, numbers 1..n without gaps or repeats", async () => {
    const w = await receiptsWorld();
    const list = await Promise.all(Array.from({ length: 12 }, () => paymentRow(w, { pledgeId: null, donorEmail: null })));
    // Every payment issued twice at once: the second call waits for the first and returns its receipt.
    const results = await Promise.all([...list, ...list].map((p) => receiptFor(p.id)));
    const byPayment = new Map<string, string>();
    results.forEach((r, i) => {
      const paymentId = [...list, ...list][i].id;
      if (byPayment.has(paymentId)) expect(byPayment.get(paymentId)).toBe(r.number);
      byPayment.set(paymentId, r.number);
    });
    const rows = await (await getDb()).select().from(receipts).where(eq(receipts.orgId, w.org.id));
    expect(rows.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});

// Property: whatever the mix of payments, refunds, repeated calls and rolled-back transactions,
// across two organisations and two years, every (organisation, kind, year) is numbered 1..n with
// no gap and no repeat, each payment has one receipt and each refund one credit note.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { inArray } from "drizzle-orm";
import { receipts } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { issueCreditNote, issueReceipt } from "~/modules/receipts/receipts.server";
import { paymentRow, receiptsWorld, refundRow } from "./receipts-world";

const step = fc.record({
  org: fc.integer({ min: 0, max: 1 }),
  year: fc.constantFrom(2025, 2026),
  op: fc.constantFrom("receipt", "receipt", "repeat", "refund", "rollback"),
});

describe("receipt numbering (property)", () => {
  it("has no gaps or repeats per organisation, kind and year, whatever happens", async () => {
    const worlds = [await receiptsWorld(), await receiptsWorld()];
    const db = await getDb();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const paid: { org: number; id: string; payment: Awaited<ReturnType<typeof paymentRow>> }[] = [];
        const touched = new Set<string>();
        for (const s of steps) {
          const now = new Date(`${s.year}-07-01T12:00:00Z`);
          const w = worlds[s.org];
          touched.add(w.org.id);
          if (s.op === "receipt" || (s.op !== "rollback" && paid.length === 0)) {
            const payment = await paymentRow(w, { pledgeId: null, donorEmail: null });
            const r = await db.transaction((tx) => issueReceipt(tx, { paymentId: payment.id, now }));
            paid.push({ org: s.org, id: r.id, payment });
          } else if (s.op === "repeat") {
            const p = paid[paid.length - 1];
            const again = await db.transaction((tx) => issueReceipt(tx, { paymentId: p.payment.id, now }));
            expect(again.id).toBe(p.id);
          } else if (s.op === "refund") {
            const p = paid[paid.length - 1];
            const refund = await refundRow(p.payment, 1);
            const note = await db.transaction((tx) => issueCreditNote(tx, { refundId: refund.id, now }));
            const twice = await db.transaction((tx) => issueCreditNote(tx, { refundId: refund.id, now }));
            expect(twice).toEqual(note);
          } else {
            const payment = await paymentRow(w, { pledgeId: null, donorEmail: null });
            await db
              .transaction(async (tx) => {
                await issueReceipt(tx, { paymentId: payment.id, now });
                throw new Error("rollback");
              })
              .catch(() => undefined);
          }
        }
        const rows = await db.select().from(receipts).where(inArray(receipts.orgId, [...touched]));
        const groups = new Map<string, number[]>();
        for (const r of rows) {
          const key = `${r.orgId}|${r.kind}|${r.year}`;
          groups.set(key, [...(groups.get(key) ?? []), r.sequence]);
          expect(r.number.endsWith(`-${r.year}-${String(r.sequence).padStart(6, "0")}`)).toBe(true);
        }
        for (const seqs of groups.values()) {
          expect(seqs.sort((a, b) => a - b)).toEqual(seqs.map((_, i) => i + 1));
        }
        const perPayment = rows.filter((r) => r.kind === "receipt").map((r) => r.paymentId);
        expect(new Set(perPayment).size).toBe(perPayment.length);
      }),
      { numRuns: 6 },
    );
  });
});

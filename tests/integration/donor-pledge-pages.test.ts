// Issue 9, item 8 (donor side): the pledge page says when a pledge is over and shows no payment
// instructions then; a paid pledge lists its receipts (linked for its donor); a part-paid one shows
// what arrived and what is still expected; a card pledge waiting for payment offers to continue.
// The donor account shows each pledge's trail. Real HTML, Arabic and English.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { ledgerAccounts, ledgerEntries, ledgerPostings, needs, payments, pledges, receipts, refunds } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { formatMoney } from "~/utils/format";
import { localeCookie } from "~/utils/i18next.server";
import { receiptPath } from "~/modules/receipts/receipts.server";
import type { Locale } from "~/utils/i18n";
import en from "~/locales/en/pledging.json";
import ar from "~/locales/ar/pledging.json";
import { idemKey, pledgeWorld } from "../fixtures/pledging";
import { createUser, unique } from "../fixtures/db";
import { signIn } from "../fixtures/routes";
import { serveDonor } from "../fixtures/donor-app";

const strings = { ar, en };
const lngCookie = async (lng: Locale) => (await localeCookie.serialize(lng)).split(";")[0];
const BANK = "LB62 0999 0000 0001 0019 0122 9114";
const esc = (s: string) => s.replace(/&/g, "&amp;");

/** A pledge of 25.00 USD made through the form, by a signed-in donor when `cookie` is given. */
async function pledgeThroughForm(w: Awaited<ReturnType<typeof pledgeWorld>>, cookie?: string) {
  const res = await serveDonor(`/needs/${w.need.publicId}/pledge`, {
    cookie,
    form: { amount: "25", currency: "USD", method: "bank_transfer", email: `${unique("donor")}@example.test`, idempotencyKey: idemKey() },
  });
  expect(res.status).toBe(302);
  const reference = res.headers.get("location")!.replace("/pledges/", "");
  const [row] = await (await getDb()).select().from(pledges).where(eq(pledges.reference, reference));
  return row;
}

/** Money that arrived for a pledge, with its receipt (what the payments and receipts modules record). */
async function paymentFor(pledge: typeof pledges.$inferSelect, amountMinor: number, n: number) {
  const db = await getDb();
  const [payment] = await db
    .insert(payments)
    .values({
      orgId: pledge.orgId,
      pledgeId: pledge.id,
      needId: pledge.needId,
      method: "bank_transfer",
      amountMinor,
      currency: pledge.currency,
      valueDate: "2026-03-02",
      status: "succeeded",
      allocation: "need_fund",
      idempotencyKey: idemKey(),
    })
    .returning();
  const [receipt] = await db
    .insert(receipts)
    .values({
      orgId: pledge.orgId,
      kind: "receipt",
      number: `R-2026-${String(n).padStart(6, "0")}`,
      year: 2026,
      sequence: n,
      paymentId: payment.id,
      amountMinor,
      currency: pledge.currency,
    })
    .returning();
  return { payment, receipt };
}

async function setPledge(id: string, values: Partial<typeof pledges.$inferInsert>) {
  await (await getDb()).update(pledges).set(values).where(eq(pledges.id, id));
}

describe("the pledge page", () => {
  for (const lng of ["ar", "en"] as const) {
    it(`a cancelled or expired pledge says so, with no payment instructions and no cancel form (${lng})`, async () => {
      const w = await pledgeWorld({ targetMinor: 10_000 });
      const cookie = await lngCookie(lng);
      const open = await pledgeThroughForm(w);
      const before = await (await serveDonor(`/pledges/${open.reference}`, { cookie })).text();
      expect(before).toContain(BANK); // the instructions while it is open
      for (const status of ["cancelled", "expired"] as const) {
        await setPledge(open.id, { status });
        const html = await (await serveDonor(`/pledges/${open.reference}`, { cookie })).text();
        expect(html).toContain(esc(strings[lng].instructions.over[status]));
        expect(html).not.toContain(BANK);
        expect(html).not.toContain(esc(strings[lng].instructions.cancelSubmit));
      }
    });

    it(`a paid pledge says so and lists its receipt, linked for its signed-in donor only; no instructions (${lng})`, async () => {
      const w = await pledgeWorld({ targetMinor: 10_000 });
      const donor = await createUser();
      const session = await signIn(donor.id);
      const pledge = await pledgeThroughForm(w, session);
      const { receipt } = await paymentFor(pledge, 2_500, 1);
      await setPledge(pledge.id, { status: "paid", paidMinor: 2_500 });
      const own = await (await serveDonor(`/pledges/${pledge.reference}`, { cookie: `${await lngCookie(lng)}; ${session}` })).text();
      expect(own).toContain(esc(strings[lng].instructions.over.paid));
      expect(own).not.toContain(BANK);
      expect(own).toContain("R-2026-000001");
      expect(own).toContain(`href="${esc(receiptPath(receipt.id))}"`);
      // Someone else with the reference sees the receipt's number, not its link.
      const other = await (await serveDonor(`/pledges/${pledge.reference}`, { cookie: await lngCookie(lng) })).text();
      expect(other).toContain("R-2026-000001");
      expect(other).not.toContain(`/receipts/${receipt.id}`);
      expect(other).toContain(esc(strings[lng].instructions.receiptEmailed));
    });

    it(`a part-paid pledge shows what arrived and what is still expected, and still how to pay the rest (${lng})`, async () => {
      const w = await pledgeWorld({ targetMinor: 10_000 });
      const pledge = await pledgeThroughForm(w);
      await paymentFor(pledge, 1_000, 1);
      await setPledge(pledge.id, { paidMinor: 1_000 });
      const html = await (await serveDonor(`/pledges/${pledge.reference}`, { cookie: await lngCookie(lng) })).text();
      // Each amount is one isolated left-to-right run (app/components/bidi.tsx <Money>).
      expect(html).toMatch(new RegExp(`data-testid="pledge-arrived"><bdi dir="ltr"[^>]*>${formatMoney(1_000, "USD", lng).replace(/[.$]/g, "\\$&")}</bdi><`));
      expect(html).toMatch(new RegExp(`data-testid="pledge-expected"><bdi dir="ltr"[^>]*>${formatMoney(1_500, "USD", lng).replace(/[.$]/g, "\\$&")}</bdi><`));
      expect(html).toContain(BANK);
      // Once the rest is released (part_paid), nothing more is expected or shown how to pay.
      await setPledge(pledge.id, { status: "part_paid" });
      const after = await (await serveDonor(`/pledges/${pledge.reference}`, { cookie: await lngCookie(lng) })).text();
      expect(after).toContain(esc(strings[lng].instructions.over.part_paid));
      expect(after).not.toContain('data-testid="pledge-expected"');
      expect(after).not.toContain(BANK);
    });

    it(`a card pledge waiting for payment links "continue to card payment" to its pay page (${lng})`, async () => {
      const w = await pledgeWorld({ targetMinor: 10_000 });
      const pledge = await pledgeThroughForm(w);
      await setPledge(pledge.id, { method: "card", status: "awaiting_payment" });
      const html = await (await serveDonor(`/pledges/${pledge.reference}`, { cookie: await lngCookie(lng) })).text();
      expect(html).toMatch(new RegExp(`<a[^>]* href="/pledges/${pledge.reference}/pay"`));
      expect(html).toContain(esc(strings[lng].instructions.cardContinue));
      expect(html).not.toContain(BANK);
    });
  }
});

/** A reallocation entry moving `amount` of the payment from the pledge's need fund to the organisation's general fund. */
async function moveToGeneralFund(pledge: typeof pledges.$inferSelect, paymentId: string, amountMinor: number) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [fund] = await tx
      .insert(ledgerAccounts)
      .values({ orgId: pledge.orgId, currency: pledge.currency, type: "liability", kind: "need_fund", key: `need_fund:${pledge.needId}`, needId: pledge.needId })
      .returning();
    const [general] = await tx
      .insert(ledgerAccounts)
      .values({ orgId: pledge.orgId, currency: pledge.currency, type: "liability", kind: "unrestricted_fund", key: "unrestricted_fund" })
      .returning();
    const [entry] = await tx
      .insert(ledgerEntries)
      .values({ orgId: pledge.orgId, kind: "reallocation", idempotencyKey: randomUUID(), memo: "test move", valueDate: "2026-03-05", paymentId, needId: pledge.needId })
      .returning();
    await tx.insert(ledgerPostings).values([
      { entryId: entry.id, accountId: fund.id, orgId: pledge.orgId, currency: pledge.currency, amountMinor },
      { entryId: entry.id, accountId: general.id, orgId: pledge.orgId, currency: pledge.currency, amountMinor: -amountMinor },
    ]);
  });
}

describe("the donor account's trail", () => {
  for (const lng of ["ar", "en"] as const) {
    it(`pledged → paid (receipt) → in the need's fund → refunded / moved to the general fund → not yet disbursed (${lng})`, async () => {
      const w = await pledgeWorld({ targetMinor: 10_000 });
      const donor = await createUser();
      const session = await signIn(donor.id);
      const paid = await pledgeThroughForm(w, session);
      const { payment, receipt } = await paymentFor(paid, 2_500, 7);
      await setPledge(paid.id, { status: "paid", paidMinor: 2_500 });
      await (await getDb()).update(needs).set({ paidMinor: 2_500, reservedMinor: 0 }).where(eq(needs.id, w.need.id));
      await (await getDb())
        .insert(refunds)
        .values({ orgId: paid.orgId, paymentId: payment.id, amountMinor: 500, currency: "USD", status: "succeeded", idempotencyKey: idemKey() });
      await moveToGeneralFund(paid, payment.id, 1_000);
      const waiting = await pledgeThroughForm(w, session);

      const res = await serveDonor("/account/pledges", { cookie: `${await lngCookie(lng)}; ${session}` });
      expect(res.status).toBe(200);
      const html = await res.text();
      const s = strings[lng].trail;
      // Amounts inside the trail's sentences are isolated left-to-right runs (LRI … PDI).
      const money = (minor: number) => `\u2066${formatMoney(minor, "USD", lng)}\u2069`;
      const trails = html.split('data-testid="pledge-trail"').slice(1);
      expect(trails).toHaveLength(2); // newest first: the waiting pledge, then the paid one
      const [open, done] = trails;
      const step = (trail: string, name: string) => new RegExp(`data-step="${name}" data-done="(true|false)"[^>]*>(.*?)</li>`, "s").exec(trail)!;

      expect(step(done, "pledged")[1]).toBe("true");
      expect(step(done, "paid")[1]).toBe("true");
      expect(step(done, "paid")[2]).toContain(esc(s.paid.replace("{{amount}}", money(2_500)).replace(/ \S*\{\{date\}\}.*$/, "")));
      expect(step(done, "paid")[2]).toContain(`href="${esc(receiptPath(receipt.id))}"`);
      expect(step(done, "paid")[2]).toContain("R-2026-000007");
      expect(step(done, "fund")[1]).toBe("true");
      expect(step(done, "fund")[2]).toContain(esc(s.fund.replace("{{received}}", money(2_500)).replace("{{target}}", money(10_000))));
      expect(step(done, "after")[1]).toBe("true");
      expect(step(done, "after")[2]).toContain(money(500));
      expect(step(done, "after")[2]).toContain(esc(s.movedGeneral.split("{{date}}")[1]));
      expect(step(done, "disbursed")[1]).toBe("false");
      expect(step(done, "disbursed")[2]).toContain(s.notYet);

      expect(step(open, "paid")[1]).toBe("false");
      expect(step(open, "fund")[1]).toBe("false");
      expect(step(open, "after")[2]).toContain(esc(s.nothingAfter));
      expect(html).toContain(waiting.reference);
      // Never anything private: no other need, no email.
      expect(html).not.toContain(paid.email);
    });
  }
});

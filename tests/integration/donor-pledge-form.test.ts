// Issue 9, item 8 (donor side): one set of numbers on the card, the need page and the pledge form;
// the pledge form's quick amounts and in-kind total without JavaScript; the amount hint per
// currency. Real HTML from the server (tests/fixtures/donor-app.ts), in Arabic and English.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { needs, pledges } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { formatMoney } from "~/utils/format";
import { localeCookie } from "~/utils/i18next.server";
import type { Locale } from "~/utils/i18n";
import en from "~/locales/en/pledging.json";
import ar from "~/locales/ar/pledging.json";
import { idemKey, pledgeWorld } from "../fixtures/pledging";
import { sewingMachine } from "../fixtures/needs";
import { serveDonor } from "../fixtures/donor-app";
import { unique } from "../fixtures/db";

const lngCookie = async (lng: Locale) => (await localeCookie.serialize(lng)).split(";")[0];
const strings = { ar, en };

/** The three figures as one page shows them (data-testid="need-figure-…"), in page order. */
function figuresIn(html: string) {
  // The figure's text, whatever isolating markup (<bdi dir="ltr">) wraps the amount.
  const pick = (key: string) =>
    [...html.matchAll(new RegExp(`data-testid="need-figure-${key}"[^>]*>(.*?)</dd>`, "g"))].map((m) => m[1].replace(/<[^>]*>/g, ""));
  return { received: pick("received"), pledged: pick("pledged"), remaining: pick("remaining") };
}

const attr = (html: string, id: string, name: string) => new RegExp(`<[^>]*id="${id}"[^>]*>`).exec(html)?.[0].match(new RegExp(`${name}="([^"]*)"`))?.[1];

describe("one set of numbers for donors", () => {
  for (const lng of ["ar", "en"] as const) {
    it(`the card, the need page and the pledge form show the same received / pledged / remaining (${lng})`, async () => {
      const w = await pledgeWorld({ targetMinor: 10_000 });
      await (await getDb()).update(needs).set({ paidMinor: 3_000, reservedMinor: 2_000, donorCount: 2 }).where(eq(needs.id, w.need.id));
      const expected = {
        received: formatMoney(3_000, "USD", lng),
        pledged: formatMoney(2_000, "USD", lng),
        remaining: formatMoney(5_000, "USD", lng),
      };
      const cookie = await lngCookie(lng);
      for (const path of [`/needs?org=${w.org.slug}`, `/needs/${w.need.publicId}`, `/needs/${w.need.publicId}/pledge`]) {
        const res = await serveDonor(path, { cookie });
        expect(res.status, path).toBe(200);
        const html = await res.text();
        const shown = figuresIn(html);
        expect(shown, path).toEqual({ received: [expected.received], pledged: [expected.pledged], remaining: [expected.remaining] });
        expect(html, path).toMatch(/data-testid="need-donors">[^<]*(2|٢|متبرعان)/);
      }
    });
  }

  it("a funded need shows nothing left to pledge, and its pledge page takes none", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    await (await getDb()).update(needs).set({ state: "funded", paidMinor: 10_000, reservedMinor: 0, donorCount: 3 }).where(eq(needs.id, w.need.id));
    const html = await (await serveDonor(`/needs/${w.need.publicId}/pledge`, { cookie: await lngCookie("en") })).text();
    expect(figuresIn(html)).toEqual({ received: ["US$100.00"], pledged: ["US$0.00"], remaining: ["US$0.00"] });
    expect(html).not.toContain('data-testid="pledge-form"');
  });
});

describe("the pledge form without JavaScript", () => {
  it("one amount field, nothing preselected; a quick amount is a link that comes back with the field filled, and the pledge is that amount", async () => {
    const w = await pledgeWorld({ targetMinor: 5_000 });
    const cookie = await lngCookie("en");
    const page = await (await serveDonor(`/needs/${w.need.publicId}/pledge`, { cookie })).text();
    expect(page).not.toContain('name="amountChoice"');
    expect(attr(page, "pledge-amount", "value")).toBe("");
    const links = [...page.matchAll(/<a href="([^"]*\?amount=[^"]*)" data-fill="([^"]*)"/g)].map((m) => ({ href: m[1].replace(/&amp;/g, "&"), fill: m[2] }));
    expect(links.map((l) => l.fill)).toEqual(["50.00", "20.00", "10.00", "5.00"]);
    expect(links[1].href).toBe(`/needs/${w.need.publicId}/pledge?amount=20.00#pledge-amount`);
    expect(page).toContain(en.form.suggestedWhole.replace("{{amount}}", "US$50.00"));

    const filled = await (await serveDonor(links[1].href.replace(/#.*/, ""), { cookie })).text();
    expect(attr(filled, "pledge-amount", "value")).toBe("20.00");
    // A hand-made ?amount= that this need would not take fills nothing.
    for (const bad of ["abc", "50.01", "0.10", "-5"]) {
      const html = await (await serveDonor(`/needs/${w.need.publicId}/pledge?amount=${bad}`, { cookie })).text();
      expect(attr(html, "pledge-amount", "value"), bad).toBe("");
    }

    const email = `${unique("quick")}@example.test`;
    const posted = await serveDonor(`/needs/${w.need.publicId}/pledge`, {
      cookie,
      form: { amount: "20.00", currency: "USD", method: "bank_transfer", email, idempotencyKey: idemKey() },
    });
    expect(posted.status).toBe(302);
    const [pledge] = await (await getDb()).select().from(pledges).where(eq(pledges.email, email));
    expect(pledge).toMatchObject({ amountMinor: 2_000, status: "pending" });
  });

  it("an empty amount field is refused (no amount is chosen for the donor), nothing made", async () => {
    const w = await pledgeWorld({ targetMinor: 5_000 });
    const email = `${unique("empty")}@example.test`;
    const res = await serveDonor(`/needs/${w.need.publicId}/pledge`, {
      cookie: await lngCookie("ar"),
      form: { amount: "", amountChoice: "50.00", currency: "USD", method: "cash", email, idempotencyKey: idemKey() },
    });
    expect(res.status).toBe(400);
    expect((await (await getDb()).select().from(pledges).where(eq(pledges.email, email))).length).toBe(0);
  });

  for (const lng of ["ar", "en"] as const) {
    it(`in-kind: "show the total" posts the chosen items and comes back with their total and the choices kept; nothing is pledged (${lng})`, async () => {
      const w = await pledgeWorld({ items: sewingMachine });
      const cookie = await lngCookie(lng);
      const page = await (await serveDonor(`/needs/${w.need.publicId}/pledge`, { cookie })).text();
      expect(page).toContain(`data-testid="pledge-items-total"`);
      expect(page).toContain(strings[lng].form.itemsPreview);
      expect(page).toMatch(/data-items-total=""[^>]*>[^<]*</);

      const res = await serveDonor(`/needs/${w.need.publicId}/pledge`, {
        cookie,
        form: { intent: "preview", "item-0": "1", "item-1": "3", currency: "USD", idempotencyKey: idemKey() },
      });
      expect(res.status).toBe(200);
      const html = await res.text();
      const total = formatMoney(18_000 + 3 * 250, "USD", lng);
      expect(new RegExp(`data-items-total=""[^>]*>${total.replace(/[.$]/g, "\\$&")}<`).test(html)).toBe(true);
      expect(attr(html, "pledge-item-1", "value")).toBe("3");
      expect((await (await getDb()).select().from(pledges).where(eq(pledges.needId, w.need.id))).length).toBe(0);

      const bad = await serveDonor(`/needs/${w.need.publicId}/pledge`, { cookie, form: { intent: "preview", "item-0": "one", currency: "USD" } });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain(strings[lng].errors.items_invalid);
    });
  }

  it("the amount hint follows the currency: no decimals for SYP, two for USD", async () => {
    const syp = await pledgeWorld({ currency: "SYP", targetMinor: 2_000_000 });
    const usd = await pledgeWorld({ targetMinor: 5_000 });
    for (const lng of ["ar", "en"] as const) {
      const cookie = await lngCookie(lng);
      const sypHtml = await (await serveDonor(`/needs/${syp.need.publicId}/pledge`, { cookie })).text();
      expect(sypHtml).toContain(strings[lng].form.amountHintWhole.replace("{{example}}", "250000"));
      expect(attr(sypHtml, "pledge-amount", "inputMode") ?? attr(sypHtml, "pledge-amount", "inputmode")).toBe("numeric");
      const usdHtml = await (await serveDonor(`/needs/${usd.need.publicId}/pledge`, { cookie })).text();
      expect(usdHtml).toContain(strings[lng].form.amountHintDecimal.replace("{{example}}", "50").replace("{{exampleDecimal}}", "50.25"));
      expect(attr(usdHtml, "pledge-amount", "inputMode") ?? attr(usdHtml, "pledge-amount", "inputmode")).toBe("decimal");
    }
  });
});

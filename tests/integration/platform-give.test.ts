// "Give where it is needed most" (issue 12 item 2, decision 071): /give ranks the organisations
// whose verified needs match the donor's choices by the allocator's score, explains the first, and
// continues on that organisation's fund form with the choices filled in. Bad choices get a 400 and
// a message in the reader's language. The tests use a currency no other test uses (NOK), so the
// shared database's other organisations never compete.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { organizations } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createNeed, transitionNeed } from "~/modules/needs/needs.server";
import * as givePage from "~/routes/give";
import * as orgGivePage from "~/routes/orgs.$slug_.give";
import { actorFor, needFields, needsWorld } from "../fixtures/needs";
import { makeRequest, run } from "../fixtures/routes";

type Body = {
  errors: Record<string, string>;
  choices: { slug: string; needPublicId: string; score: number; why: string[]; href: string; matchingNeeds: number }[];
};

async function orgWithNeed(country: string, fields: Parameters<typeof needFields>[0]) {
  const w = await needsWorld({ currency: "NOK" });
  const db = await getDb();
  await db.update(organizations).set({ country }).where(eq(organizations.id, w.org.id));
  const draft = await createNeed(db, { orgId: w.org.id, actor: actorFor(w.author.id), authorId: w.author.id, householdId: w.household.id, fields: needFields(fields), items: [] });
  await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: draft.id, action: "submit" });
  await transitionNeed(db, actorFor(w.verifier.id), { orgId: w.org.id, needId: draft.id, action: "verify" });
  return { ...w, need: draft };
}

const ask = async (query: string, lng = "en") => {
  const out = await run(givePage.loader, makeRequest(`/give?lng=${lng}&${query}`));
  return { status: out.status, body: out.body as Body };
};

describe("/give: the most urgent needs anywhere", () => {
  it("names the organisation with the most urgent matching need, explains why, and respects the donor's choices", async () => {
    const critical = await orgWithNeed("JO", { urgency: "critical", category: "surgery", payeeKind: "hospital", deadline: "2099-01-01" });
    const normal = await orgWithNeed("IQ", { urgency: "normal", category: "school_fees" });

    const all = await ask("currency=NOK&amount=500");
    expect(all.status).toBe(200);
    const mine = all.body.choices.filter((c) => [critical.org.slug, normal.org.slug].includes(c.slug));
    expect(mine.map((c) => c.slug)).toEqual([critical.org.slug, normal.org.slug]);
    expect(mine[0]).toMatchObject({ needPublicId: critical.need.publicId, matchingNeeds: 1 });
    expect(mine[0].why.join(" ")).toContain("urgency 40");
    // The answer holds only public facts.
    const text = JSON.stringify(all.body);
    for (const secret of [critical.household.id, "فاطمة", "+961 3 123 456", "Al-Amal Private School"]) expect(text).not.toContain(secret);

    // Kinds of need and a country narrow it; the onward link carries the choices to the organisation's form.
    const school = await ask("currency=NOK&amount=500&categories=school_fees&frequency=monthly");
    expect(school.body.choices.map((c) => c.slug)).toContain(normal.org.slug);
    expect(school.body.choices.map((c) => c.slug)).not.toContain(critical.org.slug);
    const href = school.body.choices.find((c) => c.slug === normal.org.slug)!.href;
    expect(href).toBe(`/orgs/${normal.org.slug}/give?amount=500&frequency=monthly&via=platform&categories=school_fees`);
    const jordan = await ask("currency=NOK&amount=500&country=JO");
    expect(jordan.body.choices.map((c) => c.slug)).toContain(critical.org.slug);
    expect(jordan.body.choices.map((c) => c.slug)).not.toContain(normal.org.slug);
    // Zakat: neither need is zakat-eligible.
    const zakat = await ask("currency=NOK&amount=500&zakat=on&country=JO");
    expect(zakat.body.choices.map((c) => c.slug)).not.toContain(critical.org.slug);

    // The organisation's form opens filled in, with the note that Tadamon chose it.
    const form = await run(orgGivePage.loader, makeRequest(`${href}&lng=en`), { slug: normal.org.slug });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ viaPlatform: true, prefill: { amount: "500", frequency: "monthly", categories: ["school_fees"] } });
  });

  it("refuses a currency without open needs, an amount under the minimum, an unknown country or kind of need: 400, a message in the reader's language", async () => {
    await orgWithNeed("JO", { urgency: "high" });
    const currency = await ask("currency=XAU&amount=5", "ar");
    expect(currency.status).toBe(400);
    expect(currency.body.errors.currency).toBe("اختر عملة من القائمة.");
    expect(currency.body.choices).toEqual([]);
    const low = await ask("currency=NOK&amount=0.5");
    expect(low.status).toBe(400);
    expect(low.body.errors.amount).toMatch(/least/);
    const negative = await ask("currency=NOK&amount=-5");
    expect(negative.status).toBe(400);
    const country = await ask("currency=NOK&amount=50&country=ZZ");
    expect(country.status).toBe(400);
    expect(country.body.errors.country).toBeTruthy();
    const category = await ask("currency=NOK&amount=50&categories=weapons");
    expect(category.status).toBe(400);
    expect(category.body.errors.categories).toBeTruthy();
    const frequency = await ask("currency=NOK&amount=50&frequency=daily");
    expect(frequency.status).toBe(400);
    // The empty form: no choices, no errors.
    const blank = await run(givePage.loader, makeRequest("/give"));
    expect(blank.status).toBe(200);
    expect((blank.body as Body).choices).toEqual([]);
  });
});

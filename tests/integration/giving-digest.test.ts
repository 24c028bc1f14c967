import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { givingPreferences } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { dueDigests, sendDigest } from "~/modules/giving/digest.server";
import { unsubscribePath } from "~/modules/giving/unsubscribe.server";
import { createUser } from "../fixtures/db";
import { emailsTo } from "../fixtures/auth";
import { needsWorld } from "../fixtures/needs";
import { insertNeeds, needRow } from "../fixtures/marketplace";

const NOW = new Date("2026-11-28T06:40:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

async function setup(prefs: Partial<typeof givingPreferences.$inferInsert> = {}) {
  const world = await needsWorld();
  const donor = await createUser({ locale: "en", displayName: "Sara" });
  const db = await getDb();
  await db.insert(givingPreferences).values({ userId: donor.id, orgIds: [world.org.id], digest: "weekly", ...prefs });
  return { world, donor, db };
}

const send = async (userId: string, now = NOW) => (await getDb()).transaction((tx) => sendDigest(tx, userId, now));

describe("the giving digest", () => {
  it("emails the needs published since the last digest that match the preferences, public text only, with a working unsubscribe link", async () => {
    const { world, donor } = await setup({ categories: ["school_fees"] });
    await insertNeeds([
      needRow(world, { titleEn: "New school fees A", publishedAt: daysAgo(2) }),
      needRow(world, { titleEn: "Medical B", category: "medical_treatment", publishedAt: daysAgo(2) }),
      needRow(world, { titleEn: "Old school fees C", publishedAt: daysAgo(10) }),
      needRow(world, { titleEn: "Cancelled D", state: "cancelled", publishedAt: daysAgo(1) }),
      needRow(world, { titleEn: "Fully pledged E", publishedAt: daysAgo(1), targetMinor: 1000, reservedMinor: 1000 }),
    ]);
    expect(await dueDigests(await getDb(), NOW)).toContain(donor.id);
    expect(await send(donor.id)).toBe("sent");

    const [email, ...more] = await emailsTo(donor.email, "giving-digest");
    expect(more).toEqual([]);
    expect(email!.locale).toBe("en");
    expect(email!.subject).toBe("A new need that matches what you support");
    expect(email!.text).toContain("New school fees A");
    for (const absent of ["Medical B", "Old school fees C", "Cancelled D", "Fully pledged E"]) expect(email!.text).not.toContain(absent);
    // Nothing private: not the payee, not the household.
    expect(email!.html).not.toContain("Al-Amal Private School");
    expect(email!.html).not.toContain(world.household.id);
    expect(email!.html).toContain(unsubscribePath(donor.id).replace(/&/g, "&amp;"));
  });

  it("never sends the same digest twice: a rerun is not due; a week later with nothing new sends nothing but moves the clock", async () => {
    const { world, donor, db } = await setup();
    await insertNeeds([needRow(world, { titleEn: "Once", publishedAt: daysAgo(1) })]);
    expect(await send(donor.id)).toBe("sent");
    expect(await send(donor.id, new Date(NOW.getTime() + 60_000))).toBe("not-due");
    expect(await dueDigests(db, new Date(NOW.getTime() + 60_000))).not.toContain(donor.id);
    const weekLater = new Date(NOW.getTime() + 8 * 86_400_000);
    expect(await send(donor.id, weekLater)).toBe("nothing-new");
    expect(await emailsTo(donor.email, "giving-digest")).toHaveLength(1);
    const [row] = await db.select().from(givingPreferences).where(eq(givingPreferences.userId, donor.id));
    expect(row!.digestSentAt?.toISOString()).toBe(weekLater.toISOString());
  });

  it("zakat only: lists only needs marked zakat-eligible; digest off: never due", async () => {
    const { world, donor } = await setup({ zakatOnly: true, budgetCurrency: null });
    await insertNeeds([
      needRow(world, { titleEn: "Zakat need", zakatCategory: "fuqara", publishedAt: daysAgo(1) }),
      needRow(world, { titleEn: "Sadaqa need", publishedAt: daysAgo(1) }),
    ]);
    expect(await send(donor.id)).toBe("sent");
    const [email] = await emailsTo(donor.email, "giving-digest");
    expect(email!.text).toContain("Zakat need");
    expect(email!.text).not.toContain("Sadaqa need");

    const { donor: quiet } = await setup({ digest: "off" });
    expect(await dueDigests(await getDb(), NOW)).not.toContain(quiet.id);
    expect(await send(quiet.id)).toBe("not-due");
  });
});

import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { sewingMachine } from "../../../tests/fixtures/needs";
import { pledgeInput, pledgeWorld } from "../../../tests/fixtures/pledging";
import { createPledge, offerDelivery } from "./pledges.server";
import { newReference } from "./reference";
import { PledgeListFilterSchema, canRecordPayment, referenceSearch } from "./staff";
import { listNeedPledges, listOrgPledges, pledgeStatusCounts } from "./staff.server";

describe("reference search (pure)", () => {
  it("matches a whole code in any spelling exactly, and three to seven of its symbols as a part", () => {
    const ref = newReference();
    const body = ref.replace(/^TDM-/, "").replace("-", "");
    for (const typed of [ref, ref.toLowerCase(), ref.replace(/-/g, ""), body, ` ${body.toLowerCase()} `, `${body.slice(0, 4)} ${body.slice(4)}`]) {
      expect(referenceSearch(typed), typed).toEqual({ kind: "exact", reference: ref });
    }
    expect(referenceSearch("7k3q")).toEqual({ kind: "partial", fragment: "7K3Q" });
    expect(referenceSearch("tdm-7k3")).toEqual({ kind: "partial", fragment: "7K3" });
    expect(referenceSearch("o1l")).toEqual({ kind: "partial", fragment: "011" });
    for (const bad of ["", "tdm", "7k", "%%%", "7K3Q-9FX-1234", "x".repeat(41), "ab'c"]) expect(referenceSearch(bad), bad).toBeNull();
  });

  it("the filter schema gives i18n keys, and an empty search box is no filter", () => {
    expect(PledgeListFilterSchema.parse({ q: "   " })).toEqual({});
    const bad = PledgeListFilterSchema.safeParse({ q: "??", status: "lost", method: "bitcoin", flag: "yes" });
    expect(bad.success).toBe(false);
    expect(bad.error?.flatten().fieldErrors).toEqual({
      q: ["staff:pledges.errors.referenceInvalid"],
      status: ["errors:invalidChoice"],
      method: ["errors:invalidChoice"],
      flag: ["errors:invalidChoice"],
    });
  });

  it("finance records by hand only offline pledges still waiting, or released ones not yet flagged", () => {
    expect(canRecordPayment({ method: "bank_transfer", status: "pending", financeFlag: null })).toBe(true);
    expect(canRecordPayment({ method: "cash", status: "expired", financeFlag: null })).toBe(true);
    expect(canRecordPayment({ method: "cash", status: "expired", financeFlag: "paid_after_expired" })).toBe(false);
    expect(canRecordPayment({ method: "card", status: "awaiting_payment", financeFlag: null })).toBe(false);
    expect(canRecordPayment({ method: "delivery", status: "offered", financeFlag: null })).toBe(false);
    expect(canRecordPayment({ method: "money_transfer", status: "paid", financeFlag: null })).toBe(false);
  });
});

describe("staff pledge queries", () => {
  it("pages the organisation's pledges newest first, the id breaking ties, without overlap", async () => {
    const w = await pledgeWorld({ targetMinor: 100_000 });
    const db = await getDb();
    const same = new Date("2099-03-01T10:00:00Z");
    const created = [];
    for (let i = 0; i < 5; i += 1) {
      const now = i < 3 ? same : new Date(same.getTime() + i * 60_000);
      created.push((await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 + i, now }))).pledge);
    }
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const result = await listOrgPledges(db, { orgId: w.org.id, filter: {}, page, pageSize: 2 });
      expect(result).toMatchObject({ total: 5, pages: 3, page });
      seen.push(...result.pledges.map((p) => p.id));
    }
    const expected = [...created]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0))
      .map((p) => p.id);
    expect(seen).toEqual(expected);
    // A page past the end shows the last page.
    expect((await listOrgPledges(db, { orgId: w.org.id, filter: {}, page: 9, pageSize: 2 })).page).toBe(3);
    expect(await pledgeStatusCounts(db, w.org.id)).toMatchObject({ total: 5, needsResolution: 0, byStatus: { pending: 5, offered: 0 } });
  });

  it("lists a need's pledges with their item lines, offers waiting for a decision first", async () => {
    const w = await pledgeWorld({ items: sewingMachine });
    const db = await getDb();
    const bought = (await createPledge(db, pledgeInput(w.need, { items: [{ position: 1, quantity: 3 }] }))).pledge;
    const offer = (await offerDelivery(db, { ...pledgeInput(w.need), item: { position: 0, quantity: 1 } })).pledge;
    const { pledges, total } = await listNeedPledges(db, w.org.id, w.need.id);
    expect(total).toBe(2);
    expect(pledges.map((p) => p.id)).toEqual([offer.id, bought.id]);
    expect(pledges[1].items).toEqual([expect.objectContaining({ labelEn: "Thread", quantity: 3, amountMinor: 750, position: 1 })]);
    // Another organisation sees nothing of it.
    const other = await pledgeWorld();
    expect(await listNeedPledges(db, other.org.id, w.need.id)).toEqual({ pledges: [], total: 0 });
    expect(await listNeedPledges(db, w.org.id, "nonsense")).toEqual({ pledges: [], total: 0 });
  });
});

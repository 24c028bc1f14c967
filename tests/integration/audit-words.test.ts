import { describe, expect, it } from "vitest";
import { recordAudit } from "~/modules/audit/audit.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { getDb } from "~/utils/db.server";
import * as auditPage from "~/routes/staff.$orgSlug.audit";
import { actorFor } from "../fixtures/needs";
import { pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn } from "../fixtures/routes";

/** What the page shows of one row, as text. */
function rowText(entry: { actionLabel: string; subject: { type: string; text: string | null }; changes: { field: string; before: { text: string } | null; after: { text: string } | null }[] }) {
  return [entry.actionLabel, entry.subject.type, entry.subject.text, ...entry.changes.flatMap((c) => [c.field, c.before?.text, c.after?.text])]
    .filter(Boolean)
    .join(" | ");
}

describe("the audit log in words", () => {
  it("names the household by reference, the need by title, the pledge by its code, linked; changes translated and formatted; no raw ids or JSON keys", async () => {
    const db = await getDb();
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const other = await pledgeWorld();
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_500 }));
    const actor = actorFor(w.admin.id);
    await recordAudit(db, actor, { orgId: w.org.id, action: "household.update", entityType: "household", entityId: w.household.id, change: { before: { status: "active" }, after: { status: "moved" } } });
    await recordAudit(db, actor, {
      orgId: w.org.id,
      action: "need.update",
      entityType: "need",
      entityId: w.need.id,
      change: { before: { targetMinor: 40_000, deadline: "2026-03-01" }, after: { targetMinor: 50_000, deadline: "2026-04-15" }, currency: "USD" },
    });
    await recordAudit(db, actor, { orgId: w.org.id, action: "pledge.release", entityType: "pledge", entityId: pledge.id, change: { needId: w.need.id, amountMinor: 2_500, currency: "USD" } });
    // An id from another organisation resolves to nothing here.
    await recordAudit(db, actor, { orgId: w.org.id, action: "need.update", entityType: "need", entityId: other.need.id, change: { publishOnVerify: true } });

    const cookie = await signIn(w.admin.id);
    const en = await run(auditPage.loader, makeRequest(`/staff/${w.org.slug}/audit`, { cookie, lng: "en" }), { orgSlug: w.org.slug });
    expect(en.status).toBe(200);
    const rows = en.body.entries as Parameters<typeof rowText>[0][] & { subject: { href: string | null } }[];
    const byAction = (a: string) => rows.filter((r) => (r as unknown as { action: string }).action === a);

    const [household] = byAction("household.update");
    expect(household.subject).toMatchObject({ type: "Household", text: w.household.reference, kind: "ref", href: `/staff/${w.org.slug}/households/${w.household.id}` });
    expect(rowText(household)).toContain("Status | Active | Moved");

    const [foreign, needRow] = byAction("need.update"); // newest first
    expect(foreign.subject.text).toBeNull(); // the other organisation's need is not named
    expect(rowText(foreign)).toContain("Publish on verification | Yes");
    expect(needRow.subject).toMatchObject({ type: "Need", text: w.need.titleEn, href: `/staff/${w.org.slug}/needs/${w.need.id}` });
    expect(rowText(needRow)).toContain("Target | US$400.00 | US$500.00");
    expect(rowText(needRow)).toMatch(/Deadline \| 1 Mar 2026 \| 15 Apr 2026/);

    const [pledgeRow] = byAction("pledge.release");
    expect(pledgeRow.subject).toMatchObject({ type: "Pledge", text: pledge.reference, kind: "ref" });
    expect(rowText(pledgeRow)).toContain(`Need | ${w.need.titleEn}`);
    expect(rowText(pledgeRow)).toContain("Amount | US$25.00");

    const all = JSON.stringify(rows.map(rowText));
    expect(all).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // no raw uuid as text
    expect(all).not.toMatch(/targetMinor|needId|amountMinor|publishOnVerify/);

    const ar = await run(auditPage.loader, makeRequest(`/staff/${w.org.slug}/audit`, { cookie, lng: "ar" }), { orgSlug: w.org.slug });
    const arText = JSON.stringify((ar.body.entries as Parameters<typeof rowText>[0][]).map(rowText));
    expect(arText).toContain("أسرة");
    expect(arText).toContain("المبلغ المطلوب");
    expect(arText).toContain(pledge.reference);
  }, 120_000);
});

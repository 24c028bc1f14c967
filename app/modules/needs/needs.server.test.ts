import { describe, expect, it, vi } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, needs, needTransitions, organizations, regions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { OrgNotFoundError, OrgRuleError } from "~/modules/organizations/errors";
import { addMember, createUser } from "../../../tests/fixtures/db";
import { actorFor, needFields, needsWorld, sewingMachine } from "../../../tests/fixtures/needs";
import { NeedError } from "./errors";
import {
  createNeed,
  getNeedForStaff,
  listHouseholdNeeds,
  listNeeds,
  needCountsByState,
  newPublicId,
  transitionNeed,
  updateNeed,
  verificationQueue,
} from "./needs.server";

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

async function stateOf(needId: string) {
  const db = await getDb();
  const [row] = await db.select().from(needs).where(eq(needs.id, needId));
  return row;
}

async function draft(world: Awaited<ReturnType<typeof needsWorld>>, fields = needFields()) {
  return createNeed(await getDb(), {
    orgId: world.org.id,
    actor: actorFor(world.author.id),
    authorId: world.author.id,
    householdId: world.household.id,
    fields,
    items: [],
  });
}

describe("creating and editing needs", () => {
  it("creates a draft in the organisation's currency with a random public id, and audits it", async () => {
    const db = await getDb();
    const world = await needsWorld({ currency: "SYP" });
    const need = await draft(world, needFields({ targetMinor: 2_500_000, publicRegionId: world.governorate.id }));
    expect(need).toMatchObject({ state: "draft", currency: "SYP", targetMinor: 2_500_000, authorId: world.author.id });
    expect(need.publicId).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    const ids = new Set(Array.from({ length: 500 }, () => newPublicId()));
    expect(ids.size).toBe(500);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.orgId, world.org.id), eq(auditLog.entityId, need.id)));
    expect(audit.map((a) => a.action)).toEqual(["need.create"]);
  });

  it("an in-kind need's target is the items' total, computed by the domain", async () => {
    const world = await needsWorld();
    const need = await createNeed(await getDb(), {
      orgId: world.org.id,
      actor: actorFor(world.author.id),
      authorId: world.author.id,
      householdId: world.household.id,
      fields: needFields({ category: "in_kind_item", payeeKind: "vendor", targetMinor: 1 }),
      items: sewingMachine,
    });
    expect(need.targetMinor).toBe(18000 + 4 * 250);
    const { items } = await getNeedForStaff(await getDb(), world.org.id, need.id);
    expect(items.map((i) => [i.labelEn, i.quantity, i.unitCostMinor])).toEqual([
      ["Sewing machine", 1, 18000],
      ["Thread", 4, 250],
    ]);
  });

  it("the public region must be a governorate of this organisation", async () => {
    const world = await needsWorld();
    const other = await needsWorld();
    const db = await getDb();
    const [district] = await db
      .insert(regions)
      .values({ orgId: world.org.id, parentId: world.governorate.id, level: "district", nameAr: "المتن", nameEn: "Metn" })
      .returning();
    for (const regionId of [other.governorate.id, district.id]) {
      const error = await refusal(draft(world, needFields({ publicRegionId: regionId })));
      expect(error).toBeInstanceOf(OrgRuleError);
      expect(error).toMatchObject({ messageKey: "needs:errors.regionInvalid", field: "publicRegionId" });
    }
    expect(await listHouseholdNeeds(db, world.org.id, world.household.id)).toEqual([]);
  });

  it("the domain refuses a zero target and a deadline already past in the organisation's time zone", async () => {
    const world = await needsWorld();
    for (const fields of [needFields({ targetMinor: 0 }), needFields({ targetMinor: -100 }), needFields({ targetMinor: 1.5 })]) {
      expect(await refusal(draft(world, fields))).toMatchObject({ messageKey: "needs:errors.amountPositive", field: "target" });
    }
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // 23:30 UTC on 1 March: already 2 March in Beirut (the organisation's zone), still 1 March in UTC.
      vi.setSystemTime(new Date("2026-03-01T23:30:00Z"));
      const error = await refusal(draft(world, needFields({ deadline: "2026-03-01" })));
      expect(error).toMatchObject({ messageKey: "needs:errors.deadlinePast", field: "deadline" });
      expect((await draft(world, needFields({ deadline: "2026-03-02" }))).deadline).toBe("2026-03-02");
      const utc = await needsWorld();
      await (await getDb()).update(organizations).set({ timeZone: "UTC" }).where(eq(organizations.id, utc.org.id));
      expect((await draft(utc, needFields({ deadline: "2026-03-01" }))).deadline).toBe("2026-03-01");
    } finally {
      vi.useRealTimers();
    }
    expect((await listHouseholdNeeds(await getDb(), world.org.id, world.household.id)).length).toBe(1);
  });

  it("a household of another organisation is not found", async () => {
    const world = await needsWorld();
    const other = await needsWorld();
    const error = await refusal(
      createNeed(await getDb(), {
        orgId: world.org.id,
        actor: actorFor(world.author.id),
        authorId: world.author.id,
        householdId: other.household.id,
        fields: needFields(),
        items: [],
      }),
    );
    expect(error).toBeInstanceOf(OrgNotFoundError);
  });

  it("only the author or an org admin edits, and only in draft or returned", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const need = await draft(world);
    const colleague = await createUser();
    await addMember(world.org.id, colleague.id, "caseworker");
    const edit = (userId: string, roles: ("caseworker" | "org_admin")[], titleEn: string) =>
      updateNeed(db, { orgId: world.org.id, actor: actorFor(userId), userId, roles, needId: need.id, fields: needFields({ titleEn }), items: [] });
    expect(await refusal(edit(colleague.id, ["caseworker"], "x"))).toMatchObject({ code: "not_author" });
    expect((await edit(world.admin.id, ["org_admin"], "By the admin")).titleEn).toBe("By the admin");
    await transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "submit" });
    expect(await refusal(edit(world.author.id, ["caseworker"], "late"))).toMatchObject({ code: "not_editable" });
    expect((await stateOf(need.id)).titleEn).toBe("By the admin");
  });
});

describe("the life cycle", () => {
  it("submit is blocked by a member's name in the story, with its position, then passes when fixed", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const storyAr = "تحتاج فاطمة إلى أقساط المدرسة هذا العام.";
    const need = await draft(world, needFields({ storyAr, storyEn: "Yousef's sister needs help with her fees." }));
    const error = await refusal(transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "submit" }));
    expect(error).toBeInstanceOf(NeedError);
    const hits = (error as NeedError).hits;
    expect((error as NeedError).code).toBe("guard");
    expect((error as NeedError).status).toBe(422);
    const start = storyAr.indexOf("فاطمة");
    expect(hits).toEqual(
      expect.arrayContaining([
        { field: "storyAr", text: "فاطمة", start, end: start + "فاطمة".length, reason: "name", severity: "block", occurrence: "storyAr:فاطمه:0" },
        expect.objectContaining({ field: "storyEn", reason: "name", start: 0 }),
      ]),
    );
    expect((await stateOf(need.id)).state).toBe("draft");
    expect(await db.select().from(needTransitions).where(eq(needTransitions.needId, need.id))).toEqual([]);

    await updateNeed(db, {
      orgId: world.org.id,
      actor: actorFor(world.author.id),
      userId: world.author.id,
      roles: ["caseworker"],
      needId: need.id,
      fields: needFields({ storyAr: "تحتاج طالبة إلى أقساط المدرسة هذا العام.", storyEn: "A student needs help with her fees." }),
      items: [],
    });
    const submitted = await transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "submit" });
    expect(submitted.state).toBe("submitted");
    expect(submitted.submittedAt).toBeInstanceOf(Date);
  });

  it("the guard also reads the phone, the ID number, the address and the item labels", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const need = await createNeed(db, {
      orgId: world.org.id,
      actor: actorFor(world.author.id),
      authorId: world.author.id,
      householdId: world.household.id,
      fields: needFields({
        category: "in_kind_item",
        payeeKind: "vendor",
        storyAr: "اتصلوا على ٠٣١٢٣٤٥٦ أو زوروا بناية النور",
        storyEn: "ID 000123456789",
      }),
      items: [{ labelAr: "ماكينة لفاطمة", labelEn: null, quantity: 1, unitCostMinor: 100 }],
    });
    const error = (await refusal(
      transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "submit" }),
    )) as NeedError;
    expect(error.code).toBe("guard");
    expect(new Set(error.hits.map((h) => `${h.field}:${h.reason}`))).toEqual(
      new Set(["storyAr:phone", "storyAr:address", "storyEn:id_number", "items[0].labelAr:name"]),
    );
  });

  it("the author never verifies their own need: refused by the domain, and by the database", async () => {
    const db = await getDb();
    const world = await needsWorld();
    await addMember(world.org.id, world.author.id, "verifier");
    const need = await draft(world);
    await transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "submit" });
    const error = await refusal(transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "verify" }));
    expect(error).toMatchObject({ code: "author_cannot_verify", status: 403 });
    expect(await stateOf(need.id)).toMatchObject({ state: "submitted", verifierId: null });

    const dbError = await refusal(db.update(needs).set({ verifierId: world.author.id }).where(eq(needs.id, need.id)));
    expect(String((dbError as { cause?: unknown }).cause ?? dbError)).toMatch(/needs_verifier_not_author/);
    expect((await stateOf(need.id)).verifierId).toBeNull();
  });

  it("return needs a reason and sends the need back to its author, who edits and resubmits", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const need = await draft(world);
    const act = (userId: string, action: "submit" | "return" | "verify", reason?: string) =>
      transitionNeed(db, actorFor(userId), { orgId: world.org.id, needId: need.id, action, reason });
    await act(world.author.id, "submit");
    expect(await refusal(act(world.verifier.id, "return"))).toMatchObject({ code: "reason_required", status: 400 });
    expect(await refusal(act(world.verifier.id, "return", "   "))).toMatchObject({ code: "reason_required" });
    const returned = await act(world.verifier.id, "return", "Attach the school's invoice.");
    expect(returned).toMatchObject({ state: "returned", lastReason: "Attach the school's invoice.", verifierId: null });
    await updateNeed(db, {
      orgId: world.org.id,
      actor: actorFor(world.author.id),
      userId: world.author.id,
      roles: ["caseworker"],
      needId: need.id,
      fields: needFields({ urgency: "critical" }),
      items: [],
    });
    await act(world.author.id, "submit");
    const { transitions } = await getNeedForStaff(db, world.org.id, need.id);
    expect(transitions.map((t) => [t.action, t.fromState, t.toState, t.reason])).toEqual([
      ["submit", "draft", "submitted", null],
      ["return", "submitted", "returned", "Attach the school's invoice."],
      ["submit", "returned", "submitted", null],
    ]);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityId, need.id), eq(auditLog.action, "need.return")));
    expect(audit[0].change).toMatchObject({ from: "submitted", to: "returned", reason: "Attach the school's invoice." });
  });

  it("publishOnVerify: verifying publishes at once (two transitions, one lock)", async () => {
    const db = await getDb();
    const world = await needsWorld({ publishOnVerify: true });
    const need = await draft(world);
    await transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "submit" });
    const done = await transitionNeed(db, actorFor(world.verifier.id), { orgId: world.org.id, needId: need.id, action: "verify" });
    expect(done).toMatchObject({ state: "published", verifierId: world.verifier.id });
    expect(done.verifiedAt).toBeInstanceOf(Date);
    expect(done.publishedAt).toBeInstanceOf(Date);
    const { transitions } = await getNeedForStaff(db, world.org.id, need.id);
    expect(transitions.map((t) => [t.action, t.fromState, t.toState])).toEqual([
      ["submit", "draft", "submitted"],
      ["verify", "submitted", "verified"],
      ["publish", "verified", "published"],
    ]);
  });

  it("publishOnVerify off: verified waits, then a second person publishes", async () => {
    const db = await getDb();
    const world = await needsWorld({ publishOnVerify: false });
    const need = await draft(world);
    await transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "submit" });
    const verified = await transitionNeed(db, actorFor(world.verifier.id), { orgId: world.org.id, needId: need.id, action: "verify" });
    expect(verified).toMatchObject({ state: "verified", publishedAt: null });
    expect(await refusal(transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "publish" }))).toMatchObject({
      code: "role_not_allowed",
    });
    const published = await transitionNeed(db, actorFor(world.admin.id), { orgId: world.org.id, needId: need.id, action: "publish" });
    expect(published.state).toBe("published");
  });

  it("no consent to publish: publishing is refused (and verifying, when it publishes)", async () => {
    const db = await getDb();
    for (const publishOnVerify of [false, true]) {
      const world = await needsWorld({ publishOnVerify, consentPublish: false });
      const need = await draft(world);
      await transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "submit" });
      const verify = transitionNeed(db, actorFor(world.verifier.id), { orgId: world.org.id, needId: need.id, action: "verify" });
      if (publishOnVerify) {
        expect(await refusal(verify)).toMatchObject({ code: "no_consent", status: 409 });
        expect((await stateOf(need.id)).state).toBe("submitted");
      } else {
        await verify;
        expect(
          await refusal(transitionNeed(db, actorFor(world.verifier.id), { orgId: world.org.id, needId: need.id, action: "publish" })),
        ).toMatchObject({ code: "no_consent" });
        expect((await stateOf(need.id)).state).toBe("verified");
      }
    }
  });

  it("another organisation's need is not found, for reading and for changing", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const other = await needsWorld();
    const need = await draft(world);
    expect(await refusal(getNeedForStaff(db, other.org.id, need.id))).toBeInstanceOf(OrgNotFoundError);
    expect(await refusal(getNeedForStaff(db, world.org.id, "not-a-uuid"))).toBeInstanceOf(OrgNotFoundError);
    expect(
      await refusal(transitionNeed(db, actorFor(other.author.id), { orgId: other.org.id, needId: need.id, action: "submit" })),
    ).toBeInstanceOf(OrgNotFoundError);
    expect((await stateOf(need.id)).state).toBe("draft");
  });
});

describe("reading needs", () => {
  it("the public projection carries no private field", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const need = await draft(world, needFields({ publicRegionId: world.governorate.id }));
    const { publicNeed } = await getNeedForStaff(db, world.org.id, need.id);
    const json = JSON.stringify(publicNeed);
    expect(Object.keys(publicNeed).sort()).toEqual(
      ["ageBand", "category", "currency", "deadline", "gender", "governorate", "items", "onlyLanguage", "org", "publicId", "storyAr", "storyEn", "targetMinor", "titleAr", "titleEn", "urgency", "verifiedAt"].sort(),
    );
    for (const secret of [
      "Al-Amal Private School",
      "IBAN",
      "فاطمة",
      "Yousef",
      world.household.id,
      world.household.reference,
      "الحمرا",
      "123 456",
      need.id,
      world.author.id,
      world.org.id,
    ]) {
      expect(json).not.toContain(secret);
    }
    expect(publicNeed.governorate).toEqual({ nameAr: "بيروت", nameEn: "Beirut" });
  });

  it("lists, counts by state and queues (others' needs first, oldest first), scoped by organisation", async () => {
    const db = await getDb();
    const world = await needsWorld();
    const other = await needsWorld();
    await draft(other);
    // The verifier also writes needs: theirs come last in their own queue.
    await addMember(world.org.id, world.verifier.id, "caseworker");
    const first = await draft(world);
    const mine = await createNeed(db, {
      orgId: world.org.id,
      actor: actorFor(world.verifier.id),
      authorId: world.verifier.id,
      householdId: world.household.id,
      fields: needFields({ category: "rent" }),
      items: [],
    });
    const second = await draft(world, needFields({ category: "food" }));
    for (const [need, by] of [
      [mine, world.verifier.id],
      [first, world.author.id],
      [second, world.author.id],
    ] as const) {
      await transitionNeed(db, actorFor(by), { orgId: world.org.id, needId: need.id, action: "submit" });
    }
    await db.update(needs).set({ submittedAt: sql`now() - interval '2 days'` }).where(eq(needs.id, second.id));
    const queue = await verificationQueue(db, world.org.id, world.verifier.id);
    expect(queue.rows.map((r) => [r.id, r.mine])).toEqual([
      [second.id, false],
      [first.id, false],
      [mine.id, true],
    ]);
    expect(queue.counts).toMatchObject({ submitted: 3, draft: 0, published: 0 });
    expect(await needCountsByState(db, other.org.id)).toMatchObject({ draft: 1, submitted: 0 });

    const food = await listNeeds(db, world.org.id, { category: "food" });
    expect(food.rows.map((r) => r.id)).toEqual([second.id]);
    const all = await listNeeds(db, world.org.id, { state: "submitted", page: 1 });
    expect(all.total).toBe(3);
    expect((await listHouseholdNeeds(db, world.org.id, world.household.id)).length).toBe(3);
    expect(await listHouseholdNeeds(db, other.org.id, world.household.id)).toEqual([]);
  });
});

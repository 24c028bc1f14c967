import { describe, expect, it } from "vitest";
import { zakatCategoryEnum } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { actorFor, needFields, needsWorld } from "../../../tests/fixtures/needs";
import { createNeed, updateNeed } from "./needs.server";
import { needEditorSchema, ZAKAT_CATEGORIES } from "./schemas";

const schema = needEditorSchema({ currency: "USD", today: "2026-11-28" });
const form = (extra: Record<string, string>) => ({
  category: "school_fees",
  target: "450",
  deadline: "2099-09-01",
  urgency: "high",
  payeeKind: "school",
  payeeName: "A school",
  titleEn: "School fees",
  ...extra,
});

describe("zakat eligibility on a need", () => {
  it("the editor's list is the database's list", () => {
    expect([...ZAKAT_CATEGORIES]).toEqual(zakatCategoryEnum.enumValues);
  });

  it("the editor takes a recipient category, refuses an unknown one, and reads none as not eligible", () => {
    expect(schema.safeParse(form({ zakatCategory: "gharimin" })).data?.fields.zakatCategory).toBe("gharimin");
    expect(schema.safeParse(form({})).data?.fields.zakatCategory).toBeNull();
    const bad = schema.safeParse(form({ zakatCategory: "amilin" }));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["zakatCategory"]);
  });

  it("is saved with the need and changed by an edit", async () => {
    const world = await needsWorld();
    const db = await getDb();
    const need = await createNeed(db, {
      orgId: world.org.id,
      actor: actorFor(world.author.id),
      authorId: world.author.id,
      householdId: world.household.id,
      fields: needFields({ zakatCategory: "fuqara" }),
      items: [],
    });
    expect(need.zakatCategory).toBe("fuqara");
    const updated = await updateNeed(db, {
      orgId: world.org.id,
      actor: actorFor(world.author.id),
      userId: world.author.id,
      roles: ["caseworker"],
      needId: need.id,
      fields: needFields({ zakatCategory: null }),
      items: [],
    });
    expect(updated.zakatCategory).toBeNull();
  });
});

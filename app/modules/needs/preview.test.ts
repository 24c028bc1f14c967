import { describe, expect, it } from "vitest";
import { toPublicNeed } from "~/modules/anonymization/public-need";
import { previewNeed } from "./preview";

const ctx = {
  currency: "USD",
  org: { nameAr: "جمعية", nameEn: "Association", slug: "assoc" },
  governorates: [{ id: "g1", nameAr: "بيروت", nameEn: "Beirut" }],
  today: "2026-11-23",
};

describe("the public projection", () => {
  it("copies only public fields, whatever the row carries", () => {
    const row = {
      id: "8a0c3f1e-0000-4000-8000-000000000001",
      householdId: "8a0c3f1e-0000-4000-8000-000000000002",
      authorId: "8a0c3f1e-0000-4000-8000-000000000003",
      payeeName: "Hôpital Privé",
      payeeDetails: "IBAN LB12",
      lastReason: "call Fatima",
      publicId: "7K3M9Q2XW4PT",
      category: "surgery",
      titleAr: "عملية جراحية",
      titleEn: null,
      storyAr: null,
      storyEn: "A child needs surgery.",
      targetMinor: 120000,
      currency: "USD",
      deadline: "2027-01-01",
      urgency: "critical",
      ageBand: "5-11",
      gender: "male",
      publicHides: [],
      onlyLanguage: null,
      keptReason: "only one boy of that age in the camp",
      verifiedAt: new Date("2026-11-01T10:00:00Z"),
    };
    const card = toPublicNeed(row, [], ctx.org, { nameAr: "بيروت", nameEn: "Beirut", id: "region-id" } as never);
    const json = JSON.stringify(card);
    for (const secret of [row.id, row.householdId, row.authorId, "Hôpital", "IBAN", "Fatima", "region-id"]) {
      expect(json).not.toContain(secret);
    }
    expect(card).toMatchObject({ publicId: "7K3M9Q2XW4PT", targetMinor: 120000, verifiedAt: "2026-11-01T10:00:00.000Z" });
    expect(json).not.toContain("only one boy");
  });

  it("leaves out the details the re-identification check hides, and says when the need is in one language", () => {
    const base = {
      publicId: "P", category: "surgery", titleAr: "عملية", titleEn: null, storyAr: "قصة", storyEn: null, targetMinor: 1, currency: "USD",
      deadline: "2027-01-01", urgency: "normal", ageBand: "5-11", gender: "male", verifiedAt: null, onlyLanguage: "ar",
    };
    expect(toPublicNeed({ ...base, publicHides: [] }, [], ctx.org, null)).toMatchObject({ ageBand: "5-11", gender: "male", onlyLanguage: "ar" });
    expect(toPublicNeed({ ...base, publicHides: ["age_band"] }, [], ctx.org, null)).toMatchObject({ ageBand: null, gender: "male" });
    expect(toPublicNeed({ ...base, publicHides: ["age_band", "gender"] }, [], ctx.org, null)).toMatchObject({ ageBand: null, gender: null });
    expect(toPublicNeed({ ...base, onlyLanguage: "xx", publicHides: null }, [], ctx.org, null).onlyLanguage).toBeNull();
  });
});

describe("the editor's live preview", () => {
  it("builds the card from what is typed so far; amounts that do not parse count as zero", () => {
    const card = previewNeed(
      { category: "school_fees", target: "12.5", titleEn: " Fees ", publicRegionId: "g1", payeeName: "Secret School", urgency: "high" },
      ctx,
    );
    expect(card).toMatchObject({ targetMinor: 1250, titleEn: "Fees", governorate: { nameEn: "Beirut" }, deadline: "2026-11-23", urgency: "high" });
    expect(JSON.stringify(card)).not.toContain("Secret");
    expect(previewNeed({ category: "rent", target: "1.234" }, ctx).targetMinor).toBe(0);
    expect(previewNeed({ category: "rent", publicRegionId: "other-org-region" }, ctx).governorate).toBeNull();
  });

  it("an in-kind preview totals the complete item lines", () => {
    const card = previewNeed(
      {
        category: "in_kind_item",
        target: "999",
        items: [{ labelAr: "ماكينة خياطة", quantity: "1", unitCost: "180" }, { labelEn: "Thread", quantity: "4", unitCost: "2.5" }, { labelEn: "half typed", quantity: "2" }],
      },
      ctx,
    );
    expect(card.targetMinor).toBe(18000 + 1000);
    expect(card.items).toHaveLength(2);
  });
});

import { describe, expect, it } from "vitest";
import { DEMO_HOUSEHOLDS, DEMO_ORGANIZATIONS, type DemoRegion } from "../../../db/demo-data";
import { checkPublicText, type PrivateStrings } from "./guard";

/** The governorate's names (public by design), found by its English name in the organisation's regions. */
function governorate(org: string, nameEn: string): string[] {
  const regions: DemoRegion[] = DEMO_ORGANIZATIONS.find((o) => o.slug === org)?.regions ?? [];
  const region = regions.find((r) => r.nameEn === nameEn);
  return region ? [region.nameAr, region.nameEn] : [nameEn];
}

describe("anonymization guard on the demo data", () => {
  const cases = DEMO_HOUSEHOLDS.flatMap((household) =>
    household.needs.map((need) => {
      const secrets: PrivateStrings = {
        names: [household.head.fullName, ...household.members.map((m) => m.fullName)],
        phones: household.phones,
        idNumbers: household.ids.map((i) => i.value),
        addresses: [household.address],
      };
      const fields: Record<string, string> = { titleAr: need.titleAr, titleEn: need.titleEn, storyAr: need.storyAr, storyEn: need.storyEn };
      (need.items ?? []).forEach((item, i) => {
        fields[`items[${i}].labelAr`] = item.labelAr;
        fields[`items[${i}].labelEn`] = item.labelEn;
      });
      return [need.titleEn, { secrets, fields, publicPlaces: governorate(household.org, household.region[0]) }] as const;
    }),
  );

  it("has demo needs to check", () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases)("%s: no blocking hit against its own household", (_title, { secrets, fields, publicPlaces }) => {
    const hits = checkPublicText(fields, secrets, { publicPlaces });
    expect(hits.filter((h) => h.severity === "block").map((h) => [h.field, h.text, h.reason])).toEqual([]);
  });

  it("the demo households' own strings are found when they are put in a story", () => {
    for (const [, { secrets }] of cases) {
      const first = secrets.names[0]!;
      const hits = checkPublicText({ storyAr: `قصة ${first}` }, secrets);
      expect(hits.some((h) => h.reason === "name" || h.reason === "possible_name")).toBe(true);
    }
  });
});

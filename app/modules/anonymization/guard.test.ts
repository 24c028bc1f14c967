import { describe, expect, it } from "vitest";
import { blockingHits, checkPublicText, type PrivateStrings } from "./guard";

const household: PrivateStrings = {
  names: ["فاطمة محمود الحسن", "محمد أحمد الحسن", "Zeinab Al-Hassan", "عبد الله بن يوسف"],
  phones: ["+961 71 234 567", "٠٧١٢٣٤٥٦٧"],
  idNumbers: ["LB-UNRWA-4451239"],
  addresses: ["مخيم عين الحلوة، حي الطوارئ، بناية الزيتون، الطابق الثالث"],
};

const words = (text: string) => checkPublicText({ story: text }, household).map((h) => [h.text, h.reason]);

describe("anonymization guard", () => {
  it("finds a member's name however it is written", () => {
    expect(words("تحتاج فاطمة إلى عملية")).toEqual([["فاطمة", "name"]]);
    expect(words("تحتاج فاطمه إلى عملية")).toEqual([["فاطمه", "name"]]);
    expect(words("تحتاج فاطِمَة إلى عملية")).toEqual([["فاطِمَة", "name"]]);
    expect(words("تحتاج فاطـــمة إلى عملية")).toEqual([["فاطـــمة", "name"]]);
    expect(words("ابن أحمد يدرس")).toEqual([["أحمد", "name"]]);
    expect(words("ولمحمد ثلاثة إخوة")).toEqual([["ولمحمد", "name"]]);
    expect(words("Fatima needs surgery")).toEqual([["Fatima", "name"]]);
    expect(words("Mohamed is in grade 5")).toEqual([["Mohamed", "name"]]);
    expect(words("zeinab started school")).toEqual([["zeinab", "name"]]);
    expect(words("زينب تحب المدرسة")).toEqual([["زينب", "name"]]);
  });

  it("does not flag name particles or ordinary words", () => {
    expect(words("أم لثلاثة أطفال تحتاج بدل إيجار لستة أشهر")).toEqual([]);
    expect(words("A mother of three needs six months of rent")).toEqual([]);
  });

  it("finds the household's phone and ID numbers in any digits, and any phone-shaped number", () => {
    expect(words("اتصلوا على ٠٧١ ٢٣٤ ٥٦٧")).toEqual([["٠٧١ ٢٣٤ ٥٦٧", "phone"]]);
    expect(words("call 71-234-567")).toEqual([["71-234-567", "phone"]]);
    expect(words("registration 4451239")).toEqual([["4451239", "id_number"]]);
    expect(words("رقم ۰۹۸۸۷۶۶۵۵")).toEqual([["۰۹۸۸۷۶۶۵۵", "number_shaped"]]);
    expect(words("school fees of 350 dollars for 2025")).toEqual([]);
  });

  it("finds distinctive words of the exact address, not common ones", () => {
    expect(words("تسكن الأسرة في بناية الزيتون")).toEqual([["الزيتون", "address"]]);
    expect(words("تسكن الأسرة في مخيم في الجنوب")).toEqual([]);
  });

  it("reports each field and the position of the word, for highlighting", () => {
    const hits = checkPublicText({ titleAr: "علاج فاطمة", storyEn: "For Fatima" }, household);
    expect(hits).toEqual([
      { field: "storyEn", text: "Fatima", start: 4, end: 10, reason: "name", severity: "block", occurrence: "storyEn:fatima:0" },
      { field: "titleAr", text: "فاطمة", start: 5, end: 10, reason: "name", severity: "block", occurrence: "titleAr:فاطمه:0" },
    ]);
  });
});

describe("blockingHits", () => {
  it("keeps every block hit and the confirm hits that were not confirmed", () => {
    const base = { field: "storyAr", text: "x", start: 0, end: 1 } as const;
    const block = { ...base, reason: "name", severity: "block", occurrence: "storyAr:x:0" } as const;
    const confirmA = { ...base, reason: "possible_name", severity: "confirm", occurrence: "storyAr:نور:0" } as const;
    const confirmB = { ...base, reason: "possible_name", severity: "confirm", occurrence: "storyAr:نور:1" } as const;
    expect(blockingHits([block, confirmA, confirmB], ["storyAr:نور:0", "storyAr:x:0"])).toEqual([block, confirmB]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPublicText } from "./guard";
import { ARABIC_HOUSEHOLD, COMMON_HOUSEHOLD, GUARD_CASES, LATIN_HOUSEHOLD, outcomeOf } from "./guard.cases";

/** Every Unicode format character (category Cf). */
const FORMAT_CHARS: string[] = [];
/** The zero of every decimal digit set (category Nd). */
const DIGIT_ZEROS: number[] = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const ch = String.fromCodePoint(cp);
  if (/\p{Cf}/u.test(ch)) FORMAT_CHARS.push(ch);
  if (/\p{Nd}/u.test(ch) && !/\p{Nd}/u.test(String.fromCodePoint(cp - 1))) DIGIT_ZEROS.push(cp);
}
// Runs of 10 (or 50 for the mathematical digits) from each zero.
const DIGIT_SETS = DIGIT_ZEROS.flatMap((zero) => {
  const sets: number[] = [];
  for (let z = zero; /\p{Nd}/u.test(String.fromCodePoint(z)) && /\p{Nd}/u.test(String.fromCodePoint(z + 9)); z += 10) sets.push(z);
  return sets;
});
const SEPARATORS = [" ", "-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", ".", "_", "/", "(", ")", "+", "\u00a0", "\u2009", "\u202f", "\uff0d"];

const blocked = GUARD_CASES.filter((c) => c.outcome === "block");
const blockedNumbers = blocked.filter((c) => ["phone", "id_number", "number_shaped"].includes(c.reason!));

const stillBlocked = (text: string, c: (typeof blocked)[number]) => {
  const { outcome, reasons } = outcomeOf(text, c.household);
  return outcome === "block" && reasons.includes(c.reason!);
};

describe("anonymization guard: properties", () => {
  it("knows many format characters and digit sets", () => {
    expect(FORMAT_CHARS.length).toBeGreaterThan(100);
    expect(DIGIT_SETS.length).toBeGreaterThan(50);
  });

  it("a blocked text stays blocked, for the same reason, with any format character inserted anywhere", () => {
    fc.assert(
      fc.property(fc.constantFrom(...blocked), fc.constantFrom(...FORMAT_CHARS), fc.nat(), fc.nat(), (c, cf, at1, at2) => {
        const chars = [...c.text];
        chars.splice(at1 % (chars.length + 1), 0, cf);
        chars.splice(at2 % (chars.length + 1), 0, cf);
        expect(stillBlocked(chars.join(""), c), `${c.why}: ${JSON.stringify(chars.join(""))}`).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("a blocked number stays blocked with any separator between two of its digits", () => {
    fc.assert(
      fc.property(fc.constantFrom(...blockedNumbers), fc.constantFrom(...SEPARATORS), fc.nat(), (c, sep, at) => {
        const gaps: number[] = [];
        for (let i = 1; i < c.text.length; i++) if (/\d/.test(c.text[i - 1]!) && /\d/.test(c.text[i]!)) gaps.push(i);
        if (gaps.length === 0) return;
        const i = gaps[at % gaps.length]!;
        const text = c.text.slice(0, i) + sep + c.text.slice(i);
        expect(stillBlocked(text, c), `${c.why}: ${JSON.stringify(text)}`).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("a blocked number stays blocked written in any digit set", () => {
    fc.assert(
      fc.property(fc.constantFrom(...blockedNumbers), fc.constantFrom(...DIGIT_SETS), (c, zero) => {
        const text = c.text.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
        expect(stillBlocked(text, c), `${c.why}: ${JSON.stringify(text)}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const ARABIC_POOL = `أسرة أم أب طفل أطفال مدرسة أقساط كتب علاج دواء عملية مستشفى إيجار شهر أشهر سنة تحتاج يحتاج
    إلى في من على عن مع بعد قبل بسبب العمل الدخل الشتاء بطانيات مدفأة وقود كرسي متحرك ماكينة خياطة أدوات زراعة
    بذور أرملة مريض مريضة القلب السكري الكلى نظارة طبية الجامعة الصف الثالث الخامس التاسع ثلاثة أربعة ستة`.split(/\s+/);
  const ENGLISH_POOL = `family mother father child children school fees books treatment medicine surgery hospital rent month
    months year needs need for to in of with after before because work income winter blankets heater fuel wheelchair
    sewing machine tools farming seeds widow sick heart diabetes kidney glasses university grade third fifth ninth
    three four six the a and her his their is are was has`.split(/\s+/);
  const sentence = (pool: string[]) =>
    fc.array(
      fc.oneof(
        fc.constantFrom(...pool),
        fc.tuple(fc.oneof(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 1990, max: 2030 })), fc.constantFrom(...pool)).map(([n, w]) => `${n} ${w}`),
      ),
      {
      minLength: 1,
        maxLength: 40,
      },
    );

  it("random ordinary text without household strings never blocks", () => {
    fc.assert(
      fc.property(
        fc.oneof(sentence(ARABIC_POOL), sentence(ENGLISH_POOL)),
        fc.constantFrom(ARABIC_HOUSEHOLD, LATIN_HOUSEHOLD, COMMON_HOUSEHOLD),
        fc.constantFrom(" ", ", ", ". ", "\n"),
        (ws, household, joiner) => {
          const text = ws.join(joiner);
          const blocks = checkPublicText({ storyAr: text }, household).filter((h) => h.severity === "block");
          expect(blocks.map((h) => [h.text, h.reason]), text).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

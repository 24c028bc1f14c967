import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newReference, normalizeReference } from "~/modules/pledging/reference";
import { findReferences } from "./references";

/**
 * A reference from chosen random bytes, built the way the app builds them. newReference draws
 * again when the check symbol would be punctuation, so each draw here moves the last byte on.
 */
function refFrom(bytes: Uint8Array | number[]): string {
  const next = Uint8Array.from(bytes);
  return newReference(() => {
    const out = Uint8Array.from(next);
    next[5] = (next[5] + 1) & 31;
    return out;
  });
}
const REF = refFrom([7, 20, 3, 23, 9, 15]);
const BODY = REF.replace(/[^0-9A-Z]/g, "").slice(3, 9);
const CHECK = REF.slice(-1);
const OTHER = refFrom([1, 2, 3, 4, 5, 6]);

const arabicDigits = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

describe("findReferences: a pledge reference in a bank line's text", () => {
  it.each([
    ["as printed", `TRF ${REF} THANK YOU`],
    ["lower case, spaces", `trf ${REF.toLowerCase().replace(/-/g, " ")}`],
    ["no separators at all, glued to a word", `TRF${REF.replace(/-/g, "")}`],
    ["without the prefix, 4 + 3", `payment ${BODY.slice(0, 4)}-${BODY.slice(4)}${CHECK} from ahmad`],
    ["without the prefix, one group of 7", `ref ${BODY}${CHECK}`],
    ["Arabic-Indic digits inside Arabic text", `حوالة من أحمد ${arabicDigits(REF)} شكراً`],
    ["O for 0 and l for 1", `tdm ${BODY.replace(/0/g, "O").replace(/1/g, "l")}${CHECK}`],
    ["dots and slashes", `TDM.${BODY.slice(0, 4)}/${BODY.slice(4)}${CHECK}`],
    ["zero-width and bidi marks inside", `TDM\u200B-${BODY.slice(0, 2)}\u200E${BODY.slice(2)}${CHECK}`],
    ["full-width characters", `ＴＤＭ－${BODY}${CHECK}`.normalize("NFC")],
    ["Cyrillic look-alikes", `ТDМ ${BODY}${CHECK}`],
  ])("%s", (_label, text) => {
    expect(findReferences(text).confirmed).toEqual([REF]);
  });

  it("finds several references of one line (one transfer for three pledges), in order, once each", () => {
    expect(findReferences(`${REF}, ${OTHER} and again ${REF.toLowerCase()}`).confirmed).toEqual([REF, OTHER]);
  });

  it("keeps a reference whose check symbol was lost as a partial clue, never as a match", () => {
    const found = findReferences(`tdm ${BODY.toLowerCase()}`);
    expect(found.confirmed).toEqual([]);
    expect(found.partial).toEqual([BODY]);
    // A wrong check symbol: the same.
    const wrong = CHECK === "0" ? "1" : "0";
    expect(normalizeReference(`${BODY}${wrong}`)).toBeNull();
    expect(findReferences(`TDM-${BODY.slice(0, 4)}-${BODY.slice(4)}${wrong}`)).toEqual({ confirmed: [], partial: [BODY] });
  });

  it("finds nothing in lines without a reference", () => {
    for (const text of ["", "BANK CHARGES MARCH", "INTEREST 2026-11", "تحويل بين الحسابات", "SALARY TRANSFER 12345678", null, undefined]) {
      expect(findReferences(text)).toEqual({ confirmed: [], partial: [] });
    }
  });

  it("property: any valid reference, however mangled within the rules, is found in any surrounding text", () => {
    const seps = fc.constantFrom("", " ", "-", ".", "  ", "/");
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 6, maxLength: 6 }),
        fc.string({ maxLength: 30 }).map((s) => s.replace(/[0-9A-Za-z]/g, " ")),
        fc.string({ maxLength: 30 }).map((s) => s.replace(/[0-9A-Za-z]/g, " ")),
        seps,
        seps,
        fc.boolean(),
        fc.boolean(),
        (bytes, before, after, sep1, sep2, lower, indic) => {
          const ref = refFrom(bytes);
          const [, a, b] = ref.split("-");
          let written = `TDM${sep1}${a}${sep2}${b}`;
          if (lower) written = written.toLowerCase();
          if (indic) written = arabicDigits(written);
          return findReferences(`${before} ${written} ${after}`).confirmed.includes(ref);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: text of ordinary words (no prefix, no 7-symbol group, no 4-then-3 pair) never yields a confirmed reference", () => {
    // Words of 3 and 4 symbols are left out: a 4-symbol word followed by a 3-symbol one is how a code
    // without its prefix is written ("7K3Q 9FX"), and 1 in 32 such random pairs has a valid check.
    const word = fc.stringMatching(/^[A-Za-z0-9]{1,2}$|^[A-Za-z0-9]{5,6}$|^[A-Za-z0-9]{8,12}$/);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), (words) => {
        const text = words.filter((w) => !/tdm/i.test(w)).join(" ");
        return findReferences(text).confirmed.length === 0;
      }),
      { numRuns: 500 },
    );
  });
});

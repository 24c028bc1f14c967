import { describe, expect, it } from "vitest";
import { checkPublicText, type PrivateStrings, type PublicContext } from "./guard";
import {
  ARABIC_CONTEXT,
  ARABIC_HOUSEHOLD,
  COMMON_HOUSEHOLD,
  GUARD_CASES,
  LATIN_CONTEXT,
  LATIN_HOUSEHOLD,
  type GuardCase,
  type Household,
} from "./guard.cases";

const HOUSEHOLDS: Record<Household, [PrivateStrings, PublicContext]> = {
  ar: [ARABIC_HOUSEHOLD, ARABIC_CONTEXT],
  latin: [LATIN_HOUSEHOLD, LATIN_CONTEXT],
  common: [COMMON_HOUSEHOLD, {}],
};

/** block: some hit blocks (with the reason); confirm: no hit blocks, some possible name; pass: no hit at all. */
function outcomeOf(text: string, household: Household) {
  const [secrets, context] = HOUSEHOLDS[household];
  const hits = checkPublicText({ story: text }, secrets, context);
  const blocks = hits.filter((h) => h.severity === "block");
  const outcome = blocks.length > 0 ? "block" : hits.length > 0 ? "confirm" : "pass";
  return { outcome, reasons: (blocks.length > 0 ? blocks : hits).map((h) => h.reason), hits };
}

describe("anonymization guard: the case table", () => {
  it("has at least 150 cases covering every class", () => {
    expect(GUARD_CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(GUARD_CASES.map((c) => c.cls)).size).toBe(19);
  });

  it.each(GUARD_CASES.map((c, i) => [i, c.cls, c.why, c] as const))("#%i %s: %s", (_i, _cls, _why, c: GuardCase) => {
    const { outcome, reasons, hits } = outcomeOf(c.text, c.household);
    expect({ outcome, hits: hits.map((h) => [h.text, h.reason]) }).toMatchObject({ outcome: c.outcome });
    if (c.reason) expect(reasons).toContain(c.reason);
    // Highlights point at the original text.
    for (const h of hits) expect(c.text.slice(h.start, h.end)).toBe(h.text);
  });
});

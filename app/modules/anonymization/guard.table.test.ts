import { describe, expect, it } from "vitest";
import { GUARD_CASES, outcomeOf, type GuardCase } from "./guard.cases";

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

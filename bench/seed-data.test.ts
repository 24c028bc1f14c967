import { describe, expect, it } from "vitest";
import { drawUnique } from "./seed";
import { assertSeedText, seedTextProblem, seedTexts } from "./seed-data";

describe("bench seed text", () => {
  it("every string the seed writes is valid text", () => {
    const texts = seedTexts();
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.filter((t) => seedTextProblem(t.text) !== null)).toEqual([]);
    expect(() => assertSeedText()).not.toThrow();
  });

  it("refuses NUL and other control characters, lone surrogates, U+FFFD, non-NFC and blanks", () => {
    expect(seedTextProblem("مرحبا\u0000")).toBe("control character U+0000");
    expect(seedTextProblem("a\tb")).toBe("control character U+0009");
    expect(seedTextProblem("a\u0085b")).toBe("control character U+0085");
    expect(seedTextProblem("x\ud83d")).toBe("lone surrogate");
    expect(seedTextProblem("\ude00x")).toBe("lone surrogate");
    expect(seedTextProblem("ok \ud83d\ude00")).toBeNull();
    expect(seedTextProblem("bad \ufffd")).toBe("replacement character");
    expect(seedTextProblem("e\u0301")).toBe("not NFC");
    expect(seedTextProblem("  ")).toBe("blank");
    expect(seedTextProblem(" x")).toBe("leading or trailing space");
    expect(() => assertSeedText([{ where: "here", text: "a\u0000" }])).toThrow(/here: control character U\+0000/);
  });
});

describe("drawUnique", () => {
  it("never returns a value already taken or twice, even when the draw repeats", () => {
    const taken = new Set(["A", "B"]);
    const seq = ["A", "C", "C", "B", "D", "E"];
    let i = 0;
    const out = drawUnique(3, taken, () => seq[i++]);
    expect(out).toEqual(["C", "D", "E"]);
    expect(taken).toEqual(new Set(["A", "B", "C", "D", "E"]));
  });
});

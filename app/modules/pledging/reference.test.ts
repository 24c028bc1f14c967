import { describe, expect, it } from "vitest";
import { checkSymbol, isValidReference, newReference, normalizeReference } from "./reference";

const SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

describe("pledge reference codes", () => {
  it("look like TDM-XXXX-XXC, letters and digits only, and are valid", () => {
    for (let i = 0; i < 2000; i += 1) {
      const ref = newReference();
      expect(ref).toMatch(/^TDM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}[0-9A-Z]$/);
      expect(isValidReference(ref)).toBe(true);
    }
  });

  it("follow Crockford's mod-37 check", () => {
    expect(checkSymbol("000000")).toBe("0");
    expect(checkSymbol("000001")).toBe("1");
    expect(checkSymbol("000014")).toBe("U"); // 36
    expect(checkSymbol("000010")).toBe("*"); // 32
  });

  it("redraws when the check would be punctuation", () => {
    const draws = [
      Uint8Array.from([0, 0, 0, 0, 1, 0]), // 000010 → '*'
      Uint8Array.from([0, 0, 0, 0, 0, 1]), // 000001 → '1'
    ];
    expect(newReference(() => draws.shift()!)).toBe("TDM-0000-011");
  });

  it("tolerate case, spaces, dashes, a missing prefix and I/L/O/U confusions", () => {
    const ref = "TDM-1V0K-3Q" + checkSymbol("1V0K3Q");
    const check = ref.slice(-1);
    expect(normalizeReference(ref.toLowerCase())).toBe(ref);
    expect(normalizeReference(` tdm 1v0k 3q${check.toLowerCase()} `)).toBe(ref);
    expect(normalizeReference(`1V0K3Q${check}`)).toBe(ref);
    expect(normalizeReference(`TDM-IUOK-3Q${check}`)).toBe(ref); // I→1, U→V, O→0
    expect(normalizeReference(`tdm-lu0k-3q${check}`)).toBe(ref); // l→1
    expect(normalizeReference("")).toBeNull();
    expect(normalizeReference("TDM-1V0K-3")).toBeNull();
    expect(normalizeReference("TDM-1V0K-3Q!!")).toBeNull();
  });

  it("detect every single wrong symbol and every swap of neighbours", () => {
    for (let n = 0; n < 50; n += 1) {
      const ref = newReference();
      const compact = ref.replace(/^TDM-/, "").replace("-", "");
      for (let pos = 0; pos < compact.length; pos += 1) {
        for (const sym of SYMBOLS) {
          if (sym === compact[pos]) continue;
          const typo = compact.slice(0, pos) + sym + compact.slice(pos + 1);
          expect(isValidReference(typo), `${ref} with ${typo}`).toBe(false);
        }
      }
      for (let pos = 0; pos < 5; pos += 1) {
        if (compact[pos] === compact[pos + 1]) continue;
        const swapped = compact.slice(0, pos) + compact[pos + 1] + compact[pos] + compact.slice(pos + 2);
        expect(isValidReference(swapped), `${ref} swapped at ${pos}`).toBe(false);
      }
    }
  });

  it("a body that itself begins with TDM is read with or without the prefix (found by the statement matcher's property test)", () => {
    const body = "TDM000";
    const ref = `TDM-TDM0-00${checkSymbol(body)}`;
    expect(normalizeReference(ref)).toBe(ref);
    expect(normalizeReference(`TDM${body}${checkSymbol(body)}`)).toBe(ref);
    expect(normalizeReference(`${body}${checkSymbol(body)}`)).toBe(ref);
  });
});

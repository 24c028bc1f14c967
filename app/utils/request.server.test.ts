import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { safeRedirect } from "./request.server";

const FALLBACK = "/default";

// [target, expected, why]
const TABLE: [string, string, string][] = [
  ["//x", FALLBACK, "scheme-relative URL leaves the site"],
  ["//evil.example/path", FALLBACK, "scheme-relative URL"],
  ["/\\x", FALLBACK, "browsers read /\\ as //"],
  ["/\\/evil.example", FALLBACK, "backslash after slash"],
  ["/ok\\x", FALLBACK, "backslash anywhere"],
  ["/%09/x", FALLBACK, "encoded TAB is stripped by some hops, leaving //x"],
  ["/%0A/x", FALLBACK, "encoded LF"],
  ["/%0D/x", FALLBACK, "encoded CR"],
  ["/%00/x", FALLBACK, "encoded NUL"],
  ["/%2F%2Fx", FALLBACK, "encoded // after the leading slash"],
  ["/%2fevil.example", FALLBACK, "encoded / after the leading slash (lower case)"],
  ["/%5Cx", FALLBACK, "encoded backslash"],
  ["/a%5cb", FALLBACK, "encoded backslash anywhere"],
  ["/%C2%85x", FALLBACK, "encoded C1 control (NEL)"],
  ["https:x", FALLBACK, "a scheme, not a path"],
  ["https://evil.example", FALLBACK, "absolute URL"],
  ["http://localhost/x", FALLBACK, "absolute URL, even to ourselves"],
  ["javascript:alert(1)", FALLBACK, "javascript: URL"],
  ["JavaScript:alert(1)", FALLBACK, "javascript: URL, mixed case"],
  ["data:text/html,hi", FALLBACK, "data: URL"],
  ["/\t/x", FALLBACK, "raw TAB (browsers strip it: //x)"],
  ["/\t/evil.example", FALLBACK, "raw TAB"],
  ["\t/x", FALLBACK, "leading TAB"],
  ["/x\r\nSet-Cookie: a=b", FALLBACK, "raw CR/LF (header injection)"],
  ["/x\nLocation: //evil", FALLBACK, "raw LF"],
  ["/x\rfoo", FALLBACK, "raw CR"],
  ["/x%0D%0ASet-Cookie:%20a=b", FALLBACK, "encoded CR/LF"],
  ["/x\u0000", FALLBACK, "raw NUL"],
  ["/x\u2028y", FALLBACK, "line separator"],
  [" /x", FALLBACK, "leading space"],
  ["/ x", FALLBACK, "raw space"],
  ["ok", FALLBACK, "relative path"],
  ["./ok", FALLBACK, "dot-relative path"],
  ["../ok", FALLBACK, "parent-relative path"],
  ["", FALLBACK, "empty"],
  ["/" + "a".repeat(5000), FALLBACK, "very long value"],
  ["/%E0%A4%A", FALLBACK, "broken escape in the path"],
  ["/ok?x=1", "/ok?x=1", "a same-origin path with a query"],
  ["/", "/", "the root"],
  ["/needs", "/needs", "a plain path"],
  ["/needs?q=%D9%85%D8%AF%D8%B1%D8%B3%D8%A9", "/needs?q=%D9%85%D8%AF%D8%B1%D8%B3%D8%A9", "an Arabic query, percent-encoded"],
  ["/staff/org/needs/1#pledges", "/staff/org/needs/1#pledges", "a fragment"],
  ["/a/b//c", "/a/b//c", "a double slash later in the path stays on the site"],
];

describe("safeRedirect", () => {
  it.each(TABLE)("%j → %j (%s)", (target, expected) => {
    expect(safeRedirect(target, FALLBACK)).toBe(expected);
  });

  it("non-strings and nulls give the default", () => {
    expect(safeRedirect(null, FALLBACK)).toBe(FALLBACK);
    expect(safeRedirect(undefined, FALLBACK)).toBe(FALLBACK);
    expect(safeRedirect(new File([""], "x"), FALLBACK)).toBe(FALLBACK);
    expect(safeRedirect("//x")).toBe("/");
  });

  it("whatever it keeps resolves to the same origin, with no control character (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 40 }),
          fc.string({ unit: "binary", maxLength: 40 }).map((s) => "/" + s),
          fc.webUrl(),
          fc.constantFrom("/", "//", "/\\", "/%2F", "/%5C", "/%09", "\t", "\r\n").chain((p) =>
            fc.string({ maxLength: 20 }).map((s) => p + s),
          ),
        ),
        (target) => {
          const kept = safeRedirect(target, FALLBACK);
          if (kept === FALLBACK) return;
          expect(kept).toBe(target);
          expect(new URL(kept, "http://x.invalid").origin).toBe("http://x.invalid");
          expect(new URL(kept, "https://tadamon.example").origin).toBe("https://tadamon.example");
          expect(kept).not.toMatch(/[\u0000-\u001F\u007F\\]/);
          expect(kept.startsWith("//")).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

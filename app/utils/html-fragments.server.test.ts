import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { FragmentProvider, RawHtml } from "~/components/html-fragment";
import { assembled, clearEncodedFragments, encodedFragment, PageFragments } from "./html-fragments.server";

const cardA = '<article lang="ar">بطاقة <b>أولى</b> — US$ 2,400</article>';
const cardB = "<article>second card &amp; more</article>";

function page(fragments: PageFragments | null, text: string) {
  return createElement(
    FragmentProvider,
    { value: fragments },
    createElement("main", null, createElement("p", null, text), createElement("ul", null, createElement(RawHtml, { as: "li", html: cardA }), createElement(RawHtml, { as: "li", html: cardB }))),
  );
}

describe("a kept page assembled from its frame and remembered fragments (decision 078)", () => {
  it("gives exactly the bytes of the page rendered with its fragments inline", () => {
    const inline = "<!DOCTYPE html>" + renderToString(page(null, "نص الصفحة"));
    const fragments = new PageFragments();
    const markup = renderToString(page(fragments, "نص الصفحة"));
    expect(fragments.fragments).toEqual([cardA, cardB]);
    expect(markup).not.toContain(cardA);
    const before = { ...assembled };
    const bytes = fragments.assemble("<!DOCTYPE html>", markup);
    expect(bytes.equals(Buffer.from(inline))).toBe(true);
    expect(assembled.pages).toBe(before.pages + 1);
    expect(assembled.fragments).toBe(before.fragments + 2);
  });

  it("encodes a fragment once while it is remembered", () => {
    clearEncodedFragments();
    const first = encodedFragment(cardA);
    expect(first.toString()).toBe(cardA);
    expect(encodedFragment(cardA)).toBe(first);
  });

  it("a visitor's text shaped like a marker is escaped, never replaced by a fragment", () => {
    const fragments = new PageFragments();
    const forged = fragments.marker("<script>alert(1)</script>");
    fragments.fragments.length = 0;
    const markup = renderToString(page(fragments, forged));
    const html = fragments.assemble("", markup).toString();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;!--fragment:");
    expect(html).toContain(cardA);
  });

  it("a missing marker falls back to the page with every fragment put back", () => {
    const fragments = new PageFragments();
    const markup = renderToString(page(fragments, "x"));
    const firstMarker = fragments.marker("unused");
    fragments.fragments.pop();
    // The first marker removed from the markup: the second is still replaced, nothing is lost.
    const damaged = markup.replace(firstMarker.replace(/\d+-->$/, "0-->"), "");
    const html = fragments.assemble("", damaged).toString();
    expect(html).not.toContain("<!--fragment:");
    expect(html).toContain(cardB);
    expect(html).not.toContain(cardA);
  });
});

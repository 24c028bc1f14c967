import { describe, expect, it } from "vitest";
import { extractLinks } from "./links";

describe("extractLinks", () => {
  it("lists http(s) links once, in order, with entities decoded", () => {
    const html = `<p><a href="https://a.test/verify?token=x&amp;lng=ar" style="x">Go</a>
      <a class="b" href='http://b.test/'>B</a><a href="https://a.test/verify?token=x&amp;lng=ar">again</a>
      <a href="mailto:someone@example.test">mail</a><a name="top">anchor</a><link href="https://css.test/x.css"></p>`;
    expect(extractLinks(html)).toEqual(["https://a.test/verify?token=x&lng=ar", "http://b.test/"]);
  });

  it("finds nothing in an email without links", () => {
    expect(extractLinks("<p>Hello</p>")).toEqual([]);
  });
});

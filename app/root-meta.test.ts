import { describe, expect, it } from "vitest";
import { meta } from "./root";

/** A 404 on a donor page: the root loader gave no strings (donor half), only the locale. */
const notFound = { status: 404, statusText: "Not Found", internal: false, data: null };

describe("the error page's title is translated", () => {
  it("on a donor page whose loader data carries no strings, in Arabic and English", () => {
    const call = (locale: "ar" | "en") =>
      (meta as unknown as (args: { data: unknown; error: unknown }) => { title?: string }[])({ data: { locale, messages: {} }, error: notFound });
    expect(call("ar")[0].title).toBe("الصفحة غير موجودة — تضامن");
    expect(call("en")[0].title).toBe("Page not found — Tadamon");
  });
});

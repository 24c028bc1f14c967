import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { z } from "zod";
import { checkFieldName, MAX_FIELDS, MAX_LIST_INDEX, parseForm, readForm } from "./forms.server";
import { screenRequest } from "./request-screen.server";

function post(body: BodyInit | null, contentType: string | null = "application/x-www-form-urlencoded", url = "http://localhost/x") {
  const headers = new Headers();
  if (contentType) headers.set("content-type", contentType);
  return new Request(url, { method: "POST", headers, body });
}

async function refusal(request: Request): Promise<{ status: number; text: string }> {
  try {
    await readForm(request);
  } catch (error) {
    if (error instanceof Response) return { status: error.status, text: await error.text() };
    throw error;
  }
  return { status: 200, text: "" };
}

describe("readForm", () => {
  it("reads an ordinary form, and the same Request twice gives the same data", async () => {
    const request = post("intent=save&items%5B19%5D.label=%D9%85%D8%AF%D8%B1%D8%B3%D8%A9&story=a%0D%0Ab%09c");
    const form = await readForm(request);
    expect(form.get("intent")).toBe("save");
    expect(form.get("items[19].label")).toBe("مدرسة");
    expect(form.get("story")).toBe("a\r\nb\tc");
    expect(await readForm(request)).toBe(form);
    const { submission } = await parseForm(request, z.object({ intent: z.string() }));
    expect(submission.status).toBe("success");
  });

  it.each([
    ["junk[10000000]=1", 400, "listIndex"],
    ["a[0][99999]=1", 400, "listIndex"],
    ["a.99999=1", 400, "listIndex"],
    [`a[${"9".repeat(150)}]=1`, 400, "listIndex"],
    [`a[${"9".repeat(10_000)}]=1`, 400, "badFieldName"],
    [`a[${MAX_LIST_INDEX + 1}]=1`, 400, "listIndex"],
    ["name=a%00b", 400, "controlCharacter"],
    ["na%00me=x", 400, "controlCharacter"],
    ["name=a%1Bb", 400, "controlCharacter"],
    ["name=a%C2%85b", 400, "controlCharacter"],
    ["name=a%7Fb", 400, "controlCharacter"],
    ["a..b=1", 400, "badFieldName"],
    ["a]=1", 400, "badFieldName"],
    ["__proto__=1", 400, "badFieldName"],
    ["a.constructor.x=1", 400, "badFieldName"],
    ["a.b.c.d.e.f.g=1", 400, "badFieldName"],
    ["=1", 400, "badFieldName"],
    [`x=${"a".repeat(100_001)}`, 413, "fieldTooLong"],
    [Array.from({ length: MAX_FIELDS + 1 }, (_, i) => `f${i}=1`).join("&"), 400, "tooManyFields"],
  ])("refuses body #%#", async (body, status, reason) => {
    expect(await refusal(post(body))).toEqual({ status, text: reason });
  });

  it("keeps the largest legitimate index and exactly MAX_FIELDS fields", async () => {
    expect(checkFieldName(`items[${MAX_LIST_INDEX}].label`)).toBeNull();
    expect(checkFieldName("items[]")).toBeNull();
    const body = Array.from({ length: MAX_FIELDS }, (_, i) => `f${i}=1`).join("&");
    expect((await readForm(post(body))).get("f299")).toBe("1");
  });

  it.each([
    ["JSON", '{"a":1}', "application/json", 415],
    ["text/plain", "a=1", "text/plain", 415],
    ["no content type", "a=1", null, 415],
    ["an empty form", "", "application/x-www-form-urlencoded", 400],
    ["no body at all", null, "application/x-www-form-urlencoded", 400],
    ["no body, no type", null, null, 400],
  ])("refuses %s", async (_label, body, type, status) => {
    expect((await refusal(post(body, type))).status).toBe(status);
  });

  it("screens the action's query string too", async () => {
    expect((await refusal(post("a=1", undefined, "http://localhost/x?q=%00"))).status).toBe(400);
  });

  it("applies the same bounds to multipart bodies", async () => {
    const form = new FormData();
    form.append("kind", "a\u0000b");
    expect((await refusal(new Request("http://localhost/x", { method: "POST", body: form }))).status).toBe(400);
    const ok = new FormData();
    ok.append("kind", "report");
    ok.append("file", new File(["%PDF"], "a.pdf"));
    expect((await readForm(new Request("http://localhost/x", { method: "POST", body: ok }))).get("kind")).toBe("report");
  });

  it("a huge index costs no more than a small one (no expansion)", async () => {
    const time = async (body: string) => {
      const start = performance.now();
      for (let i = 0; i < 200; i++) await refusal(post(body));
      return performance.now() - start;
    };
    await time("junk[50]=1");
    const small = await time("junk[50]=1");
    const huge = await time(`junk[${"9".repeat(190)}]=1`);
    expect(huge).toBeLessThan(small * 5 + 50);
  });

  it("never lets a control character through, whatever the body (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.string({ unit: "binary", maxLength: 12 }), fc.string({ unit: "binary", maxLength: 30 })), { maxLength: 20 }), async (pairs) => {
        const body = new URLSearchParams(pairs).toString();
        try {
          const form = await readForm(post(body));
          for (const [name, value] of form.entries()) {
            expect(`${name}${String(value)}`).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(Response);
          expect((error as Response).status).toBeLessThan(500);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("screenRequest", () => {
  const get = (url: string) => screenRequest("GET", url, new Headers());
  it.each([
    ["/needs?page=1", null],
    ["/needs?q=%D9%85%D8%AF%D8%B1%D8%B3%D8%A9&page=2&page=3", null],
    ["/needs?q=%00", 400],
    ["/needs?q=%0A", null],
    ["/login?redirectTo=%2F%09%2Fevil.example", null],
    ["/needs?q%0A=1", 400],
    ["/needs?q=%1B", 400],
    ["/needs?q=%C0%AF", 400],
    ["/needs?q=%ED%A0%80", 400],
    ["/needs%C0%AF", 400],
    [`/needs?q=${"a".repeat(100_000)}`, 414],
    [`/needs?${"a=1&".repeat(200)}`, 400],
  ])("GET %s → %s", (url, status) => {
    expect(get(`http://localhost${url}`)?.status ?? null).toBe(status);
  });

  it("mutations must carry a form", () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(screenRequest("POST", "http://l/login", h({ "content-type": "application/json", "content-length": "2" }))?.status).toBe(415);
    expect(screenRequest("POST", "http://l/login", h({ "content-type": "text/plain", "content-length": "2" }))?.status).toBe(415);
    expect(screenRequest("POST", "http://l/login", h({ "content-length": "3" }))?.status).toBe(415);
    expect(screenRequest("POST", "http://l/login", h({ "content-type": "application/x-www-form-urlencoded", "content-length": "0" }))?.status).toBe(400);
    expect(screenRequest("POST", "http://l/login", h({ "content-type": "multipart/form-data; boundary=x", "content-length": "10" }))).toBeNull();
    expect(screenRequest("POST", "http://l/webhooks/stripe", h({ "content-type": "application/json", "content-length": "2" }))).toBeNull();
    expect(screenRequest("POST", "http://l/login", { "content-type": "application/json", "content-length": "2" })?.status).toBe(415);
  });
});

describe("refusalText (server.js's own refusals)", () => {
  it("speaks the visitor's language first, then the other, and names the status", async () => {
    const { refusalText } = await import("./request-screen.server");
    const ar = refusalText(415, "Unsupported Media Type", { cookie: "lng=ar" });
    expect(ar.indexOf("صيغة غير مدعومة")).toBeGreaterThanOrEqual(0);
    expect(ar.indexOf("صيغة غير مدعومة")).toBeLessThan(ar.indexOf("Unsupported format"));
    const en = refusalText(403, "Forbidden", new Headers({ "accept-language": "en-GB,en;q=0.9" }));
    expect(en.startsWith("Not allowed")).toBe(true);
    expect(en).toContain("غير مسموح");
    expect(refusalText(400, "Bad Request: empty body", {})).toMatch(/^تعذّر قبول ما أُرسل[\s\S]*\(400 Bad Request: empty body\)/);
  });
});

/**
 * A page an anonymous visitor may keep (public Cache-Control) is rendered whole, to one string
 * (app/entry.server.tsx, decision 077), unless it renders <Scripts> or fails while rendering: then
 * the streaming path renders it, which streams the loader data into <Scripts> and answers a
 * failed render with a 500 nobody may cache. A hand-made server build with routes that do each.
 */
import { Outlet, Scripts, useLoaderData, useRouteError } from "@remix-run/react";
import { describe, expect, it, vi } from "vitest";
import { handMadeHandler } from "../fixtures/server-build";
import { RawHtml } from "~/components/html-fragment";
import { assembled } from "~/utils/html-fragments.server";

const PUBLIC = { "Cache-Control": "public, max-age=60" };

const root = {
  // As the app's root: a boundary whose page says nothing about caching.
  ErrorBoundary: function Boundary() {
    return (
      <html lang="en">
        <body>
          <p>{`boundary: ${(useRouteError() as Error | undefined)?.message ? "error" : "none"}`}</p>
        </body>
      </html>
    );
  },
  default: function Root() {
    return (
      <html lang="en">
        <body>
          <Outlet />
        </body>
      </html>
    );
  },
};
const plain = {
  loader: () => ({ word: "plain-page-word" }),
  headers: () => PUBLIC,
  default: function Plain() {
    return <p>{useLoaderData<{ word: string }>().word}</p>;
  },
};
const withScripts = {
  loader: () => ({ word: "scripted-page-word" }),
  headers: () => PUBLIC,
  default: function WithScripts() {
    return (
      <>
        <p>{useLoaderData<{ word: string }>().word}</p>
        <Scripts />
      </>
    );
  },
};
const failing = {
  loader: () => ({ word: "never-shown" }),
  headers: () => PUBLIC,
  default: function Failing(): never {
    throw new Error("render failed on purpose");
  },
};

const CARD = '<article lang="ar">بطاقة محفوظة — <bdi dir="ltr">US$ 2,400</bdi></article>';
const cards = {
  loader: () => ({ cards: [CARD, CARD.replace("2,400", "75")] }),
  headers: () => PUBLIC,
  default: function Cards() {
    return (
      <ul>
        {useLoaderData<{ cards: string[] }>().cards.map((html) => (
          <RawHtml key={html} as="li" html={html} />
        ))}
      </ul>
    );
  },
};
const cardsScripted = {
  ...cards,
  default: function CardsScripted() {
    return (
      <>
        <cards.default />
        <Scripts />
      </>
    );
  },
};

const routes = {
  root: { id: "root", path: "", module: root },
  "routes/plain": { id: "routes/plain", parentId: "root", path: "plain", module: plain },
  "routes/scripts": { id: "routes/scripts", parentId: "root", path: "scripts", module: withScripts },
  "routes/failing": { id: "routes/failing", parentId: "root", path: "failing", module: failing },
  "routes/cards": { id: "routes/cards", parentId: "root", path: "cards", module: cards },
  "routes/cards-scripted": { id: "routes/cards-scripted", parentId: "root", path: "cards-scripted", module: cardsScripted },
};

const handler = handMadeHandler(routes);
const get = (path: string) => handler(new Request(new URL(path, "http://localhost"), { headers: { "user-agent": "vitest" } }));

describe("a page kept whole (decision 077)", () => {
  it("is one document with its doctype, a weak ETag and a real nonce, and no loader data", async () => {
    const res = await get("/plain");
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toMatch(/^W\//);
    const html = await res.text();
    expect(html.startsWith("<!DOCTYPE html><html")).toBe(true);
    expect(html).toContain("<p>plain-page-word</p>");
    expect(html).not.toContain("streamController");
    expect(html).not.toContain("TadamonNoncePlaceholder0");
  });

  it("with <Scripts>: rendered by the streaming path, its loader data streamed to the browser", async () => {
    const res = await get("/scripts");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("<p>scripted-page-word</p>");
    expect(html).toContain("window.__remixContext.streamController.enqueue");
    expect(html).toContain("scripted-page-word");
    expect(html.match(/streamController\.enqueue\([^)]*scripted-page-word/)).not.toBeNull();
  });

  it("failing while rendering: a 500 nobody may keep", async () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const res = await get("/failing");
      expect(res.status).toBe(500);
      expect(res.headers.get("Cache-Control")).toMatch(/no-store/);
      expect(res.headers.get("ETag")).toBeNull();
      expect(await res.text()).toContain("boundary: error");
    } finally {
      quiet.mockRestore();
    }
  });

  it("remembered fragments (cards) are spliced in as their encoded bytes, the same page as inline (decision 078)", async () => {
    const before = { ...assembled };
    const res = await get("/cards");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(assembled.pages).toBe(before.pages + 1);
    expect(assembled.fragments).toBe(before.fragments + 2);
    expect(html).toContain(`<ul><li>${CARD}</li><li>${CARD.replace("2,400", "75")}</li></ul>`);
    expect(html).not.toContain("<!--fragment:");
    // The streaming path (a page with <Scripts>) renders the same cards inline.
    const streamed = await (await get("/cards-scripted")).text();
    expect(assembled.pages).toBe(before.pages + 1);
    expect(streamed).toContain(`<ul><li>${CARD}</li><li>${CARD.replace("2,400", "75")}</li></ul>`);
    expect(streamed).not.toContain("<!--fragment:");
  });
});

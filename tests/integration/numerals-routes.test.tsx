// The numerals setting: chosen in the profile (a plain form post, no JavaScript), stored on the
// person, given out by the root loader and followed by the bidi components on every page.
import { beforeAll, describe, expect, it } from "vitest";
import type { ReactNode } from "react";
import { eq } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { Outlet } from "@remix-run/react";
import { users } from "#db/schema";
import { getDb } from "~/utils/db.server";
import * as accountRoute from "~/routes/account._index";
import { loader as rootLoader } from "~/root";
import { Money, Num } from "~/components/bidi";
import { createUser } from "../fixtures/db";
import { makeRequest, run, signIn } from "../fixtures/routes";

async function numeralsOf(userId: string) {
  const [row] = await (await getDb()).select({ numerals: users.numerals }).from(users).where(eq(users.id, userId));
  return row.numerals;
}

/** A page under a root route whose loader data is `root` (as app/root.tsx gives it), rendered as the server sends it. */
async function renderUnderRoot(root: unknown, page: ReactNode) {
  const routes = [{ id: "root", path: "/", loader: () => root as Record<string, unknown>, element: <Outlet />, children: [{ id: "page", index: true, element: page }] }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw context;
  return renderToStaticMarkup(<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />);
}

const figures = (
  <p>
    <Money minor={240_000} currency="USD" locale="ar" /> <Num value={1234} locale="ar" />
  </p>
);

describe("numerals setting", () => {
  // Opening and migrating a fresh database takes a while on a busy machine: not the test's time.
  beforeAll(async () => {
    await getDb();
  });

  it("is Latin by default, saved from the profile form and applied to money and counts", async () => {
    const user = await createUser({ locale: "ar" });
    const cookie = await signIn(user.id);

    const before = await run(rootLoader, makeRequest("/account", { cookie }));
    expect(before.body.user.numerals).toBe("latn");
    expect(await renderUnderRoot(before.body, figures)).toContain("US$\u00a02,400.00");
    expect((await run(accountRoute.loader, makeRequest("/account", { cookie }))).body.profile.numerals).toBe("latn");

    const saved = await run(accountRoute.action, makeRequest("/account", { cookie, form: { displayName: user.displayName, locale: "ar", numerals: "arab" } }));
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/account?saved=1");
    expect(await numeralsOf(user.id)).toBe("arab");

    const after = await run(rootLoader, makeRequest("/account", { cookie }));
    expect(after.body.user.numerals).toBe("arab");
    expect((await run(accountRoute.loader, makeRequest("/account", { cookie }))).body.profile.numerals).toBe("arab");
    const html = await renderUnderRoot(after.body, figures);
    expect(html).toContain("US$\u00a0٢٬٤٠٠٫٠٠");
    expect(html).toContain("١٬٢٣٤");
    expect(html).not.toMatch(/[0-9]/);

    // And back.
    await run(accountRoute.action, makeRequest("/account", { cookie, form: { displayName: user.displayName, locale: "ar", numerals: "latn" } }));
    expect(await numeralsOf(user.id)).toBe("latn");
  });

  it("refuses an unknown system and keeps the choice when the form leaves the field out", async () => {
    const user = await createUser({ numerals: "arab" });
    const cookie = await signIn(user.id);
    const refused = await run(accountRoute.action, makeRequest("/account", { cookie, form: { displayName: "X", locale: "en", numerals: "roman" } }));
    expect(refused.status).toBe(400);
    expect(await numeralsOf(user.id)).toBe("arab");
    const kept = await run(accountRoute.action, makeRequest("/account", { cookie, form: { displayName: "X", locale: "en" } }));
    expect(kept.status).toBe(302);
    expect(await numeralsOf(user.id)).toBe("arab");
  });

  it("gives an anonymous visitor Latin digits", async () => {
    const anonymous = await run(rootLoader, makeRequest("/"));
    expect(anonymous.body.user).toBeNull();
    expect(await renderUnderRoot(anonymous.body, figures)).toContain("US$\u00a02,400.00");
  });
});

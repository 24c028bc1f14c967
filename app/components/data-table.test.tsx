import { describe, expect, it } from "vitest";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import i18next from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { resources } from "~/locales";
import { i18nConfig } from "~/utils/i18n";
import { FilteredTable } from "./data-table";

/** Rendered on the server, as a browser without JavaScript receives it. */
async function render(element: ReactNode, url = "/list?status=open&page=2") {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng: "en", resources });
  const routes = [{ id: "page", path: "/list", loader: () => null, element }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(new URL(url, "http://localhost")));
  if (context instanceof Response) throw context;
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <StaticRouterProvider router={router} context={context} hydrate={false} />
    </I18nextProvider>,
  );
}

const table = (rows: string[], active = true) => (
  <FilteredTable
    id="results"
    title="Results"
    filters={{ title: "Filters", submitLabel: "Apply", resetLabel: "Reset", resetTo: "/list", active, hidden: { queue: "flagged" }, fields: <input name="status" /> }}
    caption="Things"
    columns={["Name", { label: "Actions", hidden: true }]}
    rows={rows}
    empty="Nothing here"
    testId="things"
    page={2}
    pages={3}
    renderRow={(r) => (
      <tr key={r}>
        <th scope="row">{r}</th>
        <td>
          open<span className="sr-only"> {r}</span>
        </td>
      </tr>
    )}
  />
);

describe("FilteredTable", () => {
  it("puts the table in a relative scroll box of its own, so hidden labels cannot widen the page", async () => {
    const html = await render(table(["a", "b"]));
    const box = /<div role="region" aria-label="Things" tabindex="0" class="([^"]+)"><table[^>]*data-testid="things"/.exec(html);
    expect(box?.[1].split(" ")).toEqual(expect.arrayContaining(["relative", "min-w-0", "max-w-full", "overflow-x-auto"]));
    expect(html).toContain('<th scope="col" class="border-b border-stone-300 px-2 py-2 text-start font-bold"><span class="sr-only">Actions</span></th>');
  });

  it("filters with a plain GET form that keeps hidden fields, and resets only while a filter is on", async () => {
    const html = await render(table(["a"]));
    expect(html).toMatch(/<form method="get"[^>]*role="search"/);
    expect(html).toContain('<input type="hidden" name="queue" value="flagged"/>');
    expect(html).toContain('href="/list">Reset</a>');
    expect(await render(table(["a"], false))).not.toContain(">Reset</a>");
  });

  it("shows the empty state instead of the table, and the pagination footer keeps the filters", async () => {
    const html = await render(table([]));
    expect(html).toContain("Nothing here");
    expect(html).not.toContain("<table");
    expect(html).toContain('href="/list?status=open&amp;page=3"');
  });
});

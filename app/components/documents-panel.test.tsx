import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import i18next from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { resources } from "~/locales";
import { i18nConfig } from "~/utils/i18n";
import { DocumentsPanel, type DocumentSummary } from "./documents-panel";

const doc: DocumentSummary = {
  id: "0b9e8f52-5d0c-4d55-9a51-6f8d1f0f7a11",
  fileName: "تقرير طبي.pdf",
  kind: "medical_report",
  mimeType: "application/pdf",
  sizeBytes: 1536,
  sha256: "a".repeat(64),
  createdAt: "2026-11-23T10:00:00.000Z",
  uploadedByName: "Case Worker",
  needId: null,
};

/** The panel rendered on the server, as a browser without JavaScript receives it. */
async function render(lng: "ar" | "en", props: Partial<Parameters<typeof DocumentsPanel>[0]>, url = "/staff/org/households/h1") {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng, resources });
  const routes = [
    {
      path: "*",
      element: (
        <DocumentsPanel orgSlug="org" householdId="h1" documents={[doc]} canUpload timeZone="Asia/Beirut" {...props} />
      ),
    },
  ];
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

describe("DocumentsPanel", () => {
  it("lists each document with a download link, kind, size, uploader and a short SHA-256", async () => {
    const html = await render("en", {});
    expect(html).toContain('href="/staff/org/documents/0b9e8f52-5d0c-4d55-9a51-6f8d1f0f7a11"');
    expect(html).toContain("تقرير طبي.pdf");
    expect(html).toContain("Medical report");
    expect(html).toContain("1.5 kB");
    expect(html).toContain("Case Worker");
    expect(html).toContain(`>${"a".repeat(12)}<`);
  });

  it("offers an upload form that works without JavaScript, only to those who may upload", async () => {
    const html = await render("ar", {});
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/staff\/org\/households\/h1\/documents"/);
    expect(html).toMatch(/enctype="multipart\/form-data"/i); // attribute names are case-insensitive in HTML
    expect(html).toContain('accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"');
    expect(html).toContain('name="kind"');
    expect(html).toContain("تقرير طبي</option>");
    expect(html).toContain("المستندات");
    expect(await render("ar", { canUpload: false })).not.toContain("<form");
  });

  it("shows the success notice after an upload, and an empty state", async () => {
    const html = await render("en", { documents: [] }, "/staff/org/households/h1?notice=documentAdded");
    expect(html).toContain("The document was added.");
    expect(html).toContain("No documents yet.");
  });
});

import { describe, expect, it } from "vitest";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import i18next from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { resources } from "~/locales";
import { i18nConfig } from "~/utils/i18n";
import FinancePledgesPage from "~/routes/finance.$orgSlug.pledges";
import { NeedPledgesTable, type NeedPledgeView } from "./pledges-staff";

/** Rendered on the server, as a browser without JavaScript receives it; `loaderData` feeds useLoaderData. */
async function render(lng: "ar" | "en", element: ReactNode, loaderData: object | null = null, url = "/finance/org/pledges?q=tdm") {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng, resources });
  const routes = [{ id: "page", path: new URL(url, "http://localhost").pathname, loader: () => loaderData, element }];
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

const offer: NeedPledgeView = {
  id: "0b9e8f52-5d0c-4d55-9a51-6f8d1f0f7a11",
  reference: "TDM-7K3Q-9FX",
  amountMinor: 18_000,
  currency: "USD",
  method: "delivery",
  status: "offered",
  displayName: "Samira",
  anonymous: false,
  createdAt: "2026-11-23T10:00:00.000Z",
  financeFlag: null,
  items: [{ needItemId: "i1", labelAr: "ماكينة خياطة", labelEn: "Sewing machine", quantity: 1, amountMinor: 18_000 }],
};

describe("NeedPledgesTable", () => {
  it("shows the item line offered and, to those who decide, one plain form with a button per decision", async () => {
    const html = await render("en", <NeedPledgesTable rows={[offer]} total={1} timeZone="Asia/Beirut" canDecide financeHref="/finance/org/pledges" />);
    expect(html).toContain("Sewing machine × 1");
    expect(html).toContain("Delivery offered");
    expect(html).toContain('dir="ltr"');
    expect(html.match(/<form method="post"/g)).toHaveLength(1);
    expect(html).toContain('name="intent" value="decideOffer"');
    expect(html).toContain('name="decision" value="received"');
    expect(html).toContain('name="decision" value="declined"');
    expect(html).toContain(`name="pledgeId" value="${offer.id}"`);
    expect(html).toContain('href="/finance/org/pledges"');
  });

  it("has no buttons for a verifier, and reads in Arabic", async () => {
    const html = await render("ar", <NeedPledgesTable rows={[offer]} total={3} timeZone="Asia/Beirut" canDecide={false} />);
    expect(html).not.toContain("<form");
    expect(html).toMatch(/ماكينة خياطة × [1١]/);
    expect(html).toContain("عرض توصيل");
    expect(html).toContain("يستلم الباحثون الاجتماعيون");
    expect(html).toMatch(/يُعرض [1١] من أصل [3٣]/);
  });
});

describe("finance pledges page", () => {
  const row = {
    id: "6f1c3d2e-0000-4000-8000-000000000001",
    reference: "TDM-7K3Q-9FX",
    needId: "6f1c3d2e-0000-4000-8000-000000000002",
    needPublicId: "AB12CD34",
    needTitleAr: "أقساط مدرسية",
    needTitleEn: "School fees",
    amountMinor: 2_550,
    currency: "USD",
    method: "bank_transfer",
    status: "pending",
    displayName: null,
    anonymous: true,
    email: "donor@example.test",
    createdAt: "2026-11-23T10:00:00.000Z",
    expiresAt: "2026-11-30T10:00:00.000Z",
    paidAt: null,
    releasedAt: null,
    financeFlag: null,
    latePaidMinor: null,
  };
  const loaderData = {
    title: "Pledges",
    org: { slug: "org", nameAr: "جمعية", nameEn: "Association", timeZone: "Asia/Beirut" },
    counts: { byStatus: { pending: 1, awaiting_payment: 0, paid: 0, cancelled: 1, expired: 0, offered: 0, received: 0, declined: 0 }, total: 2, needsResolution: 1 },
    filters: { q: "tdm" },
    errors: {},
    pledges: [
      row,
      { ...row, id: "6f1c3d2e-0000-4000-8000-000000000003", reference: "TDM-0000-00A", method: "card", status: "awaiting_payment" },
      {
        ...row,
        id: "6f1c3d2e-0000-4000-8000-000000000004",
        reference: "TDM-0000-00B",
        status: "cancelled",
        releasedAt: "2026-11-24T10:00:00.000Z",
        paidAt: "2026-11-25T10:00:00.000Z",
        financeFlag: "paid_after_cancelled",
        latePaidMinor: 2_550,
      },
    ],
    total: 3,
    page: 1,
    pages: 1,
  };

  it("renders the table, filters and a link to record a payment for offline pledges only", async () => {
    const html = await render("en", <FinancePledgesPage />, loaderData);
    expect(html).toContain("<th scope=\"col\"");
    expect(html).toContain("US$25.50");
    expect(html).toContain("Anonymous");
    expect(html).toContain("donor@example.test");
    expect(html).toContain('href="/staff/org/needs/6f1c3d2e-0000-4000-8000-000000000002"');
    expect(html).toContain("School fees");
    // One link into the payments inbox with the pledge chosen: the card pledge has none (Stripe
    // records it), the flagged one is resolved in the inbox's queue.
    expect(html.match(/data-testid="record-payment-open"/g)).toHaveLength(1);
    expect(html).toMatch(/href="\/finance\/org\/payments\?pledge=[0-9a-f-]+#record"/);
    // The GET filter form works without JavaScript; recording happens in the inbox (no post here).
    expect(html).toMatch(/<form method="get"/);
    expect(html).not.toMatch(/<form method="post"/);
    expect(html).toContain("Paid after cancellation: needs resolution");
    expect(html).toContain('href="/finance/org/pledges?flag=1"');
    expect(html).toContain('<label for="pledges-q"');
  });

  it("reads in Arabic", async () => {
    const html = await render("ar", <FinancePledgesPage />, loaderData);
    expect(html).toContain("التعهّدات بالتبرع");
    expect(html).toContain("متبرع مجهول الاسم");
    expect(html).toContain("أقساط مدرسية");
    expect(html).toContain("تسجيل وصول الدفعة");
  });
});

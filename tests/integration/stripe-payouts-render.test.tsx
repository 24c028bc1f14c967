// The payouts pages rendered on the server (as a browser without JavaScript gets them), in Arabic
// and English, from loader-shaped data: amounts, statuses, the carried payments' pledge
// references, the stand-in's test form only when the loader offers it.
import { describe, expect, it } from "vitest";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import i18next from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { resources } from "~/locales";
import { i18nConfig } from "~/utils/i18n";
import PayoutsPage from "~/routes/finance.$orgSlug.payouts._index";
import PayoutPage from "~/routes/finance.$orgSlug.payouts.$payoutId";

async function render(lng: "ar" | "en", element: ReactNode, loaderData: object, url: string) {
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

const org = { slug: "bayader", nameAr: "بيادر", nameEn: "Bayader", timeZone: "Asia/Beirut" };
const listData = (standIn: object[] | null) => ({
  title: "t",
  org,
  payouts: [{ id: "po_test_1", amountMinor: 12_345, currency: "USD", arrivalDate: "2026-11-27", status: "paid", paymentCount: 3, matched: false }],
  page: 1,
  pages: 1,
  total: 1,
  standIn,
  notice: null,
});

const detailData = {
  title: "t",
  org,
  payout: { id: "po_test_1", orgId: "o", amountMinor: 12_345, currency: "USD", arrivalDate: "2026-11-27", status: "paid", moneyAccountId: "m", ledgerEntryId: "e", statementDescriptor: "STRIPE TADAMON", createdAt: "2026-11-27T10:00:00.000Z" },
  account: { id: "m", name: "Bank (USD)", bankName: null, currency: "USD" },
  entries: [
    {
      id: "e",
      memo: "Stripe payout po_test_1",
      valueDate: "2026-11-27",
      kind: "payout",
      createdAt: "2026-11-27T10:00:00.000Z",
      postings: [
        { kind: "bank", accountName: "Bank (USD)", amountMinor: 12_345 },
        { kind: "stripe", accountName: null, amountMinor: -12_345 },
      ],
    },
  ],
  payments: [{ id: "p1", amountMinor: 5_000, feeMinor: 175, refundedMinor: 0, currency: "USD", valueDate: "2026-11-20", status: "succeeded", externalId: "pi_1", pledgeId: "x", pledgeReference: "TDM-7K3Q-9FX" }],
  lines: [],
  notice: null,
};

describe("payouts pages (server-rendered)", () => {
  it("the list in both languages, the test form only when offered", async () => {
    const en = await render("en", <PayoutsPage />, listData(null), "/finance/bayader/payouts");
    expect(en).toContain("Stripe payouts");
    expect(en).toContain("$123.45");
    expect(en).toContain("Not matched yet");
    expect(en).toContain('href="/finance/bayader/payouts/po_test_1"');
    expect(en).not.toContain("payout-simulate");
    const ar = await render("ar", <PayoutsPage />, listData([{ currency: "USD", balanceMinor: 900, payments: 2 }]), "/finance/bayader/payouts");
    expect(ar).toContain("دفعات Stripe إلى البنك");
    expect(ar).toContain("مدفوعة");
    expect(ar).toContain('data-testid="payout-simulate"');
    expect(ar).toContain('method="post"');
  });

  it("one payout: entry, carried payments with pledge references, no statement line yet", async () => {
    for (const lng of ["ar", "en"] as const) {
      const html = await render(lng, <PayoutPage />, detailData, "/finance/bayader/payouts/po_test_1");
      expect(html).toContain("TDM-7K3Q-9FX");
      expect(html).toContain('href="/finance/bayader/payments/p1"');
      expect(html).toContain("Bank (USD)");
      expect(html).toContain('data-testid="payout-unmatched"');
      expect(html.match(/data-testid="payout-posting"/g)).toHaveLength(2);
    }
  });
});

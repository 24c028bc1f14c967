import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import i18next from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { resources } from "~/locales";
import { i18nConfig } from "~/utils/i18n";
import en from "~/locales/en/pledging.json";
import ar from "~/locales/ar/pledging.json";
import { toPublicProgress } from "~/modules/anonymization/public-need";
import { amountExamples, itemsTotal, PledgeForm, type PledgeFormProps } from "./pledge-form";

/** The form rendered as a browser without JavaScript receives it. */
async function render(lng: "ar" | "en", props: Partial<PledgeFormProps>) {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng, resources });
  const element = (
    <PledgeForm
      need={{
        publicId: "ABC123XYZ",
        currency: "USD",
        category: "medical",
        targetMinor: 10_000,
        items: [],
        progress: toPublicProgress(10_000, { state: "published", paidMinor: 3_000, reservedMinor: 2_000, donorCount: 1 }),
      }}
      idempotencyKey={"k".repeat(20)}
      locale={lng}
      methods={["bank_transfer"]}
      {...props}
    />
  );
  const routes = [{ id: "page", path: "/", element }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw context;
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <StaticRouterProvider router={router} context={context} hydrate={false} />
    </I18nextProvider>,
  );
}

describe("the pledge form's card fee cover", () => {
  for (const lng of ["ar", "en"] as const) {
    it(`when card is offered: a checkbox to cover the fee, with the estimate for the amount and the line the script follows (${lng})`, async () => {
      const s = { ar, en }[lng];
      const html = await render(lng, {
        methods: ["bank_transfer", "card"],
        prefillAmount: "50.00",
        cardFee: { feeMinor: 175, ratePpm: 29_000, fixedMinor: 30 },
      });
      expect(html).toContain('name="coverFee"');
      expect(html).not.toMatch(/name="coverFee"[^>]*checked/);
      expect(html).toContain(s.form.coverFee);
      expect(html).toMatch(/data-fee-rate="29000" data-fee-fixed="30"/);
      expect(html).toMatch(/data-testid="pledge-fee-estimate">[^<]*1[.٫]75/);
      // Without an amount yet, the estimate says when it will show.
      const empty = await render(lng, { methods: ["card"], cardFee: { feeMinor: null, ratePpm: 29_000, fixedMinor: 30 } });
      expect(empty).toContain(s.form.coverFeeNoAmount);
    });
  }

  it("no card, no fee cover", async () => {
    const html = await render("en", { methods: ["bank_transfer", "cash"], cardFee: null });
    expect(html).not.toContain('name="coverFee"');
  });
});

describe("pure helpers of the form", () => {
  it("amount examples in the currency's digits", () => {
    expect(amountExamples("USD")).toEqual({ whole: "50", decimal: "50.25" });
    expect(amountExamples("SYP")).toEqual({ whole: "250000", decimal: null });
    expect(amountExamples("JOD")).toEqual({ whole: "50", decimal: "50.250" });
  });
  it("the items total is Σ quantity × unit cost of the chosen lines", () => {
    expect(itemsTotal([{ unitCostMinor: 18_000 }, { unitCostMinor: 250 }], [{ position: 0, quantity: 1 }, { position: 1, quantity: 3 }])).toBe(18_750);
    expect(itemsTotal([{ unitCostMinor: 250 }], [{ position: 5, quantity: 3 }])).toBe(0);
  });
});

describe("the amount's hint and errors follow the currency", () => {
  const syp = {
    publicId: "SYP123XYZ",
    currency: "SYP",
    category: "medical" as const,
    targetMinor: 1_000_000,
    items: [],
    progress: toPublicProgress(1_000_000, { state: "published", paidMinor: 0, reservedMinor: 0, donorCount: 0 }),
  };
  it("SYP: whole amounts, the minimum 5,000, and a too-precise amount says so (en and ar)", async () => {
    const result = { status: "error" as const, initialValue: { amount: "5000.5" }, error: { amount: ["needs:errors.amountTooPrecise"] } };
    const html = await render("en", { need: syp, reply: { result } } as unknown as Partial<PledgeFormProps>);
    expect(html).toMatch(/data-testid="pledge-amount-hint">[^<]*250000/);
    expect(html).not.toContain("50.25");
    expect(html).toMatch(/In SYP amounts are whole numbers, without decimals\. The smallest pledge is [^<]*5,000/);
    const arHtml = await render("ar", { need: syp, reply: { result } } as unknown as Partial<PledgeFormProps>);
    expect(arHtml).toContain("المبالغ بعملة SYP أعداد صحيحة دون كسور");
  });
  it("USD: a third decimal gets the number of decimals and an example", async () => {
    const result = { status: "error" as const, initialValue: { amount: "10.555" }, error: { amount: ["needs:errors.amountTooPrecise"] } };
    const html = await render("en", { reply: { result } } as unknown as Partial<PledgeFormProps>);
    expect(html).toContain("In USD an amount has at most 2 decimals, for example 50.25.");
  });
});

// The "Money" section of /staff/:orgSlug/settings, called the way Remix calls it: who may save,
// what is refused (4xx, nothing changed), the audit row, and why card cannot be switched on.
import { afterEach, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, orgPaymentDetails } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { getFixedTForLocale } from "~/utils/i18next.server";
import { getMoneySettings } from "~/modules/payments/org-settings.server";
import * as settingsRoute from "~/routes/staff.$orgSlug.settings";
import { addMember, createOrg, createUser } from "../fixtures/db";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";

async function world(currency = "USD") {
  const org = await createOrg({ defaultCurrency: currency });
  const people = {
    admin: await createUser({ displayName: "Admin" }),
    finance: await createUser({ displayName: "Finance" }),
    caseworker: await createUser({ displayName: "Caseworker" }),
  };
  await addMember(org.id, people.admin.id, "org_admin");
  await addMember(org.id, people.finance.id, "finance");
  await addMember(org.id, people.caseworker.id, "caseworker");
  return { org, ...people };
}

const moneyForm = (overrides: Form = {}): Form => ({
  intent: "moneySettings",
  legalName: "جمعية الاختبار الخيرية ش.م.ل",
  registrationNumber: "1234/أد",
  cardEnabled: "on",
  cashFourEyes: "500",
  ...overrides,
});

async function post(orgSlug: string, userId: string, form: Form, lng?: string) {
  return run(settingsRoute.action, makeRequest(`/staff/${orgSlug}/settings`, { cookie: await signIn(userId), form, lng }), { orgSlug });
}

async function page(orgSlug: string, userId: string, query = "", lng?: string) {
  return run(settingsRoute.loader, makeRequest(`/staff/${orgSlug}/settings${query}`, { cookie: await signIn(userId), lng }), { orgSlug });
}

async function snapshot(orgId: string) {
  const db = await getDb();
  const audits = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "org.money_settings_update")));
  return { settings: await getMoneySettings(db, orgId), audits: audits.length };
}

afterEach(() => vi.unstubAllEnvs());

describe("money settings: the org admin saves", () => {
  it("saves legal name, registration number, card and the cash threshold; the page shows them and says so in English and Arabic; one audit row with before and after", async () => {
    const w = await world();
    const res = await post(w.org.slug, w.admin.id, moneyForm());
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/staff/${w.org.slug}/settings?notice=moneySaved#money`);

    expect((await snapshot(w.org.id)).settings).toEqual({
      legalName: "جمعية الاختبار الخيرية ش.م.ل",
      registrationNumber: "1234/أد",
      cardEnabled: true,
      cashFourEyesMinor: 50_000,
      currency: "USD",
    });

    const en = await page(w.org.slug, w.admin.id, "?notice=moneySaved", "en");
    expect(en.status).toBe(200);
    expect(en.body.money).toMatchObject({
      legalName: "جمعية الاختبار الخيرية ش.م.ل",
      registrationNumber: "1234/أد",
      cardEnabled: true,
      cashFourEyes: "500.00",
      currency: "USD",
      cardBlock: null,
      notice: "Money settings saved.",
    });
    const ar = await page(w.org.slug, w.admin.id, "?notice=moneySaved", "ar");
    expect(ar.body.money.notice).toBe("حُفظت إعدادات المال.");
    expect((await page(w.org.slug, w.admin.id)).body.money.notice).toBeNull();

    const [audit] = await (await getDb())
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, w.org.id), eq(auditLog.action, "org.money_settings_update")));
    expect(audit).toMatchObject({ actorUserId: w.admin.id, entityType: "organization", entityId: w.org.id });
    expect(audit.change).toEqual({
      before: { legalName: null, registrationNumber: null, cardEnabled: false, cashFourEyesMinor: null, currency: "USD" },
      after: { legalName: "جمعية الاختبار الخيرية ش.م.ل", registrationNumber: "1234/أد", cardEnabled: true, cashFourEyesMinor: 50_000, currency: "USD" },
    });
  });

  it("an unticked box turns card off, an empty amount means never, Arabic digits are read; the payment details stay as they were", async () => {
    const w = await world();
    const db = await getDb();
    await db.insert(orgPaymentDetails).values({ orgId: w.org.id, bankName: "Byblos Bank", pledgeExpiryDays: 10, cardEnabled: true, cashFourEyesMinor: 1 });
    expect((await post(w.org.slug, w.admin.id, moneyForm({ cardEnabled: [], cashFourEyes: "", legalName: "", registrationNumber: "" }))).status).toBe(302);
    expect((await snapshot(w.org.id)).settings).toMatchObject({ legalName: null, registrationNumber: null, cardEnabled: false, cashFourEyesMinor: null });
    const [details] = await db.select().from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, w.org.id));
    expect(details).toMatchObject({ bankName: "Byblos Bank", pledgeExpiryDays: 10 });

    expect((await post(w.org.slug, w.admin.id, moneyForm({ cashFourEyes: "١٢٥٠٫٥" }))).status).toBe(302);
    expect((await snapshot(w.org.id)).settings.cashFourEyesMinor).toBe(125_050);
    expect((await post(w.org.slug, w.admin.id, moneyForm({ cashFourEyes: "0" }))).status).toBe(302);
    expect((await snapshot(w.org.id)).settings.cashFourEyesMinor).toBe(0);
  });

  it("the threshold is in the organisation's currency (LBP has no minor unit in the app)", async () => {
    const w = await world("LBP");
    expect((await post(w.org.slug, w.admin.id, moneyForm({ cashFourEyes: "45000000" }))).status).toBe(302);
    expect((await snapshot(w.org.id)).settings).toMatchObject({ cashFourEyesMinor: 45_000_000, currency: "LBP" });
    expect((await page(w.org.slug, w.admin.id)).body.money.cashFourEyes).toBe("45000000");
  });
});

describe("money settings: who may", () => {
  it("finance and caseworker get 403 on the page and the form; another organisation's admin gets 404; nothing changes", async () => {
    const w = await world();
    const other = await world();
    const before = await snapshot(w.org.id);
    for (const user of [w.finance, w.caseworker]) {
      expect((await page(w.org.slug, user.id)).status).toBe(403);
      expect((await post(w.org.slug, user.id, moneyForm())).status).toBe(403);
    }
    expect((await page(w.org.slug, other.admin.id)).status).toBe(404);
    expect((await post(w.org.slug, other.admin.id, moneyForm())).status).toBe(404);
    expect((await post(w.org.id, other.admin.id, moneyForm())).status).toBe(404);
    expect(await snapshot(w.org.id)).toEqual(before);
    expect(await snapshot(other.org.id)).toMatchObject({ audits: 0 });
  });
});

describe("money settings: bad input", () => {
  it("negative, not a number, too precise, too long: 400 with the field's message in the request's language, nothing changed", async () => {
    const w = await world();
    expect((await post(w.org.slug, w.admin.id, moneyForm({ cashFourEyes: "100" }))).status).toBe(302);
    const before = await snapshot(w.org.id);

    const cases: Array<[Form, string, string, RegExp, RegExp]> = [
      [{ cashFourEyes: "-5" }, "cashFourEyes", "staff:moneySettings.errors.amountNegative", /cannot be negative/, /سالبًا/],
      [{ cashFourEyes: "five hundred" }, "cashFourEyes", "staff:moneySettings.errors.amountInvalid", /as a number/, /بالأرقام/],
      [{ cashFourEyes: "12.345" }, "cashFourEyes", "staff:moneySettings.errors.amountTooPrecise", /decimal places/, /الخانات العشرية/],
      [{ cashFourEyes: "9".repeat(41) }, "cashFourEyes", "staff:moneySettings.errors.amountInvalid", /as a number/, /بالأرقام/],
      [{ legalName: "ج".repeat(201) }, "legalName", "staff:moneySettings.errors.legalNameTooLong", /200 characters/, /200 حرف/],
      [{ registrationNumber: "1".repeat(101) }, "registrationNumber", "staff:moneySettings.errors.registrationNumberTooLong", /100 characters/, /100 حرف/],
      [{ cardEnabled: "yes" }, "cardEnabled", "errors:invalidChoice", /./, /./],
    ];
    for (const [overrides, field, key, enText, arText] of cases) {
      const en = await post(w.org.slug, w.admin.id, moneyForm(overrides), "en");
      expect(en.status, JSON.stringify(overrides)).toBe(400);
      expect(en.body.intent).toBe("moneySettings");
      expect(en.body.result.error[field]).toEqual([key]);
      expect(en.body.messages.join(" ")).toMatch(enText);
      const ar = await post(w.org.slug, w.admin.id, moneyForm(overrides), "ar");
      expect(ar.status).toBe(400);
      expect(ar.body.messages.join(" ")).toMatch(arText);
      expect(ar.body.messages.join(" ")).not.toBe(en.body.messages.join(" "));
    }
    // Exactly at the limits is fine.
    expect((await post(w.org.slug, w.admin.id, moneyForm({ legalName: "ج".repeat(200), registrationNumber: "1".repeat(100) }))).status).toBe(302);
    expect((await snapshot(w.org.id)).settings.legalName).toHaveLength(200);
    // Everything refused above changed nothing (only the last save did).
    expect((await snapshot(w.org.id)).audits).toBe(before.audits + 1);
  });

  it("a refused form comes back filled with what was typed", async () => {
    const w = await world();
    const res = await post(w.org.slug, w.admin.id, moneyForm({ cashFourEyes: "-5", legalName: "Typed Name" }));
    expect(res.status).toBe(400);
    expect(res.body.result.initialValue).toMatchObject({ cashFourEyes: "-5", legalName: "Typed Name", cardEnabled: "on" });
  });
});

describe("money settings: when card is not possible", () => {
  it("production without STRIPE_SECRET_KEY: the box is disabled with the reason, card cannot be switched on (409), the other settings still save and card stays as stored", async () => {
    const w = await world();
    const cookie = await signIn(w.admin.id);
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("STRIPE_SECRET_KEY", "");
    const view = await run(settingsRoute.loader, makeRequest(`/staff/${w.org.slug}/settings`, { cookie }), { orgSlug: w.org.slug });
    expect(view.status).toBe(200);
    expect(view.body.money).toMatchObject({ cardBlock: "platform_unavailable", cardEnabled: false });

    const refused = await run(settingsRoute.action, makeRequest(`/staff/${w.org.slug}/settings`, { cookie, form: moneyForm(), lng: "en" }), {
      orgSlug: w.org.slug,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.result.error.cardEnabled).toEqual(["staff:moneySettings.errors.card_unavailable"]);
    expect(refused.body.messages[0]).toMatch(/platform does not take cards/);
    expect(await snapshot(w.org.id)).toMatchObject({ settings: { legalName: null, cardEnabled: false }, audits: 0 });

    // The disabled box is not posted: the rest saves, card as stored (here: on from before).
    await (await getDb()).insert(orgPaymentDetails).values({ orgId: w.org.id, cardEnabled: true });
    const saved = await run(settingsRoute.action, makeRequest(`/staff/${w.org.slug}/settings`, { cookie, form: moneyForm({ cardEnabled: [] }) }), {
      orgSlug: w.org.slug,
    });
    expect(saved.status).toBe(302);
    expect((await snapshot(w.org.id)).settings).toMatchObject({ legalName: "جمعية الاختبار الخيرية ش.م.ل", cardEnabled: true });

    // With the key the box is enabled again.
    vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_configured");
    const withKey = await run(settingsRoute.loader, makeRequest(`/staff/${w.org.slug}/settings`, { cookie }), { orgSlug: w.org.slug });
    expect(withKey.body.money.cardBlock).toBeNull();
  });

  it("an organisation in SYP: the page says Stripe does not take the currency and card cannot be switched on", async () => {
    const w = await world("SYP");
    const view = await page(w.org.slug, w.admin.id);
    expect(view.body.money).toMatchObject({ cardBlock: "currency_unsupported", currency: "SYP" });
    const refused = await post(w.org.slug, w.admin.id, moneyForm(), "ar");
    expect(refused.status).toBe(409);
    expect(refused.body.result.error.cardEnabled).toEqual(["staff:moneySettings.errors.card_currency"]);
    expect(refused.body.messages[0]).toMatch(/Stripe/);
    expect(await snapshot(w.org.id)).toMatchObject({ settings: { cardEnabled: false, legalName: null }, audits: 0 });
    expect((await post(w.org.slug, w.admin.id, moneyForm({ cardEnabled: [], cashFourEyes: "1000000" }))).status).toBe(302);
    expect((await snapshot(w.org.id)).settings).toMatchObject({ cardEnabled: false, cashFourEyesMinor: 1_000_000 });
  });

  it("the reasons the disabled box shows exist in both languages and name the currency", async () => {
    for (const locale of ["ar", "en"] as const) {
      const t = await getFixedTForLocale(locale, "staff");
      expect(t("moneySettings.cardPlatformUnavailable")).toContain("STRIPE_SECRET_KEY");
      expect(t("moneySettings.cardCurrencyUnsupported", { currency: "SYP" })).toContain("SYP");
    }
    const ar = await getFixedTForLocale("ar", "staff");
    expect(ar("moneySettings.cardCurrencyUnsupported", { currency: "SYP" })).toMatch(/البطاقة/);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, organizations, orgPaymentDetails } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { addMember, createOrg, createUser } from "../../../tests/fixtures/db";
import { actorFor } from "../../../tests/fixtures/needs";
import {
  MoneySettingsError,
  cardBlockFor,
  cardBlockReason,
  getMoneySettings,
  saveMoneySettings,
  thresholdInput,
  thresholdOf,
} from "./org-settings.server";

async function orgWithAdmin(currency = "USD") {
  const org = await createOrg({ defaultCurrency: currency });
  const admin = await createUser();
  await addMember(org.id, admin.id, "org_admin");
  return { org, admin, actor: actorFor(admin.id) };
}

const input = { legalName: "Association Test SAL", registrationNumber: "1234/AD", cardEnabled: true, cashFourEyesMinor: 50_000 };

describe("card block (pure)", () => {
  it("the platform first, then the currency Stripe does not take", () => {
    expect(cardBlockReason({ platformAvailable: true, currency: "USD" })).toBeNull();
    expect(cardBlockReason({ platformAvailable: true, currency: "lbp" })).toBeNull();
    expect(cardBlockReason({ platformAvailable: true, currency: "SYP" })).toBe("currency_unsupported");
    expect(cardBlockReason({ platformAvailable: false, currency: "USD" })).toBe("platform_unavailable");
    expect(cardBlockReason({ platformAvailable: false, currency: "SYP" })).toBe("platform_unavailable");
  });

  describe("in this process", () => {
    afterEach(() => vi.unstubAllEnvs());
    it("production without STRIPE_SECRET_KEY blocks card; with the key, or outside production (stand-in), it does not", () => {
      vi.stubEnv("NODE_ENV", "production");
      vi.stubEnv("STRIPE_SECRET_KEY", "");
      expect(cardBlockFor("USD")).toBe("platform_unavailable");
      vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_x");
      expect(cardBlockFor("USD")).toBeNull();
      expect(cardBlockFor("SYP")).toBe("currency_unsupported");
      vi.stubEnv("NODE_ENV", "test");
      vi.stubEnv("STRIPE_SECRET_KEY", "");
      expect(cardBlockFor("USD")).toBeNull();
    });
  });
});

describe("threshold", () => {
  it("empty is never; typed money in the currency's minor units; zero is every cash payment", () => {
    expect(thresholdOf(undefined, "USD")).toEqual({ ok: true, minor: null });
    expect(thresholdOf("  ", "USD")).toEqual({ ok: true, minor: null });
    expect(thresholdOf("500", "USD")).toEqual({ ok: true, minor: 50_000 });
    expect(thresholdOf("٢٥٠٫٥", "USD")).toEqual({ ok: true, minor: 25_050 });
    expect(thresholdOf("1000000", "SYP")).toEqual({ ok: true, minor: 1_000_000 }); // SYP has no minor unit in the app
    expect(thresholdOf("0", "USD")).toEqual({ ok: true, minor: 0 });
    expect(thresholdOf("-5", "USD")).toEqual({ ok: false, error: "staff:moneySettings.errors.amountNegative" });
    expect(thresholdOf("five", "USD")).toEqual({ ok: false, error: "staff:moneySettings.errors.amountInvalid" });
    expect(thresholdOf("1.234", "USD")).toEqual({ ok: false, error: "staff:moneySettings.errors.amountTooPrecise" });
    expect(thresholdOf("9".repeat(20), "USD")).toEqual({ ok: false, error: "staff:moneySettings.errors.amountTooLarge" });
    expect(thresholdInput(null, "USD")).toBe("");
    expect(thresholdInput(25_050, "USD")).toBe("250.50");
  });
});

describe("saveMoneySettings", () => {
  it("creates the payment-details row when missing, keeps the other details, audits before and after", async () => {
    const { org, actor } = await orgWithAdmin();
    const db = await getDb();
    expect(await getMoneySettings(db, org.id)).toEqual({ legalName: null, registrationNumber: null, cardEnabled: false, cashFourEyesMinor: null, currency: "USD" });
    await saveMoneySettings(db, actor, org.id, input, { cardBlock: () => null });
    expect(await getMoneySettings(db, org.id)).toEqual({ ...input, currency: "USD" });
    const [details] = await db.select().from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, org.id));
    expect(details).toMatchObject({ pledgeExpiryDays: 7, bankName: null, updatedBy: actor.userId });

    await db.update(orgPaymentDetails).set({ bankName: "Byblos Bank" }).where(eq(orgPaymentDetails.orgId, org.id));
    await saveMoneySettings(db, actor, org.id, { legalName: "  ", registrationNumber: null, cardEnabled: false, cashFourEyesMinor: null });
    expect(await getMoneySettings(db, org.id)).toMatchObject({ legalName: null, cardEnabled: false, cashFourEyesMinor: null });
    const [kept] = await db.select().from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, org.id));
    expect(kept.bankName).toBe("Byblos Bank");

    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, org.id), eq(auditLog.action, "org.money_settings_update")))
      .orderBy(auditLog.id);
    expect(audits).toHaveLength(2);
    expect(audits[1].change).toMatchObject({
      before: { legalName: "Association Test SAL", registrationNumber: "1234/AD", cardEnabled: true, cashFourEyesMinor: 50_000 },
      after: { legalName: null, registrationNumber: null, cardEnabled: false, cashFourEyesMinor: null },
    });
    expect(audits[1].actorUserId).toBe(actor.userId);
  });

  it("refuses anyone but the org admin, the system, another organisation's admin; nothing changes", async () => {
    const { org } = await orgWithAdmin();
    const other = await orgWithAdmin();
    const db = await getDb();
    const finance = await createUser();
    await addMember(org.id, finance.id, "finance", "caseworker", "verifier");
    for (const actor of [actorFor(finance.id), other.actor, { userId: null, ip: null, userAgent: "system" }]) {
      await expect(saveMoneySettings(db, actor, org.id, input, { cardBlock: () => null })).rejects.toMatchObject({ code: "not_allowed", status: 403 });
    }
    await expect(saveMoneySettings(db, other.actor, "00000000-0000-4000-8000-000000000000", input)).rejects.toMatchObject({ code: "org_not_found" });
    expect(await getMoneySettings(db, org.id)).toMatchObject({ legalName: null, cardEnabled: false });
    expect(await db.select().from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, org.id))).toHaveLength(0);
  });

  it("refuses too long texts, negative or fractional thresholds, and card while blocked; an org already on card may stay on", async () => {
    const { org, actor } = await orgWithAdmin("SYP");
    const db = await getDb();
    const bad = [
      { ...input, legalName: "x".repeat(201) },
      { ...input, registrationNumber: "x".repeat(101) },
      { ...input, cashFourEyesMinor: -1 },
      { ...input, cashFourEyesMinor: 1.5 },
    ];
    for (const b of bad) await expect(saveMoneySettings(db, actor, org.id, b)).rejects.toMatchObject({ code: "invalid", status: 400 });
    await expect(saveMoneySettings(db, actor, org.id, input)).rejects.toMatchObject({ code: "card_currency", status: 409 });
    await expect(saveMoneySettings(db, actor, org.id, input, { cardBlock: () => "platform_unavailable" })).rejects.toBeInstanceOf(MoneySettingsError);
    expect(await db.select().from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, org.id))).toHaveLength(0);
    const [row] = await db.select().from(organizations).where(eq(organizations.id, org.id));
    expect(row.legalName).toBeNull();

    // Card kept as stored (undefined) while blocked; already on stays on.
    await db.insert(orgPaymentDetails).values({ orgId: org.id, cardEnabled: true });
    await saveMoneySettings(db, actor, org.id, { ...input, cardEnabled: undefined });
    expect((await getMoneySettings(db, org.id)).cardEnabled).toBe(true);
    await saveMoneySettings(db, actor, org.id, { ...input, cardEnabled: false });
    expect((await getMoneySettings(db, org.id)).cardEnabled).toBe(false);
  });
});

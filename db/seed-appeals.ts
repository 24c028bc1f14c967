import { eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { appeals, organizations } from "#db/schema";
import { AppealFormSchema, createAppeal } from "~/modules/giving/appeals.server";
import { todayIn } from "~/modules/needs/money";
import { addMonths } from "~/modules/needs/need-steps.server";
import { createFundPledge } from "~/modules/pledging/fund-pledge.server";
import { recordPayment } from "~/modules/payments/payments.server";

/**
 * The demo's matched appeal (issue 12, decision 068): Sohag Palms' winter health appeal — its
 * medical needs, every gift doubled up to 10,000 EGP by a sponsor whose bank transfer finance has
 * recorded. Idempotent: an existing appeal of that slug is left as it is.
 */
export const DEMO_APPEAL_SLUG = "sohag-winter-health";

export async function seedDemoAppeal(tx: Tx, ctx: { orgIds: Map<string, string>; userIds: Map<string, string>; adminEmail: string; financeEmail: string; now: Date }) {
  const db = tx as unknown as Db;
  const orgId = ctx.orgIds.get("sohag-palms");
  const admin = ctx.userIds.get(ctx.adminEmail);
  const finance = ctx.userIds.get(ctx.financeEmail);
  if (!orgId || !admin || !finance) return;
  const [exists] = await tx.select({ id: appeals.id }).from(appeals).where(eq(appeals.slug, DEMO_APPEAL_SLUG)).limit(1);
  if (exists) return;
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  const today = todayIn(org.timeZone, ctx.now);
  const form = AppealFormSchema.parse({
    slug: DEMO_APPEAL_SLUG,
    kind: "matched",
    titleAr: "حملة الشتاء الصحية في سوهاج",
    titleEn: "Sohag winter health appeal",
    storyAr: "مع برد الشتاء تزداد حاجة كبار السن والأطفال إلى العلاج والدواء. كل تبرع لاحتياجات العلاج في هذه الحملة يضاعفه كافل حتى 10000 جنيه.",
    storyEn: "Winter cold brings more illness to older people and children. Every gift to this appeal's medical needs is doubled by a sponsor, up to 10,000 EGP.",
    startsOn: addMonths(today, -1),
    endsOn: addMonths(today, 2),
    categories: ["medical_treatment", "medication", "surgery"],
    matchPercent: "100",
    matchCap: "10000",
  });
  const actor = (userId: string) => ({ userId, ip: null, userAgent: "seed" });
  await createAppeal(db, actor(admin), { id: orgId, defaultCurrency: org.defaultCurrency, timeZone: org.timeZone }, form);
  const { pledge } = await createFundPledge(db, {
    orgSlug: "sohag-palms",
    amountMinor: 1_000_000,
    currency: org.defaultCurrency,
    method: "bank_transfer",
    email: "matching.sponsor@demo.tadamon.test",
    displayName: "صيدلية في سوهاج",
    idempotencyKey: "tadamon-demo-appeal-sponsor",
    locale: "ar",
    origin: (process.env.APP_URL || "http://localhost:3000").replace(/\/+$/, ""),
    appealSlug: DEMO_APPEAL_SLUG,
    cardPayments: true,
    now: ctx.now,
  });
  await recordPayment(db, actor(finance), {
    orgId,
    pledgeId: pledge.id,
    method: "bank_transfer",
    amountMinor: 1_000_000,
    currency: org.defaultCurrency,
    valueDate: today,
    idempotencyKey: "tadamon-demo-appeal-sponsor-payment",
    now: ctx.now,
  });
}

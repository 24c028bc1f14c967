import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { appeals, needs, needUpdates, organizations } from "#db/schema";
import { UPDATABLE_STATES, reviewNeedUpdate, writeNeedUpdate } from "~/modules/needs/updates.server";
import { AppealFormSchema, PlatformAppealFormSchema, createAppeal, createPlatformAppeal } from "~/modules/giving/appeals.server";
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

/**
 * A published update (decision 070) on the Bayader need that received the most money: written by
 * its caseworker, published by its verifier, so the need's public page and its donors' mailbox show
 * one. Idempotent: an organisation with an update already is left as it is.
 */
export async function seedDemoUpdate(tx: Tx, ctx: { orgIds: Map<string, string>; userIds: Map<string, string>; caseworkerEmail: string; verifierEmail: string }) {
  const db = tx as unknown as Db;
  const orgId = ctx.orgIds.get("bayader-camps");
  const writer = ctx.userIds.get(ctx.caseworkerEmail);
  const verifier = ctx.userIds.get(ctx.verifierEmail);
  if (!orgId || !writer || !verifier) return;
  const [exists] = await tx.select({ id: needUpdates.id }).from(needUpdates).where(eq(needUpdates.orgId, orgId)).limit(1);
  if (exists) return;
  const [need] = await tx
    .select({ id: needs.id })
    .from(needs)
    .where(and(eq(needs.orgId, orgId), inArray(needs.state, [...UPDATABLE_STATES]), gt(needs.paidMinor, 0)))
    .orderBy(desc(needs.paidMinor), asc(needs.id))
    .limit(1);
  if (!need) return;
  const actor = (userId: string) => ({ userId, ip: null, userAgent: "seed" });
  const update = await writeNeedUpdate(db, actor(writer), {
    orgId,
    needId: need.id,
    bodyAr: "وصلت أول دفعة من تبرعاتكم، وبدأنا بما خُصّصت له. سنكتب لكم مرة أخرى عند اكتمال المبلغ. شكرًا لكم.",
    bodyEn: "The first part of your gifts has arrived and we have started on what it is for. We will write again when the whole amount is in. Thank you.",
  });
  await reviewNeedUpdate(db, actor(verifier), { orgId, updateId: update.id, decision: "publish", origin: (process.env.APP_URL || "http://localhost:3000").replace(/\/+$/, "") });
}

/** The demo's platform appeal (decision 072): school fees across Lebanon's organisations, this term. */
export const DEMO_PLATFORM_APPEAL_SLUG = "back-to-school-lebanon";

export async function seedDemoPlatformAppeal(tx: Tx, ctx: { adminUserId: string | undefined; now: Date }) {
  const db = tx as unknown as Db;
  const [exists] = await tx.select({ id: appeals.id }).from(appeals).where(eq(appeals.slug, DEMO_PLATFORM_APPEAL_SLUG)).limit(1);
  if (exists || !ctx.adminUserId) return;
  const today = todayIn("Asia/Beirut", ctx.now);
  const form = PlatformAppealFormSchema.parse({
    slug: DEMO_PLATFORM_APPEAL_SLUG,
    kind: "matched",
    titleAr: "العودة إلى المدرسة في لبنان",
    titleEn: "Back to school in Lebanon",
    storyAr: "أقساط مدرسية وكتب لأطفال العائلات التي تتابعها منظمات تضامن في لبنان، هذا الفصل.",
    storyEn: "School fees and books for the children of families that Tadamon's organisations in Lebanon support, this term.",
    startsOn: addMonths(today, -1),
    endsOn: addMonths(today, 3),
    currency: "USD",
    country: "LB",
    categories: ["school_fees"],
  });
  await createPlatformAppeal(db, { userId: ctx.adminUserId, ip: null, userAgent: "seed" }, form);
}

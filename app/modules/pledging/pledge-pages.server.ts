/**
 * What donors read (their pledges, a pledge's instructions, the pledge page's need) and the
 * organisation's payment details.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { preparedOnce } from "#db/prepared.server";
import { needItems, needs, organizations, regions, orgPaymentDetails, pledgeItems, pledges } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { toPublicNeed, type PublicNeed } from "~/modules/anonymization/public-need";
import { remainingOf } from "./amounts";
import { PledgeError } from "./errors";
import { PLATFORM_CARD_PAYMENTS, methodsMissingDetails, offeredMethods, type OfflineMethod, type PaymentMethod } from "./methods";
import { normalizeReference } from "./reference";
import { normalizeEmail, getPaymentDetails, requireStaff, RESERVING, COUNTED, type Pledge, type PledgeMethod } from "./pledge-steps.server";

// ---------------------------------------------------------------- donors

/** Attaches the guest pledges of an email address to the account that just verified it. */
export async function attachGuestPledges(db: DbOrTx, userId: string, email: string): Promise<number> {
  const rows = await db
    .update(pledges)
    .set({ donorUserId: userId })
    .where(and(eq(pledges.email, normalizeEmail(email)), isNull(pledges.donorUserId)))
    .returning({ id: pledges.id });
  return rows.length;
}

export interface DonorPledgeRow {
  reference: string;
  status: Pledge["status"];
  method: PledgeMethod;
  amountMinor: number;
  currency: string;
  createdAt: Date;
  expiresAt: Date | null;
  needPublicId: string;
  needTitleAr: string | null;
  needTitleEn: string | null;
}

export async function listDonorPledges(db: DbOrTx, userId: string): Promise<DonorPledgeRow[]> {
  return db
    .select({
      reference: pledges.reference,
      status: pledges.status,
      method: pledges.method,
      amountMinor: pledges.amountMinor,
      currency: pledges.currency,
      createdAt: pledges.createdAt,
      expiresAt: pledges.expiresAt,
      needPublicId: needs.publicId,
      needTitleAr: needs.titleAr,
      needTitleEn: needs.titleEn,
    })
    .from(pledges)
    .innerJoin(needs, eq(needs.id, pledges.needId))
    .where(eq(pledges.donorUserId, userId))
    .orderBy(desc(pledges.createdAt))
    .limit(200);
}

/**
 * What the instructions page shows for a reference: the pledge (no email), the need's public title,
 * the organisation and its payment details. Null for an unknown or malformed reference.
 */
export async function getPledgeInstructions(db: DbOrTx, rawReference: string) {
  const reference = normalizeReference(rawReference);
  if (!reference) return null;
  const [row] = await db
    .select({
      pledge: {
        id: pledges.id,
        reference: pledges.reference,
        status: pledges.status,
        method: pledges.method,
        amountMinor: pledges.amountMinor,
        currency: pledges.currency,
        expiresAt: pledges.expiresAt,
        confirmedAt: pledges.confirmedAt,
        createdAt: pledges.createdAt,
        donorUserId: pledges.donorUserId,
        displayName: pledges.displayName,
        kind: pledges.kind,
        zakat: pledges.zakat,
      },
      need: { publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn, state: needs.state },
      org: { id: organizations.id, slug: organizations.slug, nameAr: organizations.nameAr, nameEn: organizations.nameEn, timeZone: organizations.timeZone },
    })
    .from(pledges)
    .leftJoin(needs, eq(needs.id, pledges.needId))
    .innerJoin(organizations, eq(organizations.id, pledges.orgId))
    .where(eq(pledges.reference, reference))
    .limit(1);
  if (!row) return null;
  const details = await getPaymentDetails(db, row.org.id);
  return { ...row, details };
}

// ---------------------------------------------------------------- organisation payment details

export interface PaymentDetailsInput {
  bankName: string | null;
  accountName: string | null;
  accountNumber: string | null;
  swift: string | null;
  currency: string | null;
  transferShopInstructionsAr: string | null;
  transferShopInstructionsEn: string | null;
  officeInstructionsAr: string | null;
  officeInstructionsEn: string | null;
  pledgeExpiryDays: number;
  /** The offline methods ticked; null keeps the default (every method whose details are filled in). */
  offeredMethods?: OfflineMethod[] | null;
}

/** The org admin saves where donors send offline money (audited; field names only). */
export async function savePaymentDetails(db: Db, actor: Actor, orgId: string, input: PaymentDetailsInput) {
  if (!Number.isInteger(input.pledgeExpiryDays) || input.pledgeExpiryDays < 1 || input.pledgeExpiryDays > 60) {
    throw new PledgeError("invalid_state");
  }
  if (input.offeredMethods && methodsMissingDetails(input.offeredMethods, input).length > 0) throw new PledgeError("method_needs_details");
  return db.transaction(async (tx) => {
    await requireStaff(tx, actor, orgId, ["org_admin"]);
    const now = new Date();
    const values = { ...input, currency: input.currency?.toUpperCase() ?? null, updatedBy: actor.userId, updatedAt: now };
    await tx
      .insert(orgPaymentDetails)
      .values({ orgId, ...values })
      .onConflictDoUpdate({ target: orgPaymentDetails.orgId, set: values });
    await recordAudit(tx, actor, {
      orgId,
      action: "org.payment_details_update",
      entityType: "organization",
      entityId: orgId,
      change: { fields: Object.keys(input).filter((k) => input[k as keyof PaymentDetailsInput] !== null) },
    });
  });
}

// ---------------------------------------------------------------- the pledge page

/**
 * A need as the pledge page shows it (public projection with progress, and per item line how many
 * are still unpledged), or null when there is no such public need (never published).
 */
export async function getPledgeableNeed(
  db: DbOrTx,
  publicId: string,
  /** Whether the platform takes cards (servers pass cardPaymentsAvailable()); default off. */
  cardPayments: boolean = PLATFORM_CARD_PAYMENTS,
): Promise<{ need: PublicNeed; itemsLeft: number[]; remainingMinor: number; methods: PaymentMethod[] } | null> {
  if (typeof publicId !== "string" || !/^[0-9A-Z]{6,32}$/i.test(publicId)) return null;
  // Built once per database handle, then only run (db/prepared.server.ts): building these five
  // queries cost more CPU than answering them.
  const [row] = await preparedOnce(db, "pledgeable-need", () =>
    db
      .select({ need: needs, org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn, slug: organizations.slug } })
      .from(needs)
      .innerJoin(organizations, eq(organizations.id, needs.orgId))
      .where(and(eq(needs.publicId, sql.placeholder("publicId")), inArray(needs.state, ["published", "funded", "disbursed", "closed"])))
      .limit(1),
  ).execute({ publicId });
  if (!row) return null;
  const needId = { needId: row.need.id };
  const [items, taken, governorate, details] = await Promise.all([
    preparedOnce(db, "pledgeable-need-items", () =>
      db.select().from(needItems).where(eq(needItems.needId, sql.placeholder("needId"))).orderBy(asc(needItems.position)),
    ).execute(needId),
    preparedOnce(db, "pledgeable-need-taken", () =>
      db
        .select({ needItemId: pledgeItems.needItemId, quantity: sql<number>`coalesce(sum(${pledgeItems.quantity}), 0)::int` })
        .from(pledgeItems)
        .innerJoin(pledges, eq(pledges.id, pledgeItems.pledgeId))
        .where(and(eq(pledges.needId, sql.placeholder("needId")), inArray(pledges.status, [...RESERVING, ...COUNTED])))
        .groupBy(pledgeItems.needItemId),
    ).execute(needId),
    row.need.publicRegionId
      ? preparedOnce(db, "pledgeable-need-region", () =>
          db
            .select({ nameAr: regions.nameAr, nameEn: regions.nameEn })
            .from(regions)
            .where(eq(regions.id, sql.placeholder("regionId"))),
        )
          .execute({ regionId: row.need.publicRegionId })
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
    getPaymentDetails(db, row.need.orgId),
  ]);
  const need = toPublicNeed(row.need, items, row.org, governorate, row.need);
  const itemsLeft = items.map((item) => item.quantity - Number(taken.find((t) => t.needItemId === item.id)?.quantity ?? 0));
  return {
    need,
    itemsLeft,
    remainingMinor: row.need.state === "published" ? remainingOf(row.need) : 0,
    methods: offeredMethods(details, row.need.currency, cardPayments),
  };
}

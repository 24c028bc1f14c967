/**
 * Making a pledge: create it (reserving the need's amount), offer delivery, and a guest's
 * confirmation.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { insertShape, preparedOnce } from "#db/prepared.server";
import { users, needs, pledgeItems, pledges } from "#db/schema";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";
import { publicTitleIn } from "~/modules/needs/titles";
import { generateToken, hashToken } from "~/modules/identity/tokens";
import { checkLimits, recordHits, type LimitRule } from "~/modules/rate-limits/rate-limits.server";
import { PLEDGE_LIMITS, retryAfterSeconds } from "~/modules/rate-limits/rules";
import { cardAvailable, effectiveMinimum, remainingOf } from "./amounts";
import { PledgeError } from "./errors";
import { canConfirm, fullHoldUntil, initialHold } from "./holds";
import { PLATFORM_CARD_PAYMENTS, offeredMethods } from "./methods";
import { newReference, normalizeReference } from "./reference";
import { normalizeEmail, lockNeedByPublicId, getOrgWithPaymentDetails, getPaymentDetails, resolveItems, OFFLINE_METHODS, lockPledge, type CreatePledgeInput, type CreatePledgeResult, type Pledge, type ItemLineInput } from "./pledge-steps.server";

// ---------------------------------------------------------------- create

/**
 * Creates a pledge: in one transaction, under the need's row lock. A second submit with the same
 * idempotency key answers the first pledge (created: false) and changes nothing.
 * Offline methods: `pending`, expiring after the organisation's number of days, with an
 * instructions email (reference code, amount, bank details) in the outbox.
 * Card: `awaiting_payment`, reserved the same way; the payments issue opens Stripe Checkout for it
 * and marks it paid (markPledgePaid) or lets it expire.
 * Delivery (in-kind, see offerDelivery): `offered`, reserved until staff receive or decline it.
 */
export async function createPledge(db: Db, input: CreatePledgeInput): Promise<CreatePledgeResult> {
  const now = input.now ?? new Date();
  const email = normalizeEmail(input.email);
  const key = String(input.idempotencyKey ?? "").trim();
  if (key.length < 16 || key.length > 100) throw new PledgeError("idempotency_conflict");
  return db.transaction(async (tx) => {
    const need = await lockNeedByPublicId(tx, input.needPublicId);

    // After the lock, one round trip reads the organisation (the email needs its name), its payment
    // details and whether this idempotency key already made a pledge.
    const { org, details, replayId } = await getOrgWithPaymentDetails(tx, need.orgId, key);

    // A double submit waits on the same row lock, then finds the first pledge here.
    if (replayId) {
      const [existing] = await tx.select().from(pledges).where(eq(pledges.id, replayId)).limit(1);
      if (existing.needId !== need.id || existing.email !== email) throw new PledgeError("idempotency_conflict");
      return { pledge: existing, created: false };
    }

    if (need.state !== "published") throw new PledgeError("need_not_open", { state: need.state });
    if (input.zakat && need.zakatCategory === null) throw new PledgeError("zakat_ineligible");
    if (input.currency.toUpperCase() !== need.currency) throw new PledgeError("currency_mismatch", { currency: need.currency });
    const cardPayments = input.cardPayments ?? PLATFORM_CARD_PAYMENTS;
    if (input.method === "card" && cardPayments && !cardAvailable(need.currency)) throw new PledgeError("card_unavailable");
    if (input.method === "delivery") {
      if (!input.items?.length) throw new PledgeError("items_invalid");
    } else if (!(offeredMethods(details, need.currency, cardPayments) as string[]).includes(input.method)) {
      throw new PledgeError("method_not_offered");
    }

    // Rate limits (decision 053): checked under the need's lock, after a replay has been answered
    // (a double submit is not a new pledge), counted below only once the pledge exists.
    const limitRules: LimitRule[] = input.rateLimit
      ? [
          { bucket: "pledge_ip", key: input.rateLimit.ip, limits: PLEDGE_LIMITS.ip },
          { bucket: "pledge_email", key: email, limits: PLEDGE_LIMITS.email },
        ]
      : [];
    if (limitRules.length) {
      const until = await checkLimits(tx, limitRules, now);
      if (until) throw new PledgeError("rate_limited", { retryAfterSeconds: retryAfterSeconds(until, now) });
    }

    const items = input.items?.length ? await resolveItems(tx, need, input.items) : [];
    const amountMinor = items.length ? items.reduce((s, i) => s + i.amountMinor, 0) : input.amountMinor;
    const remainingMinor = remainingOf(need);
    const currency = need.currency;
    if (remainingMinor <= 0) throw new PledgeError("need_full", { remainingMinor: 0, currency });
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new PledgeError("below_minimum", { minimumMinor: effectiveMinimum(currency, remainingMinor), currency });
    if (amountMinor > remainingMinor) throw new PledgeError("above_remaining", { remainingMinor, currency });
    const minimumMinor = effectiveMinimum(currency, remainingMinor);
    if (!items.length && amountMinor < minimumMinor) throw new PledgeError("below_minimum", { minimumMinor, currency });

    const offline = (OFFLINE_METHODS as readonly string[]).includes(input.method);
    const status: Pledge["status"] = input.method === "card" ? "awaiting_payment" : input.method === "delivery" ? "offered" : "pending";
    // A signed-in donor whose address is verified gets the full period at once; a guest 24 hours.
    let verifiedDonor = false;
    if (input.donorUserId) {
      const [donor] = await tx
        .select({ email: users.email, verifiedAt: users.emailVerifiedAt })
        .from(users)
        .where(eq(users.id, input.donorUserId))
        .limit(1);
      verifiedDonor = Boolean(donor?.verifiedAt && donor.email === email);
    }
    const hold = initialHold(offline ? "offline" : input.method === "card" ? "card" : "delivery", {
      now,
      verifiedDonor,
      expiryDays: details?.pledgeExpiryDays,
    });
    const expiresAt = hold.expiresAt;
    const confirmToken = hold.confirmed ? null : generateToken();

    const pledge = await insertPledge(tx, {
      needId: need.id,
      orgId: need.orgId,
      donorUserId: input.donorUserId ?? null,
      email,
      displayName: input.displayName?.trim() || null,
      anonymous: input.anonymous ?? false,
      zakat: input.zakat === true,
      message: input.message?.trim() || null,
      amountMinor,
      currency,
      method: input.method,
      status,
      idempotencyKey: key,
      expiresAt,
      confirmedAt: hold.confirmed ? now : null,
      confirmTokenHash: confirmToken ? hashToken(confirmToken) : null,
      locale: input.locale,
      createdAt: now,
      updatedAt: now,
    });

    if (items.length) await tx.insert(pledgeItems).values(items.map((i) => ({ ...i, pledgeId: pledge.id })));
    await preparedOnce(tx, "reserve-need", () =>
      tx
        .update(needs)
        .set({
          reservedMinor: sql`${needs.reservedMinor} + ${sql.placeholder("amountMinor")}`,
          updatedAt: sql.placeholder("now") as unknown as Date,
        })
        .where(eq(needs.id, sql.placeholder("needId"))),
    ).execute({ amountMinor, now, needId: need.id });
    await recordHits(tx, limitRules, now);

    if (offline) {
      if (!org) throw new Error(`need ${need.id}: organisation ${need.orgId} not found`);
      await sendInstructions(tx, { pledge, org, details, title: publicTitleIn(need, input.locale), confirmToken, now, origin: input.origin });
    }
    return { pledge, created: true, confirmToken };
  });
}

/**
 * Inserts a pledge under a fresh reference (a reference that collides is drawn again, up to five
 * times). The same idempotency key already used — a submit for another need or fund that committed
 * meanwhile — is `idempotency_conflict`.
 */
export async function insertPledge(tx: DbOrTx, values: Omit<typeof pledges.$inferInsert, "reference">): Promise<Pledge> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    // Built once per mix of values (db/prepared.server.ts), then only run.
    const { shape, placeholders, params } = insertShape({ ...values, reference: newReference() });
    const [pledge] = await preparedOnce(tx, `insert-pledge|${shape}`, () =>
      tx
        .insert(pledges)
        .values(placeholders as typeof pledges.$inferInsert)
        .onConflictDoNothing()
        .returning(),
    ).execute(params);
    if (pledge) return pledge;
    const [clash] = await tx.select({ id: pledges.id }).from(pledges).where(eq(pledges.idempotencyKey, values.idempotencyKey)).limit(1);
    if (clash) throw new PledgeError("idempotency_conflict");
  }
  throw new Error("could not allocate a pledge reference");
}

type OrgRow = NonNullable<Awaited<ReturnType<typeof getOrgWithPaymentDetails>>["org"]>;
type DetailsRow = Awaited<ReturnType<typeof getOrgWithPaymentDetails>>["details"];

/** The offline pledge's instructions email (reference, amount, where to pay), in the pledge's language, through the outbox. */
export async function sendInstructions(
  tx: DbOrTx,
  input: { pledge: Pledge; org: OrgRow; details: DetailsRow; title: string; confirmToken: string | null; now: Date; origin: string },
) {
  const { pledge, org, details, confirmToken } = input;
  const locale = pledge.locale;
  const expiresAt = pledge.expiresAt;
  await enqueueEmail(tx, pledge.email, locale, {
    template: "pledge-instructions",
    data: {
      name: pledge.displayName ?? "",
      reference: pledge.reference,
      amount: formatMoney(pledge.amountMinor, pledge.currency, locale),
      needTitle: input.title,
      orgName: locale === "ar" ? org.nameAr : org.nameEn,
      method: pledge.method as "bank_transfer" | "cash" | "money_transfer",
      expiresOn: expiresAt ? formatDate(expiresAt, locale, org.timeZone) : "",
      // A guest confirms by this link within 24 hours (the URL carries the token: kept out of meta).
      confirmUrl: confirmToken ? `${input.origin}/pledges/${pledge.reference}/confirm?token=${confirmToken}` : null,
      confirmBy: confirmToken && expiresAt ? formatDateTime(expiresAt, locale, org.timeZone) : null,
      holdsUntil: confirmToken ? formatDate(fullHoldUntil(input.now, details?.pledgeExpiryDays), locale, org.timeZone) : null,
      bank: details
        ? {
            bankName: details.bankName,
            accountName: details.accountName,
            accountNumber: details.accountNumber,
            swift: details.swift,
          }
        : null,
      instructions:
        pledge.method === "money_transfer"
          ? ((locale === "ar" ? details?.transferShopInstructionsAr : details?.transferShopInstructionsEn) ?? null)
          : pledge.method === "cash"
            ? ((locale === "ar" ? details?.officeInstructionsAr : details?.officeInstructionsEn) ?? null)
            : null,
      instructionsUrl: `${input.origin}/pledges/${pledge.reference}`,
    },
  });
}

/** In-kind: the donor offers to deliver an item themselves (`offered`); staff receive or decline. */
export async function offerDelivery(
  db: Db,
  input: Omit<CreatePledgeInput, "method" | "amountMinor" | "items"> & { item: ItemLineInput },
) {
  return createPledge(db, { ...input, method: "delivery", amountMinor: 0, items: [input.item] });
}

// ---------------------------------------------------------------- confirm (guests)

export type ConfirmCheck =
  | { outcome: "confirmable"; reference: string; expiresAt: Date }
  | { outcome: "already_confirmed"; reference: string };

/** The pledge a confirmation link names, checked without changing anything (the GET of the link). */
export async function checkConfirmation(db: DbOrTx, rawReference: string, token: string, now: Date = new Date()): Promise<ConfirmCheck> {
  const reference = normalizeReference(rawReference);
  if (!reference || typeof token !== "string" || token.length < 16 || token.length > 100) throw new PledgeError("confirm_invalid");
  const [pledge] = await db
    .select()
    .from(pledges)
    .where(and(eq(pledges.reference, reference), eq(pledges.confirmTokenHash, hashToken(token))))
    .limit(1);
  if (!pledge) throw new PledgeError("confirm_invalid");
  if (pledge.confirmedAt) return { outcome: "already_confirmed", reference };
  if (!canConfirm(pledge, now)) throw new PledgeError("confirm_expired");
  return { outcome: "confirmable", reference, expiresAt: pledge.expiresAt! };
}

/**
 * A guest confirms an offline pledge with the single-use token from the instructions email: the
 * pledge now holds for the organisation's full period (from its creation). A token works once: a
 * second use changes nothing (`already_confirmed`). An unknown token, or one for another
 * reference, is `confirm_invalid`; a pledge past its 24 hours (or no longer pending) `confirm_expired`.
 */
export async function confirmPledge(
  db: Db,
  input: { reference: string; token: string; now?: Date },
): Promise<{ outcome: "confirmed" | "already_confirmed"; pledge: Pledge }> {
  const now = input.now ?? new Date();
  const reference = normalizeReference(input.reference);
  if (!reference || typeof input.token !== "string" || input.token.length < 16 || input.token.length > 100) {
    throw new PledgeError("confirm_invalid");
  }
  const where = and(eq(pledges.reference, reference), eq(pledges.confirmTokenHash, hashToken(input.token)))!;
  return db.transaction(async (tx) => {
    const { pledge } = await lockPledge(tx, where as ReturnType<typeof eq>).catch((error: unknown) => {
      if (error instanceof PledgeError && error.code === "pledge_not_found") throw new PledgeError("confirm_invalid");
      throw error;
    });
    if (pledge.confirmedAt) return { outcome: "already_confirmed" as const, pledge };
    if (!canConfirm(pledge, now)) throw new PledgeError("confirm_expired");
    const details = await getPaymentDetails(tx, pledge.orgId);
    const [updated] = await tx
      .update(pledges)
      .set({ confirmedAt: now, expiresAt: fullHoldUntil(pledge.createdAt, details?.pledgeExpiryDays), updatedAt: now })
      .where(eq(pledges.id, pledge.id))
      .returning();
    return { outcome: "confirmed" as const, pledge: updated };
  });
}

import { and, asc, count, desc, eq, isNotNull, or, sql, type SQL } from "drizzle-orm";
import { fundTitleIn } from "~/modules/needs/titles";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx, Tx } from "#db/client.server";
import { memberships, needs, orgCounters, organizations, payments, pledges, receipts, refunds, users } from "#db/schema";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import type { EmailMessage } from "~/modules/notifications/messages";
import { normalizeEmail } from "~/modules/identity/tokens";
import { env } from "~/utils/env.server";
import { formatDate, formatMoney } from "~/utils/format";
import type { Locale } from "~/utils/i18n";
import { counterName, formatReceiptNumber, yearIn, type ReceiptKind } from "./numbering";
import { receiptPath } from "./signing.server";
import { UUID_PATTERN } from "~/utils/uuid";

export { receiptPath, verifyReceiptSignature } from "./signing.server";

/**
 * Receipts and credit notes (issue 9, decision 056). The payments module calls `issueReceipt`
 * inside the transaction that confirms a payment and `issueCreditNote` inside the one that records
 * a refund: each is idempotent (the payment's or refund's unique index; the payment row is locked
 * first), numbered per organisation, kind and year (the organisation's calendar) by an org_counters
 * row incremented in the same transaction, so a rolled-back payment gives its number back and
 * numbers have no gaps. The donor (email, name, locale, account) is copied from the pledge, or from
 * the payment for money with no pledge; with an email, the receipt is written to the outbox in the
 * donor's language in the same transaction.
 */

export type Receipt = typeof receipts.$inferSelect;

const UUID = UUID_PATTERN;
export const isReceiptId = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

function defaultOrigin(): string {
  return (env().APP_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

/** The next number of a kind in a year: the counter row is locked by the upsert until commit. */
async function nextSequence(tx: DbOrTx, orgId: string, kind: ReceiptKind, year: number): Promise<number> {
  const [row] = await tx
    .insert(orgCounters)
    .values({ orgId, name: counterName(kind, year), value: 1 })
    .onConflictDoUpdate({ target: [orgCounters.orgId, orgCounters.name], set: { value: sql`${orgCounters.value} + 1` } })
    .returning({ value: orgCounters.value });
  return row.value;
}

async function lockPayment(tx: DbOrTx, paymentId: string) {
  const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for("update").limit(1);
  if (!payment) throw new Error(`issueReceipt: no payment ${paymentId}`);
  return payment;
}

/** Who the receipt is for: the pledge's donor, else the contact finance recorded with the payment. */
async function donorOf(tx: DbOrTx, payment: typeof payments.$inferSelect) {
  if (payment.pledgeId) {
    const [pledge] = await tx
      .select({ email: pledges.email, name: pledges.displayName, userId: pledges.donorUserId, locale: pledges.locale })
      .from(pledges)
      .where(eq(pledges.id, payment.pledgeId))
      .limit(1);
    if (pledge) return { email: normalizeEmail(pledge.email) || null, name: pledge.name ?? null, userId: pledge.userId, locale: pledge.locale };
  }
  const email = payment.donorEmail ? normalizeEmail(payment.donorEmail) || null : null;
  return { email, name: payment.donorName ?? null, userId: null, locale: payment.locale };
}

async function orgOf(tx: DbOrTx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw new Error(`receipts: no organisation ${orgId}`);
  return org;
}

/** Issues the receipt of a confirmed payment (once: a second call returns the first). */
export async function issueReceipt(tx: Tx, input: { paymentId: string; now: Date; origin?: string }): Promise<{ id: string; number: string }> {
  const payment = await lockPayment(tx, input.paymentId);
  const existing = await receiptOfPayment(tx, payment.id);
  if (existing) return { id: existing.id, number: existing.number };
  const org = await orgOf(tx, payment.orgId);
  const year = yearIn(input.now, org.timeZone);
  const sequence = await nextSequence(tx, org.id, "receipt", year);
  const donor = await donorOf(tx, payment);
  const [row] = await tx
    .insert(receipts)
    .values({
      orgId: org.id,
      kind: "receipt",
      number: formatReceiptNumber("receipt", year, sequence),
      year,
      sequence,
      paymentId: payment.id,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      donorEmail: donor.email,
      donorName: donor.name,
      donorUserId: donor.userId,
      locale: donor.locale,
      issuedAt: input.now,
    })
    .returning();
  await sendReceiptEmail(tx, row, input.origin ?? defaultOrigin(), false);
  return { id: row.id, number: row.number };
}

/**
 * Issues the credit note of a refund (once per refund). It refers to the payment's receipt, which
 * is issued first if the payment somehow has none yet.
 */
export async function issueCreditNote(tx: Tx, input: { refundId: string; now: Date; origin?: string }): Promise<{ id: string; number: string }> {
  const [refundPeek] = await tx.select({ paymentId: refunds.paymentId }).from(refunds).where(eq(refunds.id, input.refundId)).limit(1);
  if (!refundPeek) throw new Error(`issueCreditNote: no refund ${input.refundId}`);
  // Lock order as the payments module: the payment, then its refund.
  const payment = await lockPayment(tx, refundPeek.paymentId);
  const [refund] = await tx.select().from(refunds).where(eq(refunds.id, input.refundId)).for("update").limit(1);
  const [existing] = await tx.select().from(receipts).where(eq(receipts.refundId, refund.id)).limit(1);
  if (existing) return { id: existing.id, number: existing.number };
  const original = (await receiptOfPayment(tx, payment.id)) ?? (await issueReceipt(tx, { paymentId: payment.id, now: input.now, origin: input.origin }));
  const [originalRow] = await tx.select().from(receipts).where(eq(receipts.id, original.id)).limit(1);
  const org = await orgOf(tx, payment.orgId);
  const year = yearIn(input.now, org.timeZone);
  const sequence = await nextSequence(tx, org.id, "credit_note", year);
  const [row] = await tx
    .insert(receipts)
    .values({
      orgId: org.id,
      kind: "credit_note",
      number: formatReceiptNumber("credit_note", year, sequence),
      year,
      sequence,
      paymentId: payment.id,
      refundId: refund.id,
      refersToReceiptId: originalRow.id,
      amountMinor: refund.amountMinor,
      currency: refund.currency,
      // The credit note goes to whoever got the receipt.
      donorEmail: originalRow.donorEmail,
      donorName: originalRow.donorName,
      donorUserId: originalRow.donorUserId,
      locale: originalRow.locale,
      issuedAt: input.now,
    })
    .returning();
  await sendReceiptEmail(tx, row, input.origin ?? defaultOrigin(), false);
  return { id: row.id, number: row.number };
}

async function receiptOfPayment(tx: DbOrTx, paymentId: string) {
  const [row] = await tx
    .select()
    .from(receipts)
    .where(and(eq(receipts.paymentId, paymentId), eq(receipts.kind, "receipt")))
    .limit(1);
  return row ?? null;
}

/** Emails wait at least this long between two reissues of one receipt (a donor cannot flood an inbox). */
export const REISSUE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Sends the receipt (or credit note) again, same number: `reissued_at` is stamped. Returns
 * "sent", "no_email" (nobody to send it to) or "too_soon" (reissued less than ten minutes ago).
 */
export async function reissueReceipt(
  db: DbOrTx,
  input: { receiptId: string; now?: Date; origin?: string },
): Promise<"sent" | "no_email" | "too_soon"> {
  const now = input.now ?? new Date();
  const run = async (tx: DbOrTx) => {
    const [row] = await tx.select().from(receipts).where(eq(receipts.id, input.receiptId)).for("update").limit(1);
    if (!row) throw new Error(`reissueReceipt: no receipt ${input.receiptId}`);
    if (!row.donorEmail) return "no_email" as const;
    if (row.reissuedAt && now.getTime() - row.reissuedAt.getTime() < REISSUE_INTERVAL_MS) return "too_soon" as const;
    const [updated] = await tx.update(receipts).set({ reissuedAt: now }).where(eq(receipts.id, row.id)).returning();
    await sendReceiptEmail(tx, updated, input.origin ?? defaultOrigin(), true);
    return "sent" as const;
  };
  return db.transaction(run);
}

// ---------------------------------------------------------------- what a receipt says

export type ReceiptDestination = "need" | "fund" | "unrestricted" | "unassigned";

/** Everything a receipt shows, read from its rows (public text of the need only). */
export async function receiptDetails(db: DbOrTx, receiptId: string) {
  if (!isReceiptId(receiptId)) return null;
  const original = alias(receipts, "original");
  const [row] = await db
    .select({
      receipt: receipts,
      org: {
        id: organizations.id,
        slug: organizations.slug,
        nameAr: organizations.nameAr,
        nameEn: organizations.nameEn,
        legalName: organizations.legalName,
        registrationNumber: organizations.registrationNumber,
        timeZone: organizations.timeZone,
      },
      payment: {
        method: payments.method,
        amountMinor: payments.amountMinor,
        coverFeeMinor: payments.coverFeeMinor,
        surplusMinor: payments.surplusMinor,
        currency: payments.currency,
        valueDate: payments.valueDate,
        allocation: payments.allocation,
        pledgeId: payments.pledgeId,
      },
      pledgeReference: pledges.reference,
      pledgeKind: pledges.kind,
      zakat: pledges.zakat,
      need: { publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn },
      refersToNumber: original.number,
    })
    .from(receipts)
    .innerJoin(organizations, eq(organizations.id, receipts.orgId))
    .innerJoin(payments, eq(payments.id, receipts.paymentId))
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .leftJoin(needs, eq(needs.id, pledges.needId))
    .leftJoin(original, eq(original.id, receipts.refersToReceiptId))
    .where(eq(receipts.id, receiptId))
    .limit(1);
  if (!row) return null;
  const destination: ReceiptDestination = row.need?.publicId
    ? "need"
    : row.payment.allocation === "suspense"
      ? "unassigned"
      : row.pledgeKind === "fund"
        ? "fund"
        : "unrestricted";
  return { ...row, destination };
}

export type ReceiptDetails = NonNullable<Awaited<ReturnType<typeof receiptDetails>>>;

/** The need's public title in a language, falling back to the other. */
export function needTitleIn(need: { titleAr: string | null; titleEn: string | null } | null, locale: Locale): string | null {
  if (!need) return null;
  return (locale === "ar" ? need.titleAr ?? need.titleEn : need.titleEn ?? need.titleAr) ?? null;
}

/** The organisation's name on a receipt: its legal name, else its display name in the language. */
export function issuerName(org: { legalName: string | null; nameAr: string; nameEn: string }, locale: Locale): string {
  return org.legalName?.trim() || (locale === "ar" ? org.nameAr : org.nameEn);
}

/** The formatted lines of a receipt in one language (page, email and statement share them). */
export function receiptLines(d: ReceiptDetails, locale: Locale) {
  const r = d.receipt;
  const money = (minor: number) => formatMoney(minor, r.currency, locale);
  const isReceipt = r.kind === "receipt";
  const giftMinor = d.payment.amountMinor - d.payment.coverFeeMinor - d.payment.surplusMinor;
  return {
    kind: r.kind,
    number: r.number,
    amount: money(r.amountMinor),
    issuedOn: formatDate(r.issuedAt, locale, d.org.timeZone),
    reissuedOn: r.reissuedAt ? formatDate(r.reissuedAt, locale, d.org.timeZone) : null,
    valueDate: formatDate(d.payment.valueDate, locale, "UTC"),
    method: d.payment.method,
    needTitle: d.destination === "fund" ? fundTitleIn(d.org, d.zakat === true, locale) : needTitleIn(d.need, locale),
    /** How the donor gave it (issue 12): zakat, or sadaqa (voluntary charity) — every receipt says which. */
    givenAs: d.zakat ? ("zakat" as const) : ("sadaqa" as const),
    needPublicId: d.need?.publicId ?? null,
    destination: d.destination,
    orgName: issuerName(d.org, locale),
    registrationNumber: d.org.registrationNumber?.trim() || null,
    pledgeReference: d.pledgeReference ?? null,
    donorName: r.donorName?.trim() || null,
    // The split of a payment: the gift to the need, the fee the donor covered, the surplus.
    gift: isReceipt && (d.payment.coverFeeMinor > 0 || d.payment.surplusMinor > 0) ? money(giftMinor) : null,
    coverFee: isReceipt && d.payment.coverFeeMinor > 0 ? money(d.payment.coverFeeMinor) : null,
    surplus: isReceipt && d.payment.surplusMinor > 0 ? money(d.payment.surplusMinor) : null,
    refersToNumber: d.refersToNumber ?? null,
  };
}

async function sendReceiptEmail(tx: DbOrTx, row: Receipt, origin: string, reissued: boolean) {
  if (!row.donorEmail) return;
  const details = await receiptDetails(tx, row.id);
  if (!details) return;
  const locale = row.locale;
  const lines = receiptLines(details, locale);
  const receiptUrl = `${origin.replace(/\/+$/, "")}${receiptPath(row.id)}`;
  const common = {
    name: lines.donorName ?? "",
    number: lines.number,
    amount: lines.amount,
    issuedOn: lines.issuedOn,
    orgName: lines.orgName,
    registrationNumber: lines.registrationNumber,
    pledgeReference: lines.pledgeReference,
    reissued,
    receiptUrl,
  };
  const message: EmailMessage =
    row.kind === "receipt"
      ? {
          template: "receipt",
          data: {
            ...common,
            valueDate: lines.valueDate,
            method: lines.method,
            needTitle: lines.needTitle,
            destination: lines.destination,
            givenAs: lines.givenAs,
            gift: lines.gift,
            coverFee: lines.coverFee,
            surplus: lines.surplus,
          },
        }
      : { template: "credit-note", data: { ...common, receiptNumber: lines.refersToNumber ?? "" } };
  await enqueueEmail(tx, row.donorEmail, locale, message);
}

// ---------------------------------------------------------------- who may see a receipt

/**
 * May this visitor see this receipt? The signed link (a guest from the email); the donor whose
 * receipt it is (their account, or their verified email address); finance and org admins of its
 * organisation. Everyone else is answered as if it did not exist.
 */
export async function canViewReceipt(
  db: DbOrTx,
  receipt: Pick<Receipt, "orgId" | "donorUserId" | "donorEmail">,
  who: { user: { id: string; email: string; emailVerifiedAt: Date | null } | null; signed: boolean },
): Promise<boolean> {
  if (who.signed) return true;
  if (!who.user) return false;
  if (isDonorOf(receipt, who.user)) return true;
  return isFinanceOf(db, receipt.orgId, who.user.id);
}

export function isDonorOf(
  receipt: Pick<Receipt, "donorUserId" | "donorEmail">,
  user: { id: string; email: string; emailVerifiedAt: Date | null },
): boolean {
  if (receipt.donorUserId && receipt.donorUserId === user.id) return true;
  return Boolean(user.emailVerifiedAt && receipt.donorEmail && receipt.donorEmail === normalizeEmail(user.email));
}

export async function isFinanceOf(db: DbOrTx, orgId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return rows.some((r) => r.role === "finance" || r.role === "org_admin");
}

// ---------------------------------------------------------------- the donor's receipts

type DonorUser = { id: string; email: string; emailVerifiedAt: Date | null };

/** Receipts that belong to a signed-in donor: by account, or by their verified email address. */
function donorCondition(user: DonorUser): SQL {
  const byUser = eq(receipts.donorUserId, user.id);
  if (!user.emailVerifiedAt) return byUser;
  return or(byUser, and(isNotNull(receipts.donorEmail), eq(receipts.donorEmail, normalizeEmail(user.email))))!;
}

export const RECEIPTS_PAGE_SIZE = 25;

/** The donor's receipts and credit notes, newest first, a page at a time. */
export async function listDonorReceipts(db: DbOrTx, user: DonorUser, page = 1) {
  const where = donorCondition(user);
  const [{ total }] = await db.select({ total: count() }).from(receipts).where(where);
  const rows = await db
    .select({
      id: receipts.id,
      kind: receipts.kind,
      number: receipts.number,
      year: receipts.year,
      amountMinor: receipts.amountMinor,
      currency: receipts.currency,
      issuedAt: receipts.issuedAt,
      orgId: organizations.id,
      orgSlug: organizations.slug,
      orgNameAr: organizations.nameAr,
      orgNameEn: organizations.nameEn,
      orgTimeZone: organizations.timeZone,
      needTitleAr: needs.titleAr,
      needTitleEn: needs.titleEn,
    })
    .from(receipts)
    .innerJoin(organizations, eq(organizations.id, receipts.orgId))
    .innerJoin(payments, eq(payments.id, receipts.paymentId))
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .leftJoin(needs, eq(needs.id, pledges.needId))
    .where(where)
    .orderBy(desc(receipts.issuedAt), desc(receipts.number))
    .limit(RECEIPTS_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * RECEIPTS_PAGE_SIZE);
  // Every (organisation, year) with a receipt: one statement each.
  const statements = await db
    .selectDistinct({ orgSlug: organizations.slug, orgNameAr: organizations.nameAr, orgNameEn: organizations.nameEn, year: receipts.year })
    .from(receipts)
    .innerJoin(organizations, eq(organizations.id, receipts.orgId))
    .where(where)
    .orderBy(desc(receipts.year), asc(organizations.slug));
  return { rows, total, pages: Math.max(1, Math.ceil(total / RECEIPTS_PAGE_SIZE)), statements };
}

/**
 * A donor's year-end statement for one organisation: every receipt and credit note of that year
 * (by number) and, per currency, the receipts' total, the credit notes' total and what remains.
 * Null when the donor has nothing there that year (no existence leak about the organisation).
 */
export async function donorStatement(db: DbOrTx, user: DonorUser, input: { orgSlug: string; year: number }) {
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, input.orgSlug)).limit(1);
  if (!org) return null;
  const rows = await db
    .select({
      id: receipts.id,
      kind: receipts.kind,
      number: receipts.number,
      amountMinor: receipts.amountMinor,
      currency: receipts.currency,
      issuedAt: receipts.issuedAt,
      valueDate: payments.valueDate,
      method: payments.method,
      refersToReceiptId: receipts.refersToReceiptId,
      pledgeReference: pledges.reference,
      needTitleAr: needs.titleAr,
      needTitleEn: needs.titleEn,
    })
    .from(receipts)
    .innerJoin(payments, eq(payments.id, receipts.paymentId))
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .leftJoin(needs, eq(needs.id, pledges.needId))
    .where(and(eq(receipts.orgId, org.id), eq(receipts.year, input.year), donorCondition(user)))
    .orderBy(asc(receipts.kind), asc(receipts.sequence));
  if (rows.length === 0) return null;
  return { org, year: input.year, rows, totals: statementTotals(rows) };
}

/** Per currency: receipts, credit notes, and receipts minus credit notes (integer minor units). */
export function statementTotals(rows: { kind: ReceiptKind; amountMinor: number; currency: string }[]) {
  const byCurrency = new Map<string, { currency: string; receiptsMinor: number; creditNotesMinor: number; netMinor: number }>();
  for (const row of rows) {
    const entry = byCurrency.get(row.currency) ?? { currency: row.currency, receiptsMinor: 0, creditNotesMinor: 0, netMinor: 0 };
    if (row.kind === "receipt") entry.receiptsMinor += row.amountMinor;
    else entry.creditNotesMinor += row.amountMinor;
    entry.netMinor = entry.receiptsMinor - entry.creditNotesMinor;
    byCurrency.set(row.currency, entry);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** The user row for access checks (route helpers pass the session user). */
export async function userForAccess(db: DbOrTx, userId: string) {
  const [user] = await db.select({ id: users.id, email: users.email, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId)).limit(1);
  return user ?? null;
}

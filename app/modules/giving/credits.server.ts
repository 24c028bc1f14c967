/**
 * Donor credit (issue 12; decision 065). Money a donor gave that its need can no longer use — the
 * need was cancelled, or expired before it was funded — is offered back to the donor as credit for
 * a window (platform_settings.credit_window_days, 30 by default): an email with a signed link
 * (guests need no account) lists verified needs of the same organisation and currency that have
 * room for it, and one click moves it there. When the window ends the system moves it to the
 * organisation's fund (the zakat fund for zakat) and runs the allocator for that money alone; the
 * donor is told where it went. Every movement is a ledger entry in one transaction with a key.
 */
import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { donorCredits, ledgerAccounts, ledgerEntries, ledgerPostings, needs, organizations, payments, platformSettings, pledges } from "#db/schema";
import { SYSTEM_ACTOR, recordAudit, type Actor } from "~/modules/audit/audit.server";
import { paymentHoldings } from "~/modules/ledger/ledger.server";
import { SUSPENSE, need as needFund } from "~/modules/ledger/ledger";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { publicTitleIn } from "~/modules/needs/titles";
import { PaymentError } from "~/modules/payments/errors";
import { reallocateInTx } from "~/modules/payments/payments.server";
import { holdingIn } from "~/modules/payments/payment-steps.server";
import { scoreNeed } from "~/modules/matching/allocator";
import { fundCandidates } from "~/modules/matching/fund.server";
import { runFund } from "~/modules/matching/fund-run.server";
import { linkSignature, verifyLinkSignature } from "~/utils/link-signing.server";
import { formatDate, formatMoney } from "~/utils/format";
import { isUuid } from "~/utils/uuid";

export type DonorCredit = typeof donorCredits.$inferSelect;

const PURPOSE = "donor-credit";
const DAY_MS = 86_400_000;

export class CreditError extends Error {
  constructor(readonly code: "not_found" | "closed" | "need_full" | "need_not_open" | "zakat_ineligible" | "other_need") {
    super(`donor credit refused: ${code}`);
  }
  get status(): 404 | 409 | 400 {
    return this.code === "not_found" ? 404 : this.code === "zakat_ineligible" || this.code === "other_need" ? 400 : 409;
  }
  get messageKey(): string {
    return `giving:credit.errors.${this.code}`;
  }
}

/** The signed one-click link of a credit (no account needed). */
export function creditPath(creditId: string): string {
  return `/credits/${creditId}?s=${linkSignature(PURPOSE, creditId)}`;
}

export function creditLinkValid(creditId: string, signature: string | null | undefined): boolean {
  return isUuid(creditId) && verifyLinkSignature(PURPOSE, creditId, signature);
}

/**
 * Who may open a credit's page and choose for it: whoever holds its signed link (the email), or a
 * signed-in donor whose verified address is the credit's. Anyone else is answered as if it did not exist.
 */
export function mayOpenCredit(
  credit: Pick<DonorCredit, "id" | "email">,
  who: { signature: string | null; user: { email: string; emailVerifiedAt: Date | null } | null },
): boolean {
  if (creditLinkValid(credit.id, who.signature)) return true;
  return Boolean(who.user?.emailVerifiedAt && who.user.email.trim().toLowerCase() === credit.email);
}

export async function creditWindowDays(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ days: platformSettings.creditWindowDays }).from(platformSettings).limit(1);
  return row?.days ?? 30;
}

/**
 * Offers credit for money sitting on needs that can no longer use it: each payment's holding in
 * the fund of a cancelled or expired need, once (unique per payment and need), to the pledge's
 * email or the payment's contact (money with no address stays for finance). Returns how many.
 */
export async function offerCredits(db: Db, input: { origin: string; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  const held = sql<string>`-sum(${ledgerPostings.amountMinor})`;
  const dead = await db
    .select({ paymentId: ledgerEntries.paymentId, needId: ledgerAccounts.needId, held })
    .from(ledgerPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
    .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
    .innerJoin(needs, eq(needs.id, ledgerAccounts.needId))
    .leftJoin(donorCredits, and(eq(donorCredits.paymentId, ledgerEntries.paymentId), eq(donorCredits.fromNeedId, ledgerAccounts.needId)))
    .where(and(eq(ledgerAccounts.kind, "need_fund"), inArray(needs.state, ["cancelled", "expired"]), isNull(donorCredits.id), sql`${ledgerEntries.paymentId} is not null`))
    .groupBy(ledgerEntries.paymentId, ledgerAccounts.needId)
    .having(sql`${held} > 0`)
    .limit(500);
  // A late payment (its pledge had expired or was cancelled) waits in suspense; when its need can
  // no longer take it — cancelled, expired, or funded by others meanwhile — it is the donor's credit too.
  const late = await db
    .select({ paymentId: payments.id, needId: pledges.needId })
    .from(payments)
    .innerJoin(pledges, eq(pledges.id, payments.pledgeId))
    .innerJoin(needs, eq(needs.id, pledges.needId))
    .leftJoin(donorCredits, and(eq(donorCredits.paymentId, payments.id), eq(donorCredits.fromNeedId, needs.id)))
    .where(
      and(
        eq(payments.allocation, "suspense"),
        inArray(payments.flag, ["paid_after_cancelled", "paid_after_expired"]),
        inArray(payments.status, ["succeeded", "partly_refunded"]),
        isNull(donorCredits.id),
        sql`(${needs.state} <> 'published' or ${needs.targetMinor} - ${needs.paidMinor} - ${needs.reservedMinor} <= 0)`,
      ),
    )
    .limit(500);
  const rows: { paymentId: string | null; needId: string | null; held: string | null }[] = [...dead, ...late.map((r) => ({ ...r, held: null }))];
  if (rows.length === 0) return 0;
  const days = await creditWindowDays(db);
  let offered = 0;
  for (const row of rows) {
    const made = await db.transaction(async (tx) => {
      const [p] = await tx
        .select({ payment: payments, pledgeEmail: pledges.email, pledgeName: pledges.displayName, zakat: pledges.zakat, locale: pledges.locale })
        .from(payments)
        .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
        .where(eq(payments.id, row.paymentId!))
        .limit(1);
      const email = p?.pledgeEmail ?? p?.payment.donorEmail ?? null;
      if (!p || !email || !["succeeded", "partly_refunded"].includes(p.payment.status)) return false;
      const amountMinor = row.held !== null ? Number(row.held) : holdingIn(await paymentHoldings(tx, p.payment.id), SUSPENSE);
      if (amountMinor <= 0) return false;
      const [need] = await tx.select({ titleAr: needs.titleAr, titleEn: needs.titleEn, orgId: needs.orgId, currency: needs.currency }).from(needs).where(eq(needs.id, row.needId!));
      const [credit] = await tx
        .insert(donorCredits)
        .values({
          orgId: need!.orgId,
          paymentId: row.paymentId!,
          fromNeedId: row.needId!,
          currency: need!.currency,
          amountMinor,
          email,
          zakat: p.zakat === true,
          expiresAt: new Date(now.getTime() + days * DAY_MS),
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!credit) return false;
      const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn, timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, credit.orgId));
      const locale = p.locale ?? p.payment.locale;
      await enqueueEmail(tx, email, locale, {
        template: "donor-credit",
        data: {
          name: p.pledgeName ?? p.payment.donorName ?? "",
          amount: formatMoney(credit.amountMinor, credit.currency, locale),
          needTitle: publicTitleIn(need!, locale),
          orgName: locale === "ar" ? org!.nameAr : org!.nameEn,
          until: formatDate(credit.expiresAt, locale, org!.timeZone),
          chooseUrl: `${input.origin.replace(/\/+$/, "")}${creditPath(credit.id)}`,
          zakat: credit.zakat,
        },
      });
      return true;
    });
    if (made) offered += 1;
  }
  return offered;
}

/** A credit as its page shows it: the amount, the need it came from, and the needs it may go to (best first). */
export async function creditView(db: DbOrTx, creditId: string, now: Date = new Date()) {
  if (!isUuid(creditId)) return null;
  const [row] = await db
    .select({ credit: donorCredits, from: { titleAr: needs.titleAr, titleEn: needs.titleEn }, org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn, timeZone: organizations.timeZone } })
    .from(donorCredits)
    .innerJoin(needs, eq(needs.id, donorCredits.fromNeedId))
    .innerJoin(organizations, eq(organizations.id, donorCredits.orgId))
    .where(eq(donorCredits.id, creditId))
    .limit(1);
  if (!row) return null;
  const open = row.credit.status === "open" && row.credit.expiresAt.getTime() > now.getTime() && (await stillHeld(db, row.credit));
  const candidates = open ? await fundCandidates(db, row.credit.orgId, row.credit.currency) : [];
  const options = candidates
    .filter((n) => n.id !== row.credit.fromNeedId && n.targetMinor - n.committedMinor >= row.credit.amountMinor && (!row.credit.zakat || n.zakatEligible))
    .map((n) => ({ need: n, score: scoreNeed(n, now, row.credit.amountMinor).score }))
    .sort((a, b) => b.score - a.score || (a.need.id < b.need.id ? -1 : 1))
    .slice(0, 8)
    .map(({ need, score }) => ({ id: need.id, publicId: need.publicId, titleAr: need.titleAr, titleEn: need.titleEn, remainingMinor: need.targetMinor - need.committedMinor, score }));
  const [to] = row.credit.toNeedId ? await db.select({ publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn }).from(needs).where(eq(needs.id, row.credit.toNeedId)) : [];
  return { ...row, open, options, to: to ?? null };
}

/** The money of the credit still sits on its need (nobody refunded or moved it meanwhile). */
async function stillHeld(tx: DbOrTx, credit: DonorCredit): Promise<boolean> {
  const [payment] = await tx.select({ needId: payments.needId, allocation: payments.allocation }).from(payments).where(eq(payments.id, credit.paymentId));
  // A late payment's credit: its money still waits in suspense (finance has not placed it meanwhile).
  if (payment?.allocation === "suspense") return holdingIn(await paymentHoldings(tx, credit.paymentId), SUSPENSE) >= credit.amountMinor;
  if (!payment || payment.allocation !== "need_fund" || payment.needId !== credit.fromNeedId) return false;
  return holdingIn(await paymentHoldings(tx, credit.paymentId), needFund(credit.fromNeedId)) >= credit.amountMinor;
}

/**
 * The donor chooses another need for their credit (one click; the route checked the signed link or
 * the account): in one transaction the money moves from the old need to this one (a reallocation
 * entry; the donor's "where your money went" email), and the credit is `used`. Refused, nothing
 * changed: a credit no longer open or past its window, a need of another organisation or currency,
 * not published, with less room than the credit, or not zakat-eligible for zakat.
 */
export async function chooseCreditNeed(db: Db, input: { creditId: string; needId: string; now?: Date }): Promise<DonorCredit> {
  const now = input.now ?? new Date();
  if (!isUuid(input.creditId)) throw new CreditError("not_found");
  if (!isUuid(input.needId)) throw new CreditError("other_need");
  return db.transaction(async (tx) => {
    const [credit] = await tx.select().from(donorCredits).where(eq(donorCredits.id, input.creditId)).for("update");
    if (!credit) throw new CreditError("not_found");
    if (credit.status !== "open" || credit.expiresAt.getTime() <= now.getTime()) throw new CreditError("closed");
    if (input.needId === credit.fromNeedId) throw new CreditError("other_need");
    if (!(await stillHeld(tx, credit))) {
      await tx.update(donorCredits).set({ status: "void", resolvedAt: now }).where(eq(donorCredits.id, credit.id));
      throw new CreditError("closed");
    }
    try {
      await reallocateInTx(tx, SYSTEM_ACTOR, { paymentId: credit.paymentId, to: { needId: input.needId }, amountMinor: credit.amountMinor, idempotencyKey: `credit:${credit.id}`, now }, true);
    } catch (error) {
      if (error instanceof PaymentError) {
        if (error.code === "need_full") throw new CreditError("need_full");
        if (error.code === "need_not_open") throw new CreditError("need_not_open");
        if (error.code === "zakat_ineligible") throw new CreditError("zakat_ineligible");
        if (["need_not_found", "other_org_need", "other_currency_need", "invalid_state"].includes(error.code)) throw new CreditError("other_need");
      }
      throw error;
    }
    const [used] = await tx.update(donorCredits).set({ status: "used", toNeedId: input.needId, resolvedAt: now }).where(eq(donorCredits.id, credit.id)).returning();
    return used!;
  });
}

/**
 * Credits whose window ended: each moves to the organisation's fund (the system, one transaction),
 * then the allocator runs for that money alone (cap: the whole credit, so it finishes one need
 * when one fits) and the donor is emailed where it went. No need fits yet: `to_fund`, and the
 * weekly run gives it later. Returns how many were resolved.
 */
export async function expireCredits(db: Db, now: Date = new Date()): Promise<number> {
  const due = await db.select().from(donorCredits).where(and(eq(donorCredits.status, "open"), lte(donorCredits.expiresAt, now))).orderBy(asc(donorCredits.expiresAt)).limit(200);
  let done = 0;
  for (const c of due) {
    const moved = await db.transaction(async (tx) => {
      const [credit] = await tx.select().from(donorCredits).where(eq(donorCredits.id, c.id)).for("update");
      if (!credit || credit.status !== "open") return null;
      if (!(await stillHeld(tx, credit))) {
        await tx.update(donorCredits).set({ status: "void", resolvedAt: now }).where(eq(donorCredits.id, credit.id));
        return null;
      }
      await reallocateInTx(tx, SYSTEM_ACTOR, { paymentId: credit.paymentId, to: "unrestricted", amountMinor: credit.amountMinor, idempotencyKey: `credit-end:${credit.id}`, now }, true);
      await tx.update(donorCredits).set({ status: "to_fund", resolvedAt: now }).where(eq(donorCredits.id, credit.id));
      return credit;
    });
    if (!moved) continue;
    done += 1;
    const { allocations } = await runFund(db, SYSTEM_ACTOR, {
      orgId: moved.orgId,
      currency: moved.currency,
      capPerNeedMinor: moved.amountMinor,
      idempotencyKey: `credit-run:${moved.id}`,
      now,
      onlyPaymentIds: [moved.paymentId],
    });
    if (allocations.length > 0) {
      await db.update(donorCredits).set({ status: "allocated", toNeedId: allocations[0]!.needId }).where(eq(donorCredits.id, moved.id));
    }
  }
  return done;
}

/** A donor's open credits (their verified address), newest first, for their pledges page. */
export async function openCreditsOf(db: DbOrTx, email: string, now: Date = new Date()) {
  const rows = await db
    .select({ id: donorCredits.id, amountMinor: donorCredits.amountMinor, currency: donorCredits.currency, expiresAt: donorCredits.expiresAt, titleAr: needs.titleAr, titleEn: needs.titleEn })
    .from(donorCredits)
    .innerJoin(needs, eq(needs.id, donorCredits.fromNeedId))
    // Still where it was: money finance moved or refunded meanwhile is no longer the donor's to choose.
    .innerJoin(payments, and(eq(payments.id, donorCredits.paymentId), eq(payments.needId, donorCredits.fromNeedId), eq(payments.allocation, "need_fund")))
    .where(and(eq(donorCredits.email, email.trim().toLowerCase()), eq(donorCredits.status, "open")))
    .orderBy(asc(donorCredits.expiresAt))
    .limit(20);
  return rows.filter((r) => r.expiresAt.getTime() > now.getTime()).map((r) => ({ ...r, path: creditPath(r.id) }));
}

/** The platform admin sets the donor-credit window (1–365 days; audited). Applies to credits offered from now on. */
export async function setCreditWindowDays(db: Db, actor: Actor, days: number) {
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new RangeError("credit window out of range");
  await db.transaction(async (tx) => {
    const before = await creditWindowDays(tx);
    const now = new Date();
    await tx
      .insert(platformSettings)
      .values({ id: true, creditWindowDays: days, updatedBy: actor.userId ?? null, updatedAt: now })
      .onConflictDoUpdate({ target: platformSettings.id, set: { creditWindowDays: days, updatedBy: actor.userId ?? null, updatedAt: now } });
    await recordAudit(tx, actor, { orgId: null, action: "platform.settings", entityType: "platform", entityId: null, change: { creditWindowDays: { from: before, to: days } } });
  });
}

/**
 * The donor's side of money in (issue 9, item 8), read only: what arrived for a pledge, its
 * receipts, refunds and where its money went (the need's fund, another need of the organisation,
 * the organisation's general fund). Never anything private: another need is named only as "another
 * need of the organisation", and no donor's email leaves here.
 *
 * Each read is a fixed number of queries for any number of pledges (no N+1).
 */
import { and, desc, eq, inArray, isNull, lt, notInArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "#db/client.server";
import { fundAllocations, ledgerAccounts, ledgerEntries, ledgerPostings, needs, organizations, payments, pledges, receipts, refunds } from "#db/schema";
import { needFigures, type NeedFigures } from "~/modules/anonymization/public-need";

export interface TrailPayment {
  id: string;
  amountMinor: number;
  coverFeeMinor: number;
  currency: string;
  /** When the money arrived (YYYY-MM-DD, the organisation's calendar). */
  valueDate: string;
  status: string;
  method: string;
  receipt: { id: string; number: string } | null;
}

export interface TrailRefund {
  id: string;
  paymentId: string;
  amountMinor: number;
  currency: string;
  status: "pending" | "succeeded" | "failed";
  createdAt: Date;
  creditNote: { id: string; number: string } | null;
}

/** Money of the pledge moved out of its need's fund: to another need of the organisation, or its general fund. */
export interface TrailMove {
  paymentId: string;
  to: "other_need" | "general_fund";
  amountMinor: number;
  valueDate: string;
  /**
   * The need the solidarity fund's allocator gave it to (issue 12), with why — its public title
   * and the score's parts; null for a move finance made (named only as "another need").
   */
  allocation: { publicId: string; titleAr: string | null; titleEn: string | null; score: number; parts: Record<string, number> } | null;
}

export interface PledgeMoney {
  payments: TrailPayment[];
  refunds: TrailRefund[];
  moves: TrailMove[];
}

const emptyMoney = (): PledgeMoney => ({ payments: [], refunds: [], moves: [] });

/** Payments that are money in (a cash record still waiting for its second person, or rejected, is not). */
const COUNTED_PAYMENT = ["awaiting_confirmation", "rejected"] as const;

/**
 * Payments (with their receipt), refunds (with their credit note) and moves of a set of pledges,
 * by pledge id. `pledgeNeeds` maps each pledge to its need: money credited to that need's fund is
 * "in the fund", not a move (e.g. suspense money attached to the pledge).
 */
export async function moneyOfPledges(db: DbOrTx, pledgeNeeds: ReadonlyMap<string, string | null>): Promise<Map<string, PledgeMoney>> {
  const out = new Map<string, PledgeMoney>();
  const pledgeIds = [...pledgeNeeds.keys()];
  for (const id of pledgeIds) out.set(id, emptyMoney());
  if (pledgeIds.length === 0) return out;

  const paymentRows = await db
    .select({
      id: payments.id,
      pledgeId: payments.pledgeId,
      amountMinor: payments.amountMinor,
      coverFeeMinor: payments.coverFeeMinor,
      currency: payments.currency,
      valueDate: payments.valueDate,
      status: payments.status,
      method: payments.method,
      recordedAt: payments.recordedAt,
    })
    .from(payments)
    .where(and(inArray(payments.pledgeId, pledgeIds), notInArray(payments.status, [...COUNTED_PAYMENT])))
    .orderBy(payments.valueDate, payments.recordedAt);
  if (paymentRows.length === 0) return out;
  const paymentIds = paymentRows.map((p) => p.id);
  const pledgeOfPayment = new Map(paymentRows.map((p) => [p.id, p.pledgeId!]));

  const reversal = alias(ledgerEntries, "reversal");
  const [receiptRows, refundRows, creditRows] = await Promise.all([
    db
      .select({ id: receipts.id, number: receipts.number, paymentId: receipts.paymentId })
      .from(receipts)
      .where(and(inArray(receipts.paymentId, paymentIds), eq(receipts.kind, "receipt"))),
    db
      .select({
        id: refunds.id,
        paymentId: refunds.paymentId,
        amountMinor: refunds.amountMinor,
        currency: refunds.currency,
        status: refunds.status,
        createdAt: refunds.createdAt,
      })
      .from(refunds)
      .where(inArray(refunds.paymentId, paymentIds))
      .orderBy(refunds.createdAt),
    // Credits of the payment's reallocation entries (not themselves reversed) to a fund other than the pledge's need.
    db
      .select({
        paymentId: ledgerEntries.paymentId,
        valueDate: ledgerEntries.valueDate,
        kind: ledgerAccounts.kind,
        needId: ledgerAccounts.needId,
        amountMinor: sql<number>`(-${ledgerPostings.amountMinor})::bigint`,
        allocation: {
          score: fundAllocations.score,
          parts: fundAllocations.parts,
          publicId: needs.publicId,
          titleAr: needs.titleAr,
          titleEn: needs.titleEn,
        },
      })
      .from(ledgerEntries)
      .innerJoin(ledgerPostings, eq(ledgerPostings.entryId, ledgerEntries.id))
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
      .leftJoin(reversal, eq(reversal.reversesEntryId, ledgerEntries.id))
      .leftJoin(fundAllocations, eq(fundAllocations.ledgerEntryId, ledgerEntries.id))
      .leftJoin(needs, eq(needs.id, fundAllocations.needId))
      .where(
        and(
          inArray(ledgerEntries.paymentId, paymentIds),
          eq(ledgerEntries.kind, "reallocation"),
          isNull(reversal.id),
          lt(ledgerPostings.amountMinor, 0),
          inArray(ledgerAccounts.kind, ["need_fund", "unrestricted_fund", "zakat_fund"]),
        ),
      )
      .orderBy(ledgerEntries.createdAt),
  ]);
  const refundIds = refundRows.map((r) => r.id);
  const creditNotes = refundIds.length
    ? await db
        .select({ id: receipts.id, number: receipts.number, refundId: receipts.refundId })
        .from(receipts)
        .where(and(inArray(receipts.refundId, refundIds), eq(receipts.kind, "credit_note")))
    : [];

  for (const p of paymentRows) {
    const receipt = receiptRows.find((r) => r.paymentId === p.id);
    out.get(p.pledgeId!)!.payments.push({
      id: p.id,
      amountMinor: Number(p.amountMinor),
      coverFeeMinor: Number(p.coverFeeMinor),
      currency: p.currency,
      valueDate: p.valueDate,
      status: p.status,
      method: p.method,
      receipt: receipt ? { id: receipt.id, number: receipt.number } : null,
    });
  }
  for (const r of refundRows) {
    const note = creditNotes.find((c) => c.refundId === r.id);
    out.get(pledgeOfPayment.get(r.paymentId)!)!.refunds.push({
      id: r.id,
      paymentId: r.paymentId,
      amountMinor: Number(r.amountMinor),
      currency: r.currency,
      status: r.status,
      createdAt: r.createdAt,
      creditNote: note ? { id: note.id, number: note.number } : null,
    });
  }
  for (const c of creditRows) {
    const pledgeId = pledgeOfPayment.get(c.paymentId!)!;
    const ownNeed = pledgeNeeds.get(pledgeId);
    if (c.kind === "need_fund" && c.needId === ownNeed) continue; // arrived in its own need's fund
    if (c.kind !== "need_fund" && ownNeed === null) continue; // a fund pledge's money arriving in its own fund
    const a = c.kind === "need_fund" && c.allocation?.publicId ? c.allocation : null;
    out.get(pledgeId)!.moves.push({
      paymentId: c.paymentId!,
      to: c.kind === "need_fund" ? "other_need" : "general_fund",
      amountMinor: Number(c.amountMinor),
      valueDate: c.valueDate,
      allocation: a ? { publicId: a.publicId!, titleAr: a.titleAr, titleEn: a.titleEn, score: a.score!, parts: a.parts! } : null,
    });
  }
  return out;
}

export interface DonorTrailRow {
  id: string;
  reference: string;
  status: (typeof pledges.$inferSelect)["status"];
  method: (typeof pledges.$inferSelect)["method"];
  amountMinor: number;
  paidMinor: number;
  currency: string;
  createdAt: Date;
  /** The need it funds; null for a gift to an organisation's solidarity fund (then `fund`). */
  need: { publicId: string; titleAr: string | null; titleEn: string | null; state: string; targetMinor: number; figures: NeedFigures } | null;
  fund: { zakat: boolean; orgNameAr: string; orgNameEn: string; orgSlug: string } | null;
  money: PledgeMoney;
}

/** The signed-in donor's pledges, newest first, each with its trail (three queries plus two for the money). */
export async function donorTrail(db: DbOrTx, userId: string, limit = 200): Promise<DonorTrailRow[]> {
  const rows = await db
    .select({
      id: pledges.id,
      needId: pledges.needId,
      reference: pledges.reference,
      status: pledges.status,
      method: pledges.method,
      amountMinor: pledges.amountMinor,
      paidMinor: pledges.paidMinor,
      currency: pledges.currency,
      createdAt: pledges.createdAt,
      zakat: pledges.zakat,
      org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn, slug: organizations.slug },
      need: {
        publicId: needs.publicId,
        titleAr: needs.titleAr,
        titleEn: needs.titleEn,
        state: needs.state,
        targetMinor: needs.targetMinor,
        paidMinor: needs.paidMinor,
        reservedMinor: needs.reservedMinor,
      },
    })
    .from(pledges)
    .innerJoin(organizations, eq(organizations.id, pledges.orgId))
    .leftJoin(needs, eq(needs.id, pledges.needId))
    .where(eq(pledges.donorUserId, userId))
    .orderBy(desc(pledges.createdAt), desc(pledges.id))
    .limit(limit);
  const money = await moneyOfPledges(db, new Map(rows.map((r) => [r.id, r.needId])));
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    status: r.status,
    method: r.method,
    amountMinor: Number(r.amountMinor),
    paidMinor: Number(r.paidMinor),
    currency: r.currency,
    createdAt: r.createdAt,
    need: r.need
      ? {
          publicId: r.need.publicId,
          titleAr: r.need.titleAr,
          titleEn: r.need.titleEn,
          state: r.need.state,
          targetMinor: Number(r.need.targetMinor),
          figures: needFigures(r.need),
        }
      : null,
    fund: r.needId === null ? { zakat: r.zakat, orgNameAr: r.org.nameAr, orgNameEn: r.org.nameEn, orgSlug: r.org.slug } : null,
    money: money.get(r.id) ?? emptyMoney(),
  }));
}

/** The money side of one pledge for its page (by reference): what arrived and its receipts. */
export async function pledgeMoneyByReference(db: DbOrTx, reference: string): Promise<{ paidMinor: number; money: PledgeMoney } | null> {
  const [row] = await db
    .select({ id: pledges.id, needId: pledges.needId, paidMinor: pledges.paidMinor })
    .from(pledges)
    .where(eq(pledges.reference, reference))
    .limit(1);
  if (!row) return null;
  const money = await moneyOfPledges(db, new Map([[row.id, row.needId]]));
  return { paidMinor: Number(row.paidMinor), money: money.get(row.id) ?? emptyMoney() };
}

import { and, desc, eq, ne, or, sql, type SQL } from "drizzle-orm";
import { type DbOrTx } from "#db/client.server";
import { needs, orgPaymentDetails, payments, pledges } from "#db/schema";
import { referenceSearch } from "~/modules/pledging/staff";
import { fundOrNeedTitle } from "~/modules/pledging/pledge-steps.server";
import { currencyDigits } from "~/utils/format";
import { toAsciiDigits } from "~/modules/anonymization/normalize";
import { isUuid } from "./schemas";

/** The finance inbox's pledge search (which pledge a payment pays), its page sizes, and the checks a recording form needs (the cash four-eyes threshold, an external id already used). */
/**
 * The read side of the finance screens (payments inbox, payment page, ledger page, money
 * accounts): every query is scoped to the organisation. Money moves only through
 * payments.server.ts and the ledger module; the only writes here are the money accounts' names.
 */

export const PAYMENTS_PAGE_SIZE = 25;

export const JOURNAL_PAGE_SIZE = 30;

/** The CSV export stops here (a year of a busy organisation); the page says so when cut. */
export const CSV_MAX_ROWS = 50_000;

// ---------------------------------------------------------------- pledges to pay

export interface PayablePledge {
  id: string;
  reference: string;
  /** Null for a gift to the solidarity fund (issue 12): then the titles are the fund's. */
  needId: string | null;
  needPublicId: string | null;
  needTitleAr: string | null;
  needTitleEn: string | null;
  needState: string | null;
  amountMinor: number;
  paidMinor: number;
  currency: string;
  method: string;
  status: string;
  displayName: string | null;
  anonymous: boolean;
  email: string;
  expiresAt: Date | null;
  createdAt: Date;
}

export const pledgeColumns = {
  id: pledges.id,
  reference: pledges.reference,
  needId: pledges.needId,
  needPublicId: needs.publicId,
  needTitleAr: fundOrNeedTitle("ar"),
  needTitleEn: fundOrNeedTitle("en"),
  needState: needs.state,
  amountMinor: pledges.amountMinor,
  paidMinor: pledges.paidMinor,
  currency: pledges.currency,
  method: pledges.method,
  status: pledges.status,
  displayName: pledges.displayName,
  anonymous: pledges.anonymous,
  email: pledges.email,
  expiresAt: pledges.expiresAt,
  createdAt: pledges.createdAt,
};

export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Pledges that money may be for: a reference typed loosely or in part (as on the pledges page),
 * a donor's name or email (or part of it), or an amount (the pledge's amount or what is still
 * outstanding, in any of the organisation's currencies). Money pledges only, newest first.
 */
export async function searchPledges(db: DbOrTx, orgId: string, rawQuery: string, limit = 20): Promise<PayablePledge[]> {
  const q = rawQuery.trim().slice(0, 120);
  if (q.length < 2) return [];
  const matches: SQL[] = [];
  const ref = referenceSearch(q);
  if (ref?.kind === "exact") matches.push(eq(pledges.reference, ref.reference));
  if (ref?.kind === "partial") matches.push(sql`replace(${pledges.reference}, '-', '') like ${`%${ref.fragment}%`}`);
  const pattern = `%${likeEscape(q.toLowerCase())}%`;
  matches.push(sql`lower(coalesce(${pledges.displayName}, '')) like ${pattern}`);
  if (q.includes("@") || /^[\w.+-]{3,}$/.test(q)) matches.push(sql`lower(${pledges.email}) like ${pattern}`);
  const amountText = toAsciiDigits(q).replace(/[\s,\u066C]/g, "").replace(/\u066B/g, ".");
  if (/^\d{1,13}(\.\d{1,3})?$/.test(amountText)) {
    const currencies = await db
      .selectDistinct({ currency: pledges.currency })
      .from(pledges)
      .where(eq(pledges.orgId, orgId));
    for (const { currency } of currencies) {
      const digits = currencyDigits(currency);
      const [whole, fraction = ""] = amountText.split(".");
      if (fraction.replace(/0+$/, "").length > digits) continue;
      const minor = Number(whole + fraction.padEnd(digits, "0").slice(0, digits));
      if (!Number.isSafeInteger(minor) || minor <= 0) continue;
      matches.push(
        and(
          eq(pledges.currency, currency),
          or(eq(pledges.amountMinor, minor), sql`${pledges.amountMinor} - ${pledges.paidMinor} = ${minor}`),
        )!,
      );
    }
  }
  return db
    .select(pledgeColumns)
    .from(pledges)
    .leftJoin(needs, and(eq(needs.id, pledges.needId), eq(needs.orgId, pledges.orgId)))
    .where(and(eq(pledges.orgId, orgId), ne(pledges.method, "delivery"), or(...matches)))
    .orderBy(desc(sql`${pledges.status} in ('pending', 'awaiting_payment')`), desc(pledges.createdAt), desc(pledges.id))
    .limit(limit);
}

/** One money pledge of the organisation (the record form's pledge), or null. */
export async function payablePledge(db: DbOrTx, orgId: string, pledgeId: string): Promise<PayablePledge | null> {
  if (!isUuid(pledgeId)) return null;
  const [row] = await db
    .select(pledgeColumns)
    .from(pledges)
    .leftJoin(needs, and(eq(needs.id, pledges.needId), eq(needs.orgId, pledges.orgId)))
    .where(and(eq(pledges.orgId, orgId), eq(pledges.id, pledgeId), ne(pledges.method, "delivery")))
    .limit(1);
  return row ?? null;
}

/** The organisation's four-eyes threshold for cash (minor units of its default currency), or null. */
export async function cashFourEyesMinor(db: DbOrTx, orgId: string): Promise<number | null> {
  const [row] = await db
    .select({ minor: orgPaymentDetails.cashFourEyesMinor })
    .from(orgPaymentDetails)
    .where(eq(orgPaymentDetails.orgId, orgId))
    .limit(1);
  return row?.minor ?? null;
}

/** Whether the organisation already has a payment with this external id for this method (a duplicate). */
export async function externalIdTaken(db: DbOrTx, orgId: string, method: string, externalId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), sql`${payments.method} = ${method}`, eq(payments.externalId, externalId)))
    .limit(1);
  return Boolean(row);
}

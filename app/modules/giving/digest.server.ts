import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "#db/client.server";
import { givingPreferences, needs, organizations, users } from "#db/schema";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { publicTitleIn } from "~/modules/needs/titles";
import { formatMoney } from "~/utils/format";
import { env } from "~/utils/env.server";
import type { DigestFrequency } from "./frequencies";
import { preferenceConditions } from "./matches.server";
import type { Preferences } from "./preferences.server";
import { unsubscribePath } from "./unsubscribe.server";

/**
 * The digest email (issue 12): for each donor who opted in, the needs published since their last
 * digest that match their preferences. Run by the daily job; each donor is one transaction that
 * locks their preferences row and moves `digest_sent_at`, so a second run (or a second worker)
 * never sends the same digest twice. No email when nothing new matches; the clock still moves.
 * Only public text: the need's public title, amount left, organisation, and its public link.
 */
export const DIGEST_LIMIT = 10;

const PERIOD_DAYS: Record<Exclude<DigestFrequency, "off">, number> = { weekly: 7, monthly: 30 };

function origin(): string {
  return (env().APP_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

/** The donors whose digest is due at `now` (ids only). */
export async function dueDigests(db: DbOrTx, now: Date): Promise<string[]> {
  const due = (frequency: "weekly" | "monthly") =>
    and(
      eq(givingPreferences.digest, frequency),
      or(isNull(givingPreferences.digestSentAt), lt(givingPreferences.digestSentAt, new Date(now.getTime() - PERIOD_DAYS[frequency] * 86_400_000))),
    );
  const rows = await db
    .select({ userId: givingPreferences.userId })
    .from(givingPreferences)
    .where(or(due("weekly"), due("monthly")))
    .orderBy(givingPreferences.userId);
  return rows.map((r) => r.userId);
}

export type DigestOutcome = "sent" | "nothing-new" | "not-due";

/** One donor's digest, in the caller's transaction. */
export async function sendDigest(tx: DbOrTx, userId: string, now: Date): Promise<DigestOutcome> {
  const [row] = await tx
    .select({ prefs: givingPreferences, email: users.email, name: users.displayName, locale: users.locale })
    .from(givingPreferences)
    .innerJoin(users, eq(users.id, givingPreferences.userId))
    .where(eq(givingPreferences.userId, userId))
    .for("update", { of: givingPreferences, skipLocked: true });
  if (!row || row.prefs.digest === "off") return "not-due";
  const periodMs = PERIOD_DAYS[row.prefs.digest] * 86_400_000;
  if (row.prefs.digestSentAt && row.prefs.digestSentAt.getTime() > now.getTime() - periodMs) return "not-due";
  const since = row.prefs.digestSentAt ?? new Date(now.getTime() - periodMs);

  const found = await tx
    .select({
      publicId: needs.publicId,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
      targetMinor: needs.targetMinor,
      reservedMinor: needs.reservedMinor,
      paidMinor: needs.paidMinor,
      currency: needs.currency,
      orgNameAr: organizations.nameAr,
      orgNameEn: organizations.nameEn,
    })
    .from(needs)
    .innerJoin(organizations, eq(organizations.id, needs.orgId))
    .where(and(preferenceConditions(row.prefs as Preferences), gt(needs.publishedAt, since), sql`${needs.targetMinor} > ${needs.reservedMinor} + ${needs.paidMinor}`))
    .orderBy(sql`case ${needs.urgency} when 'critical' then 0 when 'high' then 1 else 2 end`, desc(needs.publishedAt), needs.publicId)
    .limit(DIGEST_LIMIT + 1);

  await tx.update(givingPreferences).set({ digestSentAt: now }).where(eq(givingPreferences.userId, userId));
  if (found.length === 0) return "nothing-new";

  const locale = row.locale;
  const base = origin();
  await enqueueEmail(tx, row.email, locale, {
    template: "giving-digest",
    data: {
      name: row.name ?? "",
      needs: found.slice(0, DIGEST_LIMIT).map((n) => ({
        title: publicTitleIn(n, locale),
        orgName: locale === "ar" ? n.orgNameAr : n.orgNameEn,
        remaining: formatMoney(n.targetMinor - n.reservedMinor - n.paidMinor, n.currency, locale),
        url: `${base}/needs/${n.publicId}`,
      })),
      more: found.length > DIGEST_LIMIT,
      matchesUrl: `${base}/needs?match=mine`,
      preferencesUrl: `${base}/account/giving`,
      unsubscribeUrl: `${base}${unsubscribePath(userId)}`,
    },
  });
  return "sent";
}

/** The job: every due donor, one transaction each (a failure for one does not stop the others). */
export async function runDigests(db: Database["db"], now = new Date()): Promise<Record<DigestOutcome, number>> {
  const counts: Record<DigestOutcome, number> = { sent: 0, "nothing-new": 0, "not-due": 0 };
  for (const userId of await dueDigests(db, now)) {
    try {
      const outcome = await db.transaction((tx) => sendDigest(tx, userId, now));
      counts[outcome] += 1;
    } catch (error) {
      console.error(`giving digest for ${userId} failed:`, error);
    }
  }
  return counts;
}

/**
 * A need's life cycle: staff transitions, system transitions (funded, expired), releasing its pledges
 * and telling their donors.
 */
import { publicTitleIn } from "./titles";
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { memberships, needs, needTransitions } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { blockingHits } from "~/modules/anonymization/guard";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { releaseNeedPledges } from "~/modules/payments/payments.server";
import { formatMoney } from "~/utils/format";
import {
  PLEDGEABLE_STATES,
  decideSystemTransition,
  decideTransition,
  type NeedAction,
  type NeedState,
  type SystemNeedAction,
} from "./lifecycle";
import { NeedError } from "./errors";
import type { HideableDetail } from "./k-anonymity";
import { lockNeed, orgOf, itemsOf, guardHitsOf, publicFieldsOf, keptOf, householdOf, type Need, type Pledge } from "./need-steps.server";
import { reidentificationOf } from "./need-reidentification.server";

export type TransitionAction = Exclude<NeedAction, "edit">;

// ---------------------------------------------------------------- life cycle

/**
 * Moves a need along its life cycle: the rule of lifecycle.ts with the actor's roles in this
 * organisation, the anonymization guard, consent, then the state, the transitions and the audit,
 * in one transaction under a row lock.
 */
export async function transitionNeed(
  db: Db,
  actor: Actor,
  input: { orgId: string; needId: string; action: TransitionAction; reason?: string | null },
) {
  const userId = actor.userId;
  if (!userId) throw new NeedError("role_not_allowed");
  return db.transaction(async (tx) => {
    const need = await lockNeed(tx, input.orgId, input.needId);
    const roleRows = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, userId)));
    const decision = decideTransition({
      action: input.action,
      state: need.state,
      actorId: userId,
      actorRoles: roleRows.map((r) => r.role),
      authorId: need.authorId,
      reason: input.reason,
    });
    if (!decision.ok) throw new NeedError(decision.refusal);

    const org = await orgOf(tx, input.orgId);
    const publishing = input.action === "publish" || (input.action === "verify" && org.publishOnVerify);
    if (input.action === "verify" && !languagesComplete(need)) throw new NeedError("language_missing");
    let publicHides: HideableDetail[] | null = null;
    if (decision.guarded) {
      const items = await itemsOf(tx, input.orgId, need.id);
      const hits = await guardHitsOf(tx, input.orgId, need.householdId, publicFieldsOf(need, items), need.publicRegionId);
      // A confirmed common word passes; every other hit (an unconfirmed one too) blocks.
      const blocking = blockingHits(hits, need.guardConfirmations);
      if (blocking.length > 0) throw new NeedError("guard", blocking);
      // Re-identification: counted again at every guarded step; the verifier's kept details stay.
      publicHides = (await reidentificationOf(tx, input.orgId, need.householdId, need, keptOf(need))).hides;
    }
    if (publishing) {
      const household = await householdOf(tx, input.orgId, need.householdId);
      if (!household.consentPublish) throw new NeedError("no_consent");
    }

    const now = new Date();
    const reason = input.reason?.trim() || null;
    const steps: { action: TransitionAction; from: NeedState; to: NeedState }[] = [
      { action: input.action, from: need.state, to: decision.to },
    ];
    if (input.action === "verify" && org.publishOnVerify) steps.push({ action: "publish", from: "verified", to: "published" });
    const finalState = steps[steps.length - 1].to;

    const set: Partial<typeof needs.$inferInsert> = { state: finalState, updatedAt: now };
    if (publicHides) set.publicHides = publicHides;
    if (input.action === "submit") set.submittedAt = now;
    if (input.action === "verify") Object.assign(set, { verifierId: userId, verifiedAt: now });
    if (finalState === "published") set.publishedAt = now;
    if (reason && ["return", "reject", "cancel"].includes(input.action)) set.lastReason = reason;

    let [updated] = await tx.update(needs).set(set).where(eq(needs.id, need.id)).returning();
    if (input.action === "cancel" && PLEDGEABLE_STATES.includes(need.state)) {
      // Its live pledges go with it, in this transaction; money already in its fund stays there for finance.
      const released = await releaseAndTell(tx, actor, updated, "cancelled", now);
      if (released.length > 0) [updated] = await tx.select().from(needs).where(eq(needs.id, need.id));
    }
    for (const step of steps) {
      await tx.insert(needTransitions).values({
        needId: need.id,
        orgId: input.orgId,
        action: step.action,
        fromState: step.from,
        toState: step.to,
        actorId: userId,
        reason: step.action === input.action ? reason : null,
        createdAt: now,
      });
      await recordAudit(tx, actor, {
        orgId: input.orgId,
        action: `need.${step.action}`,
        entityType: "need",
        entityId: need.id,
        change: {
          from: step.from,
          to: step.to,
          ...(reason && step.action === input.action ? { reason } : {}),
          ...(publicHides && publicHides.length > 0 && step.action === input.action ? { publicHides } : {}),
        },
      });
    }
    return updated;
  });
}

/**
 * A transition only the system makes (expire, fund, unfund: lifecycle.ts), inside the caller's
 * transaction with the need already locked: the state, a need_transitions row and the audit row.
 * The actor is the system (SYSTEM_ACTOR: actor null in both) or the person whose payment, refund
 * or reallocation caused it. Returns the updated need, or null (nothing written) when the
 * transition does not apply to the need's current state, so a repeated call changes nothing.
 */
export async function applySystemTransition(
  tx: Tx,
  actor: Actor,
  need: Need,
  action: SystemNeedAction,
  options: { now: Date; reason?: string | null; change?: Record<string, unknown> },
): Promise<Need | null> {
  const decision = decideSystemTransition(action, need.state);
  if (!decision.ok) return null;
  const { now } = options;
  const [updated] = await tx
    .update(needs)
    .set({ state: decision.to, updatedAt: now })
    .where(and(eq(needs.id, need.id), eq(needs.state, need.state)))
    .returning();
  if (!updated) return null;
  await tx.insert(needTransitions).values({
    needId: need.id,
    orgId: need.orgId,
    action,
    fromState: need.state,
    toState: decision.to,
    actorId: actor.userId,
    reason: options.reason ?? null,
    createdAt: now,
  });
  await recordAudit(tx, actor, {
    orgId: need.orgId,
    action: `need.${action}`,
    entityType: "need",
    entityId: need.id,
    change: { from: need.state, to: decision.to, ...(options.change ?? {}) },
  });
  return updated;
}


/**
 * Releases a cancelled or expired need's live pledges (pending, awaiting payment, offered) in the
 * caller's transaction (payments module: counters, statuses, audit) and writes each donor an
 * email in the pledge's language: the need's public title, the reference, that nothing more is
 * expected and, when part was already paid, that finance will move or refund that money. Only
 * what the donor already knows and public text: nothing of the household, not the staff's reason.
 */
export async function releaseAndTell(tx: Tx, actor: Actor, need: Need, status: "cancelled" | "expired", now: Date): Promise<Pledge[]> {
  const released = await releaseNeedPledges(tx, actor, need.id, status, now);
  if (released.length === 0) return released;
  const org = await orgOf(tx, need.orgId);
  for (const pledge of released) {
    const locale = pledge.locale;
    await enqueueEmail(tx, pledge.email, locale, {
      template: "pledge-released",
      data: {
        name: pledge.displayName ?? "",
        reference: pledge.reference,
        needTitle: publicTitleIn(need, locale),
        orgName: locale === "ar" ? org.nameAr : org.nameEn,
        reason: status,
        amount: pledge.amountMinor > 0 ? formatMoney(pledge.amountMinor, pledge.currency, locale) : "",
        paid: pledge.paidMinor > 0 ? formatMoney(pledge.paidMinor, pledge.currency, locale) : null,
      },
    });
  }
  return released;
}

/** Both languages written (title and story), or the need is explicitly told in one language. */
export function languagesComplete(need: Pick<Need, "titleAr" | "titleEn" | "storyAr" | "storyEn" | "onlyLanguage">): boolean {
  const has = (v: string | null) => Boolean(v?.trim());
  if (need.onlyLanguage === "ar") return has(need.titleAr) && has(need.storyAr);
  if (need.onlyLanguage === "en") return has(need.titleEn) && has(need.storyEn);
  return has(need.titleAr) && has(need.storyAr) && has(need.titleEn) && has(need.storyEn);
}

import { and, desc, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { householdEvents, householdMembers, households, referrals, users } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { OrgNotFoundError, OrgRuleError } from "~/modules/organizations/errors";
import { canMoveReferral, type ReferralProgramme, type ReferralStatus } from "./referrals";

/** Referrals of a household to another programme or partner, with their status on the timeline. */

export { REFERRAL_TRANSITIONS, canMoveReferral, type ReferralProgramme, type ReferralStatus } from "./referrals";

async function householdOf(tx: DbOrTx, orgId: string, householdId: string) {
  const [row] = await tx
    .select({ id: households.id, orgId: households.orgId })
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.orgId, orgId)))
    .limit(1);
  if (!row) throw new OrgNotFoundError("household");
  return row;
}

export async function createReferral(
  db: Db,
  input: {
    orgId: string;
    actor: Actor;
    householdId: string;
    programme: ReferralProgramme;
    partner: string;
    memberId?: string | null;
    notes?: string | null;
  },
) {
  if (!input.actor.userId) throw new Error("createReferral needs a signed-in actor");
  const createdBy = input.actor.userId;
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId);
    if (input.memberId) {
      const [member] = await tx
        .select({ id: householdMembers.id })
        .from(householdMembers)
        .where(and(eq(householdMembers.id, input.memberId), eq(householdMembers.householdId, household.id)))
        .limit(1);
      if (!member) throw new OrgNotFoundError("member");
    }
    const [referral] = await tx
      .insert(referrals)
      .values({
        orgId: input.orgId,
        householdId: household.id,
        memberId: input.memberId ?? null,
        programme: input.programme,
        partner: input.partner,
        notes: input.notes || null,
        createdBy,
      })
      .returning();
    const details = { referralId: referral.id, programme: referral.programme, partner: referral.partner, memberId: referral.memberId };
    await tx.insert(householdEvents).values({
      householdId: household.id,
      orgId: input.orgId,
      kind: "referral_created",
      details,
      actorId: createdBy,
    });
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "referral.create",
      entityType: "referral",
      entityId: referral.id,
      change: { householdId: household.id, ...details },
    });
    return referral;
  });
}

export async function updateReferralStatus(
  db: Db,
  input: { orgId: string; actor: Actor; referralId: string; status: ReferralStatus; householdId?: string },
) {
  return db.transaction(async (tx) => {
    const [referral] = await tx
      .select()
      .from(referrals)
      .where(and(eq(referrals.id, input.referralId), eq(referrals.orgId, input.orgId)))
      .for("update")
      .limit(1);
    if (!referral || (input.householdId && referral.householdId !== input.householdId)) throw new OrgNotFoundError("referral");
    if (!canMoveReferral(referral.status, input.status)) {
      throw new OrgRuleError("registry:errors.referralTransition", "status", 409);
    }
    const [updated] = await tx
      .update(referrals)
      .set({ status: input.status, updatedAt: new Date() })
      .where(eq(referrals.id, referral.id))
      .returning();
    const details = { referralId: referral.id, programme: referral.programme, partner: referral.partner, before: referral.status, after: input.status };
    await tx.insert(householdEvents).values({
      householdId: referral.householdId,
      orgId: input.orgId,
      kind: "referral_updated",
      details,
      actorId: input.actor.userId,
    });
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "referral.status",
      entityType: "referral",
      entityId: referral.id,
      change: details,
    });
    return updated;
  });
}

export async function listReferrals(db: DbOrTx, orgId: string, householdId: string) {
  return db
    .select({
      id: referrals.id,
      programme: referrals.programme,
      partner: referrals.partner,
      status: referrals.status,
      notes: referrals.notes,
      memberId: referrals.memberId,
      createdAt: referrals.createdAt,
      updatedAt: referrals.updatedAt,
      createdByName: users.displayName,
    })
    .from(referrals)
    .leftJoin(users, eq(users.id, referrals.createdBy))
    .where(and(eq(referrals.orgId, orgId), eq(referrals.householdId, householdId)))
    .orderBy(desc(referrals.createdAt), desc(referrals.id));
}

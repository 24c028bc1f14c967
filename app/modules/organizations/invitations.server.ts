import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { invitations, memberships, organizations, users } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { hashPassword } from "~/modules/identity/password.server";
import { createSession, setActiveOrg } from "~/modules/identity/session.server";
import { generateToken, hashToken, normalizeEmail } from "~/modules/identity/tokens";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { getFixedTForLocale } from "~/utils/i18next.server";
import type { Locale } from "~/utils/i18n";
import { InvitationUnavailableError, OrgNotFoundError, OrgRuleError, type InvitationState } from "./errors";
import { INVITE_DAYS, orgName, type OrgRole } from "./roles";

type Invitation = typeof invitations.$inferSelect;
type Organization = typeof organizations.$inferSelect;

const DAY = 24 * 60 * 60 * 1000;

export function invitationState(invitation: Invitation, now = new Date()): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

export function inviteUrl(origin: string, token: string): string {
  return `${origin.replace(/\/$/, "")}/invites/${token}`;
}

export interface IssueInvitationInput {
  orgId: string;
  actor: Actor;
  /** The person sending it (an org admin, or the platform admin onboarding the organisation). */
  inviterId: string;
  email: string;
  role: OrgRole;
  /** Origin of the emailed link, e.g. https://tadamon.example. */
  origin: string;
  /** Language of the email when the invitee has no account yet (else their own). */
  locale: Locale;
}

/**
 * Writes an invitation inside the caller's transaction: a random token (only its SHA-256 kept),
 * valid seven days, emailed through the outbox, audited. An earlier pending invitation of the
 * same address to the same role is replaced (its link stops working), so "invite again" resends.
 */
export async function issueInvitation(tx: DbOrTx, input: IssueInvitationInput) {
  const email = normalizeEmail(input.email);
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, input.orgId)).limit(1);
  if (!org) throw new OrgNotFoundError("organisation");
  const [inviter] = await tx
    .select({ displayName: users.displayName })
    .from(users)
    .where(eq(users.id, input.inviterId))
    .limit(1);
  const [existing] = await tx
    .select({ id: users.id, locale: users.locale })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (existing) {
    const [held] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(
        and(
          eq(memberships.orgId, org.id),
          eq(memberships.userId, existing.id),
          eq(memberships.role, input.role),
        ),
      )
      .limit(1);
    if (held) throw new OrgRuleError("staff:errors.alreadyMember", "email");
  }

  const now = new Date();
  const replaced = await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invitations.orgId, org.id),
        eq(invitations.email, email),
        eq(invitations.role, input.role),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .returning({ id: invitations.id });

  const token = generateToken();
  const [invitation] = await tx
    .insert(invitations)
    .values({
      orgId: org.id,
      email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: input.inviterId,
      expiresAt: new Date(now.getTime() + INVITE_DAYS * DAY),
    })
    .returning();

  const locale: Locale = existing?.locale ?? input.locale;
  const t = await getFixedTForLocale(locale, "common");
  const url = inviteUrl(input.origin, token);
  await enqueueEmail(tx, email, locale, {
    template: "invite",
    data: {
      orgName: orgName(org, locale),
      inviterName: inviter?.displayName ?? "",
      roleLabel: t(`roles.${input.role}`),
      inviteUrl: url,
    },
  });
  await recordAudit(tx, input.actor, {
    orgId: org.id,
    action: "member.invite",
    entityType: "invitation",
    entityId: invitation.id,
    change: {
      email,
      role: input.role,
      expiresAt: invitation.expiresAt.toISOString(),
      ...(replaced.length > 0 ? { replaced: replaced.map((r) => r.id) } : {}),
    },
  });
  return { invitation, token, inviteUrl: url };
}

/** An org admin invites someone by email to one role. */
export async function inviteMember(db: Db, input: IssueInvitationInput) {
  return db.transaction((tx) => issueInvitation(tx, input));
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: OrgRole;
  invitedByName: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Invitations still waiting for an answer (not accepted, revoked or expired), newest first. */
export async function listPendingInvitations(db: DbOrTx, orgId: string): Promise<PendingInvitation[]> {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      invitedByName: users.displayName,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        eq(invitations.orgId, orgId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

/** Withdraws a pending invitation of this organisation; its link stops working. */
export async function revokeInvitation(db: Db, input: { orgId: string; actor: Actor; invitationId: string }) {
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, input.invitationId), eq(invitations.orgId, input.orgId)))
      .for("update");
    if (!invitation) throw new OrgNotFoundError("invitation");
    if (invitationState(invitation) !== "pending") {
      throw new OrgRuleError("staff:errors.invitationNotPending");
    }
    await tx.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, invitation.id));
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "member.invite_revoke",
      entityType: "invitation",
      entityId: invitation.id,
      change: { email: invitation.email, role: invitation.role },
    });
    return invitation;
  });
}

export interface InvitationLookup {
  invitation: Invitation;
  org: Organization;
  state: InvitationState;
  /** Whether an account with the invited address exists (sign in, or create one). */
  accountExists: boolean;
}

/** What an invitation link leads to, or null for a token we never issued. Changes nothing. */
export async function findInvitationByToken(db: DbOrTx, token: string): Promise<InvitationLookup | null> {
  if (!token || token.length > 100) return null;
  const [row] = await db
    .select({ invitation: invitations, org: organizations })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(eq(invitations.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) return null;
  const [account] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, row.invitation.email))
    .limit(1);
  return { ...row, state: invitationState(row.invitation), accountExists: Boolean(account) };
}

/** Locks the invitation for the rest of the transaction and checks it can still be used. */
async function lockUsableInvitation(tx: DbOrTx, token: string) {
  if (!token || token.length > 100) throw new InvitationUnavailableError("unknown");
  const [invitation] = await tx
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, hashToken(token)))
    .for("update");
  if (!invitation) throw new InvitationUnavailableError("unknown");
  const state = invitationState(invitation);
  if (state !== "pending") throw new InvitationUnavailableError(state);
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, invitation.orgId));
  return { invitation, org };
}

async function grantInvitedRole(tx: DbOrTx, invitation: Invitation, userId: string) {
  await tx
    .insert(memberships)
    .values({ orgId: invitation.orgId, userId, role: invitation.role })
    .onConflictDoNothing();
  await tx
    .update(invitations)
    .set({ acceptedAt: new Date(), acceptedBy: userId })
    .where(eq(invitations.id, invitation.id));
}

/**
 * The signed-in person accepts an invitation sent to their address: the role is granted, the
 * invitation is used up, and this session now works in that organisation.
 */
export async function acceptInvitation(
  db: Db,
  input: { token: string; userId: string; sessionId: string; actor: Actor },
) {
  return db.transaction(async (tx) => {
    const { invitation, org } = await lockUsableInvitation(tx, input.token);
    const [user] = await tx.select().from(users).where(eq(users.id, input.userId)).limit(1);
    if (!user || normalizeEmail(user.email) !== invitation.email) {
      throw new OrgRuleError("staff:errors.wrongAccount", undefined, 403);
    }
    await grantInvitedRole(tx, invitation, user.id);
    // Following the emailed link proves the address.
    if (!user.emailVerifiedAt) {
      await tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
    }
    await setActiveOrg(tx, input.sessionId, org.id);
    await recordAudit(tx, { ...input.actor, userId: user.id }, {
      orgId: org.id,
      action: "member.invite_accept",
      entityType: "invitation",
      entityId: invitation.id,
      change: { email: invitation.email, role: invitation.role, newAccount: false },
    });
    return { org, role: invitation.role };
  });
}

/**
 * Someone without an account accepts: a verified account (the link proves the address), the
 * role, and a session, all in one transaction. Returns the session token for the cookie.
 */
export async function acceptInvitationWithNewAccount(
  db: Db,
  input: { token: string; displayName: string; password: string; locale: Locale; actor: Actor },
) {
  // Check first, so a dead link does not cost an argon2 hash; checked again under the lock.
  const found = await findInvitationByToken(db, input.token);
  if (!found) throw new InvitationUnavailableError("unknown");
  if (found.state !== "pending") throw new InvitationUnavailableError(found.state);
  if (found.accountExists) throw new OrgRuleError("staff:errors.accountExists");
  const passwordHash = await hashPassword(input.password);

  return db.transaction(async (tx) => {
    const { invitation, org } = await lockUsableInvitation(tx, input.token);
    const now = new Date();
    const [user] = await tx
      .insert(users)
      .values({
        email: invitation.email,
        displayName: input.displayName,
        passwordHash,
        emailVerifiedAt: now,
        locale: input.locale,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!user) throw new OrgRuleError("staff:errors.accountExists");
    await grantInvitedRole(tx, invitation, user.id);
    const { token, session } = await createSession(tx, user.id, {
      ip: input.actor.ip,
      userAgent: input.actor.userAgent,
      activeOrgId: org.id,
    });
    const actor = { ...input.actor, userId: user.id };
    await recordAudit(tx, actor, {
      orgId: org.id,
      action: "member.invite_accept",
      entityType: "invitation",
      entityId: invitation.id,
      change: { email: invitation.email, role: invitation.role, newAccount: true },
    });
    return { org, user, role: invitation.role, sessionToken: token, session };
  });
}

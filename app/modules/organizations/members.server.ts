import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { memberships, organizations, sessions, users } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { OrgNotFoundError, OrgRuleError } from "./errors";
import { ROLES, sortRoles, type OrgRole } from "./roles";

export interface MemberView {
  userId: string;
  /** One of the person's membership rows here: what the forms post to name them. */
  membershipId: string;
  displayName: string;
  email: string;
  roles: OrgRole[];
  since: Date;
}

export const MEMBERS_PAGE_SIZE = 25;

/** One page of the organisation's people (by name), each with all their roles, and the page count. */
export async function listMembersPage(
  db: DbOrTx,
  orgId: string,
  page: number,
  pageSize = MEMBERS_PAGE_SIZE,
): Promise<{ members: MemberView[]; total: number; pages: number; page: number }> {
  const [{ total }] = await db
    .select({ total: sql<number>`count(distinct ${memberships.userId})::int` })
    .from(memberships)
    .where(eq(memberships.orgId, orgId));
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const people = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .groupBy(memberships.userId, users.displayName, users.email)
    .orderBy(asc(users.displayName), asc(users.email), asc(memberships.userId))
    .limit(pageSize)
    .offset((current - 1) * pageSize);
  const members =
    people.length === 0 ? [] : await listMembers(db, orgId, people.map((p) => p.userId));
  return { members, total, pages, page: current };
}

/** Everyone in the organisation (or the given people), one entry per person with all their roles. */
export async function listMembers(db: DbOrTx, orgId: string, userIds?: string[]): Promise<MemberView[]> {
  const rows = await db
    .select({
      id: memberships.id,
      userId: memberships.userId,
      role: memberships.role,
      createdAt: memberships.createdAt,
      displayName: users.displayName,
      email: users.email,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(userIds ? and(eq(memberships.orgId, orgId), inArray(memberships.userId, userIds)) : eq(memberships.orgId, orgId))
    .orderBy(asc(users.displayName), asc(users.email), asc(memberships.createdAt), asc(memberships.id));
  const byUser = new Map<string, MemberView>();
  for (const row of rows) {
    const entry = byUser.get(row.userId);
    if (entry) {
      entry.roles.push(row.role);
      if (row.createdAt < entry.since) entry.since = row.createdAt;
    } else {
      byUser.set(row.userId, {
        userId: row.userId,
        membershipId: row.id,
        displayName: row.displayName,
        email: row.email,
        roles: [row.role],
        since: row.createdAt,
      });
    }
  }
  return [...byUser.values()].map((m) => ({ ...m, roles: sortRoles(m.roles) }));
}

/** How many people hold each role, and how many people the organisation has in all. */
export async function memberCountsByRole(
  db: DbOrTx,
  orgId: string,
): Promise<{ total: number; byRole: Record<OrgRole, number> }> {
  const rows = await db
    .select({ role: memberships.role, n: sql<number>`count(distinct ${memberships.userId})::int` })
    .from(memberships)
    .where(eq(memberships.orgId, orgId))
    .groupBy(memberships.role);
  const [{ total }] = await db
    .select({ total: sql<number>`count(distinct ${memberships.userId})::int` })
    .from(memberships)
    .where(eq(memberships.orgId, orgId));
  const byRole = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<OrgRole, number>;
  for (const row of rows) byRole[row.role] = Number(row.n);
  return { total: Number(total), byRole };
}

/**
 * Serialises changes to one organisation's memberships (row lock on the organisation), so two
 * admins demoting each other at the same moment cannot leave it without an admin.
 */
export async function lockOrganization(tx: DbOrTx, orgId: string): Promise<void> {
  const rows = await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .for("update");
  if (rows.length === 0) throw new OrgNotFoundError("organisation");
}

/** The person a posted membership id names, if that row belongs to this organisation. */
async function memberOf(tx: DbOrTx, orgId: string, membershipId: string) {
  const [row] = await tx
    .select({ userId: memberships.userId, email: users.email, displayName: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.orgId, orgId)))
    .limit(1);
  if (!row) throw new OrgNotFoundError("membership");
  const held = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, row.userId)));
  return { ...row, roles: sortRoles(held.map((h) => h.role)) };
}

async function otherAdminCount(tx: DbOrTx, orgId: string, userId: string): Promise<number> {
  const [{ n }] = await tx
    .select({ n: sql<number>`count(distinct ${memberships.userId})::int` })
    .from(memberships)
    .where(
      and(eq(memberships.orgId, orgId), eq(memberships.role, "org_admin"), ne(memberships.userId, userId)),
    );
  return Number(n);
}

export interface ChangeRolesInput {
  orgId: string;
  actor: Actor;
  membershipId: string;
  roles: readonly OrgRole[];
}

/**
 * Sets exactly the roles a member holds. Refuses an empty set (removing is its own action) and
 * taking org_admin from the organisation's last admin.
 */
export async function changeMemberRoles(db: Db, input: ChangeRolesInput) {
  const after = sortRoles(input.roles);
  if (after.length === 0) throw new OrgRuleError("staff:errors.rolesRequired", "roles", 400);
  return db.transaction(async (tx) => {
    await lockOrganization(tx, input.orgId);
    const member = await memberOf(tx, input.orgId, input.membershipId);
    const before = member.roles;
    if (before.includes("org_admin") && !after.includes("org_admin")) {
      if ((await otherAdminCount(tx, input.orgId, member.userId)) === 0) {
        throw new OrgRuleError("staff:errors.lastAdmin", "roles");
      }
    }
    const removed = before.filter((r) => !after.includes(r));
    const added = after.filter((r) => !before.includes(r));
    if (removed.length === 0 && added.length === 0) {
      return { userId: member.userId, before, after, changed: false };
    }
    if (removed.length > 0) {
      await tx
        .delete(memberships)
        .where(
          and(
            eq(memberships.orgId, input.orgId),
            eq(memberships.userId, member.userId),
            inArray(memberships.role, removed),
          ),
        );
    }
    if (added.length > 0) {
      await tx
        .insert(memberships)
        .values(added.map((role) => ({ orgId: input.orgId, userId: member.userId, role })))
        .onConflictDoNothing();
    }
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "member.role_change",
      entityType: "membership",
      entityId: member.userId,
      change: { email: member.email, before, after },
    });
    return { userId: member.userId, before, after, changed: true };
  });
}

export interface RemoveMemberInput {
  orgId: string;
  actor: Actor;
  membershipId: string;
}

/** Takes every role the person holds here; refuses to remove the organisation's last admin. */
export async function removeMember(db: Db, input: RemoveMemberInput) {
  return db.transaction(async (tx) => {
    await lockOrganization(tx, input.orgId);
    const member = await memberOf(tx, input.orgId, input.membershipId);
    if (member.roles.includes("org_admin") && (await otherAdminCount(tx, input.orgId, member.userId)) === 0) {
      throw new OrgRuleError("staff:errors.lastAdmin");
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, member.userId)));
    // Their sessions stop pointing at an organisation they no longer belong to.
    await tx
      .update(sessions)
      .set({ activeOrgId: null })
      .where(and(eq(sessions.userId, member.userId), eq(sessions.activeOrgId, input.orgId)));
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "member.remove",
      entityType: "membership",
      entityId: member.userId,
      change: { email: member.email, roles: member.roles },
    });
    return { userId: member.userId, roles: member.roles };
  });
}

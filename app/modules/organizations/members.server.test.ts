import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, memberships, sessions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createSession } from "~/modules/identity/session.server";
import { addMember, createOrg, createUser } from "../../../tests/fixtures/db";
import { OrgNotFoundError, OrgRuleError } from "./errors";
import { changeMemberRoles, listMembers, listMembersPage, memberCountsByRole, removeMember } from "./members.server";

const actorFor = (userId: string) => ({ userId, ip: "127.0.0.1", userAgent: "vitest" });

async function rolesOf(orgId: string, userId: string) {
  const db = await getDb();
  const rows = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return rows.map((r) => r.role).sort();
}

async function handleOf(orgId: string, userId: string) {
  const members = await listMembers(await getDb(), orgId);
  const member = members.find((m) => m.userId === userId);
  if (!member) throw new Error("not a member");
  return member.membershipId;
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

describe("members: roles and removal", () => {
  it("lists each person once with all their roles, in the canonical order", async () => {
    const org = await createOrg();
    const admin = await createUser({ displayName: "Amal" });
    const worker = await createUser({ displayName: "Bassel" });
    await addMember(org.id, admin.id, "org_admin");
    await addMember(org.id, worker.id, "verifier", "caseworker");
    const members = await listMembers(await getDb(), org.id);
    expect(members.map((m) => [m.displayName, m.roles])).toEqual([
      ["Amal", ["org_admin"]],
      ["Bassel", ["caseworker", "verifier"]],
    ]);
    const counts = await memberCountsByRole(await getDb(), org.id);
    expect(counts).toEqual({ total: 2, byRole: { caseworker: 1, verifier: 1, finance: 0, org_admin: 1 } });
  });

  it("sets exactly the chosen roles and audits before and after", async () => {
    const db = await getDb();
    const org = await createOrg();
    const admin = await createUser();
    const worker = await createUser();
    await addMember(org.id, admin.id, "org_admin");
    await addMember(org.id, worker.id, "caseworker");
    const result = await changeMemberRoles(db, {
      orgId: org.id,
      actor: actorFor(admin.id),
      membershipId: await handleOf(org.id, worker.id),
      roles: ["verifier", "finance"],
    });
    expect(result).toMatchObject({ before: ["caseworker"], after: ["verifier", "finance"], changed: true });
    expect(await rolesOf(org.id, worker.id)).toEqual(["finance", "verifier"]);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "member.role_change")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: admin.id,
      entityType: "membership",
      entityId: worker.id,
      change: { email: worker.email, before: ["caseworker"], after: ["verifier", "finance"] },
    });
  });

  it("writes nothing when the roles do not change, and refuses an empty set", async () => {
    const db = await getDb();
    const org = await createOrg();
    const admin = await createUser();
    await addMember(org.id, admin.id, "org_admin", "finance");
    const handle = await handleOf(org.id, admin.id);
    const same = await changeMemberRoles(db, { orgId: org.id, actor: actorFor(admin.id), membershipId: handle, roles: ["finance", "org_admin"] });
    expect(same.changed).toBe(false);
    const empty = await refusal(changeMemberRoles(db, { orgId: org.id, actor: actorFor(admin.id), membershipId: handle, roles: [] }));
    expect(empty).toBeInstanceOf(OrgRuleError);
    expect((empty as OrgRuleError).messageKey).toBe("staff:errors.rolesRequired");
    expect(await db.select().from(auditLog).where(eq(auditLog.orgId, org.id))).toHaveLength(0);
  });

  it("never demotes or removes the last org admin", async () => {
    const db = await getDb();
    const org = await createOrg();
    const admin = await createUser();
    await addMember(org.id, admin.id, "org_admin", "caseworker");
    const handle = await handleOf(org.id, admin.id);

    const demote = await refusal(
      changeMemberRoles(db, { orgId: org.id, actor: actorFor(admin.id), membershipId: handle, roles: ["caseworker"] }),
    );
    expect(demote).toBeInstanceOf(OrgRuleError);
    expect((demote as OrgRuleError).messageKey).toBe("staff:errors.lastAdmin");
    expect((demote as OrgRuleError).field).toBe("roles");

    const remove = await refusal(removeMember(db, { orgId: org.id, actor: actorFor(admin.id), membershipId: handle }));
    expect((remove as OrgRuleError).messageKey).toBe("staff:errors.lastAdmin");

    expect(await rolesOf(org.id, admin.id)).toEqual(["caseworker", "org_admin"]);
    expect(await db.select().from(auditLog).where(eq(auditLog.orgId, org.id))).toHaveLength(0);
  });

  it("lets an admin step down once someone else is admin", async () => {
    const db = await getDb();
    const org = await createOrg();
    const first = await createUser();
    const second = await createUser();
    await addMember(org.id, first.id, "org_admin");
    await addMember(org.id, second.id, "caseworker");
    await changeMemberRoles(db, {
      orgId: org.id,
      actor: actorFor(first.id),
      membershipId: await handleOf(org.id, second.id),
      roles: ["caseworker", "org_admin"],
    });
    await changeMemberRoles(db, {
      orgId: org.id,
      actor: actorFor(first.id),
      membershipId: await handleOf(org.id, first.id),
      roles: ["verifier"],
    });
    expect(await rolesOf(org.id, first.id)).toEqual(["verifier"]);
    // Now `second` is the only admin and cannot leave.
    const refused = await refusal(
      removeMember(db, { orgId: org.id, actor: actorFor(second.id), membershipId: await handleOf(org.id, second.id) }),
    );
    expect((refused as OrgRuleError).messageKey).toBe("staff:errors.lastAdmin");
  });

  it("removes every role of a member, clears their sessions' active organisation, and audits it", async () => {
    const db = await getDb();
    const org = await createOrg();
    const admin = await createUser();
    const leaver = await createUser();
    await addMember(org.id, admin.id, "org_admin");
    await addMember(org.id, leaver.id, "caseworker", "verifier");
    const { session } = await createSession(db, leaver.id, { activeOrgId: org.id });
    await removeMember(db, { orgId: org.id, actor: actorFor(admin.id), membershipId: await handleOf(org.id, leaver.id) });
    expect(await rolesOf(org.id, leaver.id)).toEqual([]);
    const [after] = await db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(after.activeOrgId).toBeNull();
    const [row] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "member.remove")));
    expect(row.change).toEqual({ email: leaver.email, roles: ["caseworker", "verifier"] });
  });

  it("answers not-found for a membership id of another organisation and changes nothing", async () => {
    const db = await getDb();
    const orgA = await createOrg();
    const orgB = await createOrg();
    const adminA = await createUser();
    const memberB = await createUser();
    await addMember(orgA.id, adminA.id, "org_admin");
    await addMember(orgB.id, memberB.id, "caseworker");
    const foreign = await handleOf(orgB.id, memberB.id);
    expect(await refusal(removeMember(db, { orgId: orgA.id, actor: actorFor(adminA.id), membershipId: foreign }))).toBeInstanceOf(
      OrgNotFoundError,
    );
    expect(
      await refusal(
        changeMemberRoles(db, { orgId: orgA.id, actor: actorFor(adminA.id), membershipId: foreign, roles: ["org_admin"] }),
      ),
    ).toBeInstanceOf(OrgNotFoundError);
    expect(await rolesOf(orgB.id, memberB.id)).toEqual(["caseworker"]);
  });

  it("keeps an admin when two admins demote each other at the same moment", async () => {
    const db = await getDb();
    const org = await createOrg();
    const a = await createUser();
    const b = await createUser();
    await addMember(org.id, a.id, "org_admin");
    await addMember(org.id, b.id, "org_admin");
    const [ha, hb] = [await handleOf(org.id, a.id), await handleOf(org.id, b.id)];
    const results = await Promise.allSettled([
      changeMemberRoles(db, { orgId: org.id, actor: actorFor(b.id), membershipId: ha, roles: ["caseworker"] }),
      changeMemberRoles(db, { orgId: org.id, actor: actorFor(a.id), membershipId: hb, roles: ["caseworker"] }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const admins = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.role, "org_admin")));
    expect(admins).toHaveLength(1);
  });
});

describe("members list pagination", () => {
  it("pages through people (not role rows), keeping each person's roles together", async () => {
    const db = await getDb();
    const org = await createOrg();
    for (let i = 0; i < 5; i++) {
      const user = await createUser({ displayName: `Person ${i}` });
      await addMember(org.id, user.id, "caseworker", "verifier");
    }
    const first = await listMembersPage(db, org.id, 1, 2);
    expect(first.total).toBe(5);
    expect(first.pages).toBe(3);
    expect(first.members.map((m) => m.displayName)).toEqual(["Person 0", "Person 1"]);
    expect(first.members[0].roles).toEqual(["caseworker", "verifier"]);
    const last = await listMembersPage(db, org.id, 3, 2);
    expect(last.members.map((m) => m.displayName)).toEqual(["Person 4"]);
    expect((await listMembersPage(db, org.id, 99, 2)).page).toBe(3);
  });
});

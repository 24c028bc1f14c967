import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, emailOutbox, invitations, memberships, sessions, users } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createSession, validateSessionToken } from "~/modules/identity/session.server";
import { hashToken } from "~/modules/identity/tokens";
import { verifyPassword } from "~/modules/identity/password.server";
import { addMember, createOrg, createUser, unique } from "../../../tests/fixtures/db";
import { InvitationUnavailableError, OrgRuleError } from "./errors";
import {
  acceptInvitation,
  acceptInvitationWithNewAccount,
  findInvitationByToken,
  inviteMember,
  listPendingInvitations,
  revokeInvitation,
} from "./invitations.server";

const actorFor = (userId: string | null) => ({ userId, ip: "127.0.0.1", userAgent: "vitest" });
const ORIGIN = "https://tadamon.test";

async function setup() {
  const org = await createOrg();
  const admin = await createUser({ displayName: "Admin Person" });
  await addMember(org.id, admin.id, "org_admin");
  return { org, admin };
}

async function invite(orgId: string, adminId: string, email: string, role: "verifier" | "caseworker" | "finance" | "org_admin" = "verifier") {
  return inviteMember(await getDb(), {
    orgId,
    actor: actorFor(adminId),
    inviterId: adminId,
    email,
    role,
    origin: ORIGIN,
    locale: "en",
  });
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

describe("invitations", () => {
  it("stores only the token's SHA-256, expires in seven days, and emails the absolute link", async () => {
    const db = await getDb();
    const { org, admin } = await setup();
    const email = `${unique("inv")}@example.test`;
    const { invitation, token, inviteUrl } = await invite(org.id, admin.id, `  ${email.toUpperCase()} `);
    expect(invitation.email).toBe(email);
    expect(invitation.tokenHash).toBe(hashToken(token));
    expect(invitation.tokenHash).not.toContain(token);
    const days = (invitation.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    expect(inviteUrl).toBe(`${ORIGIN}/invites/${token}`);
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));
    expect(mails).toHaveLength(1);
    expect(mails[0].template).toBe("invite");
    expect(mails[0].text + mails[0].html).toContain(inviteUrl);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "member.invite")));
    expect(audit).toMatchObject({ actorUserId: admin.id, entityType: "invitation", entityId: invitation.id });
    expect(JSON.stringify(audit.change)).not.toContain(token);
    expect(await listPendingInvitations(db, org.id)).toHaveLength(1);
  });

  it("refuses to invite someone who already holds that role (a field error on the email)", async () => {
    const { org, admin } = await setup();
    const member = await createUser();
    await addMember(org.id, member.id, "verifier");
    const error = await refusal(invite(org.id, admin.id, member.email, "verifier"));
    expect(error).toBeInstanceOf(OrgRuleError);
    expect(error).toMatchObject({ messageKey: "staff:errors.alreadyMember", field: "email" });
    // Another role for the same person is fine.
    await invite(org.id, admin.id, member.email, "finance");
  });

  it("replaces an earlier pending invitation to the same role", async () => {
    const db = await getDb();
    const { org, admin } = await setup();
    const email = `${unique("inv")}@example.test`;
    const first = await invite(org.id, admin.id, email);
    const second = await invite(org.id, admin.id, email);
    expect((await findInvitationByToken(db, first.token))?.state).toBe("revoked");
    expect((await findInvitationByToken(db, second.token))?.state).toBe("pending");
    expect((await listPendingInvitations(db, org.id)).map((i) => i.id)).toEqual([second.invitation.id]);
  });

  it("an existing account accepts: role granted, invitation used, session switched, audited", async () => {
    const db = await getDb();
    const { org, admin } = await setup();
    const invitee = await createUser({ emailVerifiedAt: null });
    const { token, invitation } = await invite(org.id, admin.id, invitee.email, "caseworker");
    const { session } = await createSession(db, invitee.id);
    const result = await acceptInvitation(db, { token, userId: invitee.id, sessionId: session.id, actor: actorFor(invitee.id) });
    expect(result.org.id).toBe(org.id);
    const roles = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, invitee.id)));
    expect(roles.map((r) => r.role)).toEqual(["caseworker"]);
    const [stored] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(stored.acceptedBy).toBe(invitee.id);
    expect(stored.acceptedAt).not.toBeNull();
    const [s] = await db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(s.activeOrgId).toBe(org.id);
    const [u] = await db.select().from(users).where(eq(users.id, invitee.id));
    expect(u.emailVerifiedAt).not.toBeNull();
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "member.invite_accept")));
    expect(audit).toMatchObject({ actorUserId: invitee.id, entityId: invitation.id });
  });

  it("a used invitation is refused the second time, and nothing changes", async () => {
    const db = await getDb();
    const { org, admin } = await setup();
    const invitee = await createUser();
    const { token } = await invite(org.id, admin.id, invitee.email);
    const { session } = await createSession(db, invitee.id);
    await acceptInvitation(db, { token, userId: invitee.id, sessionId: session.id, actor: actorFor(invitee.id) });
    const again = await refusal(acceptInvitation(db, { token, userId: invitee.id, sessionId: session.id, actor: actorFor(invitee.id) }));
    expect(again).toBeInstanceOf(InvitationUnavailableError);
    expect((again as InvitationUnavailableError).state).toBe("accepted");
    expect((again as InvitationUnavailableError).status).toBe(410);
    const accepts = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "member.invite_accept")));
    expect(accepts).toHaveLength(1);
  });

  it("an expired invitation is refused and grants nothing", async () => {
    const db = await getDb();
    const { org, admin } = await setup();
    const invitee = await createUser();
    const { token, invitation } = await invite(org.id, admin.id, invitee.email);
    await db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, invitation.id));
    const { session } = await createSession(db, invitee.id);
    const error = await refusal(acceptInvitation(db, { token, userId: invitee.id, sessionId: session.id, actor: actorFor(invitee.id) }));
    expect(error).toMatchObject({ state: "expired", status: 410 });
    const rows = await db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, invitee.id)));
    expect(rows).toHaveLength(0);
    expect(await listPendingInvitations(db, org.id)).toHaveLength(0);
  });

  it("a revoked invitation is refused; revoking is audited and only works on this organisation's invitations", async () => {
    const db = await getDb();
    const { org, admin } = await setup();
    const other = await createOrg();
    const { token, invitation } = await invite(org.id, admin.id, `${unique("inv")}@example.test`);
    // Another organisation's admin cannot revoke it.
    await expect(revokeInvitation(db, { orgId: other.id, actor: actorFor(admin.id), invitationId: invitation.id })).rejects.toThrow(
      /not found/,
    );
    await revokeInvitation(db, { orgId: org.id, actor: actorFor(admin.id), invitationId: invitation.id });
    const error = await refusal(
      acceptInvitationWithNewAccount(db, { token, displayName: "New", password: "long enough password", locale: "ar", actor: actorFor(null) }),
    );
    expect(error).toMatchObject({ state: "revoked", status: 410 });
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "member.invite_revoke")));
    expect(audit.entityId).toBe(invitation.id);
    // Revoking twice is a rule error, not a crash.
    expect(await refusal(revokeInvitation(db, { orgId: org.id, actor: actorFor(admin.id), invitationId: invitation.id }))).toBeInstanceOf(
      OrgRuleError,
    );
  });

  it("an unknown token is 'unknown' (404)", async () => {
    const db = await getDb();
    expect(await findInvitationByToken(db, "no-such-token")).toBeNull();
    const error = await refusal(
      acceptInvitationWithNewAccount(db, { token: "no-such-token", displayName: "X", password: "long enough password", locale: "ar", actor: actorFor(null) }),
    );
    expect(error).toMatchObject({ state: "unknown", status: 404 });
  });

  it("refuses an account whose email is not the invited one", async () => {
    const db = await getDb();
    const { org, admin } = await setup();
    const invitee = await createUser();
    const stranger = await createUser();
    const { token } = await invite(org.id, admin.id, invitee.email);
    const { session } = await createSession(db, stranger.id);
    const error = await refusal(acceptInvitation(db, { token, userId: stranger.id, sessionId: session.id, actor: actorFor(stranger.id) }));
    expect(error).toMatchObject({ messageKey: "staff:errors.wrongAccount", status: 403 });
    expect((await findInvitationByToken(db, token))?.state).toBe("pending");
  });

  it("someone new accepts with a new account: verified user, role and session in one go", async () => {
    const db = await getDb();
    const { org, admin } = await setup();
    const email = `${unique("new")}@example.test`;
    const { token } = await invite(org.id, admin.id, email, "finance");
    const result = await acceptInvitationWithNewAccount(db, {
      token,
      displayName: "Nour",
      password: "a long enough password",
      locale: "en",
      actor: actorFor(null),
    });
    expect(result.user.email).toBe(email);
    expect(result.user.emailVerifiedAt).not.toBeNull();
    expect(result.user.locale).toBe("en");
    expect(await verifyPassword(result.user.passwordHash, "a long enough password")).toBe(true);
    const validated = await validateSessionToken(db, result.sessionToken);
    expect(validated.user?.id).toBe(result.user.id);
    expect(validated.session?.activeOrgId).toBe(org.id);
    const roles = await db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, result.user.id)));
    expect(roles.map((r) => r.role)).toEqual(["finance"]);
    // An account now exists, so the same path is refused for a second invitation to that address.
    const second = await invite(org.id, admin.id, email, "verifier");
    const error = await refusal(
      acceptInvitationWithNewAccount(db, { token: second.token, displayName: "Nour", password: "a long enough password", locale: "en", actor: actorFor(null) }),
    );
    expect(error).toMatchObject({ messageKey: "staff:errors.accountExists" });
  });
});

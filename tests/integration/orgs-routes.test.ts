import { describe, expect, it } from "vitest";
import { and, desc, eq, inArray } from "drizzle-orm";
import { auditLog, emailOutbox, invitations, memberships, organizations, regions, sessions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { sessionCookieHeader } from "~/utils/auth.server";
import { createSession } from "~/modules/identity/session.server";
import { recordAudit } from "~/modules/audit/audit.server";
import * as staffHome from "~/routes/staff._index";
import * as staffSwitch from "~/routes/staff.switch";
import * as layout from "~/routes/staff.$orgSlug";
import * as dashboard from "~/routes/staff.$orgSlug._index";
import * as membersPage from "~/routes/staff.$orgSlug.members";
import * as auditPage from "~/routes/staff.$orgSlug.audit";
import * as settingsPage from "~/routes/staff.$orgSlug.settings";
import * as financePage from "~/routes/finance.$orgSlug._index";
import * as invitePage from "~/routes/invites.$token";
import * as adminOrgs from "~/routes/admin.organizations._index";
import { addMember, createOrg, createUser, unique } from "../fixtures/db";
import { makeRequest, run, type Form } from "../fixtures/routes";

// ---------------------------------------------------------------- helpers

async function signIn(userId: string) {
  const db = await getDb();
  const { token, session } = await createSession(db, userId);
  return { cookie: (await sessionCookieHeader(token)).split(";")[0], sessionId: session.id };
}

async function orgWithAdmin() {
  const org = await createOrg();
  const admin = await createUser({ displayName: "Org Admin" });
  await addMember(org.id, admin.id, "org_admin");
  return { org, admin, session: await signIn(admin.id) };
}

async function handleOf(orgId: string, userId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .limit(1);
  return row.id;
}

async function rolesOf(orgId: string, userId: string) {
  const db = await getDb();
  const rows = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return rows.map((r) => r.role).sort();
}

async function auditActions(orgId: string) {
  const db = await getDb();
  const rows = await db.select().from(auditLog).where(eq(auditLog.orgId, orgId)).orderBy(auditLog.id);
  return rows;
}

function tokenFrom(text: string): string {
  const match = text.match(/\/invites\/([a-z0-9]+)/);
  if (!match) throw new Error(`no invitation link in: ${text.slice(0, 200)}`);
  return match[1];
}

// ---------------------------------------------------------------- guards

describe("staff routes: who may open what", () => {
  it("a member of organisation A asking for organisation B's pages gets 404", async () => {
    const a = await orgWithAdmin();
    const b = await orgWithAdmin();
    const params = { orgSlug: b.org.slug };
    for (const fn of [layout.loader, dashboard.loader, membersPage.loader, auditPage.loader, settingsPage.loader, financePage.loader]) {
      expect((await run(fn, makeRequest(`/staff/${b.org.slug}/members`, a.session), params)).status).toBe(404);
    }
    const post = await run(
      membersPage.action,
      makeRequest(`/staff/${b.org.slug}/members`, { ...a.session, form: { intent: "invite", email: "x@example.test", role: "verifier" } }),
      params,
    );
    expect(post.status).toBe(404);
  });

  it("a verifier gets 403 for members, audit and settings, but sees the dashboard", async () => {
    const { org } = await orgWithAdmin();
    const verifier = await createUser();
    await addMember(org.id, verifier.id, "verifier");
    const session = await signIn(verifier.id);
    const params = { orgSlug: org.slug };
    expect((await run(membersPage.loader, makeRequest(`/staff/${org.slug}/members`, session), params)).status).toBe(403);
    expect((await run(auditPage.loader, makeRequest(`/staff/${org.slug}/audit`, session), params)).status).toBe(403);
    expect((await run(settingsPage.loader, makeRequest(`/staff/${org.slug}/settings`, session), params)).status).toBe(403);
    expect((await run(financePage.loader, makeRequest(`/finance/${org.slug}`, session), params)).status).toBe(403);
    const forged = await run(
      membersPage.action,
      makeRequest(`/staff/${org.slug}/members`, { ...session, form: { intent: "invite", email: "x@example.test", role: "org_admin" } }),
      params,
    );
    expect(forged.status).toBe(403);
    const home = await run(dashboard.loader, makeRequest(`/staff/${org.slug}`, session), params);
    expect(home.status).toBe(200);
    expect(home.body.roles).toEqual(["verifier"]);
    expect(home.body.recent).toEqual([]); // the audit excerpt is for org admins
    const frame = await run(layout.loader, makeRequest(`/staff/${org.slug}`, session), params);
    expect(frame.body.roles).toEqual(["verifier"]);
  });

  it("a donor (no membership) asking for /staff/<slug> gets 404; anonymous visitors are sent to sign in", async () => {
    const { org } = await orgWithAdmin();
    const donor = await createUser();
    const session = await signIn(donor.id);
    expect((await run(layout.loader, makeRequest(`/staff/${org.slug}`, session), { orgSlug: org.slug })).status).toBe(404);
    expect((await run(dashboard.loader, makeRequest(`/staff/${org.slug}`, session), { orgSlug: org.slug })).status).toBe(404);
    const anonymous = await run(layout.loader, makeRequest(`/staff/${org.slug}`), { orgSlug: org.slug });
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(`/staff/${org.slug}`)}`);
    // The staff door shows a donor that they belong nowhere.
    const home = await run(staffHome.loader, makeRequest("/staff", session));
    expect(home.status).toBe(200);
    expect(home.body.orgs).toEqual([]);
  });

  it("finance home opens for finance and org admins, and shows no figures", async () => {
    const { org, session } = await orgWithAdmin();
    const finance = await createUser();
    await addMember(org.id, finance.id, "finance");
    for (const s of [session, await signIn(finance.id)]) {
      const page = await run(financePage.loader, makeRequest(`/finance/${org.slug}`, s), { orgSlug: org.slug });
      expect(page.status).toBe(200);
      expect(page.body.org).toMatchObject({ defaultCurrency: "USD", timeZone: "Asia/Beirut" });
    }
  });
});

// ---------------------------------------------------------------- switching organisation

describe("staff door and organisation switcher", () => {
  it("sends a person with one organisation straight to it, and lists several until one is chosen", async () => {
    const one = await orgWithAdmin();
    const home = await run(staffHome.loader, makeRequest("/staff", one.session));
    expect(home).toMatchObject({ status: 302, location: `/staff/${one.org.slug}` });

    const two = await createOrg();
    await addMember(two.id, one.admin.id, "caseworker");
    const choose = await run(staffHome.loader, makeRequest("/staff", one.session));
    expect(choose.status).toBe(200);
    expect(choose.body.orgs.map((o: { slug: string }) => o.slug).sort()).toEqual([one.org.slug, two.slug].sort());

    const switched = await run(staffSwitch.action, makeRequest("/staff/switch", { ...one.session, form: { orgId: two.id } }));
    expect(switched).toMatchObject({ status: 302, location: `/staff/${two.slug}` });
    const db = await getDb();
    const [s] = await db.select().from(sessions).where(eq(sessions.id, one.session.sessionId));
    expect(s.activeOrgId).toBe(two.id);
    expect(await run(staffHome.loader, makeRequest("/staff", one.session))).toMatchObject({ status: 302, location: `/staff/${two.slug}` });
  });

  it("refuses to switch into an organisation the person does not belong to (404), or to garbage (400)", async () => {
    const mine = await orgWithAdmin();
    const theirs = await createOrg();
    const refused = await run(staffSwitch.action, makeRequest("/staff/switch", { ...mine.session, form: { orgId: theirs.id } }));
    expect(refused.status).toBe(404);
    const garbage = await run(staffSwitch.action, makeRequest("/staff/switch", { ...mine.session, form: { orgId: "'; --" } }));
    expect(garbage.status).toBe(400);
    const db = await getDb();
    const [s] = await db.select().from(sessions).where(eq(sessions.id, mine.session.sessionId));
    expect(s.activeOrgId).toBeNull();
  });
});

// ---------------------------------------------------------------- members

describe("members page", () => {
  it("refuses a forged POST naming another organisation's membership, invitation or region (404, nothing changed)", async () => {
    const a = await orgWithAdmin();
    const b = await orgWithAdmin();
    const victim = await createUser();
    await addMember(b.org.id, victim.id, "caseworker");
    const foreign = await handleOf(b.org.id, victim.id);
    const url = `/staff/${a.org.slug}/members`;
    const params = { orgSlug: a.org.slug };

    const remove = await run(membersPage.action, makeRequest(url, { ...a.session, form: { intent: "remove", membershipId: foreign } }), params);
    expect(remove.status).toBe(404);
    const roles = await run(
      membersPage.action,
      makeRequest(url, { ...a.session, form: { intent: "roles", membershipId: foreign, roles: ["org_admin"] } }),
      params,
    );
    expect(roles.status).toBe(404);
    expect(await rolesOf(b.org.id, victim.id)).toEqual(["caseworker"]);

    // b's admin invites someone; a's admin tries to withdraw it.
    await run(
      membersPage.action,
      makeRequest(`/staff/${b.org.slug}/members`, { ...b.session, form: { intent: "invite", email: `${unique("x")}@example.test`, role: "finance" } }),
      { orgSlug: b.org.slug },
    );
    const db = await getDb();
    const [invite] = await db.select().from(invitations).where(eq(invitations.orgId, b.org.id));
    const revoke = await run(membersPage.action, makeRequest(url, { ...a.session, form: { intent: "revoke", invitationId: invite.id } }), params);
    expect(revoke.status).toBe(404);
    const [still] = await db.select().from(invitations).where(eq(invitations.id, invite.id));
    expect(still.revokedAt).toBeNull();

    const [region] = await db
      .insert(regions)
      .values({ orgId: b.org.id, level: "governorate", nameAr: "أ", nameEn: "A" })
      .returning();
    const settingsUrl = `/staff/${a.org.slug}/settings`;
    const forgeries: Form[] = [
      { intent: "removeRegion", regionId: region.id },
      { intent: "renameRegion", regionId: region.id, nameAr: "ب", nameEn: "B" },
      { intent: "addRegion", parentId: region.id, nameAr: "ب", nameEn: "B" },
    ];
    for (const form of forgeries) {
      expect((await run(settingsPage.action, makeRequest(settingsUrl, { ...a.session, form }), params)).status).toBe(404);
    }
    const [regionAfter] = await db.select().from(regions).where(eq(regions.id, region.id));
    expect(regionAfter.nameEn).toBe("A");
    expect(await db.select().from(regions).where(eq(regions.parentId, region.id))).toHaveLength(0);
    expect(await auditActions(a.org.id)).toHaveLength(0);
  });

  it("answers bad input with 4xx and a message key next to the field, changing nothing", async () => {
    const { org, admin, session } = await orgWithAdmin();
    const url = `/staff/${org.slug}/members`;
    const params = { orgSlug: org.slug };

    const badEmail = await run(membersPage.action, makeRequest(url, { ...session, form: { intent: "invite", email: "nope", role: "verifier" } }), params);
    expect(badEmail.status).toBe(400);
    expect(badEmail.body).toMatchObject({ intent: "invite", result: { error: { email: ["errors:invalidEmail"] } } });

    const badRole = await run(membersPage.action, makeRequest(url, { ...session, form: { intent: "invite", email: "a@example.test", role: "owner" } }), params);
    expect(badRole.status).toBe(400);
    expect(badRole.body.result.error.role).toEqual(["errors:invalidChoice"]);

    const noRoles = await run(
      membersPage.action,
      makeRequest(url, { ...session, form: { intent: "roles", membershipId: await handleOf(org.id, admin.id) } }),
      params,
    );
    expect(noRoles.status).toBe(400);
    expect(noRoles.body.result.error.roles).toEqual(["staff:errors.rolesRequired"]);

    const lastAdmin = await run(
      membersPage.action,
      makeRequest(url, { ...session, form: { intent: "roles", membershipId: await handleOf(org.id, admin.id), roles: ["caseworker"] } }),
      params,
    );
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body).toMatchObject({
      intent: "roles",
      target: await handleOf(org.id, admin.id),
      result: { error: { roles: ["staff:errors.lastAdmin"] } },
    });

    const removeSelf = await run(
      membersPage.action,
      makeRequest(url, { ...session, form: { intent: "remove", membershipId: await handleOf(org.id, admin.id) } }),
      params,
    );
    expect(removeSelf.status).toBe(409);
    expect(removeSelf.body.result.error[""]).toEqual(["staff:errors.lastAdmin"]);

    const member = await createUser();
    await addMember(org.id, member.id, "verifier");
    const again = await run(membersPage.action, makeRequest(url, { ...session, form: { intent: "invite", email: member.email, role: "verifier" } }), params);
    expect(again.status).toBe(409);
    expect(again.body.result.error.email).toEqual(["staff:errors.alreadyMember"]);

    const unknownIntent = await run(membersPage.action, makeRequest(url, { ...session, form: { intent: "drop-table" } }), params);
    expect(unknownIntent.status).toBe(400);

    expect(await rolesOf(org.id, admin.id)).toEqual(["org_admin"]);
    const db = await getDb();
    expect(await db.select().from(invitations).where(eq(invitations.orgId, org.id))).toHaveLength(0);
    expect(await auditActions(org.id)).toHaveLength(0);
  });

  it("invite → outbox mail with the link → new account accepts → member, and the link is then used up", async () => {
    const { org, session } = await orgWithAdmin();
    const email = `${unique("newcomer")}@example.test`;
    const invited = await run(
      membersPage.action,
      makeRequest(`/staff/${org.slug}/members`, { ...session, form: { intent: "invite", email, role: "verifier" } }),
      { orgSlug: org.slug },
    );
    expect(invited).toMatchObject({ status: 302, location: `/staff/${org.slug}/members?notice=invited` });

    const page = await run(membersPage.loader, makeRequest(`/staff/${org.slug}/members?notice=invited`, session), { orgSlug: org.slug });
    expect(page.body.notice).toBe("invited");
    expect(page.body.invitations.map((i: { email: string }) => i.email)).toEqual([email]);

    const db = await getDb();
    const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));
    expect(mail.template).toBe("invite");
    expect(mail.text).toMatch(/http:\/\/localhost\/invites\/[a-z0-9]+/);
    const token = tokenFrom(mail.text);

    const landing = await run(invitePage.loader, makeRequest(`/invites/${token}`), { token });
    expect(landing.status).toBe(200);
    expect(landing.body).toMatchObject({ state: "create", invite: { email, role: "verifier", org: { slug: org.slug } } });

    const short = await run(
      invitePage.action,
      makeRequest(`/invites/${token}`, { form: { intent: "create", displayName: "Rana", password: "short" } }),
      { token },
    );
    expect(short.status).toBe(400);
    expect(short.body.result.error.password).toEqual(["staff:errors.passwordTooShort"]);
    expect(JSON.stringify(short.body.result)).not.toContain('"short"'); // the typed password is not echoed

    const created = await run(
      invitePage.action,
      makeRequest(`/invites/${token}`, { form: { intent: "create", displayName: "Rana", password: "a sufficiently long password" } }),
      { token },
    );
    expect(created).toMatchObject({ status: 302, location: `/staff/${org.slug}` });
    const cookie = created.headers!.get("set-cookie")!.split(";")[0];
    expect(cookie).toMatch(/^tadamon_session=/);

    const frame = await run(layout.loader, makeRequest(`/staff/${org.slug}`, { cookie }), { orgSlug: org.slug });
    expect(frame.status).toBe(200);
    expect(frame.body.roles).toEqual(["verifier"]);
    // A verifier may not manage members.
    expect((await run(membersPage.loader, makeRequest(`/staff/${org.slug}/members`, { cookie }), { orgSlug: org.slug })).status).toBe(403);

    const reused = await run(invitePage.loader, makeRequest(`/invites/${token}`), { token });
    expect(reused.status).toBe(410);
    expect(reused.body).toMatchObject({ state: "accepted", invite: null });
    const reusedPost = await run(
      invitePage.action,
      makeRequest(`/invites/${token}`, { form: { intent: "create", displayName: "Someone", password: "another long password" } }),
      { token },
    );
    expect(reusedPost.status).toBe(410);
    expect(reusedPost.body.unavailable).toBe("accepted");

    const actions = (await auditActions(org.id)).map((r) => r.action);
    expect(actions).toEqual(["member.invite", "member.invite_accept"]);
  });

  it("an existing account: sign-in link when signed out, a clear refusal for someone else, accept when it is them", async () => {
    const { org, session } = await orgWithAdmin();
    const invitee = await createUser({ displayName: "Existing Person" });
    await run(
      membersPage.action,
      makeRequest(`/staff/${org.slug}/members`, { ...session, form: { intent: "invite", email: invitee.email, role: "caseworker" } }),
      { orgSlug: org.slug },
    );
    const db = await getDb();
    const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, invitee.email)).orderBy(desc(emailOutbox.createdAt));
    const token = tokenFrom(mail.text);

    const signedOut = await run(invitePage.loader, makeRequest(`/invites/${token}`), { token });
    expect(signedOut.body).toMatchObject({ state: "signIn", loginUrl: `/login?redirectTo=${encodeURIComponent(`/invites/${token}`)}` });
    const sneaky = await run(
      invitePage.action,
      makeRequest(`/invites/${token}`, { form: { intent: "create", displayName: "Impostor", password: "impostor password" } }),
      { token },
    );
    expect(sneaky.status).toBe(409);
    expect(sneaky.body.result.error[""]).toEqual(["staff:errors.accountExists"]);

    const stranger = await signIn((await createUser()).id);
    const wrong = await run(invitePage.loader, makeRequest(`/invites/${token}`, stranger), { token });
    expect(wrong.status).toBe(403);
    expect(wrong.body.state).toBe("wrongAccount");
    const wrongPost = await run(invitePage.action, makeRequest(`/invites/${token}`, { ...stranger, form: { intent: "accept" } }), { token });
    expect(wrongPost.status).toBe(403);

    const mine = await signIn(invitee.id);
    expect((await run(invitePage.loader, makeRequest(`/invites/${token}`, mine), { token })).body.state).toBe("accept");
    const accepted = await run(invitePage.action, makeRequest(`/invites/${token}`, { ...mine, form: { intent: "accept" } }), { token });
    expect(accepted).toMatchObject({ status: 302, location: `/staff/${org.slug}` });
    expect(await rolesOf(org.id, invitee.id)).toEqual(["caseworker"]);
    const [s] = await db.select().from(sessions).where(eq(sessions.id, mine.sessionId));
    expect(s.activeOrgId).toBe(org.id);
  });

  it("expired, revoked and unknown links answer 410/410/404 and change nothing", async () => {
    const { org, session } = await orgWithAdmin();
    const db = await getDb();
    const url = `/staff/${org.slug}/members`;
    const emails = [`${unique("exp")}@example.test`, `${unique("rev")}@example.test`];
    for (const email of emails) {
      await run(membersPage.action, makeRequest(url, { ...session, form: { intent: "invite", email, role: "finance" } }), { orgSlug: org.slug });
    }
    const mails = await db.select().from(emailOutbox).where(inArray(emailOutbox.toAddress, emails));
    const tokenFor = (email: string) => tokenFrom(mails.find((m) => m.toAddress === email)!.text);
    const invites = await db.select().from(invitations).where(eq(invitations.orgId, org.id));
    const byEmail = (email: string) => invites.find((i) => i.email === email)!;

    await db.update(invitations).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(invitations.id, byEmail(emails[0]).id));
    const revoked = await run(membersPage.action, makeRequest(url, { ...session, form: { intent: "revoke", invitationId: byEmail(emails[1]).id } }), {
      orgSlug: org.slug,
    });
    expect(revoked).toMatchObject({ status: 302, location: `${url}?notice=revoked` });

    const expiredToken = tokenFor(emails[0]);
    const revokedToken = tokenFor(emails[1]);
    expect((await run(invitePage.loader, makeRequest(`/invites/${expiredToken}`), { token: expiredToken })).body.state).toBe("expired");
    for (const [token, state] of [
      [expiredToken, "expired"],
      [revokedToken, "revoked"],
    ] as const) {
      const page = await run(invitePage.loader, makeRequest(`/invites/${token}`), { token });
      expect(page.status).toBe(410);
      expect(page.body).toMatchObject({ state, invite: null });
      const post = await run(
        invitePage.action,
        makeRequest(`/invites/${token}`, { form: { intent: "create", displayName: "Late", password: "a long enough password" } }),
        { token },
      );
      expect(post.status).toBe(410);
      expect(post.body.unavailable).toBe(state);
    }
    const unknown = await run(invitePage.loader, makeRequest("/invites/nosuchtoken"), { token: "nosuchtoken" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.state).toBe("unknown");
    const orgMembers = await db.select().from(memberships).where(eq(memberships.orgId, org.id));
    expect(orgMembers).toHaveLength(1);
  });
});

// ---------------------------------------------------------------- audit

describe("audit log", () => {
  it("every staff action writes an audit row (actor, org, action, entity, change, IP); the table refuses UPDATE and DELETE", async () => {
    const { org, admin, session } = await orgWithAdmin();
    const worker = await createUser();
    await addMember(org.id, worker.id, "caseworker");
    const members = `/staff/${org.slug}/members`;
    const settings = `/staff/${org.slug}/settings`;
    const params = { orgSlug: org.slug };
    const post = (fn: typeof membersPage.action, url: string, form: Form) => run(fn, makeRequest(url, { ...session, form }), params);

    expect((await post(membersPage.action, members, { intent: "invite", email: `${unique("a")}@example.test`, role: "verifier" })).status).toBe(302);
    const db = await getDb();
    const [invite] = await db.select().from(invitations).where(eq(invitations.orgId, org.id));
    expect((await post(membersPage.action, members, { intent: "revoke", invitationId: invite.id })).status).toBe(302);
    const handle = await handleOf(org.id, worker.id);
    expect((await post(membersPage.action, members, { intent: "roles", membershipId: handle, roles: ["caseworker", "finance"] })).status).toBe(302);
    expect(
      (await post(settingsPage.action, settings, { intent: "profile", nameAr: "اسم جديد", nameEn: "New name", timeZone: "Asia/Damascus", defaultCurrency: "syp" }))
        .status,
    ).toBe(302);
    expect((await post(settingsPage.action, settings, { intent: "addRegion", nameAr: "حلب", nameEn: "Aleppo" })).status).toBe(302);
    const [gov] = await db.select().from(regions).where(eq(regions.orgId, org.id));
    expect((await post(settingsPage.action, settings, { intent: "renameRegion", regionId: gov.id, nameAr: "محافظة حلب", nameEn: "Aleppo governorate" })).status).toBe(302);
    expect((await post(settingsPage.action, settings, { intent: "removeRegion", regionId: gov.id })).status).toBe(302);
    expect((await post(membersPage.action, members, { intent: "remove", membershipId: await handleOf(org.id, worker.id) })).status).toBe(302);

    const rows = await auditActions(org.id);
    expect(rows.map((r) => r.action)).toEqual([
      "member.invite",
      "member.invite_revoke",
      "member.role_change",
      "org.update",
      "region.create",
      "region.rename",
      "region.delete",
      "member.remove",
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ actorUserId: admin.id, orgId: org.id, ip: "203.0.113.7", userAgent: "vitest" });
      expect(row.entityType).toBeTruthy();
      expect(row.change).toBeTruthy();
    }
    const [saved] = await db.select().from(organizations).where(eq(organizations.id, org.id));
    expect(saved).toMatchObject({ nameEn: "New name", timeZone: "Asia/Damascus", defaultCurrency: "SYP" });

    const target = rows[0].id;
    await expect(db.update(auditLog).set({ action: "tampered" }).where(eq(auditLog.id, target))).rejects.toThrow();
    await expect(db.delete(auditLog).where(eq(auditLog.id, target))).rejects.toThrow();
    const [untouched] = await db.select().from(auditLog).where(eq(auditLog.id, target));
    expect(untouched.action).toBe("member.invite");
  });

  it("settings refuse an unknown time zone or currency with a message next to the field", async () => {
    const { org, session } = await orgWithAdmin();
    const bad = await run(
      settingsPage.action,
      makeRequest(`/staff/${org.slug}/settings`, {
        ...session,
        form: { intent: "profile", nameAr: "اسم", nameEn: "Name", timeZone: "Mars/Olympus", defaultCurrency: "XYZ" },
      }),
      { orgSlug: org.slug },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.result.error).toMatchObject({
      timeZone: ["staff:errors.invalidTimeZone"],
      defaultCurrency: ["staff:errors.invalidCurrency"],
    });
    expect(await auditActions(org.id)).toHaveLength(0);
  });

  it("the audit page pages 25 at a time, newest first, filters by action, person and day (in the organisation's time zone), and never shows another organisation", async () => {
    const { org, admin, session } = await orgWithAdmin();
    const other = await createOrg();
    const colleague = await createUser({ displayName: "Colleague" });
    await addMember(org.id, colleague.id, "caseworker");
    const db = await getDb();
    const actor = (userId: string) => ({ userId, ip: "198.51.100.1", userAgent: "vitest" });
    // 30 entries an hour apart, from 2025-01-10 10:00 UTC on; every third by the colleague.
    const start = Date.UTC(2025, 0, 10, 10, 0, 0);
    for (let i = 0; i < 30; i++) {
      await db.insert(auditLog).values({
        orgId: org.id,
        actorUserId: i % 3 === 0 ? colleague.id : admin.id,
        action: i % 2 === 0 ? "test.even" : "test.odd",
        entityType: "test",
        entityId: String(i),
        at: new Date(start + i * 3_600_000),
      });
    }
    await recordAudit(db, actor(admin.id), { orgId: other.id, action: "test.even", entityType: "test", entityId: "foreign" });

    const url = `/staff/${org.slug}/audit`;
    const params = { orgSlug: org.slug };
    const first = await run(auditPage.loader, makeRequest(url, session), params);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 30, page: 1, pages: 2 });
    expect(first.body.entries).toHaveLength(25);
    expect(first.body.entries[0].entityId).toBe("29");
    expect(first.body.entries[24].entityId).toBe("5");
    expect(first.body.options.actions).toEqual(["test.even", "test.odd"]);
    expect(first.body.options.actors.map((a: { id: string }) => a.id).sort()).toEqual([admin.id, colleague.id].sort());

    const second = await run(auditPage.loader, makeRequest(`${url}?page=2`, session), params);
    expect(second.body.entries.map((e: { entityId: string }) => e.entityId)).toEqual(["4", "3", "2", "1", "0"]);

    const odd = await run(auditPage.loader, makeRequest(`${url}?action=test.odd`, session), params);
    expect(odd.body.total).toBe(15);
    const byColleague = await run(auditPage.loader, makeRequest(`${url}?actor=${colleague.id}`, session), params);
    expect(byColleague.body.total).toBe(10);
    const both = await run(auditPage.loader, makeRequest(`${url}?actor=${colleague.id}&action=test.even`, session), params);
    expect(both.body.entries.map((e: { entityId: string }) => e.entityId)).toEqual(["24", "18", "12", "6", "0"]);

    // Beirut is UTC+2 in January: entry 12 (2025-01-10 22:00 UTC) is already 2025-01-11 there.
    const jan10 = await run(auditPage.loader, makeRequest(`${url}?from=2025-01-10&to=2025-01-10`, session), params);
    expect(jan10.body.total).toBe(12);
    expect(jan10.body.entries[0].entityId).toBe("11");
    const jan11 = await run(auditPage.loader, makeRequest(`${url}?from=2025-01-11`, session), params);
    expect(jan11.body.total).toBe(18);
    expect(jan11.body.entries.at(-1).entityId).toBe("12");

    const bad = await run(auditPage.loader, makeRequest(`${url}?from=2025-02-01&to=2025-01-01`, session), params);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.to).toEqual(["staff:audit.errors.range"]);
    expect(bad.body.entries).toEqual([]);
    const junk = await run(auditPage.loader, makeRequest(`${url}?actor=not-a-uuid&page=abc`, session), params);
    expect(junk.status).toBe(400);

    const all = [...first.body.entries, ...second.body.entries].map((e: { entityId: string }) => e.entityId);
    expect(all).not.toContain("foreign");

    // The dashboard shows the newest five to an org admin.
    const home = await run(dashboard.loader, makeRequest(`/staff/${org.slug}`, session), params);
    expect(home.body.recent.map((e: { entityId: string }) => e.entityId)).toEqual(["29", "28", "27", "26", "25"]);
    expect(home.body.counts).toEqual({ total: 2, byRole: { caseworker: 1, verifier: 0, finance: 0, org_admin: 1 } });
  });
});

// ---------------------------------------------------------------- platform

describe("platform admin: organisations", () => {
  it("only platform admins may list or create organisations", async () => {
    const { session } = await orgWithAdmin(); // an org admin is not a platform admin
    expect((await run(adminOrgs.loader, makeRequest("/admin/organizations", session))).status).toBe(403);
    const forged = await run(
      adminOrgs.action,
      makeRequest("/admin/organizations", { ...session, form: { slug: unique("x").toLowerCase() } }),
    );
    expect(forged.status).toBe(403);
  });

  it("creates an organisation and invites its first admin, who can then accept", async () => {
    const platform = await createUser({ isPlatformAdmin: true });
    const session = await signIn(platform.id);
    const slug = unique("new").toLowerCase();
    const adminEmail = `${unique("boss")}@example.test`;
    const form = {
      slug,
      nameAr: "جمعية جديدة",
      nameEn: "New Association",
      country: "EG",
      defaultCurrency: "EGP",
      timeZone: "Africa/Cairo",
      adminEmail,
    };
    const invalid = await run(adminOrgs.action, makeRequest("/admin/organizations", { ...session, form: { ...form, country: "other", countryOther: "" } }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.result.error.countryOther).toEqual(["errors:required"]);

    const created = await run(adminOrgs.action, makeRequest("/admin/organizations", { ...session, form }));
    expect(created).toMatchObject({ status: 302, location: "/admin/organizations?notice=created" });
    const list = await run(adminOrgs.loader, makeRequest("/admin/organizations?notice=created", session));
    const row = list.body.organizations.find((o: { slug: string }) => o.slug === slug);
    expect(row).toMatchObject({ country: "EG", defaultCurrency: "EGP", members: 0, pendingInvitations: 1 });
    expect(list.body.notice).toBe("created");

    const taken = await run(adminOrgs.action, makeRequest("/admin/organizations", { ...session, form }));
    expect(taken.status).toBe(409);
    expect(taken.body.result.error.slug).toEqual(["admin:errors.slugTaken"]);

    const db = await getDb();
    const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, adminEmail));
    const token = tokenFrom(mail.text);
    const accepted = await run(
      invitePage.action,
      makeRequest(`/invites/${token}`, { form: { intent: "create", displayName: "First Admin", password: "first admin password" } }),
      { token },
    );
    expect(accepted).toMatchObject({ status: 302, location: `/staff/${slug}` });
    const cookie = accepted.headers!.get("set-cookie")!.split(";")[0];
    expect((await run(membersPage.loader, makeRequest(`/staff/${slug}/members`, { cookie }), { orgSlug: slug })).status).toBe(200);
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, slug));
    expect((await auditActions(org.id)).map((r) => r.action)).toEqual(["org.create", "member.invite", "member.invite_accept"]);
  });
});

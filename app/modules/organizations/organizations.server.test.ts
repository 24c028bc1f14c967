import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, emailOutbox, invitations, organizations, regions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { addMember, createOrg, createUser, unique } from "../../../tests/fixtures/db";
import { OrgNotFoundError, OrgRuleError } from "./errors";
import { createOrganization, listOrganizationsForAdmin, updateOrganizationProfile } from "./organizations.server";
import { addRegion, listRegions, removeRegion, renameRegion } from "./regions.server";
import { CreateOrganizationSchema } from "./schemas";

const actorFor = (userId: string) => ({ userId, ip: "127.0.0.1", userAgent: "vitest" });

describe("organisations", () => {
  it("onboards an organisation with an org_admin invitation for its first admin, in one go", async () => {
    const db = await getDb();
    const platform = await createUser({ isPlatformAdmin: true });
    const slug = unique("onb").toLowerCase();
    const adminEmail = `${unique("first")}@example.test`;
    const values = CreateOrganizationSchema.parse({
      slug,
      nameAr: "جمعية التجربة",
      nameEn: "Trial Association",
      country: "other",
      countryOther: "JO",
      defaultCurrency: "JOD",
      timeZone: "Asia/Amman",
      adminEmail,
    });
    const { org, invitation } = await createOrganization(db, {
      actor: actorFor(platform.id),
      inviterId: platform.id,
      values,
      origin: "https://tadamon.test",
      locale: "ar",
    });
    expect(org).toMatchObject({ slug, country: "JO", defaultCurrency: "JOD", timeZone: "Asia/Amman" });
    const [invite] = await db.select().from(invitations).where(eq(invitations.orgId, org.id));
    expect(invite).toMatchObject({ email: adminEmail, role: "org_admin", invitedBy: platform.id });
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, adminEmail));
    expect(mails[0].text + mails[0].html).toContain(invitation.inviteUrl);
    const actions = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.orgId, org.id));
    expect(actions.map((a) => a.action).sort()).toEqual(["member.invite", "org.create"]);

    const overview = (await listOrganizationsForAdmin(db, 1, 100_000)).rows.find((o) => o.org.id === org.id);
    expect(overview).toMatchObject({ members: 0, pendingInvitations: 1, regions: 0 });

    // The same slug again is a field error, and nothing of the second attempt remains.
    const again = await createOrganization(db, {
      actor: actorFor(platform.id),
      inviterId: platform.id,
      values: { ...values, adminEmail: `${unique("second")}@example.test` },
      origin: "https://tadamon.test",
      locale: "ar",
    }).catch((e) => e);
    expect(again).toBeInstanceOf(OrgRuleError);
    expect(again).toMatchObject({ messageKey: "admin:errors.slugTaken", field: "slug" });
    expect(await db.select().from(organizations).where(eq(organizations.slug, slug))).toHaveLength(1);
  });

  it("saves the profile and audits only the fields that changed", async () => {
    const db = await getDb();
    const org = await createOrg();
    const admin = await createUser();
    await addMember(org.id, admin.id, "org_admin");
    const unchanged = await updateOrganizationProfile(db, {
      orgId: org.id,
      actor: actorFor(admin.id),
      profile: { nameAr: org.nameAr, nameEn: org.nameEn, timeZone: org.timeZone, defaultCurrency: org.defaultCurrency },
    });
    expect(unchanged.changed).toBe(false);
    const { org: saved } = await updateOrganizationProfile(db, {
      orgId: org.id,
      actor: actorFor(admin.id),
      profile: { nameAr: org.nameAr, nameEn: "Renamed", timeZone: "Asia/Damascus", defaultCurrency: "SYP" },
    });
    expect(saved).toMatchObject({ nameEn: "Renamed", timeZone: "Asia/Damascus", defaultCurrency: "SYP" });
    const rows = await db.select().from(auditLog).where(eq(auditLog.orgId, org.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "org.update",
      change: {
        before: { nameEn: org.nameEn, timeZone: org.timeZone, defaultCurrency: org.defaultCurrency },
        after: { nameEn: "Renamed", timeZone: "Asia/Damascus", defaultCurrency: "SYP" },
      },
    });
  });
});

describe("organisation profile: country defaults and the public profile", () => {
  it("applies the country's currency and zone to empty fields, saves and clears the public profile", async () => {
    const db = await getDb();
    const org = await createOrg();
    await db.update(organizations).set({ country: "EG", defaultCurrency: "USD", timeZone: "Asia/Beirut" }).where(eq(organizations.id, org.id));
    const admin = await createUser();
    const actor = actorFor(admin.id);
    const { org: saved } = await updateOrganizationProfile(db, {
      orgId: org.id,
      actor,
      profile: { nameAr: org.nameAr, nameEn: org.nameEn, missionEn: "Schools first", registeredWithAr: "وزارة التضامن", foundedYear: 2019 },
    });
    expect(saved).toMatchObject({
      defaultCurrency: "EGP",
      timeZone: "Africa/Cairo",
      missionEn: "Schools first",
      missionAr: null,
      registeredWithAr: "وزارة التضامن",
      foundedYear: 2019,
    });
    const { org: cleared } = await updateOrganizationProfile(db, {
      orgId: org.id,
      actor,
      profile: { nameAr: org.nameAr, nameEn: org.nameEn, timeZone: "Africa/Cairo", defaultCurrency: "EGP" },
    });
    expect(cleared).toMatchObject({ missionEn: null, registeredWithAr: null, foundedYear: null });
  });
});

describe("regions", () => {
  it("builds governorate → district → locality, renames, removes a branch, and audits each step", async () => {
    const db = await getDb();
    const org = await createOrg();
    const admin = await createUser();
    const actor = actorFor(admin.id);
    const gov = await addRegion(db, { orgId: org.id, actor, nameAr: "الجنوب", nameEn: "South" });
    const dist = await addRegion(db, { orgId: org.id, actor, parentId: gov.id, nameAr: "صور", nameEn: "Tyre" });
    const loc = await addRegion(db, { orgId: org.id, actor, parentId: dist.id, nameAr: "الرشيدية", nameEn: "Rashidieh" });
    expect([gov.level, dist.level, loc.level]).toEqual(["governorate", "district", "locality"]);
    await expect(addRegion(db, { orgId: org.id, actor, parentId: loc.id, nameAr: "س", nameEn: "X" })).rejects.toMatchObject({
      messageKey: "staff:errors.regionTooDeep",
    });
    await renameRegion(db, { orgId: org.id, actor, regionId: dist.id, nameAr: "قضاء صور", nameEn: "Tyre district" });
    await removeRegion(db, { orgId: org.id, actor, regionId: gov.id });
    expect(await listRegions(db, org.id)).toEqual([]);
    const actions = await db
      .select({ action: auditLog.action, change: auditLog.change })
      .from(auditLog)
      .where(eq(auditLog.orgId, org.id))
      .orderBy(auditLog.id);
    expect(actions.map((a) => a.action)).toEqual([
      "region.create",
      "region.create",
      "region.create",
      "region.rename",
      "region.delete",
    ]);
    expect(actions[4].change).toMatchObject({ nameEn: "South", removedBelow: 2 });
  });

  it("answers not-found for another organisation's region id", async () => {
    const db = await getDb();
    const mine = await createOrg();
    const theirs = await createOrg();
    const admin = await createUser();
    const actor = actorFor(admin.id);
    const foreign = await addRegion(db, { orgId: theirs.id, actor, nameAr: "أ", nameEn: "A" });
    await expect(addRegion(db, { orgId: mine.id, actor, parentId: foreign.id, nameAr: "ب", nameEn: "B" })).rejects.toBeInstanceOf(
      OrgNotFoundError,
    );
    await expect(renameRegion(db, { orgId: mine.id, actor, regionId: foreign.id, nameAr: "ب", nameEn: "B" })).rejects.toBeInstanceOf(
      OrgNotFoundError,
    );
    await expect(removeRegion(db, { orgId: mine.id, actor, regionId: foreign.id })).rejects.toBeInstanceOf(OrgNotFoundError);
    const [still] = await db.select().from(regions).where(and(eq(regions.id, foreign.id), eq(regions.orgId, theirs.id)));
    expect(still.nameEn).toBe("A");
  });
});

describe("organisations list for platform admins", () => {
  it("pages through organisations in a stable order", async () => {
    const db = await getDb();
    await createOrg();
    await createOrg();
    const first = await listOrganizationsForAdmin(db, 1, 1);
    const second = await listOrganizationsForAdmin(db, 2, 1);
    expect(first.pages).toBeGreaterThanOrEqual(2);
    expect(first.rows).toHaveLength(1);
    expect(second.rows).toHaveLength(1);
    expect(second.rows[0].org.id).not.toBe(first.rows[0].org.id);
    expect((await listOrganizationsForAdmin(db, 10_000, 1)).page).toBeGreaterThanOrEqual(first.pages);
  });
});

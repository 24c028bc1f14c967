import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import {
  auditLog,
  duplicateMatches,
  householdEvents,
  householdIdentifiers,
  householdMembers,
  households,
  regions,
} from "#db/schema";
import { getDb } from "~/utils/db.server";
import { OrgNotFoundError, OrgRuleError } from "~/modules/organizations/errors";
import { addRegion } from "~/modules/organizations/regions.server";
import { addMember as addOrgMember, createOrg, createUser, unique } from "../../../tests/fixtures/db";
import {
  addIdentifier,
  addMember,
  changeStatus,
  createHousehold,
  getHousehold,
  listHouseholds,
  moveHousehold,
  recordConsent,
  recordMemberExit,
  removeIdentifier,
  updateHousehold,
} from "./households.server";
import { decideDuplicate, duplicatesReport, listDuplicateWarnings } from "./duplicates.server";
import { createReferral, listReferrals, updateReferralStatus } from "./referrals.server";

const actorFor = (userId: string) => ({ userId, ip: "127.0.0.1", userAgent: "vitest" });

async function setup(country = "LB") {
  const org = await createOrg({ country });
  const caseworker = await createUser({ displayName: "Caseworker" });
  await addOrgMember(org.id, caseworker.id, "caseworker");
  return { org, caseworker, actor: actorFor(caseworker.id), base: { orgId: org.id, actor: actorFor(caseworker.id) } };
}

/** A phone no other test uses, so parallel workers on one database never match each other by accident. */
function uniquePhone(): string {
  const prefix = ["70", "71", "76", "78", "79", "81"][Math.floor(Math.random() * 6)];
  return `${prefix} ${String(Math.floor(100000 + Math.random() * 899999))}`;
}
const uniqueId = () => unique("ID").toUpperCase().replace(/[^A-Z0-9]/g, "");

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

describe("creating households", () => {
  it("numbers references per organisation: country, sequence, year", async () => {
    const db = await getDb();
    const a = await setup("LB");
    const b = await setup("EG");
    const now = new Date("2026-03-01T12:00:00Z");
    const first = await createHousehold(db, { ...a.base, head: { fullName: "One", sex: "female" }, now });
    const second = await createHousehold(db, { ...a.base, head: { fullName: "Two", sex: "male" }, now });
    const other = await createHousehold(db, { ...b.base, head: { fullName: "Three", sex: "male" }, now });
    expect(first.household.reference).toBe("LB-0001-26");
    expect(second.household.reference).toBe("LB-0002-26");
    expect(other.household.reference).toBe("EG-0001-26");
  });

  it("gives simultaneous registrations distinct, consecutive references (the counter row is locked)", async () => {
    const db = await getDb();
    const { base } = await setup("SY");
    const now = new Date("2027-06-01T12:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createHousehold(db, { ...base, head: { fullName: `P${i}`, sex: "male" }, now })),
    );
    expect(results.map((r) => r.household.reference).sort()).toEqual(
      ["SY-0001-27", "SY-0002-27", "SY-0003-27", "SY-0004-27", "SY-0005-27"],
    );
  });

  it("stores head, members, hashed identifiers, tags and consent, with a timeline and an audit row", async () => {
    const db = await getDb();
    const { org, caseworker, base } = await setup();
    const phone = uniquePhone();
    const digits = String(Math.floor(1e8 + Math.random() * 9e8));
    const arabicDigits = digits.replace(/\d/g, (d) => "٠١٢٣٤٥٦٧٨٩"[Number(d)]);
    const { household, duplicates } = await createHousehold(db, {
      ...base,
      head: { fullName: "فاطمة الزهراء", sex: "female", birthYear: 1985 },
      members: [{ fullName: "علي", sex: "male", relation: "child", birthYear: 2012, schoolEnrolment: "enrolled" }],
      phones: [phone],
      ids: [{ kind: "unrwa", value: `${arabicDigits.slice(0, 3)}-${arabicDigits.slice(3)}` }],
      tags: ["female_headed", "female_headed", "no_income"],
      address: "Building 4",
      consentGivenOn: "2026-01-10",
      consentPublish: true,
    });
    expect(duplicates).toBe(0);
    expect(household.vulnerabilityTags).toEqual(["female_headed", "no_income"]);
    expect(household.consentRecordedBy).toBe(caseworker.id);
    expect(household.consentPublish).toBe(true);
    expect(household.consentSharePartners).toBe(false);
    const view = await getHousehold(db, org.id, household.id);
    expect(view.members.map((m) => [m.fullName, m.isHead, m.relation])).toEqual([
      ["فاطمة الزهراء", true, "head"],
      ["علي", false, "child"],
    ]);
    const ids = view.identifiers.map((i) => [i.kind, i.normalized]);
    expect(ids).toContainEqual(["unrwa", digits]);
    expect(ids.find((i) => i[0] === "phone")?.[1]).toBe(`+961${phone.replace(/\D/g, "")}`);
    const stored = await db.select().from(householdIdentifiers).where(eq(householdIdentifiers.householdId, household.id));
    for (const row of stored) expect(row.keyedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(view.events.map((e) => e.kind).sort()).toEqual(["consent_recorded", "registered"]);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "household.create")));
    expect(audit.entityId).toBe(household.id);
    // The audit row names the kinds of identifier, never their values.
    expect(JSON.stringify(audit.change)).not.toContain(digits);
    expect(JSON.stringify(audit.change)).not.toContain(phone.replace(/\D/g, ""));
  });

  it("refuses another organisation's region (404) and an invalid phone (400), writing nothing", async () => {
    const db = await getDb();
    const { org, base } = await setup();
    const other = await setup();
    const foreign = await addRegion(db, { orgId: other.org.id, actor: other.actor, nameAr: "بيروت", nameEn: "Beirut" });
    expect(
      await refusal(createHousehold(db, { ...base, head: { fullName: "X", sex: "male" }, regionId: foreign.id })),
    ).toBeInstanceOf(OrgNotFoundError);
    const bad = await refusal(createHousehold(db, { ...base, head: { fullName: "X", sex: "male" }, phones: ["12"] }));
    expect(bad).toMatchObject({ messageKey: "registry:errors.invalidPhone", field: "phones[0]", status: 400 });
    expect(await db.select().from(households).where(eq(households.orgId, org.id))).toHaveLength(0);
  });
});

describe("keeping a household current", () => {
  it("keeps the old region and address in the timeline after a move, and a death as a status", async () => {
    const db = await getDb();
    const { org, base } = await setup();
    const camp = await addRegion(db, { ...base, nameAr: "مخيم", nameEn: "Camp" });
    const town = await addRegion(db, { ...base, nameAr: "بلدة", nameEn: "Town" });
    const { household } = await createHousehold(db, {
      ...base,
      head: { fullName: "Head", sex: "male" },
      members: [{ fullName: "Grandmother", sex: "female", relation: "grandparent", schoolEnrolment: "not_applicable" }],
      regionId: camp.id,
      address: "Old street",
    });
    await moveHousehold(db, { ...base, householdId: household.id, regionId: town.id, address: "New street", occurredOn: "2026-02-01" });
    const grandmother = (await getHousehold(db, org.id, household.id)).members.find((m) => m.fullName === "Grandmother")!;
    await recordMemberExit(db, { ...base, householdId: household.id, memberId: grandmother.id, reason: "died", occurredOn: "2026-02-10" });
    await addMember(db, {
      ...base,
      householdId: household.id,
      member: { fullName: "Baby", sex: "female", relation: "child", schoolEnrolment: "not_applicable" },
      born: true,
      occurredOn: "2026-03-05",
    });
    const view = await getHousehold(db, org.id, household.id);
    expect(view.household).toMatchObject({ regionId: town.id, address: "New street" });
    const moved = view.events.find((e) => e.kind === "moved")!;
    expect(moved.occurredOn).toBe("2026-02-01");
    expect(moved.details).toMatchObject({ from: { regionId: camp.id, address: "Old street" }, to: { regionId: town.id, address: "New street" } });
    expect(view.members.find((m) => m.id === grandmother.id)?.status).toBe("deceased");
    expect(view.members.find((m) => m.fullName === "Baby")).toMatchObject({ birthYear: 2026, status: "present" });
    expect(view.events.map((e) => e.kind)).toEqual(["member_born", "member_died", "moved", "registered"]);
    // A second exit of the same member is refused.
    expect(
      await refusal(recordMemberExit(db, { ...base, householdId: household.id, memberId: grandmother.id, reason: "left", occurredOn: "2026-02-11" })),
    ).toMatchObject({ messageKey: "registry:errors.memberNotPresent" });
    const audits = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, household.id));
    expect(audits.map((a) => a.action).sort()).toEqual(["household.create", "household.member_born", "household.member_died", "household.move"]);
  });

  it("records status, consent, corrections and identifiers on the timeline; another organisation's id is 404", async () => {
    const db = await getDb();
    const { org, base } = await setup();
    const other = await setup();
    const { household } = await createHousehold(db, { ...base, head: { fullName: "Head", sex: "male" } });
    await changeStatus(db, { ...base, householdId: household.id, status: "graduated", note: "Has work" });
    expect(await refusal(changeStatus(db, { ...base, householdId: household.id, status: "graduated" }))).toBeInstanceOf(OrgRuleError);
    await recordConsent(db, { ...base, householdId: household.id, givenOn: "2026-01-01", publish: true, sharePartners: true });
    await recordConsent(db, { ...base, householdId: household.id, givenOn: "2026-02-01", publish: true, sharePartners: false });
    await updateHousehold(db, { ...base, householdId: household.id, address: "Corrected", tags: ["disability"] });
    const { identifierId } = await addIdentifier(db, { ...base, householdId: household.id, kind: "phone", value: uniquePhone() });
    await removeIdentifier(db, { ...base, householdId: household.id, identifierId });
    const view = await getHousehold(db, org.id, household.id);
    expect(view.household).toMatchObject({ status: "graduated", consentGivenOn: "2026-02-01", consentSharePartners: false, address: "Corrected" });
    const consents = view.events.filter((e) => e.kind === "consent_recorded");
    expect(consents).toHaveLength(2);
    expect(consents[0].details).toMatchObject({ before: { givenOn: "2026-01-01", sharePartners: true } });
    expect(view.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["status_changed", "updated", "identifier_added", "identifier_removed"]),
    );
    expect(JSON.stringify(view.events.filter((e) => e.kind.startsWith("identifier")).map((e) => e.details))).toContain("•••");
    // Another organisation reaches nothing by id.
    for (const attempt of [
      () => getHousehold(db, other.org.id, household.id),
      () => changeStatus(db, { ...other.base, householdId: household.id, status: "closed" }),
      () => moveHousehold(db, { ...other.base, householdId: household.id, occurredOn: "2026-01-01" }),
      () => addIdentifier(db, { ...other.base, householdId: household.id, kind: "national_id", value: "999999" }),
      () => createReferral(db, { ...other.base, householdId: household.id, programme: "health", partner: "Clinic" }),
    ]) {
      expect(await refusal(attempt())).toBeInstanceOf(OrgNotFoundError);
    }
    expect((await getHousehold(db, org.id, household.id)).household.status).toBe("graduated");
  });
});

describe("searching", () => {
  it("finds «فاطمة» typed «فاطمه», by reference and by phone digits, with filters and pages", async () => {
    const db = await getDb();
    const { org, base } = await setup();
    const phone = uniquePhone();
    const { household } = await createHousehold(db, {
      ...base,
      head: { fullName: "فاطمة أحمد", sex: "female" },
      phones: [phone],
      tags: ["female_headed"],
    });
    for (let i = 0; i < 3; i++) await createHousehold(db, { ...base, head: { fullName: `Other ${i}`, sex: "male" } });
    const find = async (q: string, extra: Record<string, string> = {}) =>
      (await listHouseholds(db, { orgId: org.id, q, ...extra })).households.map((h) => h.id);
    expect(await find("فاطمه")).toEqual([household.id]);
    expect(await find("فَاطِمَة احمد")).toEqual([household.id]);
    expect(await find(household.reference.toLowerCase())).toEqual([household.id]);
    expect(await find(phone)).toEqual([household.id]);
    expect(await find(`+961 ${phone}`)).toEqual([household.id]);
    expect(await find("100%")).toEqual([]);
    expect(await find("", { tag: "female_headed" })).toEqual([household.id]);
    const page = await listHouseholds(db, { orgId: org.id, pageSize: 3, page: 2 });
    expect(page).toMatchObject({ total: 4, pages: 2, page: 2 });
    expect(page.households).toHaveLength(1);
    expect(page.households[0]).toMatchObject({ id: household.id, headName: "فاطمة أحمد", members: 1 });
    // Another organisation's search never sees it.
    const other = await setup();
    expect((await listHouseholds(db, { orgId: other.org.id, q: "فاطمه" })).total).toBe(0);
  });

  it("filters by a region and everything under it", async () => {
    const db = await getDb();
    const { org, base } = await setup();
    const gov = await addRegion(db, { ...base, nameAr: "الجنوب", nameEn: "South" });
    const district = await addRegion(db, { ...base, parentId: gov.id, nameAr: "صور", nameEn: "Tyre" });
    const north = await addRegion(db, { ...base, nameAr: "الشمال", nameEn: "North" });
    const inside = await createHousehold(db, { ...base, head: { fullName: "A", sex: "male" }, regionId: district.id });
    await createHousehold(db, { ...base, head: { fullName: "B", sex: "male" }, regionId: north.id });
    const result = await listHouseholds(db, { orgId: org.id, regionId: gov.id });
    expect(result.households.map((h) => h.id)).toEqual([inside.household.id]);
    expect((await db.select().from(regions).where(eq(regions.orgId, org.id))).length).toBe(3);
  });
});

describe("duplicates across organisations", () => {
  it("records both sides and shows only the other organisation and its reference", async () => {
    const db = await getDb();
    const a = await setup("LB");
    const b = await setup("LB");
    await db.update((await import("#db/schema")).organizations).set({ nameEn: "Partner Org", nameAr: "جمعية الشريك" }).where(eq((await import("#db/schema")).organizations.id, b.org.id));
    const sharedId = uniqueId();
    const phone = uniquePhone();
    const first = await createHousehold(db, {
      ...b.base,
      head: { fullName: "Secret Name Khoury", sex: "female" },
      phones: [phone],
      ids: [{ kind: "national_id", value: sharedId }],
      address: "Hidden Street 9",
    });
    const second = await createHousehold(db, {
      ...a.base,
      head: { fullName: "Someone", sex: "female" },
      ids: [{ kind: "other_id", value: sharedId.toLowerCase() }],
    });
    expect(second.duplicates).toBe(1);
    const sides = await db
      .select()
      .from(duplicateMatches)
      .where(eq(duplicateMatches.otherHouseholdId, second.household.id));
    expect(sides).toHaveLength(1);
    expect(sides[0]).toMatchObject({ orgId: b.org.id, householdId: first.household.id, matchedOn: ["national_id"], decision: "pending" });
    const [warning, ...rest] = await listDuplicateWarnings(db, a.org.id, second.household.id);
    expect(rest).toHaveLength(0);
    expect(warning).toMatchObject({ otherReference: first.household.reference, otherOrg: { nameEn: "Partner Org" }, matchedOn: ["other_id"] });
    const exposed = JSON.stringify(warning);
    for (const secret of ["Secret", "Khoury", "Hidden", sharedId, phone.replace(/\D/g, "").slice(-6), first.household.id]) {
      expect(exposed).not.toContain(secret);
    }
    // A matching phone added later joins the same pair (no second row) and adds its kind.
    const { duplicates } = await addIdentifier(db, { ...a.base, householdId: second.household.id, kind: "phone", value: phone });
    expect(duplicates).toBe(1);
    const [again] = await listDuplicateWarnings(db, a.org.id, second.household.id);
    expect(again.matchedOn).toEqual(["other_id", "phone"]);
    expect(await db.select().from(duplicateMatches).where(eq(duplicateMatches.householdId, second.household.id))).toHaveLength(1);

    // Each side decides for itself; the other side's decision is untouched.
    await decideDuplicate(db, { ...a.base, matchId: warning.id, decision: "coordinated", note: "Agreed with partner" });
    expect(await refusal(decideDuplicate(db, { ...b.base, matchId: warning.id, decision: "same" }))).toBeInstanceOf(OrgNotFoundError);
    const [decided] = await listDuplicateWarnings(db, a.org.id, second.household.id);
    expect(decided).toMatchObject({ decision: "coordinated", note: "Agreed with partner", decidedByName: "Caseworker" });
    const [theirs] = await listDuplicateWarnings(db, b.org.id, first.household.id);
    expect(theirs.decision).toBe("pending");
    const timeline = await db.select().from(householdEvents).where(eq(householdEvents.householdId, second.household.id));
    expect(timeline.map((e) => e.kind)).toContain("duplicate_decided");

    const report = await duplicatesReport(db, { orgId: b.org.id });
    expect(report).toMatchObject({ total: 1, pending: 1 });
    expect(report.rows[0]).toMatchObject({ reference: first.household.reference, otherReference: second.household.reference });
  });

  it("matches nothing within the same organisation", async () => {
    const db = await getDb();
    const { base } = await setup();
    const id = uniqueId();
    await createHousehold(db, { ...base, head: { fullName: "A", sex: "male" }, ids: [{ kind: "national_id", value: id }] });
    const second = await createHousehold(db, { ...base, head: { fullName: "B", sex: "male" }, ids: [{ kind: "national_id", value: id }] });
    expect(second.duplicates).toBe(0);
  });
});

describe("referrals", () => {
  it("moves referred → accepted → completed, refuses the rest, all on the timeline", async () => {
    const db = await getDb();
    const { org, base } = await setup();
    const { household } = await createHousehold(db, { ...base, head: { fullName: "Head", sex: "female" } });
    const [head] = await db.select().from(householdMembers).where(eq(householdMembers.householdId, household.id));
    const referral = await createReferral(db, {
      ...base,
      householdId: household.id,
      programme: "vocational_training",
      partner: "Sewing workshop",
      memberId: head.id,
    });
    expect(await refusal(updateReferralStatus(db, { ...base, referralId: referral.id, status: "completed" }))).toMatchObject({
      messageKey: "registry:errors.referralTransition",
    });
    await updateReferralStatus(db, { ...base, referralId: referral.id, status: "accepted" });
    await updateReferralStatus(db, { ...base, referralId: referral.id, status: "completed" });
    expect(await refusal(updateReferralStatus(db, { ...base, referralId: referral.id, status: "declined" }))).toBeInstanceOf(OrgRuleError);
    const [listed] = await listReferrals(db, org.id, household.id);
    expect(listed.status).toBe("completed");
    const view = await getHousehold(db, org.id, household.id);
    expect(view.events.filter((e) => e.kind.startsWith("referral")).map((e) => e.kind)).toEqual([
      "referral_updated",
      "referral_updated",
      "referral_created",
    ]);
  });
});

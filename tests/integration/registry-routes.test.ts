import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { householdEvents, households } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { sessionCookieHeader } from "~/utils/auth.server";
import { createSession } from "~/modules/identity/session.server";
import { addRegion } from "~/modules/organizations/regions.server";
import { createHousehold } from "~/modules/registry/households.server";
import * as listPage from "~/routes/staff.$orgSlug.households._index";
import * as newPage from "~/routes/staff.$orgSlug.households.new";
import * as householdPage from "~/routes/staff.$orgSlug.households.$householdId._index";
import * as editPage from "~/routes/staff.$orgSlug.households.$householdId.edit";
import * as duplicatesPage from "~/routes/staff.$orgSlug.duplicates";
import { addMember, createOrg, createUser, unique } from "../fixtures/db";
import { makeRequest, run, type Form } from "../fixtures/routes";

// ---------------------------------------------------------------- helpers (as in orgs-routes.test.ts)

async function signIn(userId: string) {
  const db = await getDb();
  const { token } = await createSession(db, userId);
  return { cookie: (await sessionCookieHeader(token)).split(";")[0] };
}

async function orgWith(role: "caseworker" | "verifier" | "finance" | "org_admin", country = "LB") {
  const org = await createOrg({ country, nameEn: `Org ${unique("n")}`, nameAr: "جمعية" });
  const user = await createUser({ displayName: `Staff ${role}` });
  await addMember(org.id, user.id, role);
  return { org, user, session: await signIn(user.id), actor: { userId: user.id, ip: null, userAgent: null } };
}

async function householdCount(orgId: string) {
  const db = await getDb();
  return (await db.select({ id: households.id }).from(households).where(eq(households.orgId, orgId))).length;
}

/** A Lebanese mobile number no other run is likely to use (the PostgreSQL test database is shared and kept). */
const uniquePhone = () => `${["70", "71", "76", "78", "79", "81"][Math.floor(Math.random() * 6)]} ${String(Math.floor(100000 + Math.random() * 899999))}`;

// ---------------------------------------------------------------- tests

describe("household routes: organisation and role guards", () => {
  it("a caseworker of organisation A cannot read or change organisation B's household by id (404, nothing changed)", async () => {
    const db = await getDb();
    const a = await orgWith("caseworker");
    const b = await orgWith("caseworker");
    const { household } = await createHousehold(db, { orgId: b.org.id, actor: b.actor, head: { fullName: "Hidden Person", sex: "female" } });
    const asA = { orgSlug: a.org.slug, householdId: household.id };
    const url = `/staff/${a.org.slug}/households/${household.id}`;
    expect((await run(householdPage.loader, makeRequest(url, a.session), asA)).status).toBe(404);
    expect((await run(editPage.loader, makeRequest(`${url}/edit`, a.session), asA)).status).toBe(404);
    // Through B's own URL, A is not a member: 404 too.
    expect(
      (await run(householdPage.loader, makeRequest(`/staff/${b.org.slug}/households/${household.id}`, a.session), { orgSlug: b.org.slug, householdId: household.id }))
        .status,
    ).toBe(404);
    const forms: Form[] = [
      { intent: "status", status: "closed" },
      { intent: "consent", consentGivenOn: "2026-01-01", consentPublish: "on" },
      { intent: "addIdentifier", kind: "national_id", value: "123456" },
      { intent: "createReferral", programme: "health", partner: "Clinic" },
    ];
    for (const form of forms) {
      expect((await run(householdPage.action, makeRequest(url, { ...a.session, form }), asA)).status).toBe(404);
    }
    for (const form of [
      { intent: "move", occurredOn: "2026-01-01", address: "Elsewhere" },
      { intent: "details", address: "Changed" },
      { intent: "addMember", fullName: "Intruder", sex: "male", relation: "child" },
    ] as Form[]) {
      expect((await run(editPage.action, makeRequest(`${url}/edit`, { ...a.session, form }), asA)).status).toBe(404);
    }
    const [row] = await db.select().from(households).where(eq(households.id, household.id));
    expect(row).toMatchObject({ status: "active", address: null, consentGivenOn: null });
    const events = await db.select().from(householdEvents).where(eq(householdEvents.householdId, household.id));
    expect(events.map((e) => e.kind)).toEqual(["registered"]);
    // Not a UUID at all: 404, not a database error.
    expect((await run(householdPage.loader, makeRequest(`/staff/${a.org.slug}/households/nope`, a.session), { orgSlug: a.org.slug, householdId: "nope" })).status).toBe(404);
  });

  it("a verifier reads households but cannot create or change them (403); only admins see the duplicates report", async () => {
    const db = await getDb();
    const { org, session, actor } = await orgWith("verifier");
    const { household } = await createHousehold(db, { orgId: org.id, actor, head: { fullName: "Case", sex: "male" } });
    const params = { orgSlug: org.slug };
    const list = await run(listPage.loader, makeRequest(`/staff/${org.slug}/households`, session), params);
    expect(list.status).toBe(200);
    expect(list.body.canWrite).toBe(false);
    const page = await run(householdPage.loader, makeRequest(`/staff/${org.slug}/households/${household.id}`, session), { ...params, householdId: household.id });
    expect(page.status).toBe(200);
    expect(page.body.canWrite).toBe(false);
    expect((await run(newPage.loader, makeRequest(`/staff/${org.slug}/households/new`, session), params)).status).toBe(403);
    const forged = await run(
      newPage.action,
      makeRequest(`/staff/${org.slug}/households/new`, { ...session, form: { headFullName: "Forged", headSex: "male" } }),
      params,
    );
    expect(forged.status).toBe(403);
    const change = await run(
      householdPage.action,
      makeRequest(`/staff/${org.slug}/households/${household.id}`, { ...session, form: { intent: "status", status: "closed" } }),
      { ...params, householdId: household.id },
    );
    expect(change.status).toBe(403);
    expect(await householdCount(org.id)).toBe(1);
    expect((await run(duplicatesPage.loader, makeRequest(`/staff/${org.slug}/duplicates`, session), params)).status).toBe(403);
    const admin = await createUser();
    await addMember(org.id, admin.id, "org_admin");
    expect((await run(duplicatesPage.loader, makeRequest(`/staff/${org.slug}/duplicates`, await signIn(admin.id)), params)).status).toBe(200);
  });
});

describe("registering a household through the form", () => {
  it("answers bad input with 400 and the field's key, and writes nothing", async () => {
    const { org, session } = await orgWith("caseworker");
    const params = { orgSlug: org.slug };
    const post = (form: Form) => run(newPage.action, makeRequest(`/staff/${org.slug}/households/new`, { ...session, form }), params);
    const cases: [Form, string, string][] = [
      [{ headFullName: " ", headSex: "female" }, "headFullName", "errors:required"],
      [{ headFullName: "Amal", headSex: "female", headBirthYear: "1850" }, "headBirthYear", "registry:errors.birthYear"],
      [{ headFullName: "Amal", headSex: "female", "members[2].fullName": "Kid", "members[2].sex": "male", "members[2].relation": "child", "members[2].birthYear": "2999" }, "members[2].birthYear", "registry:errors.birthYear"],
      [{ headFullName: "Amal", headSex: "female", "phones[1]": "12345" }, "phones[1]", "registry:errors.invalidPhone"],
      [{ headFullName: "Amal", headSex: "female", tags: ["no_income", "rich"] }, "tags[1]", "registry:errors.unknownTag"],
      [{ headFullName: "Amal", headSex: "female", consentPublish: "on" }, "consentGivenOn", "registry:errors.consentDate"],
      [{ headFullName: "Amal", headSex: "female", "ids[0].kind": "national_id", "ids[0].value": "#!" }, "ids[0].value", "registry:errors.invalidId"],
    ];
    for (const [form, field, key] of cases) {
      const outcome = await post(form);
      expect(outcome.status, field).toBe(400);
      expect(outcome.body.result.error[field], field).toEqual([key]);
    }
    expect(await householdCount(org.id)).toBe(0);
  });

  it("refuses another organisation's region with 404 and writes nothing", async () => {
    const db = await getDb();
    const { org, session } = await orgWith("caseworker");
    const other = await orgWith("org_admin");
    const region = await addRegion(db, { orgId: other.org.id, actor: other.actor, nameAr: "منطقة", nameEn: "Area" });
    const outcome = await run(
      newPage.action,
      makeRequest(`/staff/${org.slug}/households/new`, { ...session, form: { headFullName: "Amal", headSex: "female", regionId: region.id } }),
      { orgSlug: org.slug },
    );
    expect(outcome.status).toBe(404);
    expect(await householdCount(org.id)).toBe(0);
  });

  it("creates the household with blank rows ignored, then warns of a duplicate naming only the other organisation and its reference", async () => {
    const db = await getDb();
    const a = await orgWith("caseworker");
    const b = await orgWith("caseworker");
    const phone = uniquePhone();
    const theirs = await createHousehold(db, {
      orgId: b.org.id,
      actor: b.actor,
      head: { fullName: "Zeinab Secretname", sex: "female" },
      phones: [phone],
      address: "Secret Lane 7",
    });
    const form: Form = {
      headFullName: "فاطمة علي",
      headSex: "female",
      headBirthYear: "1980",
      "members[0].fullName": "",
      "members[0].schoolEnrolment": "not_applicable",
      "members[1].fullName": "سامي",
      "members[1].sex": "male",
      "members[1].relation": "child",
      "members[1].birthYear": "2014",
      "members[1].schoolEnrolment": "enrolled",
      "phones[0]": "",
      "phones[1]": `+961 ${phone}`,
      "ids[0].kind": "national_id",
      "ids[0].value": "",
      tags: ["female_headed"],
      consentGivenOn: "2026-01-15",
      consentPublish: "on",
    };
    const created = await run(newPage.action, makeRequest(`/staff/${a.org.slug}/households/new`, { ...a.session, form }), { orgSlug: a.org.slug });
    expect(created.status).toBe(302);
    expect(created.location).toMatch(new RegExp(`^/staff/${a.org.slug}/households/[0-9a-f-]{36}\\?notice=createdDuplicates#duplicates$`));
    const householdId = created.location!.split("/")[4].split("?")[0];
    const page = await run(householdPage.loader, makeRequest(created.location!, a.session), { orgSlug: a.org.slug, householdId });
    expect(page.status).toBe(200);
    expect(page.body.notice).toBe("createdDuplicates");
    expect(page.body.members.map((m: { fullName: string }) => m.fullName)).toEqual(["فاطمة علي", "سامي"]);
    expect(page.body.household.consentPublish).toBe(true);
    expect(page.body.warnings).toHaveLength(1);
    expect(page.body.warnings[0]).toMatchObject({ otherReference: theirs.household.reference, otherOrg: { nameEn: b.org.nameEn } });
    const exposed = JSON.stringify(page.body.warnings);
    for (const secret of ["Zeinab", "Secretname", "Secret Lane", phone.replace(/\D/g, "").slice(-6), theirs.household.id]) {
      expect(exposed).not.toContain(secret);
    }
    // The other side sees its own warning about A's household, and decides through its page.
    const theirPage = await run(
      householdPage.loader,
      makeRequest(`/staff/${b.org.slug}/households/${theirs.household.id}`, b.session),
      { orgSlug: b.org.slug, householdId: theirs.household.id },
    );
    const [theirWarning] = theirPage.body.warnings;
    expect(JSON.stringify(theirWarning)).not.toContain("فاطمة");
    // A's caseworker cannot decide B's side of the match.
    const forged = await run(
      householdPage.action,
      makeRequest(`/staff/${a.org.slug}/households/${householdId}`, { ...a.session, form: { intent: "decideDuplicate", matchId: theirWarning.id, decision: "same" } }),
      { orgSlug: a.org.slug, householdId },
    );
    expect(forged.status).toBe(404);
    const decided = await run(
      householdPage.action,
      makeRequest(`/staff/${b.org.slug}/households/${theirs.household.id}`, { ...b.session, form: { intent: "decideDuplicate", matchId: theirWarning.id, decision: "coordinated", note: "Called them" } }),
      { orgSlug: b.org.slug, householdId: theirs.household.id },
    );
    expect(decided.status).toBe(302);

    // The list finds her by a differently spelled name, and by phone.
    const list = await run(listPage.loader, makeRequest(`/staff/${a.org.slug}/households?q=${encodeURIComponent("فاطمه")}`, a.session), { orgSlug: a.org.slug });
    expect(list.body.households.map((h: { id: string }) => h.id)).toEqual([householdId]);
    expect(list.body.pending[householdId]).toBe(1);
    const bad = await run(listPage.loader, makeRequest(`/staff/${a.org.slug}/households?tag=rich`, a.session), { orgSlug: a.org.slug });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.tag).toEqual(["registry:errors.unknownTag"]);
  });
});

describe("keeping a household current through the forms", () => {
  it("records a move and a death on the timeline, and refuses bad input with 400", async () => {
    const db = await getDb();
    const { org, session, actor } = await orgWith("caseworker");
    const { household } = await createHousehold(db, {
      orgId: org.id,
      actor,
      head: { fullName: "Head", sex: "male" },
      members: [{ fullName: "Grandfather", sex: "male", relation: "grandparent", schoolEnrolment: "not_applicable" }],
      address: "Old place",
    });
    const params = { orgSlug: org.slug, householdId: household.id };
    const url = `/staff/${org.slug}/households/${household.id}/edit`;
    const post = (form: Form) => run(editPage.action, makeRequest(url, { ...session, form }), params);
    expect((await post({ intent: "move", address: "New place", occurredOn: "2026-02-02" })).status).toBe(302);
    const view = await run(editPage.loader, makeRequest(url, session), params);
    const grandfather = view.body.members.find((m: { fullName: string }) => m.fullName === "Grandfather");
    expect((await post({ intent: "memberExit", memberId: grandfather.id, reason: "died", occurredOn: "2026-03-01" })).status).toBe(302);
    const future = await post({ intent: "move", address: "Later", occurredOn: "2999-01-01" });
    expect(future.status).toBe(400);
    expect(future.body.result.error.occurredOn).toEqual(["registry:errors.dateInFuture"]);
    const noName = await post({ intent: "addMember", fullName: "", sex: "female", relation: "child" });
    expect(noName.status).toBe(400);
    expect(noName.body.result.error.fullName).toEqual(["errors:required"]);
    const again = await post({ intent: "memberExit", memberId: grandfather.id, reason: "left", occurredOn: "2026-03-02" });
    expect(again.status).toBe(409);
    const page = await run(householdPage.loader, makeRequest(`/staff/${org.slug}/households/${household.id}`, session), params);
    expect(page.body.household.address).toBe("New place");
    expect(page.body.events.map((e: { kind: string }) => e.kind)).toEqual(["member_died", "moved", "registered"]);
    expect(page.body.events[1].details.from).toEqual({ regionId: null, address: "Old place" });
    const badPhone = await run(
      householdPage.action,
      makeRequest(`/staff/${org.slug}/households/${household.id}`, { ...session, form: { intent: "addIdentifier", kind: "phone", value: "555" } }),
      params,
    );
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.result.error.value).toEqual(["registry:errors.invalidPhone"]);
  });
});

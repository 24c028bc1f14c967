import { describe, expect, it } from "vitest";
import { requireMember, requirePlatformAdmin, requireUser } from "~/utils/auth.server";
import { addMember, createOrg, createUser } from "../fixtures/db";
import { signedInRequest } from "../fixtures/routes";

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected the guard to throw a Response");
}

describe("requireUser / requireMember / requirePlatformAdmin", () => {
  it("sends an anonymous visitor to sign in, and back afterwards", async () => {
    const response = await thrown(requireUser(new Request("http://localhost/staff/x/members?page=2")));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent("/staff/x/members?page=2")}`);
  });

  it("admits a member with a listed role, by slug or by id", async () => {
    const org = await createOrg();
    const user = await createUser();
    await addMember(org.id, user.id, "verifier");
    const bySlug = await requireMember(await signedInRequest(user.id, `/staff/${org.slug}`), org.slug, ["verifier"]);
    expect(bySlug.org.id).toBe(org.id);
    expect(bySlug.roles).toEqual(["verifier"]);
    expect(bySlug.actor.userId).toBe(user.id);
    const byId = await requireMember(await signedInRequest(user.id, "/"), org.id, []);
    expect(byId.org.slug).toBe(org.slug);
  });

  it("answers 404 to someone outside the organisation, and for an unknown organisation", async () => {
    const orgA = await createOrg();
    const orgB = await createOrg();
    const user = await createUser();
    await addMember(orgA.id, user.id, "org_admin");
    const request = await signedInRequest(user.id, `/staff/${orgB.slug}`);
    expect((await thrown(requireMember(request, orgB.slug))).status).toBe(404);
    expect((await thrown(requireMember(request, "no-such-org"))).status).toBe(404);
  });

  it("answers 403 to a member without the role", async () => {
    const org = await createOrg();
    const user = await createUser();
    await addMember(org.id, user.id, "caseworker");
    const request = await signedInRequest(user.id, `/staff/${org.slug}/members`);
    expect((await thrown(requireMember(request, org.slug, ["org_admin"]))).status).toBe(403);
  });

  it("keeps the platform area to platform admins", async () => {
    const donor = await createUser();
    expect((await thrown(requirePlatformAdmin(await signedInRequest(donor.id, "/admin")))).status).toBe(403);
    const admin = await createUser({ isPlatformAdmin: true });
    const ok = await requirePlatformAdmin(await signedInRequest(admin.id, "/admin"));
    expect(ok.user.id).toBe(admin.id);
  });
});

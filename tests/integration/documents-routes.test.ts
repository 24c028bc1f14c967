import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, documents } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { sessionCookieHeader, type Role } from "~/utils/auth.server";
import { createSession } from "~/modules/identity/session.server";
import { LocalStorage, setStorageForTests } from "~/modules/registry/storage.server";
import { MAX_DOCUMENT_BYTES } from "~/modules/registry/documents";
import * as uploadRoute from "~/routes/staff.$orgSlug.households.$householdId.documents";
import * as downloadRoute from "~/routes/staff.$orgSlug.documents.$documentId";
import { addMember, createOrg, createUser } from "../fixtures/db";
import { EXE_BYTES, PDF_BYTES, PNG_BYTES, createHousehold, pdfOfSize } from "../fixtures/documents";

// ---------------------------------------------------------------- helpers

const root = fs.mkdtempSync(path.join(os.tmpdir(), "tadamon-documents-routes-"));
beforeAll(() => setStorageForTests(new LocalStorage(root)));
afterAll(() => {
  setStorageForTests(undefined);
  fs.rmSync(root, { recursive: true, force: true });
});

/** How many objects the test storage holds (files never left behind by a refusal). */
function storedFiles(): number {
  return fs.readdirSync(root).reduce((n, dir) => n + fs.readdirSync(path.join(root, dir)).length, 0);
}

async function cookieOf(userId: string) {
  const db = await getDb();
  const { token } = await createSession(db, userId);
  return (await sessionCookieHeader(token)).split(";")[0];
}

async function staff(orgId: string, ...roles: Role[]) {
  const user = await createUser({ displayName: `Staff ${roles.join("+")}` });
  await addMember(orgId, user.id, ...roles);
  return { user, cookie: await cookieOf(user.id) };
}

async function setting() {
  const org = await createOrg();
  const caseworker = await staff(org.id, "caseworker");
  const household = await createHousehold(org.id, caseworker.user.id);
  return { org, caseworker, household };
}

/** A multipart upload as a browser (accept: text/html) or the panel's fetcher (accept: *\/*) sends it. */
function uploadRequest(
  url: string,
  opts: { cookie: string; bytes?: Uint8Array; fileName?: string; kind?: string; accept?: string; headers?: Record<string, string> },
) {
  const form = new FormData();
  form.set("kind", opts.kind ?? "medical_report");
  if (opts.bytes) form.set("file", new Blob([new Uint8Array(opts.bytes)], { type: "application/pdf" }), opts.fileName ?? "report.pdf");
  const headers = new Headers({
    cookie: opts.cookie,
    accept: opts.accept ?? "*/*",
    "x-tadamon-client-ip": "198.51.100.4",
    "user-agent": "vitest",
    ...opts.headers,
  });
  return new Request(new URL(url, "http://localhost"), { method: "POST", headers, body: form });
}

interface Outcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  location: string | null;
  headers: Headers | null;
  response: Response | null;
}

/** Runs a loader or action the way Remix would and normalises what it answered or threw. */
async function run(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fn: (args: any) => Promise<unknown> | unknown,
  request: Request,
  params: Record<string, string>,
): Promise<Outcome> {
  try {
    const result = await fn({ request, params, context: {} });
    if (result instanceof Response) {
      return { status: result.status, body: null, location: result.headers.get("location"), headers: result.headers, response: result };
    }
    const wrapped = result as { type?: string; data: unknown; init: ResponseInit | null };
    if (wrapped?.type === "DataWithResponseInit") {
      return { status: wrapped.init?.status ?? 200, body: wrapped.data, location: null, headers: new Headers(wrapped.init?.headers), response: null };
    }
    return { status: 200, body: result, location: null, headers: null, response: null };
  } catch (error) {
    if (error instanceof Response) {
      return { status: error.status, body: null, location: error.headers.get("location"), headers: error.headers, response: error };
    }
    throw error;
  }
}

async function documentsOf(householdId: string) {
  const db = await getDb();
  return db.select().from(documents).where(eq(documents.householdId, householdId));
}

// ---------------------------------------------------------------- upload

describe("upload route", () => {
  it("a caseworker uploads a PDF: stored with its SHA-256, then back to the household page with a notice", async () => {
    const { org, caseworker, household } = await setting();
    const url = `/staff/${org.slug}/households/${household.id}/documents`;
    const params = { orgSlug: org.slug, householdId: household.id };
    const result = await run(uploadRoute.action, uploadRequest(url, { cookie: caseworker.cookie, bytes: PDF_BYTES }), params);
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/staff/${org.slug}/households/${household.id}?notice=documentAdded#documents`);
    const [row] = await documentsOf(household.id);
    expect(row).toMatchObject({
      orgId: org.id,
      kind: "medical_report",
      fileName: "report.pdf",
      mimeType: "application/pdf",
      sizeBytes: PDF_BYTES.byteLength,
      sha256: createHash("sha256").update(PDF_BYTES).digest("hex"),
      uploadedBy: caseworker.user.id,
    });
  });

  it("an org admin may upload; a verifier or finance officer gets 403; the loader only redirects", async () => {
    const { org, household } = await setting();
    const url = `/staff/${org.slug}/households/${household.id}/documents`;
    const params = { orgSlug: org.slug, householdId: household.id };
    const admin = await staff(org.id, "org_admin");
    expect((await run(uploadRoute.action, uploadRequest(url, { cookie: admin.cookie, bytes: PNG_BYTES, fileName: "a.png" }), params)).status).toBe(302);
    for (const role of ["verifier", "finance"] as const) {
      const person = await staff(org.id, role);
      expect((await run(uploadRoute.action, uploadRequest(url, { cookie: person.cookie, bytes: PDF_BYTES }), params)).status).toBe(403);
    }
    expect(await documentsOf(household.id)).toHaveLength(1);
    const get = await run(uploadRoute.loader, new Request(new URL(url, "http://localhost"), { headers: { cookie: admin.cookie } }), params);
    expect(get).toMatchObject({ status: 302, location: `/staff/${org.slug}/households/${household.id}` });
  });

  it("a file over 10 MB gets 413 with the message key; a browser without JavaScript gets a localized page", async () => {
    const { org, caseworker, household } = await setting();
    const url = `/staff/${org.slug}/households/${household.id}/documents`;
    const params = { orgSlug: org.slug, householdId: household.id };
    const big = pdfOfSize(MAX_DOCUMENT_BYTES + 1);
    const fetcher = await run(uploadRoute.action, uploadRequest(url, { cookie: caseworker.cookie, bytes: big }), params);
    expect(fetcher.status).toBe(413);
    expect(fetcher.body).toEqual({ error: "registry:documents.errors.tooLarge" });

    const english = await run(
      uploadRoute.action,
      uploadRequest(url, { cookie: caseworker.cookie, bytes: big, accept: "text/html,*/*;q=0.8", headers: { "accept-language": "en" } }),
      params,
    );
    expect(english.status).toBe(413);
    expect(english.headers?.get("content-type")).toMatch(/^text\/html/);
    const page = await english.response!.text();
    expect(page).toContain("larger than 10 MB");
    expect(page).toContain(`href="/staff/${org.slug}/households/${household.id}"`);

    const arabic = await run(
      uploadRoute.action,
      uploadRequest(`${url}?lng=ar`, { cookie: caseworker.cookie, bytes: big, accept: "text/html" }),
      params,
    );
    const arabicPage = await arabic.response!.text();
    expect(arabicPage).toContain('dir="rtl"');
    expect(arabicPage).toContain("ميغابايت");

    // A declared length over the upload limit is refused before the body is read.
    const declared = await run(
      uploadRoute.action,
      uploadRequest(url, { cookie: caseworker.cookie, bytes: PDF_BYTES, headers: { "content-length": String(50 * 1024 * 1024) } }),
      params,
    );
    expect(declared.status).toBe(413);
    expect(await documentsOf(household.id)).toEqual([]);
  });

  it("a program renamed .pdf, an empty file or no file at all gets 400 and changes nothing", async () => {
    const { org, caseworker, household } = await setting();
    const url = `/staff/${org.slug}/households/${household.id}/documents`;
    const params = { orgSlug: org.slug, householdId: household.id };
    const filesBefore = storedFiles();
    const exe = await run(uploadRoute.action, uploadRequest(url, { cookie: caseworker.cookie, bytes: EXE_BYTES, fileName: "invoice.pdf" }), params);
    expect(exe).toMatchObject({ status: 400, body: { error: "registry:documents.errors.wrongType" } });
    const empty = await run(uploadRoute.action, uploadRequest(url, { cookie: caseworker.cookie, bytes: new Uint8Array() }), params);
    expect(empty).toMatchObject({ status: 400, body: { error: "registry:documents.errors.empty" } });
    const none = await run(uploadRoute.action, uploadRequest(url, { cookie: caseworker.cookie }), params);
    expect(none).toMatchObject({ status: 400, body: { error: "registry:documents.errors.noFile" } });
    const kind = await run(uploadRoute.action, uploadRequest(url, { cookie: caseworker.cookie, bytes: PDF_BYTES, kind: "selfie" }), params);
    expect(kind).toMatchObject({ status: 400, body: { error: "registry:documents.errors.kind" } });
    const urlencoded = new Request(new URL(url, "http://localhost"), {
      method: "POST",
      headers: { cookie: caseworker.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "kind=other",
    });
    expect((await run(uploadRoute.action, urlencoded, params)).status).toBe(400);
    expect(await documentsOf(household.id)).toEqual([]);
    expect(storedFiles()).toBe(filesBefore);
  });

  it("another organisation's household id (or another organisation's URL) is 404 and stores nothing", async () => {
    const a = await setting();
    const b = await setting();
    const intoB = await run(
      uploadRoute.action,
      uploadRequest(`/staff/${a.org.slug}/households/${b.household.id}/documents`, { cookie: a.caseworker.cookie, bytes: PDF_BYTES }),
      { orgSlug: a.org.slug, householdId: b.household.id },
    );
    expect(intoB.status).toBe(404);
    const viaB = await run(
      uploadRoute.action,
      uploadRequest(`/staff/${b.org.slug}/households/${b.household.id}/documents`, { cookie: a.caseworker.cookie, bytes: PDF_BYTES }),
      { orgSlug: b.org.slug, householdId: b.household.id },
    );
    expect(viaB.status).toBe(404);
    const nonsense = await run(
      uploadRoute.action,
      uploadRequest(`/staff/${a.org.slug}/households/nope/documents`, { cookie: a.caseworker.cookie, bytes: PDF_BYTES }),
      { orgSlug: a.org.slug, householdId: "nope" },
    );
    expect(nonsense.status).toBe(404);
    expect(await documentsOf(b.household.id)).toEqual([]);
  });
});

// ---------------------------------------------------------------- download

describe("download route", () => {
  async function uploaded(fileName = "تقرير طبي.pdf") {
    const s = await setting();
    const url = `/staff/${s.org.slug}/households/${s.household.id}/documents`;
    await run(uploadRoute.action, uploadRequest(url, { cookie: s.caseworker.cookie, bytes: PDF_BYTES, fileName }), {
      orgSlug: s.org.slug,
      householdId: s.household.id,
    });
    const [doc] = await documentsOf(s.household.id);
    return { ...s, doc };
  }

  async function downloads(orgId: string, documentId: string) {
    const db = await getDb();
    return db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "document.download"), eq(auditLog.entityId, documentId)));
  }

  it("any staff member of the organisation downloads it as a private, uncached attachment; each download is audited", async () => {
    const { org, doc } = await uploaded();
    const finance = await staff(org.id, "finance");
    const verifier = await staff(org.id, "verifier");
    for (const person of [verifier, finance, verifier]) {
      const result = await run(
        downloadRoute.loader,
        new Request(new URL(`/staff/${org.slug}/documents/${doc.id}`, "http://localhost"), { headers: { cookie: person.cookie } }),
        { orgSlug: org.slug, documentId: doc.id },
      );
      expect(result.status).toBe(200);
      expect(result.headers?.get("content-type")).toBe("application/pdf");
      expect(result.headers?.get("cache-control")).toBe("private, no-store");
      expect(result.headers?.get("x-content-type-options")).toBe("nosniff");
      expect(result.headers?.get("content-disposition")).toBe(
        `attachment; filename="_____ ___.pdf"; filename*=UTF-8''${encodeURIComponent("تقرير طبي.pdf")}`,
      );
      expect(Buffer.from(await result.response!.arrayBuffer())).toEqual(Buffer.from(PDF_BYTES));
    }
    const audit = await downloads(org.id, doc.id);
    expect(audit.map((r) => r.actorUserId)).toEqual([verifier.user.id, finance.user.id, verifier.user.id]);
  });

  it("a member of another organisation gets 404 by either URL, and nothing is audited for them", async () => {
    const { org, doc } = await uploaded("report.pdf");
    const other = await setting();
    const attempts = [
      { orgSlug: other.org.slug, documentId: doc.id },
      { orgSlug: org.slug, documentId: doc.id },
      { orgSlug: other.org.slug, documentId: randomUUID() },
    ];
    for (const params of attempts) {
      const result = await run(
        downloadRoute.loader,
        new Request(new URL(`/staff/${params.orgSlug}/documents/${params.documentId}`, "http://localhost"), {
          headers: { cookie: other.caseworker.cookie },
        }),
        params,
      );
      expect(result.status).toBe(404);
    }
    expect(await downloads(org.id, doc.id)).toEqual([]);
    const db = await getDb();
    const theirs = await db.select().from(auditLog).where(eq(auditLog.actorUserId, other.caseworker.user.id));
    expect(theirs).toEqual([]);
  });
});

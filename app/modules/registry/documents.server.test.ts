import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, documents, householdEvents, needs } from "#db/schema";
import { getDb } from "~/utils/db.server";
import type { Actor } from "~/modules/audit/audit.server";
import { addMember, createOrg, createUser } from "../../../tests/fixtures/db";
import {
  EXE_BYTES,
  JPEG_BYTES,
  PDF_BYTES,
  PNG_BYTES,
  createHousehold,
  noiseBytes,
  pdfOfSize,
} from "../../../tests/fixtures/documents";
import { DocumentNotFoundError, DocumentRuleError, MAX_DOCUMENT_BYTES } from "./documents";
import { listDocuments, listNeedDocuments, readDocument, uploadDocument } from "./documents.server";
import type { DocumentStorage } from "./storage.server";

/** Storage in a Map, recording what was asked of it. */
class MemoryStorage implements DocumentStorage {
  objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  deleted: string[] = [];
  async put(key: string, bytes: Uint8Array, contentType: string) {
    this.objects.set(key, { bytes: new Uint8Array(bytes), contentType });
  }
  async get(key: string) {
    const object = this.objects.get(key);
    if (!object) throw new Error("no such object");
    return object.bytes;
  }
  async delete(key: string) {
    this.deleted.push(key);
    this.objects.delete(key);
  }
}

const actorOf = (userId: string | null): Actor => ({ userId, ip: "203.0.113.9", userAgent: "vitest" });

async function setting() {
  const org = await createOrg();
  const caseworker = await createUser({ displayName: "Case Worker" });
  await addMember(org.id, caseworker.id, "caseworker");
  const household = await createHousehold(org.id, caseworker.id);
  return { org, caseworker, household, actor: actorOf(caseworker.id), storage: new MemoryStorage() };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentRuleError);
  return error as DocumentRuleError;
}

async function auditRows(orgId: string, action: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, action)));
}

describe("uploadDocument: the type comes from the bytes", () => {
  it("accepts exactly PDF, JPEG and PNG, each stored with the type found in its bytes", async () => {
    const s = await setting();
    const db = await getDb();
    for (const [bytes, name, mime] of [
      [PDF_BYTES, "report.pdf", "application/pdf"],
      [JPEG_BYTES, "photo.jpg", "image/jpeg"],
      [PNG_BYTES, "scan.png", "image/png"],
    ] as const) {
      const doc = await uploadDocument(db, s.storage, s.actor, {
        orgId: s.org.id,
        householdId: s.household.id,
        kind: "medical_report",
        fileName: name,
        bytes,
      });
      expect(doc).toMatchObject({ fileName: name, mimeType: mime, sizeBytes: bytes.byteLength, uploadedByName: "Case Worker" });
    }
    expect(s.storage.objects.size).toBe(3);
    expect([...s.storage.objects.values()].map((o) => o.contentType).sort()).toEqual(["application/pdf", "image/jpeg", "image/png"]);
  });

  it("a PNG named .pdf is stored as a PNG (and named .png)", async () => {
    const s = await setting();
    const db = await getDb();
    const doc = await uploadDocument(db, s.storage, s.actor, {
      orgId: s.org.id,
      householdId: s.household.id,
      kind: "school_letter",
      fileName: "letter.pdf",
      bytes: PNG_BYTES,
    });
    expect(doc.mimeType).toBe("image/png");
    expect(doc.fileName).toBe("letter.png");
    const [row] = await db.select().from(documents).where(eq(documents.id, doc.id));
    expect(row.mimeType).toBe("image/png");
    expect(s.storage.objects.get(row.storageKey)?.contentType).toBe("image/png");
  });

  it("refuses unknown bytes or a program named .pdf, an empty file and 10 MB + 1 byte; stores nothing", async () => {
    const s = await setting();
    const db = await getDb();
    const base = { orgId: s.org.id, householdId: s.household.id, kind: "other" };
    expect((await refusal(uploadDocument(db, s.storage, s.actor, { ...base, fileName: "x.pdf", bytes: noiseBytes() }))).messageKey).toBe(
      "registry:documents.errors.wrongType",
    );
    const exe = await refusal(uploadDocument(db, s.storage, s.actor, { ...base, fileName: "invoice.pdf", bytes: EXE_BYTES }));
    expect(exe).toMatchObject({ messageKey: "registry:documents.errors.wrongType", status: 400 });
    const text = new TextEncoder().encode("plain text pretending to be a PDF\n".repeat(20));
    expect((await refusal(uploadDocument(db, s.storage, s.actor, { ...base, fileName: "a.pdf", bytes: text }))).status).toBe(400);
    const empty = await refusal(uploadDocument(db, s.storage, s.actor, { ...base, fileName: "e.pdf", bytes: new Uint8Array() }));
    expect(empty).toMatchObject({ messageKey: "registry:documents.errors.empty", status: 400 });
    const big = await refusal(
      uploadDocument(db, s.storage, s.actor, { ...base, fileName: "big.pdf", bytes: pdfOfSize(MAX_DOCUMENT_BYTES + 1) }),
    );
    expect(big).toMatchObject({ messageKey: "registry:documents.errors.tooLarge", status: 413 });
    const badKind = await refusal(uploadDocument(db, s.storage, s.actor, { ...base, kind: "selfie", fileName: "a.pdf", bytes: PDF_BYTES }));
    expect(badKind.messageKey).toBe("registry:documents.errors.kind");

    expect(s.storage.objects.size).toBe(0);
    expect(await listDocuments(db, s.org.id, s.household.id)).toEqual([]);
    expect(await auditRows(s.org.id, "document.upload")).toEqual([]);
  });

  it("accepts a file of exactly 10 MB", async () => {
    const s = await setting();
    const db = await getDb();
    const doc = await uploadDocument(db, s.storage, s.actor, {
      orgId: s.org.id,
      householdId: s.household.id,
      kind: "invoice",
      fileName: "big.pdf",
      bytes: pdfOfSize(MAX_DOCUMENT_BYTES),
    });
    expect(doc.sizeBytes).toBe(10_485_760);
  });
});

describe("uploadDocument: what is recorded", () => {
  it("stores the SHA-256 of the bytes, the row, a timeline event and an audit entry", async () => {
    const s = await setting();
    const db = await getDb();
    const doc = await uploadDocument(db, s.storage, s.actor, {
      orgId: s.org.id,
      householdId: s.household.id,
      kind: "medical_report",
      fileName: "تقرير.pdf",
      bytes: PDF_BYTES,
    });
    const expected = createHash("sha256").update(PDF_BYTES).digest("hex");
    expect(doc.sha256).toBe(expected);
    const [row] = await db.select().from(documents).where(eq(documents.id, doc.id));
    expect(row).toMatchObject({ orgId: s.org.id, householdId: s.household.id, sha256: expected, uploadedBy: s.caseworker.id });
    expect(row.storageKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(createHash("sha256").update(await s.storage.get(row.storageKey)).digest("hex")).toBe(expected);

    const events = await db.select().from(householdEvents).where(eq(householdEvents.householdId, s.household.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "document_added", actorId: s.caseworker.id });
    expect(events[0].details).toMatchObject({ documentId: doc.id, kind: "medical_report" });

    const audit = await auditRows(s.org.id, "document.upload");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityType: "document", entityId: doc.id, actorUserId: s.caseworker.id, ip: "203.0.113.9" });
    expect(audit[0].change).toMatchObject({ sha256: expected, mimeType: "application/pdf" });

    expect(await listDocuments(db, s.org.id, s.household.id)).toEqual([doc]);
  });

  it("a household of another organisation (or none) is not found, and nothing is stored", async () => {
    const s = await setting();
    const other = await setting();
    const db = await getDb();
    for (const householdId of [other.household.id, randomUUID(), "not-a-uuid"]) {
      await expect(
        uploadDocument(db, s.storage, s.actor, { orgId: s.org.id, householdId, kind: "other", fileName: "a.pdf", bytes: PDF_BYTES }),
      ).rejects.toBeInstanceOf(DocumentNotFoundError);
    }
    expect(s.storage.objects.size).toBe(0);
    expect(await listDocuments(db, other.org.id, other.household.id)).toEqual([]);
  });

  it("if the database write fails, the stored object is deleted again", async () => {
    const s = await setting();
    const db = await getDb();
    // An actor that is no user: the row's foreign key fails inside the transaction.
    await expect(
      uploadDocument(db, s.storage, actorOf(randomUUID()), {
        orgId: s.org.id,
        householdId: s.household.id,
        kind: "other",
        fileName: "a.pdf",
        bytes: PDF_BYTES,
      }),
    ).rejects.toThrow();
    expect(s.storage.deleted).toHaveLength(1);
    expect(s.storage.objects.size).toBe(0);
    expect(await listDocuments(db, s.org.id, s.household.id)).toEqual([]);
  });
});

describe("readDocument and the need's evidence", () => {
  it("audits every download by a member of the organisation", async () => {
    const s = await setting();
    const db = await getDb();
    const doc = await uploadDocument(db, s.storage, s.actor, {
      orgId: s.org.id,
      householdId: s.household.id,
      kind: "quotation",
      fileName: "q.png",
      bytes: PNG_BYTES,
    });
    const verifier = await createUser();
    await addMember(s.org.id, verifier.id, "verifier");
    for (let i = 0; i < 3; i++) {
      const read = await readDocument(db, s.storage, actorOf(verifier.id), s.org.id, doc.id);
      expect(Buffer.from(read.bytes)).toEqual(Buffer.from(PNG_BYTES));
      expect(read).toMatchObject({ mimeType: "image/png", fileName: "q.png", sha256: doc.sha256 });
    }
    const audit = await auditRows(s.org.id, "document.download");
    expect(audit).toHaveLength(3);
    expect(audit.every((r) => r.entityId === doc.id && r.actorUserId === verifier.id)).toBe(true);
  });

  it("another organisation's document is not found, and nothing is audited for them", async () => {
    const s = await setting();
    const other = await setting();
    const db = await getDb();
    const doc = await uploadDocument(db, s.storage, s.actor, {
      orgId: s.org.id,
      householdId: s.household.id,
      kind: "other",
      fileName: "a.pdf",
      bytes: PDF_BYTES,
    });
    for (const documentId of [doc.id, randomUUID(), "../etc"]) {
      await expect(readDocument(db, s.storage, other.actor, other.org.id, documentId)).rejects.toBeInstanceOf(DocumentNotFoundError);
    }
    const db2 = await getDb();
    const theirs = await db2.select().from(auditLog).where(eq(auditLog.actorUserId, other.caseworker.id));
    expect(theirs).toEqual([]);
    expect(await auditRows(s.org.id, "document.download")).toEqual([]);
  });

  it("refuses bytes that no longer match their SHA-256, and audits no download", async () => {
    const s = await setting();
    const db = await getDb();
    const doc = await uploadDocument(db, s.storage, s.actor, {
      orgId: s.org.id,
      householdId: s.household.id,
      kind: "other",
      fileName: "a.pdf",
      bytes: PDF_BYTES,
    });
    const [row] = await db.select().from(documents).where(eq(documents.id, doc.id));
    await s.storage.put(row.storageKey, PNG_BYTES, "image/png");
    await expect(readDocument(db, s.storage, s.actor, s.org.id, doc.id)).rejects.toThrow(/SHA-256/);
    expect(await auditRows(s.org.id, "document.download")).toEqual([]);
  });

  it("lists a need's evidence for the verifier, only within the organisation", async () => {
    const s = await setting();
    const db = await getDb();
    const [need] = await db
      .insert(needs)
      .values({
        publicId: `n${randomUUID().slice(0, 12)}`,
        orgId: s.org.id,
        householdId: s.household.id,
        category: "medication",
        targetMinor: 5000,
        currency: "USD",
        deadline: "2099-01-01",
        payeeKind: "pharmacy",
        titleEn: "Medication for a child",
        authorId: s.caseworker.id,
      })
      .returning();
    const evidence = await uploadDocument(db, s.storage, s.actor, {
      orgId: s.org.id,
      householdId: s.household.id,
      needId: need.id,
      kind: "medical_report",
      fileName: "prescription.pdf",
      bytes: PDF_BYTES,
    });
    await uploadDocument(db, s.storage, s.actor, {
      orgId: s.org.id,
      householdId: s.household.id,
      kind: "id_document",
      fileName: "id.jpg",
      bytes: JPEG_BYTES,
    });
    expect((await listNeedDocuments(db, s.org.id, need.id)).map((d) => d.id)).toEqual([evidence.id]);
    expect(await listDocuments(db, s.org.id, s.household.id)).toHaveLength(2);
    const other = await setting();
    expect(await listNeedDocuments(db, other.org.id, need.id)).toEqual([]);
    // A need of another household or organisation cannot be named as the evidence's need.
    await expect(
      uploadDocument(db, other.storage, other.actor, {
        orgId: other.org.id,
        householdId: other.household.id,
        needId: need.id,
        kind: "other",
        fileName: "a.pdf",
        bytes: PDF_BYTES,
      }),
    ).rejects.toBeInstanceOf(DocumentNotFoundError);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { parseEnv } from "~/utils/env.server";
import { LocalStorage, S3Storage, createStorage, newStorageKey } from "./storage.server";

const bytes = new Uint8Array(Buffer.from("%PDF-1.4 evidence bytes \u0000\u00ff", "latin1"));

describe("local storage", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tadamon-storage-test-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("round-trips bytes under a random key, private to the server's user, and deletes them", async () => {
    const storage = new LocalStorage(root);
    const key = newStorageKey();
    await storage.put(key, bytes, "application/pdf");
    expect(Buffer.from(await storage.get(key))).toEqual(Buffer.from(bytes));
    const file = path.join(root, key.slice(0, 2), key);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(fs.readdirSync(path.dirname(file))).toEqual([key]); // no partial file left behind
    await storage.delete(key);
    expect(fs.existsSync(file)).toBe(false);
    await expect(storage.get(key)).rejects.toThrow();
    await storage.delete(key); // deleting twice is fine
  });

  it("refuses any key that is not a UUID, so no path can come from outside", async () => {
    const storage = new LocalStorage(root);
    for (const key of ["../../etc/passwd", "a/b", "", "..", `${newStorageKey()}/x`]) {
      await expect(storage.put(key, bytes, "application/pdf")).rejects.toThrow("invalid storage key");
      await expect(storage.get(key)).rejects.toThrow("invalid storage key");
    }
  });

  it("lives in DATA_DIR/documents, or a temporary folder when the database is in memory", () => {
    const onDisk = createStorage(parseEnv({ DATA_DIR: "/srv/tadamon" }));
    expect(onDisk).toBeInstanceOf(LocalStorage);
    expect((onDisk as LocalStorage).root).toBe("/srv/tadamon/documents");
    const inMemory = createStorage(parseEnv({ DATA_DIR: "memory://" })) as LocalStorage;
    expect(inMemory.root.startsWith(os.tmpdir())).toBe(true);
    expect(fs.existsSync(inMemory.root)).toBe(true);
    fs.rmSync(inMemory.root, { recursive: true, force: true });
  });
});

describe("S3 storage against a local stand-in", () => {
  const endpoint = "http://s3.tadamon.test:9000";
  const objects = new Map<string, { body: Uint8Array; contentType: string | null }>();
  const seen: { method: string; bucket: string; key: string; authorization: string | null }[] = [];
  const server = setupServer(
    http.put(`${endpoint}/:bucket/documents/:key`, async ({ request, params }) => {
      const key = `documents/${params.key as string}`;
      seen.push({ method: "PUT", bucket: params.bucket as string, key, authorization: request.headers.get("authorization") });
      objects.set(`${params.bucket as string}/${key}`, {
        body: new Uint8Array(await request.arrayBuffer()),
        contentType: request.headers.get("content-type"),
      });
      return new HttpResponse(null, { status: 200, headers: { ETag: '"etag"' } });
    }),
    http.get(`${endpoint}/:bucket/documents/:key`, ({ request, params }) => {
      const key = `documents/${params.key as string}`;
      seen.push({ method: "GET", bucket: params.bucket as string, key, authorization: request.headers.get("authorization") });
      const object = objects.get(`${params.bucket as string}/${key}`);
      if (!object) {
        return new HttpResponse("<Error><Code>NoSuchKey</Code><Message>none</Message></Error>", {
          status: 404,
          headers: { "Content-Type": "application/xml" },
        });
      }
      return new HttpResponse(object.body, {
        status: 200,
        headers: { "Content-Type": object.contentType ?? "application/octet-stream", "Content-Length": String(object.body.byteLength) },
      });
    }),
    http.delete(`${endpoint}/:bucket/documents/:key`, ({ params }) => {
      const key = `documents/${params.key as string}`;
      seen.push({ method: "DELETE", bucket: params.bucket as string, key, authorization: null });
      objects.delete(`${params.bucket as string}/${key}`);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it("puts, gets and deletes the object at bucket/documents/<key>, signed with the configured key", async () => {
    const storage = createStorage(
      parseEnv({
        STORAGE_DRIVER: "s3",
        S3_BUCKET: "evidence",
        S3_REGION: "eu-central-1",
        S3_ENDPOINT: endpoint,
        S3_FORCE_PATH_STYLE: "true",
        S3_ACCESS_KEY_ID: "AKIATESTKEY",
        S3_SECRET_ACCESS_KEY: "test-secret-access-key",
      }),
    );
    expect(storage).toBeInstanceOf(S3Storage);
    const key = newStorageKey();
    await storage.put(key, bytes, "application/pdf");
    const stored = objects.get(`evidence/documents/${key}`);
    expect(stored).toBeDefined();
    expect(Buffer.from(stored!.body)).toEqual(Buffer.from(bytes));
    expect(stored!.contentType).toBe("application/pdf");
    expect(seen[0]).toMatchObject({ method: "PUT", bucket: "evidence", key: `documents/${key}` });
    expect(seen[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATESTKEY\/\d{8}\/eu-central-1\/s3\/aws4_request/);

    expect(Buffer.from(await storage.get(key))).toEqual(Buffer.from(bytes));
    expect(seen[1]).toMatchObject({ method: "GET", bucket: "evidence", key: `documents/${key}` });

    await storage.delete(key);
    expect(objects.has(`evidence/documents/${key}`)).toBe(false);
    await expect(storage.get(key)).rejects.toThrow();
  });

  it("refuses keys that are not UUIDs before any request", async () => {
    const storage = new S3Storage({ bucket: "evidence", region: "us-east-1", endpoint, forcePathStyle: true, accessKeyId: "a", secretAccessKey: "b" });
    const before = seen.length;
    await expect(storage.put("../x", bytes, "application/pdf")).rejects.toThrow("invalid storage key");
    expect(seen.length).toBe(before);
  });
});

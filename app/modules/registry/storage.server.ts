import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { env, type Env } from "~/utils/env.server";

/**
 * Private storage of evidence documents: never served publicly, only through the download route
 * (which checks the organisation and audits). Keys are random UUIDs made here, never user input.
 */
export interface DocumentStorage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  delete(key: string): Promise<void>;
}

import { UUID_PATTERN } from "~/utils/uuid";

const KEY_PATTERN = UUID_PATTERN;

/** A fresh storage key: a random UUID, so no name, id or path from a user ever reaches storage. */
export function newStorageKey(): string {
  return randomUUID();
}

function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new Error("invalid storage key");
  return key;
}

/** A folder on the server's disk: `<root>/<first two characters of the key>/<key>`, files mode 0600. */
export class LocalStorage implements DocumentStorage {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    checkKey(key);
    return path.join(this.root, key.slice(0, 2), key);
  }

  async put(key: string, bytes: Uint8Array, _contentType?: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Write then rename, so a reader never sees half a file.
    const partial = `${file}.${randomUUID()}.partial`;
    await fs.writeFile(partial, bytes, { mode: 0o600, flag: "wx" });
    await fs.rename(partial, file);
  }

  async get(key: string): Promise<Uint8Array> {
    const buffer = await fs.readFile(this.pathOf(key));
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}

export interface S3StorageOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Folder inside the bucket, so one bucket may hold other things too. */
  prefix?: string;
}

/** Amazon S3 or an S3-compatible service (MinIO, Ceph, R2…). */
export class S3Storage implements DocumentStorage {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;

  constructor(options: S3StorageOptions) {
    const config: S3ClientConfig = {
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      // Checksums only where S3 requires them: many S3-compatible services refuse the newer
      // default CRC32 trailers.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    };
    if (options.accessKeyId && options.secretAccessKey) {
      config.credentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
    }
    this.client = new S3Client(config);
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "documents/";
  }

  private keyOf(key: string): string {
    return `${this.prefix}${checkKey(key)}`;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyOf(key),
        Body: bytes,
        ContentType: contentType,
        ContentLength: bytes.byteLength,
      }),
    );
  }

  async get(key: string): Promise<Uint8Array> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
    if (!result.Body) throw new Error("empty object body");
    return result.Body.transformToByteArray();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
  }
}

/** The storage the environment asks for. An in-memory database (tests) gets a temporary folder. */
export function createStorage(config: Env): DocumentStorage {
  if (config.STORAGE_DRIVER === "s3") {
    if (!config.S3_BUCKET) throw new Error("S3_BUCKET is required when STORAGE_DRIVER=s3");
    return new S3Storage({
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    });
  }
  const root = config.DATA_DIR.startsWith("memory://")
    ? mkdtempSync(path.join(os.tmpdir(), "tadamon-documents-"))
    : path.resolve(config.DATA_DIR, "documents");
  return new LocalStorage(root);
}

let current: DocumentStorage | undefined;

/** The one document storage of this process. */
export function getStorage(): DocumentStorage {
  current ??= createStorage(env());
  return current;
}

/** For tests only: use this storage (or, with undefined, the environment's again). */
export function setStorageForTests(storage: DocumentStorage | undefined): void {
  current = storage;
}

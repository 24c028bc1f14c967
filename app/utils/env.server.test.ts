import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";

describe("environment validation", () => {
  it("applies defaults for a new machine (embedded database, port 3000)", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.DATA_DIR).toBe("./data");
    expect(env.SEED_DEMO).toBe("auto");
  });

  it("names the variable when a value is invalid", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x@y/z" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ SEED_DEMO: "sometimes" })).toThrow(/SEED_DEMO/);
  });

  it("requires a session secret in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET/);
    expect(() => parseEnv({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32) })).toThrow(/IDENTITY_HASH_SECRET/);
    expect(
      parseEnv({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32), IDENTITY_HASH_SECRET: "y".repeat(32) }).NODE_ENV,
    ).toBe("production");
  });

  it("needs a bucket for S3 storage", () => {
    expect(() => parseEnv({ STORAGE_DRIVER: "s3" })).toThrow(/S3_BUCKET/);
    expect(parseEnv({ STORAGE_DRIVER: "s3", S3_BUCKET: "evidence" }).S3_BUCKET).toBe("evidence");
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });
});

// Integration tests run against DATABASE_URL when it is set (CI: the real PostgreSQL) and
// against an in-memory PGlite otherwise, one per test worker (a new PGlite takes seconds).
import { afterAll } from "vitest";

process.env.NODE_ENV = "test";
process.env.JOBS = "off";
process.env.SEED_DEMO = "never";
if (!process.env.DATABASE_URL) process.env.DATA_DIR = "memory://";

afterAll(async () => {
  const { closeDatabase } = await import("~/utils/db.server");
  await closeDatabase();
});

// Imported FIRST by a test file that must own its database (exact row counts even when CI points
// DATABASE_URL at a PostgreSQL shared by parallel test files): an in-memory PGlite of its own.
// Nothing may have opened the database before this module runs (imports are evaluated in order).
delete process.env.DATABASE_URL;
process.env.DATA_DIR = "memory://";
process.env.JOBS = "off";
process.env.SEED_DEMO = "never";

export {};

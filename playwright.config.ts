import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests: Debian's Chromium against the production build served by server.js.
 *
 * The server runs without NODE_ENV (so "development" for the app: the dev mailbox is reachable and
 * cookies work over http) on its own port. Without DATABASE_URL it gets a fresh embedded database
 * in tmp/e2e-db, deleted before each run; with DATABASE_URL the demo data is upserted first
 * (`npm run db:seed`), since a test database that other tests wrote to is not empty.
 * SEED_DEMO=always makes the server itself seed an empty database in both cases.
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const E2E_DATA_DIR = "tmp/e2e-db";
/** E2E_DATABASE_URL (CI: a database of its own, judged by `ledger:check` afterwards), else DATABASE_URL. */
const e2eDatabaseUrl = process.env.E2E_DATABASE_URL || process.env.DATABASE_URL || "";
const onPostgres = Boolean(e2eDatabaseUrl);

const serve = [
  "unset NODE_ENV", // `vite build` would make a development bundle of React under NODE_ENV=development
  onPostgres ? `DATABASE_URL='${e2eDatabaseUrl}' npm run db:seed` : `rm -rf ${E2E_DATA_DIR}`,
  "npm run build",
  "node server.js",
].join(" && ");

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "tmp/test-results/playwright.json" }]] : "list",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    // The people we serve: an Arabic-speaking browser (English is one click away in the app).
    locale: "ar",
    timezoneId: "Asia/Beirut",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: serve,
    url: `${BASE_URL}/healthz`,
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      SEED_DEMO: "always",
      JOBS: "on",
      LOG_LEVEL: "warn",
      // Emailed links point at this server, and no real email leaves (empty counts as unset).
      APP_URL: BASE_URL,
      RESEND_API_KEY: "",
      ...(onPostgres ? { DATABASE_URL: e2eDatabaseUrl } : { DATA_DIR: E2E_DATA_DIR }),
    },
    timeout: 180_000,
    reuseExistingServer: false,
    // SIGTERM lets server.js stop the job worker and close the database.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    stdout: "ignore",
    stderr: "pipe",
  },
});

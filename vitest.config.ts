import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: [
      "app/**/*.test.{ts,tsx}",
      "db/**/*.test.ts",
      "bench/**/*.test.ts",
      "emails/**/*.test.{ts,tsx}",
      "tests/integration/**/*.test.{ts,tsx}",
    ],
    setupFiles: ["./tests/setup/vitest.setup.ts"],
    globalSetup: ["./tests/setup/global-setup.ts"],
    pool: "forks",
    // In CI a JSON copy of the results lets .ci/run print one "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: "tmp/test-results/vitest.json" }]] : ["default"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

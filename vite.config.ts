import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { remixFuture } from "./remix-future";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: 3000 },
  plugins: [
    tailwindcss(),
    !process.env.VITEST &&
      remix({
        future: remixFuture,
      }),
    tsconfigPaths(),
  ],
  ssr: {
    // native or CommonJS-only server packages stay external
    external: ["@node-rs/argon2", "@electric-sql/pglite", "pg", "pg-boss"],
  },
  // The dev dependency scan follows route imports into *.server.ts files; argon2's "browser"
  // entry points at a WASM package we do not install, which logged a bundling error on start.
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
});

import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

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
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
          v3_routeConfig: true,
        },
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

/**
 * Remix's future flags (every v3 flag on), in one place: the Vite plugin builds the app with
 * them, and the tests' hand-made server builds (tests/fixtures/server-build.ts) run with the
 * same, so a fixture cannot drift from the real build.
 */
export const remixFuture = {
  v3_fetcherPersist: true,
  v3_relativeSplatPath: true,
  v3_throwAbortReason: true,
  v3_singleFetch: true,
  v3_lazyRouteDiscovery: true,
  v3_routeConfig: true,
} as const;

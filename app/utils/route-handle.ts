/**
 * What a route module may say about itself in `export const handle`.
 * `hydrate: false` — the page is sent as server-rendered HTML without the React app (decision
 * 032): every control on it must work as a plain link or form post.
 */
export interface RouteHandle {
  hydrate?: boolean;
}

/** The page hydrates unless one of its matched routes opts out. */
export function wantsHydration(matches: readonly { handle?: unknown }[]): boolean {
  return !matches.some((match) => (match.handle as RouteHandle | undefined)?.hydrate === false);
}

/** For donor pages: `export const handle = staticPage;` */
export const staticPage: RouteHandle = { hydrate: false };

import { eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { memberships, organizations, users } from "#db/schema";
import { homeAfterSignIn } from "./home";

/** Where this person goes after signing in (see `homeAfterSignIn`): one query for the memberships, one for the admin flag. */
export async function signInDestination(db: DbOrTx, userId: string, from: string | null): Promise<string> {
  const [user] = await db.select({ isPlatformAdmin: users.isPlatformAdmin }).from(users).where(eq(users.id, userId)).limit(1);
  const rows = await db
    .select({ slug: organizations.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(organizations.slug);
  const bySlug = new Map<string, string[]>();
  for (const row of rows) bySlug.set(row.slug, [...(bySlug.get(row.slug) ?? []), row.role]);
  return homeAfterSignIn({
    isPlatformAdmin: Boolean(user?.isPlatformAdmin),
    memberships: [...bySlug].map(([slug, roles]) => ({ slug, roles })),
    from,
  });
}

import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { users } from "#db/schema";
import type { Locale } from "~/utils/i18n";
import type { Numerals } from "~/utils/numerals";

// ---------------------------------------------------------------------------------------------
// Profile

export async function updateProfile(
  db: Db,
  userId: string,
  input: { displayName: string; locale: Locale; numerals?: Numerals }
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        displayName: input.displayName.trim(),
        locale: input.locale,
        ...(input.numerals ? { numerals: input.numerals } : {}),
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
  });
}

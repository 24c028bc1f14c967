import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { organizations } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createOrg, unique } from "../tests/fixtures/db";
import { preparedCount, preparedOnce } from "./prepared.server";

class Rollback extends Error {}

describe("queries built once (decision 080)", () => {
  it("is built once, then run with each call's values, on the pool and inside transactions alike", async () => {
    const db = await getDb();
    const a = await createOrg({ nameEn: unique("Prepared A") });
    const b = await createOrg({ nameEn: unique("Prepared B") });
    const key = unique("prepared-test");
    let builds = 0;
    const nameOf = (handle: typeof db) =>
      preparedOnce(handle, key, () => {
        builds += 1;
        return handle.select({ nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, sql.placeholder("id")));
      });
    const before = preparedCount(db);
    expect(await nameOf(db).execute({ id: a.id })).toEqual([{ nameEn: a.nameEn }]);
    expect(await nameOf(db).execute({ id: b.id })).toEqual([{ nameEn: b.nameEn }]);
    expect(preparedCount(db)).toBe(before + 1);

    // Inside a transaction the same built query runs on the transaction's connection: it sees the
    // transaction's own uncommitted change, which is gone after the rollback.
    await expect(
      db.transaction(async (tx) => {
        await tx.update(organizations).set({ nameEn: "Renamed inside" }).where(eq(organizations.id, a.id));
        expect(await nameOf(tx).execute({ id: a.id })).toEqual([{ nameEn: "Renamed inside" }]);
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(await nameOf(db).execute({ id: a.id })).toEqual([{ nameEn: a.nameEn }]);
    expect(builds).toBe(1);
  });

  it("a statement kept unnamed (planned for its values each run) answers the same", async () => {
    const db = await getDb();
    const a = await createOrg({ nameEn: unique("Prepared C") });
    const query = preparedOnce(
      db,
      unique("prepared-unnamed"),
      () => db.select({ nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, sql.placeholder("id"))),
      { planEachRun: true },
    );
    expect(await query.execute({ id: a.id })).toEqual([{ nameEn: a.nameEn }]);
  });
});

import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { emailOutbox } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { unique } from "../../../tests/fixtures/db";
import { enqueueEmail } from "./outbox.server";

const address = () => `${unique("mail")}@example.test`;

describe("enqueueEmail", () => {
  it("stores the rendered email, pending, in the caller's transaction", async () => {
    const db = await getDb();
    const to = address();
    const id = await db.transaction((tx) =>
      enqueueEmail(tx, to, "ar", {
        template: "reset-password",
        data: { name: "سميرة", resetUrl: "https://tadamon.test/reset-password?token=s3cr3t" },
      }),
    );
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
    expect(row).toMatchObject({ toAddress: to, template: "reset-password", locale: "ar", status: "pending", attempts: 0 });
    expect(row.subject).toBe("إعادة تعيين كلمة المرور في تضامن");
    expect(row.html).toContain('dir="rtl"');
    expect(row.html).toContain("https://tadamon.test/reset-password?token=s3cr3t");
    expect(row.text).toContain("https://tadamon.test/reset-password?token=s3cr3t");
    // The meta is for debugging: the link (and its token) stays in the body only.
    expect(row.meta).toEqual({ name: "سميرة" });
    expect(JSON.stringify(row.meta)).not.toContain("s3cr3t");
  });

  it("leaves no row when the caller's transaction rolls back", async () => {
    const db = await getDb();
    const to = address();
    await expect(
      db.transaction(async (tx) => {
        await enqueueEmail(tx, to, "en", {
          template: "verify-email",
          data: { name: "Sam", verifyUrl: "https://tadamon.test/verify-email?token=t" },
        });
        expect(await tx.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to))).toHaveLength(1);
        throw new Error("the action failed after writing the email");
      }),
    ).rejects.toThrow("the action failed");
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to))).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, loginAttempts, users, userTokens } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { listMyOrganizations } from "~/utils/auth.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { addMember, createOrg, createUser, TEST_PASSWORD, unique } from "../../../tests/fixtures/db";
import { emailsTo, linkIn, sessionIdsOf, testContext } from "../../../tests/fixtures/auth";
import {
  changePassword,
  checkResetToken,
  MAX_EMAILS_PER_WINDOW,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_IP,
  pruneLoginAttempts,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  signIn,
  signUp,
  THROTTLE_WINDOW_MS,
  updateProfile,
  verifyEmail,
} from "./accounts.server";
import { createSession, validateSessionToken } from "./session.server";
import { getDummyHash, verifyPassword } from "./password.server";
import { hashToken } from "./tokens";

// Wrapped, not replaced: the real functions run, and a test can make one fail or check its calls.
vi.mock("~/modules/notifications/outbox.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/modules/notifications/outbox.server")>();
  return { ...original, enqueueEmail: vi.fn(original.enqueueEmail) };
});
vi.mock("./password.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("./password.server")>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});

afterEach(() => {
  vi.mocked(enqueueEmail).mockClear();
  vi.mocked(verifyPassword).mockClear();
});

const NEW_PASSWORD = "a brand new passphrase";
const email = () => `${unique("acc")}@example.test`;

async function userByEmail(address: string) {
  const db = await getDb();
  return db.select().from(users).where(eq(users.email, address));
}

async function failuresFor(address: string) {
  const db = await getDb();
  return db
    .select()
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, address), eq(loginAttempts.succeeded, false)));
}

async function auditActions(userId: string) {
  const db = await getDb();
  const rows = await db.select().from(auditLog).where(eq(auditLog.entityId, userId));
  return rows;
}

async function signUpAndGetLink(address = email(), locale: "ar" | "en" = "ar") {
  const db = await getDb();
  const result = await signUp(
    db,
    { displayName: "Salma", email: address, password: TEST_PASSWORD, locale },
    testContext()
  );
  if (!result.ok) throw new Error(result.code);
  const [mail] = await emailsTo(address, "verify-email");
  return { userId: result.userId!, address, link: linkIn(mail, "/verify-email") };
}

describe("signUp", () => {
  it("creates an unverified account, a hashed confirmation token and the email", async () => {
    const db = await getDb();
    const address = email();
    const result = await signUp(
      db,
      { displayName: "Salma", email: `  ${address.toUpperCase()} `, password: TEST_PASSWORD, locale: "en" },
      testContext({ origin: "https://tadamon.example" })
    );
    expect(result.ok).toBe(true);
    const [user] = await userByEmail(address);
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.locale).toBe("en");
    expect(user.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(user.passwordHash).not.toContain(TEST_PASSWORD);

    const [mail] = await emailsTo(address, "verify-email");
    expect(mail.locale).toBe("en");
    const link = linkIn(mail, "/verify-email");
    expect(link.origin).toBe("https://tadamon.example");
    const token = link.searchParams.get("token")!;
    const [stored] = await db.select().from(userTokens).where(eq(userTokens.userId, user.id));
    expect(stored.id).toBe(hashToken(token)); // only the hash is kept
    expect(stored.purpose).toBe("verify_email");
    const ttl = stored.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(23.9 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
  });

  it("answers the same for an address that already has an account (whatever its case), creates nothing and mails the owner", async () => {
    const db = await getDb();
    const address = email();
    await signUp(db, { displayName: "A", email: address, password: TEST_PASSWORD, locale: "ar" }, testContext());
    const again = await signUp(
      db,
      { displayName: "B", email: address.toUpperCase(), password: TEST_PASSWORD, locale: "ar" },
      testContext()
    );
    expect(again).toEqual({ ok: true, userId: null });
    expect(await userByEmail(address)).toHaveLength(1);
    expect(await emailsTo(address, "verify-email")).toHaveLength(1);
    const [notice] = await emailsTo(address, "signup-attempt");
    expect(notice.text).toContain("http://tadamon.test/forgot-password");
    expect(notice.text).toContain("http://tadamon.test/login");
  });

  it("writes nothing when the email cannot be queued (one transaction)", async () => {
    const db = await getDb();
    const address = email();
    vi.mocked(enqueueEmail).mockRejectedValueOnce(new Error("outbox down"));
    await expect(
      signUp(db, { displayName: "A", email: address, password: TEST_PASSWORD, locale: "ar" }, testContext())
    ).rejects.toThrow("outbox down");
    expect(await userByEmail(address)).toHaveLength(0);
  });
});

describe("verifyEmail", () => {
  it("confirms the address once; the same link is then refused as used", async () => {
    const db = await getDb();
    const { userId, address, link } = await signUpAndGetLink();
    const token = link.searchParams.get("token")!;
    expect(await verifyEmail(db, token, testContext())).toEqual({ ok: true, userId });
    const [user] = await userByEmail(address);
    expect(user.emailVerifiedAt).not.toBeNull();
    const again = await verifyEmail(db, token, testContext());
    expect(again).toMatchObject({ ok: false, code: "used", message: "auth:errors.linkUsed" });
  });

  it("refuses an expired link and an unknown one, and leaves the address unconfirmed", async () => {
    const db = await getDb();
    const { userId, address, link } = await signUpAndGetLink();
    const token = link.searchParams.get("token")!;
    await db
      .update(userTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(userTokens.userId, userId));
    expect(await verifyEmail(db, token, testContext())).toMatchObject({ ok: false, code: "expired" });
    expect(await verifyEmail(db, "a".repeat(32), testContext())).toMatchObject({ ok: false, code: "invalid" });
    const [user] = await userByEmail(address);
    expect(user.emailVerifiedAt).toBeNull();
  });
});

describe("resendVerification", () => {
  it("sends a new link only to an account still waiting, a few times per window at most", async () => {
    const db = await getDb();
    const { address } = await signUpAndGetLink();
    const verified = await createUser();
    await resendVerification(db, ` ${address.toUpperCase()}`, testContext());
    expect(await emailsTo(address, "verify-email")).toHaveLength(2);
    for (let i = 0; i < 3; i++) await resendVerification(db, address, testContext());
    expect(await emailsTo(address, "verify-email")).toHaveLength(MAX_EMAILS_PER_WINDOW);

    await resendVerification(db, verified.email, testContext());
    await resendVerification(db, email(), testContext());
    expect(await emailsTo(verified.email)).toHaveLength(0);
  });
});

describe("signIn", () => {
  it("opens a session in the person's first organisation, records the success and audits it", async () => {
    const db = await getDb();
    const user = await createUser();
    const [orgB, orgA] = [
      await createOrg({ slug: unique("b-").toLowerCase() }),
      await createOrg({ slug: unique("a-").toLowerCase() }),
    ];
    await addMember(orgB.id, user.id, "caseworker");
    await addMember(orgA.id, user.id, "verifier");
    const ctx = testContext();
    const result = await signIn(db, { email: user.email.toUpperCase(), password: TEST_PASSWORD }, ctx);
    if (!result.ok) throw new Error(result.code);
    const first = (await listMyOrganizations(user.id))[0];
    expect(result.session.activeOrgId).toBe(first.org.id);
    expect(first.org.id).toBe(orgA.id);
    expect((await validateSessionToken(db, result.token)).user?.id).toBe(user.id);
    const [attempt] = await db.select().from(loginAttempts).where(eq(loginAttempts.email, user.email));
    expect(attempt).toMatchObject({ ip: ctx.ip, succeeded: true });
    const audit = await auditActions(user.id);
    expect(audit.find((a) => a.action === "auth.sign_in")).toMatchObject({
      orgId: null,
      actorUserId: user.id,
      ip: ctx.ip,
    });
  });

  it("refuses an unconfirmed address only once the password is right, and opens no session", async () => {
    const db = await getDb();
    const user = await createUser({ emailVerifiedAt: null });
    const wrong = await signIn(db, { email: user.email, password: "not the password" }, testContext());
    expect(wrong).toMatchObject({ ok: false, code: "invalidCredentials" });
    const right = await signIn(db, { email: user.email, password: TEST_PASSWORD }, testContext());
    expect(right).toMatchObject({ ok: false, code: "emailNotVerified", message: "auth:errors.emailNotVerified" });
    expect(await sessionIdsOf(user.id)).toEqual([]);
  });

  it("records a failure for a wrong password, and for an unknown address after checking a dummy hash", async () => {
    const db = await getDb();
    const user = await createUser();
    const wrong = await signIn(db, { email: user.email, password: "not the password" }, testContext());
    expect(wrong).toEqual({ ok: false, code: "invalidCredentials", message: "auth:errors.invalidCredentials" });
    expect(await failuresFor(user.email)).toHaveLength(1);
    expect((await auditActions(user.id)).map((a) => a.action)).toContain("auth.sign_in_failed");

    const stranger = email();
    vi.mocked(verifyPassword).mockClear();
    const unknown = await signIn(db, { email: stranger, password: "whatever it is" }, testContext());
    expect(unknown).toEqual(wrong); // the same answer: nothing tells whether the account exists
    expect(vi.mocked(verifyPassword)).toHaveBeenCalledWith(await getDummyHash(), "whatever it is");
    expect(await failuresFor(stranger)).toHaveLength(1);
  });

  it("locks an account after 10 failures in 15 minutes, even against the right password", async () => {
    const db = await getDb();
    const user = await createUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // From different addresses: the lock follows the account, not the IP.
      const r = await signIn(db, { email: user.email, password: `wrong password ${i}` }, testContext());
      expect(r).toMatchObject({ ok: false, code: "invalidCredentials" });
    }
    vi.mocked(verifyPassword).mockClear();
    const locked = await signIn(db, { email: user.email, password: TEST_PASSWORD }, testContext());
    expect(locked).toMatchObject({ ok: false, code: "throttled", message: "auth:errors.tooManyAttempts" });
    if (locked.ok || locked.code !== "throttled") throw new Error("expected a lock");
    expect(locked.retryAfterSeconds).toBeGreaterThan(THROTTLE_WINDOW_MS / 1000 - 60);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(THROTTLE_WINDOW_MS / 1000);
    expect(vi.mocked(verifyPassword)).not.toHaveBeenCalled(); // a locked account is not even checked
    expect(await failuresFor(user.email)).toHaveLength(MAX_FAILURES_PER_ACCOUNT); // the refusal is not a new failure
    expect(await sessionIdsOf(user.id)).toEqual([]);
  });

  it("counts only failures within the window and after the last successful sign-in", async () => {
    const db = await getDb();
    const user = await createUser();
    const ip = unique("ip-");
    const old = new Date(Date.now() - THROTTLE_WINDOW_MS - 60_000);
    await db
      .insert(loginAttempts)
      .values(Array.from({ length: 20 }, () => ({ email: user.email, ip, succeeded: false, createdAt: old })));
    expect((await signIn(db, { email: user.email, password: TEST_PASSWORD }, testContext())).ok).toBe(true);

    const recent = new Date(Date.now() - 60_000);
    await db
      .insert(loginAttempts)
      .values(
        Array.from({ length: 9 }, () => ({ email: user.email, ip: unique("ip-"), succeeded: false, createdAt: recent }))
      );
    expect((await signIn(db, { email: user.email, password: TEST_PASSWORD }, testContext())).ok).toBe(true);
    // 9 before the success and 9 after: never 10 since the last success.
    for (let i = 0; i < 9; i++) await signIn(db, { email: user.email, password: "wrong password" }, testContext());
    expect((await signIn(db, { email: user.email, password: TEST_PASSWORD }, testContext())).ok).toBe(true);
  });

  it("locks an IP after 30 failures in 15 minutes, whatever the accounts", async () => {
    const db = await getDb();
    const ip = unique("ip-");
    const user = await createUser();
    await db.insert(loginAttempts).values(
      Array.from({ length: MAX_FAILURES_PER_IP - 1 }, () => ({
        email: email(),
        ip,
        succeeded: false,
        createdAt: new Date(),
      }))
    );
    const last = await signIn(db, { email: email(), password: "guess" }, testContext({ ip }));
    expect(last).toMatchObject({ code: "invalidCredentials" });
    const fromThatIp = await signIn(db, { email: user.email, password: TEST_PASSWORD }, testContext({ ip }));
    expect(fromThatIp).toMatchObject({ ok: false, code: "throttled" });
    const elsewhere = await signIn(db, { email: user.email, password: TEST_PASSWORD }, testContext());
    expect(elsewhere.ok).toBe(true);
  });
});

describe("concurrency (meaningful on PostgreSQL; PGlite runs transactions one at a time)", () => {
  it("parallel guesses cannot overshoot the account's limit", async () => {
    const db = await getDb();
    const user = await createUser();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        signIn(db, { email: user.email, password: `parallel guess ${i}` }, testContext())
      )
    );
    const codes = results.map((r) => (r.ok ? "ok" : r.code));
    expect(codes.filter((c) => c === "invalidCredentials")).toHaveLength(MAX_FAILURES_PER_ACCOUNT);
    expect(codes.filter((c) => c === "throttled")).toHaveLength(25 - MAX_FAILURES_PER_ACCOUNT);
    expect(await failuresFor(user.email)).toHaveLength(MAX_FAILURES_PER_ACCOUNT);
  });

  it("simultaneous sign-ups with one address create one account", async () => {
    const db = await getDb();
    const address = email();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        signUp(db, { displayName: "A", email: address, password: TEST_PASSWORD, locale: "ar" }, testContext())
      )
    );
    // Every answer is the same "ok" (no enumeration); only one made an account. Three per email
    // are allowed a window, so two of the five are throttled.
    expect(results.filter((r) => r.ok && r.userId)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === "throttled")).toHaveLength(2);
    expect(await userByEmail(address)).toHaveLength(1);
  });
});

describe("password reset", () => {
  it("emails a one-hour link for a known address and nothing for an unknown one", async () => {
    const db = await getDb();
    const user = await createUser({ locale: "en" });
    await requestPasswordReset(db, user.email.toUpperCase(), testContext());
    const [mail] = await emailsTo(user.email, "reset-password");
    expect(mail.locale).toBe("en");
    const token = linkIn(mail, "/reset-password").searchParams.get("token")!;
    const [stored] = await db
      .select()
      .from(userTokens)
      .where(eq(userTokens.id, hashToken(token)));
    expect(stored.purpose).toBe("reset_password");
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(3500_000);
    expect(await checkResetToken(db, token)).toEqual({ ok: true });

    const stranger = email();
    vi.mocked(enqueueEmail).mockClear();
    await expect(requestPasswordReset(db, stranger, testContext())).resolves.toBeUndefined();
    expect(vi.mocked(enqueueEmail)).not.toHaveBeenCalled();
  });

  it("sets the password once: link spent, address confirmed, every session ended, sign-in lock lifted", async () => {
    const db = await getDb();
    const user = await createUser({ emailVerifiedAt: null });
    const a = await createSession(db, user.id);
    const b = await createSession(db, user.id);
    await db.insert(loginAttempts).values(
      Array.from({ length: MAX_FAILURES_PER_ACCOUNT }, () => ({
        email: user.email,
        ip: unique("ip-"),
        succeeded: false,
        createdAt: new Date(),
      }))
    );
    await requestPasswordReset(db, user.email, testContext());
    const token = linkIn((await emailsTo(user.email, "reset-password"))[0], "/reset-password").searchParams.get(
      "token"
    )!;

    expect(await resetPassword(db, { token, password: NEW_PASSWORD }, testContext())).toEqual({
      ok: true,
      userId: user.id,
    });
    expect((await validateSessionToken(db, a.token)).session).toBeNull();
    expect((await validateSessionToken(db, b.token)).session).toBeNull();
    const [after] = await userByEmail(user.email);
    expect(after.emailVerifiedAt).not.toBeNull();
    expect((await signIn(db, { email: user.email, password: TEST_PASSWORD }, testContext())).ok).toBe(false);
    expect((await signIn(db, { email: user.email, password: NEW_PASSWORD }, testContext())).ok).toBe(true);

    const reused = await resetPassword(db, { token, password: "yet another passphrase" }, testContext());
    expect(reused).toMatchObject({ ok: false, code: "used", message: "auth:errors.linkUsed" });
    expect(await checkResetToken(db, token)).toMatchObject({ ok: false, code: "used" });
    const audit = await auditActions(user.id);
    expect(audit.find((r) => r.action === "auth.password_reset")).toMatchObject({ orgId: null });
  });

  it("refuses an expired link and changes nothing", async () => {
    const db = await getDb();
    const user = await createUser();
    await requestPasswordReset(db, user.email, testContext());
    const token = linkIn((await emailsTo(user.email, "reset-password"))[0], "/reset-password").searchParams.get(
      "token"
    )!;
    await db
      .update(userTokens)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(userTokens.id, hashToken(token)));
    expect(await checkResetToken(db, token)).toMatchObject({ ok: false, code: "expired" });
    expect(await resetPassword(db, { token, password: NEW_PASSWORD }, testContext())).toMatchObject({
      ok: false,
      code: "expired",
      message: "auth:errors.linkExpired",
    });
    expect((await signIn(db, { email: user.email, password: TEST_PASSWORD }, testContext())).ok).toBe(true);
  });

  it("does not accept a confirmation link as a reset link", async () => {
    const db = await getDb();
    const { link } = await signUpAndGetLink();
    const token = link.searchParams.get("token")!;
    expect(await resetPassword(db, { token, password: NEW_PASSWORD }, testContext())).toMatchObject({
      code: "invalid",
    });
  });
});

describe("changePassword", () => {
  it("refuses a wrong current password on its field, counts it as a failed sign-in, changes nothing", async () => {
    const db = await getDb();
    const user = await createUser();
    const here = await createSession(db, user.id);
    const other = await createSession(db, user.id);
    const result = await changePassword(
      db,
      { userId: user.id, sessionId: here.session.id, currentPassword: "not my password", newPassword: NEW_PASSWORD },
      testContext()
    );
    expect(result).toEqual({
      ok: false,
      code: "currentPasswordWrong",
      message: "auth:errors.currentPasswordWrong",
      field: "currentPassword",
    });
    expect(await failuresFor(user.email)).toHaveLength(1);
    expect((await validateSessionToken(db, other.token)).session).not.toBeNull();
    expect(await emailsTo(user.email)).toHaveLength(0);
  });

  it("changes the password, ends the other sessions, keeps this one, emails a notice and audits", async () => {
    const db = await getDb();
    const user = await createUser({ locale: "en" });
    const here = await createSession(db, user.id);
    const other = await createSession(db, user.id);
    const ctx = testContext();
    const result = await changePassword(
      db,
      { userId: user.id, sessionId: here.session.id, currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
      ctx
    );
    expect(result).toEqual({ ok: true });
    expect(await sessionIdsOf(user.id)).toEqual([here.session.id]);
    expect((await validateSessionToken(db, other.token)).session).toBeNull();
    const [notice] = await emailsTo(user.email, "password-changed");
    expect(notice.locale).toBe("en");
    const audit = await auditActions(user.id);
    expect(audit.find((r) => r.action === "auth.password_change")).toMatchObject({ orgId: null, ip: ctx.ip });
    expect((await signIn(db, { email: user.email, password: NEW_PASSWORD }, testContext())).ok).toBe(true);
  });
});

describe("updateProfile", () => {
  it("saves the display name (trimmed) and the preferred language", async () => {
    const db = await getDb();
    const user = await createUser({ locale: "ar" });
    await updateProfile(db, user.id, { displayName: "  Huda  ", locale: "en" });
    const [after] = await userByEmail(user.email);
    expect(after).toMatchObject({ displayName: "Huda", locale: "en" });
  });
});

describe("pruneLoginAttempts", () => {
  it("deletes sign-in attempts older than a day, keeping the recent ones the throttle needs", async () => {
    const db = await getDb();
    const address = email();
    const ip = unique("ip-");
    await db.insert(loginAttempts).values([
      { email: address, ip, succeeded: false, createdAt: new Date(Date.now() - 2 * 86_400_000) },
      { email: address, ip, succeeded: false, createdAt: new Date(Date.now() - 60_000) },
    ]);
    await pruneLoginAttempts(db);
    const left = await failuresFor(address);
    expect(left).toHaveLength(1);
    expect(left[0].createdAt.getTime()).toBeGreaterThan(Date.now() - 3_600_000);
  });
});

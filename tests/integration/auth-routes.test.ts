// The account routes, called the way Remix calls them: a Request in, a Response (or data) out.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { emailOutbox, loginAttempts, sessions, users, userTokens } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { getFixedTForLocale, localeCookie } from "~/utils/i18next.server";
import { sessionCookie } from "~/utils/auth.server";
import { validateSessionToken } from "~/modules/identity/session.server";
import { hashToken } from "~/modules/identity/tokens";
import { MAX_FAILURES_PER_ACCOUNT } from "~/modules/identity/accounts.server";
import * as signupRoute from "~/routes/signup";
import * as loginRoute from "~/routes/login";
import * as logoutRoute from "~/routes/logout";
import * as verifyRoute from "~/routes/verify-email";
import * as forgotRoute from "~/routes/forgot-password";
import * as resetRoute from "~/routes/reset-password";
import * as accountRoute from "~/routes/account._index";
import * as passwordRoute from "~/routes/account.password";
import { addMember, createOrg, createUser, TEST_PASSWORD, unique } from "../fixtures/db";
import { signedInRequest } from "../fixtures/routes";
import { emailsTo, linkIn, sessionIdsOf } from "../fixtures/auth";

// ---------------------------------------------------------------------------------------------
// Calling route modules

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => unknown;

interface Reply {
  status: number;
  headers: Headers;
  location: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

/** Runs a loader or action; a thrown Response (a guard's redirect) counts as the answer. */
async function call(handler: Handler, request: Request): Promise<Reply> {
  let out: unknown;
  try {
    out = await handler({ request, params: {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    out = thrown;
  }
  if (out instanceof Response) {
    return { status: out.status, headers: out.headers, location: out.headers.get("Location"), data: null };
  }
  if (out && typeof out === "object" && (out as { type?: string }).type === "DataWithResponseInit") {
    const { data, init } = out as { data: unknown; init?: ResponseInit | null };
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), location: null, data };
  }
  return { status: 200, headers: new Headers(), location: null, data: out };
}

interface RequestOptions {
  cookie?: string;
  ip?: string;
  lng?: "ar" | "en";
}

/** The language cookie as the app sets it (Remix encodes cookie values, so a bare `lng=en` is ignored). */
const LNG_COOKIE = {
  ar: (await localeCookie.serialize("ar")).split(";")[0],
  en: (await localeCookie.serialize("en")).split(";")[0],
};

function headersFor({ cookie, ip, lng }: RequestOptions) {
  const headers = new Headers({ "x-tadamon-client-ip": ip ?? unique("ip-") });
  const cookies = [cookie, lng ? LNG_COOKIE[lng] : undefined].filter(Boolean);
  if (cookies.length) headers.set("cookie", cookies.join("; "));
  return headers;
}

function get(url: string, options: RequestOptions = {}) {
  return new Request(new URL(url, "http://localhost"), { headers: headersFor(options) });
}

function post(url: string, form: Record<string, string>, options: RequestOptions = {}) {
  const headers = headersFor(options);
  headers.set("content-type", "application/x-www-form-urlencoded");
  return new Request(new URL(url, "http://localhost"), { method: "POST", headers, body: new URLSearchParams(form) });
}

/** `name=value` of each cookie a response sets. */
function setCookies(reply: Reply): Record<string, string> {
  return Object.fromEntries(
    reply.headers.getSetCookie().map((c) => {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      return [pair.slice(0, i), pair.slice(i + 1)];
    })
  );
}

function fieldErrors(reply: Reply): Record<string, string[] | null> {
  return reply.data?.result?.error ?? {};
}

const newEmail = () => `${unique("route")}@example.test`;
const NEW_PASSWORD = "a brand new passphrase";

async function translate(key: string, locale: "ar" | "en") {
  return (await getFixedTForLocale(locale, ["auth", "errors"]))(key);
}

async function userRow(email: string) {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row;
}

async function resetLinkFor(email: string) {
  await call(forgotRoute.action, post("/forgot-password", { email }));
  return linkIn((await emailsTo(email, "reset-password"))[0], "/reset-password");
}

// ---------------------------------------------------------------------------------------------

describe("sign-up, confirmation and sign-in", () => {
  it("signs up, emails the link, confirms, signs in with the session and language cookies", async () => {
    const email = newEmail();
    const signUp = await call(
      signupRoute.action,
      post(
        "/signup",
        { displayName: "Rami", email: email.toUpperCase(), password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD },
        { lng: "en" }
      )
    );
    expect(signUp.status).toBe(302);
    expect(signUp.location).toBe("/verify-email?result=sent");
    expect(await userRow(email)).toMatchObject({ locale: "en", emailVerifiedAt: null, displayName: "Rami" });

    const [mail] = await emailsTo(email, "verify-email");
    expect(mail.locale).toBe("en");
    const link = linkIn(mail, "/verify-email");
    expect(link.origin).toBe("http://localhost"); // absolute, from the request (APP_URL unset)

    const notYet = await call(loginRoute.action, post("/login", { email, password: TEST_PASSWORD }));
    expect(notYet.status).toBe(403);
    expect(setCookies(notYet)).toEqual({});

    const verified = await call(verifyRoute.loader, get(link.pathname + link.search));
    expect(verified.location).toBe("/verify-email?result=verified");
    expect((await userRow(email)).emailVerifiedAt).not.toBeNull();
    const page = await call(verifyRoute.loader, get(verified.location!, { lng: "en" }));
    expect(page.data).toMatchObject({ state: "verified", title: "Confirm your email address — Tadamon" });

    const signIn = await call(
      loginRoute.action,
      post("/login", { email, password: TEST_PASSWORD, redirectTo: "/account?tab=1" })
    );
    expect(signIn.status).toBe(302);
    expect(signIn.location).toBe("/account?tab=1");
    const cookies = setCookies(signIn);
    expect(cookies.lng).toBeDefined();
    const db = await getDb();
    const token = await sessionCookie.parse(`tadamon_session=${cookies.tadamon_session}`);
    const session = await validateSessionToken(db, token);
    expect(session.user?.email).toBe(email);
    expect(signIn.headers.getSetCookie().find((c) => c.startsWith("tadamon_session="))).toMatch(/HttpOnly/i);
    expect(signIn.headers.getSetCookie().find((c) => c.startsWith("lng="))).toContain(cookies.lng);
  });

  it("sets the new session in the person's first organisation and the language of their profile", async () => {
    const user = await createUser({ locale: "en" });
    const org = await createOrg();
    await addMember(org.id, user.id, "finance");
    const reply = await call(loginRoute.action, post("/login", { email: user.email, password: TEST_PASSWORD }));
    // Finance is their only role there: they land on the finance home, not the public home page.
    expect(reply.location).toBe(`/finance/${org.slug}`);
    const db = await getDb();
    const [session] = await db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(session.activeOrgId).toBe(org.id);
    // The profile says English, so the browser switches to English.
    const lngCookie = reply.headers.getSetCookie().find((c) => c.startsWith("lng="))!;
    expect(await localeCookie.parse(lngCookie.split(";")[0])).toBe("en");
  });

  it("only follows same-site redirects after signing in", async () => {
    const user = await createUser();
    for (const evil of ["//evil.example/x", "https://evil.example", "/\\evil.example"]) {
      const reply = await call(
        loginRoute.action,
        post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: evil })
      );
      expect(reply.location).toBe("/");
    }
  });

  it("sends a signed-in person away from the sign-in and sign-up pages", async () => {
    const user = await createUser();
    const login = await call(loginRoute.loader, await signedInRequest(user.id, "/login?redirectTo=/account"));
    expect(login.location).toBe("/account");
    const signup = await call(signupRoute.loader, await signedInRequest(user.id, "/signup"));
    expect(signup.location).toBe("/account");
  });

  it("answers a duplicate sign-up exactly like a new one (no enumeration), creating no second account and mailing the owner", async () => {
    const user = await createUser();
    const reply = await call(
      signupRoute.action,
      post("/signup", {
        displayName: "Someone",
        email: ` ${user.email.toUpperCase()} `,
        password: "another long password",
        confirmPassword: "another long password",
      })
    );
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/verify-email?result=sent");
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.email, user.email))).toHaveLength(1);
    expect(await emailsTo(user.email, "verify-email")).toHaveLength(0);
    expect(await emailsTo(user.email, "signup-attempt")).toHaveLength(1);
  });

  it("answers bad input with 400 and a message per field, creating nothing", async () => {
    const email = newEmail();
    const reply = await call(
      signupRoute.action,
      post("/signup", { displayName: "   ", email: "not-an-email", password: "short", confirmPassword: "shorter" })
    );
    expect(reply.status).toBe(400);
    expect(fieldErrors(reply)).toMatchObject({
      displayName: ["errors:required"],
      email: ["errors:invalidEmail"],
      password: ["auth:errors.passwordTooShort"],
    });
    const mismatch = await call(
      signupRoute.action,
      post("/signup", { displayName: "Rami", email, password: TEST_PASSWORD, confirmPassword: `${TEST_PASSWORD}!` })
    );
    expect(mismatch.status).toBe(400);
    expect(fieldErrors(mismatch).confirmPassword).toEqual(["auth:errors.passwordsDontMatch"]);
    const tooLong = await call(
      signupRoute.action,
      post("/signup", { displayName: "Rami", email, password: "x".repeat(201), confirmPassword: "x".repeat(201) })
    );
    expect(fieldErrors(tooLong).password).toEqual(["auth:errors.passwordTooLong"]);
    expect(JSON.stringify(tooLong.data)).not.toContain("x".repeat(201)); // never echoed into the page
    expect(tooLong.data.result.initialValue).toMatchObject({ email }); // other fields are kept for the reader
    expect(await userRow(email)).toBeUndefined();
    for (const key of ["auth:errors.passwordTooShort", "auth:errors.passwordsDontMatch", "errors:invalidEmail"]) {
      const [ar, en] = [await translate(key, "ar"), await translate(key, "en")];
      expect(en).not.toBe(key);
      expect(ar).not.toBe(en);
    }
  });
});

describe("sign-in failures and throttling", () => {
  it("answers a wrong password with 400, no cookie, and records the attempt", async () => {
    const user = await createUser();
    const ip = unique("ip-");
    const reply = await call(
      loginRoute.action,
      post("/login", { email: user.email, password: "not my password" }, { ip })
    );
    expect(reply.status).toBe(400);
    expect(reply.data.result.error[""]).toEqual(["auth:errors.invalidCredentials"]);
    expect(setCookies(reply)).toEqual({});
    expect(JSON.stringify(reply.data)).not.toContain("not my password");
    const db = await getDb();
    const attempts = await db.select().from(loginAttempts).where(eq(loginAttempts.email, user.email));
    expect(attempts).toMatchObject([{ ip, succeeded: false }]);
  });

  it("throttles the 11th attempt with 429, even with the right password", async () => {
    const user = await createUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      const reply = await call(
        loginRoute.action,
        post("/login", { email: user.email, password: `wrong ${i} password` })
      );
      expect(reply.status).toBe(400);
    }
    const locked = await call(
      loginRoute.action,
      post("/login", { email: user.email, password: TEST_PASSWORD }, { lng: "en" })
    );
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(locked.data.result.error[""]).toEqual(["auth:errors.tooManyAttempts"]);
    expect(setCookies(locked)).toEqual({});
    expect(await translate("auth:errors.tooManyAttempts", "en")).toContain("wait 15 minutes");
    expect(await translate("auth:errors.tooManyAttempts", "ar")).toContain("الانتظار 15 دقيقة");
  });

  it("refuses an unconfirmed account with 403 and offers a new link, which the resend form sends", async () => {
    const email = newEmail();
    await call(
      signupRoute.action,
      post("/signup", { displayName: "Rami", email, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD })
    );
    const reply = await call(loginRoute.action, post("/login", { email, password: TEST_PASSWORD }));
    expect(reply.status).toBe(403);
    expect(reply.data).toMatchObject({
      unverifiedEmail: email,
      result: { error: { "": ["auth:errors.emailNotVerified"] } },
    });
    const resend = await call(verifyRoute.action, post("/verify-email", { email }));
    expect(resend.data).toMatchObject({ resent: true });
    expect(await emailsTo(email, "verify-email")).toHaveLength(2);
  });
});

describe("confirmation links", () => {
  it("refuses a reused link and an expired one, each with its own message", async () => {
    const email = newEmail();
    await call(
      signupRoute.action,
      post("/signup", { displayName: "Rami", email, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD })
    );
    const link = linkIn((await emailsTo(email, "verify-email"))[0], "/verify-email");
    expect((await call(verifyRoute.loader, get(link.pathname + link.search))).location).toBe(
      "/verify-email?result=verified"
    );
    expect((await call(verifyRoute.loader, get(link.pathname + link.search))).location).toBe(
      "/verify-email?result=used"
    );

    const other = newEmail();
    await call(
      signupRoute.action,
      post("/signup", { displayName: "Rami", email: other, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD })
    );
    const stale = linkIn((await emailsTo(other, "verify-email"))[0], "/verify-email");
    const db = await getDb();
    await db
      .update(userTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(userTokens.id, hashToken(stale.searchParams.get("token")!)));
    expect((await call(verifyRoute.loader, get(stale.pathname + stale.search))).location).toBe(
      "/verify-email?result=expired"
    );
    expect((await userRow(other)).emailVerifiedAt).toBeNull();
    expect((await call(verifyRoute.loader, get("/verify-email?token=garbage"))).location).toBe(
      "/verify-email?result=invalid"
    );
  });
});

describe("password reset", () => {
  it("answers the same for an unknown address, and emails only a known one", async () => {
    const user = await createUser();
    const stranger = newEmail();
    const known = await call(forgotRoute.action, post("/forgot-password", { email: user.email }));
    const unknown = await call(forgotRoute.action, post("/forgot-password", { email: stranger }));
    expect(unknown.status).toBe(known.status);
    expect(unknown.data).toEqual(known.data);
    expect(known.data).toMatchObject({ sent: true });
    expect(await emailsTo(user.email, "reset-password")).toHaveLength(1);
    const db = await getDb();
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, stranger))).toHaveLength(0);
  });

  it("shows the form for a valid link, resets, ends every session, then refuses the reused link", async () => {
    const user = await createUser();
    const signedIn = await signedInRequest(user.id, "/account");
    const link = await resetLinkFor(user.email);
    const token = link.searchParams.get("token")!;

    const form = await call(resetRoute.loader, get(link.pathname + link.search));
    expect(form.data).toMatchObject({ token, problem: null });

    const done = await call(
      resetRoute.action,
      post(link.pathname + link.search, { token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    );
    expect(done.status).toBe(302);
    expect(done.location).toBe("/login?reset=1");
    expect(await sessionIdsOf(user.id)).toEqual([]);
    expect((await call(accountRoute.loader, signedIn)).location).toMatch(/^\/login\?redirectTo=/);
    const login = await call(loginRoute.action, post("/login", { email: user.email, password: NEW_PASSWORD }));
    expect(login.status).toBe(302);

    const again = await call(resetRoute.loader, get(link.pathname + link.search));
    expect(again.data).toMatchObject({ token: null, problem: "used" });
    const reused = await call(
      resetRoute.action,
      post(link.pathname + link.search, {
        token,
        password: "third passphrase here",
        confirmPassword: "third passphrase here",
      })
    );
    expect(reused.status).toBe(400);
    expect(reused.data.result.error[""]).toEqual(["auth:errors.linkUsed"]);
    const stillNew = await call(loginRoute.action, post("/login", { email: user.email, password: NEW_PASSWORD }));
    expect(stillNew.status).toBe(302);
  });

  it("refuses an expired link, on the page and on submission, changing nothing", async () => {
    const user = await createUser();
    const link = await resetLinkFor(user.email);
    const token = link.searchParams.get("token")!;
    const db = await getDb();
    await db
      .update(userTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(userTokens.id, hashToken(token)));
    const page = await call(resetRoute.loader, get(link.pathname + link.search, { lng: "en" }));
    expect(page.data).toMatchObject({ token: null, problem: "expired", title: "Choose a new password — Tadamon" });
    const reply = await call(
      resetRoute.action,
      post(link.pathname + link.search, { token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    );
    expect(reply.status).toBe(400);
    expect(reply.data.result.error[""]).toEqual(["auth:errors.linkExpired"]);
    const old = await call(loginRoute.action, post("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(old.status).toBe(302);
  });
});

describe("signed-in account", () => {
  it("changes the password: this session stays, the others end", async () => {
    const user = await createUser();
    const other = await signedInRequest(user.id, "/account");
    const here = await signedInRequest(user.id, "/account/password", {
      form: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    });
    const before = await sessionIdsOf(user.id);
    expect(before).toHaveLength(2);

    const reply = await call(passwordRoute.action, here);
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/account?passwordChanged=1");
    const after = await sessionIdsOf(user.id);
    expect(after).toHaveLength(1);
    expect((await call(accountRoute.loader, other)).location).toMatch(/^\/login/);
    const stillHere = await call(accountRoute.loader, await withCookieOf(here, "/account"));
    expect(stillHere.status).toBe(200);
    expect(await emailsTo(user.email, "password-changed")).toHaveLength(1);
  });

  it("refuses a wrong current password with 400 on its field, ending no session", async () => {
    const user = await createUser();
    await signedInRequest(user.id, "/account");
    const here = await signedInRequest(user.id, "/account/password", {
      form: { currentPassword: "not my password", newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    });
    const reply = await call(passwordRoute.action, here);
    expect(reply.status).toBe(400);
    expect(fieldErrors(reply).currentPassword).toEqual(["auth:errors.currentPasswordWrong"]);
    expect(await sessionIdsOf(user.id)).toHaveLength(2);
  });

  it("signs out on POST (the session is deleted); GET changes nothing", async () => {
    const user = await createUser();
    const viaGet = await signedInRequest(user.id, "/logout");
    expect((await call(logoutRoute.loader as Handler, viaGet)).location).toBe("/");
    expect(await sessionIdsOf(user.id)).toHaveLength(1);
    const viaPost = await withCookieOf(viaGet, "/logout", "POST");
    const reply = await call(logoutRoute.action, viaPost);
    expect(reply.location).toBe("/");
    expect(await sessionIdsOf(user.id)).toEqual([]);
    expect(reply.headers.getSetCookie().find((c) => c.startsWith("tadamon_session="))).toMatch(
      /Max-Age=0|Expires=Thu, 01 Jan 1970/i
    );
  });

  it("asks for sign-in, then lists the person's organisations with their roles", async () => {
    const anonymous = await call(accountRoute.loader, get("/account"));
    expect(anonymous.location).toBe("/login?redirectTo=%2Faccount");
    const user = await createUser();
    const org = await createOrg();
    await addMember(org.id, user.id, "caseworker", "verifier");
    const reply = await call(
      accountRoute.loader,
      await signedInRequest(user.id, "/account", { headers: { cookie: LNG_COOKIE.en } })
    );
    expect(reply.data).toMatchObject({
      title: "My account — Tadamon",
      profile: { email: user.email, emailVerified: true },
      orgs: [{ slug: org.slug, roles: expect.arrayContaining(["caseworker", "verifier"]) }],
    });
    expect(JSON.stringify(reply.data)).not.toContain("argon2");
  });

  it("saves the profile and switches the language cookie; refuses an unknown language", async () => {
    const user = await createUser({ locale: "ar" });
    const reply = await call(
      accountRoute.action,
      await signedInRequest(user.id, "/account", { form: { displayName: " Huda ", locale: "en" } })
    );
    expect(reply.location).toBe("/account?saved=1");
    expect(setCookies(reply).lng).toBeDefined();
    expect(await userRow(user.email)).toMatchObject({ displayName: "Huda", locale: "en" });

    const bad = await call(
      accountRoute.action,
      await signedInRequest(user.id, "/account", { form: { displayName: "Huda", locale: "fr" } })
    );
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad).locale).toEqual(["errors:invalidChoice"]);
    expect((await userRow(user.email)).locale).toBe("en");
  });
});

describe("language", () => {
  it("titles every page in the requested language, Arabic by default", async () => {
    const pages: [Handler, string, string, string][] = [
      [loginRoute.loader, "/login", "Sign in — Tadamon", "تسجيل الدخول — تضامن"],
      [signupRoute.loader, "/signup", "Create an account — Tadamon", "إنشاء حساب — تضامن"],
      [verifyRoute.loader, "/verify-email", "Confirm your email address — Tadamon", "تأكيد البريد الإلكتروني — تضامن"],
      [forgotRoute.loader, "/forgot-password", "Forgot your password — Tadamon", "نسيت كلمة المرور — تضامن"],
      [resetRoute.loader, "/reset-password", "Choose a new password — Tadamon", "اختيار كلمة مرور جديدة — تضامن"],
    ];
    for (const [loader, url, en, ar] of pages) {
      expect((await call(loader, get(url, { lng: "en" }))).data.title).toBe(en);
      expect((await call(loader, get(url))).data.title).toBe(ar);
    }
    const user = await createUser();
    const password = await call(passwordRoute.loader, await signedInRequest(user.id, "/account/password"));
    expect(password.data.title).toBe("تغيير كلمة المرور — تضامن");
  });

  it("keeps the same keys in the Arabic and English account strings", async () => {
    const { resources } = await import("~/locales");
    const keys = (o: object, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(resources.ar.auth).sort()).toEqual(keys(resources.en.auth).sort());
  });
});

/** A new request carrying the same session cookie as `request`. */
async function withCookieOf(request: Request, url: string, method = "GET") {
  // A post carries the button's hidden field, as the header's sign-out form does (never an empty body).
  const post = method !== "GET";
  return new Request(new URL(url, "http://localhost"), {
    method,
    headers: {
      cookie: request.headers.get("cookie") ?? "",
      "x-tadamon-client-ip": unique("ip-"),
      ...(post ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: post ? "intent=signOut" : undefined,
  });
}

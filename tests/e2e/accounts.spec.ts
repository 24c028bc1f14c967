import { DEMO_PASSWORD, expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import { signIn, strings, uniqueEmail } from "./helpers";

const ar = strings.ar;
const en = strings.en;

test.describe("accounts", () => {
  test("sign up → confirm by the emailed link → sign in → English and back → sign out", async ({ page, mailbox, consoleErrors }) => {
    consoleErrors.allow(/status of 403 .*\/login/); // the refused sign-in before confirming
    const email = uniqueEmail("newdonor");
    const password = "a long enough passphrase";

    await page.goto("/signup");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel(ar.auth.fields.displayName, { exact: true }).fill("ليلى");
    await page.getByLabel(ar.auth.fields.email, { exact: true }).fill(email);
    await page.getByLabel(ar.auth.fields.choosePassword, { exact: true }).fill(password);
    await page.getByLabel(ar.auth.fields.confirmPassword, { exact: true }).fill(password);
    await page.getByRole("button", { name: ar.auth.signup.submit, exact: true }).click();
    await expect(page.getByText(ar.auth.verify.sent)).toBeVisible();

    // Not yet confirmed: signing in is refused with a way to get a new link.
    await page.goto("/login");
    await page.getByLabel(ar.auth.fields.email, { exact: true }).fill(email);
    await page.getByLabel(ar.auth.fields.password, { exact: true }).fill(password);
    await page.getByRole("button", { name: ar.auth.login.submit, exact: true }).click();
    await expect(page.getByText(ar.auth.errors.emailNotVerified)).toBeVisible();

    const link = await mailbox.waitForLink(email);
    expect(new URL(link).pathname).toBe("/verify-email");
    await page.goto(link);
    await expect(page.getByText(ar.auth.verify.verified, { exact: false })).toBeVisible();

    await page.goto("/login");
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel(ar.auth.fields.email, { exact: true }).fill(email);
    await page.getByLabel(ar.auth.fields.password, { exact: true }).fill(password);
    await page.getByRole("button", { name: ar.auth.login.submit, exact: true }).click();
    await expect(page.getByTestId("signed-in-as")).toContainText("ليلى");

    // English one click away, and back; the choice survives a reload.
    await page.getByRole("button", { name: ar.common.locale.switchTo }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
    await expect(page.getByRole("button", { name: en.common.auth.signOut })).toBeVisible();
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.goto("/account");
    await expectNoSeriousA11yViolations(page);
    await page.getByRole("button", { name: en.common.locale.switchTo }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "ar");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");

    await page.getByRole("button", { name: ar.common.auth.signOut }).click();
    await expect(page.getByRole("link", { name: ar.common.auth.signIn })).toBeVisible();
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount/);
  });

  test("a duplicate sign-up shows the same “check your inbox” page as a new one (no account enumeration)", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel(ar.auth.fields.displayName, { exact: true }).fill("Duplicate");
    await page.getByLabel(ar.auth.fields.email, { exact: true }).fill("donor.beirut@demo.tadamon.org");
    await page.getByLabel(ar.auth.fields.choosePassword, { exact: true }).fill("another long passphrase");
    await page.getByLabel(ar.auth.fields.confirmPassword, { exact: true }).fill("another long passphrase");
    await page.getByRole("button", { name: ar.auth.signup.submit, exact: true }).click();
    await expect(page).toHaveURL(/\/verify-email\?result=sent/);
    await expect(page.getByText(ar.auth.verify.sent)).toBeVisible();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-in and sign-out work with plain form posts", async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 400 .*\/login/); // the wrong password, on purpose
    await page.goto("/login");
    await page.getByLabel(ar.auth.fields.email, { exact: true }).fill("donor.cairo@demo.tadamon.org");
    await page.getByLabel(ar.auth.fields.password, { exact: true }).fill("wrong password here");
    await page.getByRole("button", { name: ar.auth.login.submit, exact: true }).click();
    await expect(page.getByText(ar.auth.errors.invalidCredentials)).toBeVisible();

    await page.getByLabel(ar.auth.fields.email, { exact: true }).fill("donor.cairo@demo.tadamon.org");
    await page.getByLabel(ar.auth.fields.password, { exact: true }).fill("tadamon-demo-2026");
    await page.getByRole("button", { name: ar.auth.login.submit, exact: true }).click();
    await expect(page.getByTestId("signed-in-as")).toBeVisible();
    await page.getByRole("button", { name: ar.common.locale.switchTo }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.getByRole("button", { name: en.common.auth.signOut }).click();
    await expect(page.getByRole("link", { name: en.common.auth.signIn })).toBeVisible();
  });
});

test.describe("bad requests", () => {
  test("an oversized body is refused with 413 and a cross-site post with 403", async ({ request }) => {
    const big = await request.post("/login", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      data: "email=a%40b.c&password=" + "x".repeat(2_000_000),
    });
    expect(big.status()).toBe(413);
    const crossSite = await request.post("/logout", { headers: { origin: "https://evil.example" } });
    expect(crossSite.status()).toBe(403);
  });

  test("a bank statement of a few megabytes reaches the statements page (an upload route); the same body elsewhere is refused", async ({ page }) => {
    await signIn(page, "bayader.finance@demo.tadamon.org", DEMO_PASSWORD);
    // ~3 MB: far above the 1 MB of an ordinary form, well under a statement's 20 MB.
    const rows = Array.from({ length: 60_000 }, (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, "0")},Line ${i} of a large statement,${(i % 90) + 10}.00`);
    const file = { name: "large.csv", mimeType: "text/csv", buffer: Buffer.from(`Date,Description,Amount\n${rows.join("\n")}\n`) };
    expect(file.buffer.length).toBeGreaterThan(2_000_000);
    const origin = new URL(page.url()).origin;
    // Not a real account id: the page answers for itself (a 4xx of its own), not the server's 413.
    const statement = await page.request.post("/finance/bayader-camps/statements", { headers: { origin }, multipart: { moneyAccountId: "00000000-0000-0000-0000-000000000000", file } });
    expect(statement.status()).not.toBe(413);
    expect(statement.status()).toBeLessThan(500);
    const elsewhere = await page.request.post("/finance/bayader-camps/accounts", { headers: { origin }, multipart: { file } });
    expect(elsewhere.status()).toBe(413);
  });
});

import { DEMO_PASSWORD, expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import { signIn, strings, uniqueEmail } from "./helpers";

const ar = strings.ar;
const ORG = "bayader-camps";

test.describe("staff", () => {
  test("an org admin invites a verifier, who accepts and sees only what a verifier may", async ({
    page,
    browser,
    mailbox,
    consoleErrors,
  }) => {
    const invited = uniqueEmail("verifier");

    await signIn(page, "bayader.admin@demo.tadamon.org", DEMO_PASSWORD);
    await page.goto(`/staff/${ORG}/members`);
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel(ar.staff.members.invite.email, { exact: true }).fill(invited);
    await page.getByLabel(ar.staff.members.invite.role, { exact: true }).selectOption("verifier");
    await page.getByRole("button", { name: ar.staff.members.invite.submit, exact: true }).click();
    await expect(page.getByRole("cell", { name: invited })).toBeVisible();

    const link = await mailbox.waitForLink(invited);
    expect(new URL(link).pathname).toMatch(/^\/invites\//);

    // The invitee opens the link in their own browser, with no account yet.
    const context = await browser.newContext();
    const invitee = await context.newPage();
    const inviteeErrors: string[] = [];
    invitee.on("console", (m) => {
      if (m.type() === "error" && !/status of (403|404|410)/.test(m.text())) inviteeErrors.push(m.text());
    });
    await invitee.goto(link);
    await expect(invitee.getByText(ar.common.roles.verifier).first()).toBeVisible();
    await expectNoSeriousA11yViolations(invitee);
    await invitee.getByLabel(ar.staff.invites.create.displayName, { exact: true }).fill("سلمى المدققة");
    await invitee.getByLabel(ar.staff.invites.create.password, { exact: true }).fill("verifier passphrase 1");
    await invitee.getByRole("button", { name: ar.staff.invites.create.submit, exact: true }).click();
    await expect(invitee).toHaveURL(new RegExp(`/staff/${ORG}$`));
    await expect(invitee.getByTestId("org-name")).toBeVisible();
    await expectNoSeriousA11yViolations(invitee);

    // A verifier's navigation has no members, audit, settings or finance; the pages refuse them.
    const staffNav = invitee.getByRole("navigation", { name: ar.staff.layout.navLabel });
    await expect(staffNav.getByRole("link", { name: ar.staff.nav.dashboard })).toBeVisible();
    for (const hidden of [ar.staff.nav.members, ar.staff.nav.audit, ar.staff.nav.settings, ar.staff.nav.finance]) {
      await expect(staffNav.getByRole("link", { name: hidden })).toHaveCount(0);
    }
    for (const path of [`/staff/${ORG}/members`, `/staff/${ORG}/audit`, `/staff/${ORG}/settings`, `/finance/${ORG}`]) {
      const response = await invitee.goto(path);
      expect(response?.status(), path).toBe(403);
    }
    // Another organisation's staff area does not even exist for them.
    expect((await invitee.goto("/staff/sohag-palms"))?.status()).toBe(404);
    // The link cannot be used twice.
    expect((await invitee.goto(link))?.status()).toBe(410);
    expect(inviteeErrors).toEqual([]);
    await context.close();

    // The admin now sees the new verifier among the members.
    await page.goto(`/staff/${ORG}/members`);
    await expect(page.getByRole("cell", { name: invited })).toBeVisible();
    consoleErrors.allow(/status of 40[34]/);
  });

  test("a donor asking for a staff, finance or admin page is refused", async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 40[34]/);
    await signIn(page, "donor.beirut@demo.tadamon.org", DEMO_PASSWORD);
    expect((await page.goto(`/staff/${ORG}`))?.status()).toBe(404);
    expect((await page.goto(`/staff/${ORG}/members`))?.status()).toBe(404);
    expect((await page.goto(`/finance/${ORG}`))?.status()).toBe(404);
    expect((await page.goto("/admin/organizations"))?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: ar.common.errorPage.forbidden.title })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test("an org admin's dashboard and audit log, in both languages", async ({ page }) => {
    await signIn(page, "bayader.admin@demo.tadamon.org", DEMO_PASSWORD);
    await page.goto(`/staff/${ORG}`);
    await expectNoSeriousA11yViolations(page);
    await page.goto(`/staff/${ORG}/audit`);
    // The log in words: each entry names its record, never a raw JSON dump.
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    await expect(page.getByTestId("audit-entries")).not.toContainText('{"');
    await expectNoSeriousA11yViolations(page);
    await page.getByRole("button", { name: ar.common.locale.switchTo }).click();
    await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    await expect(page.getByTestId("audit-entries")).not.toContainText('{"');
    await expectNoSeriousA11yViolations(page);
  });
});

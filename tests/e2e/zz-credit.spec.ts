/**
 * Donor credit (issue 12), last of the suite on purpose: it cancels a demo need, which no later
 * test may count on. A donor pays a need by test card; staff cancel the need; the donor finds the
 * credit on their pledges page and moves it to another need in one click — in English, then the
 * credit page is checked right to left in Arabic.
 */
import { DEMO_PASSWORD, DEMO_USERS, expect, test } from "./fixtures";
import { payOnStandIn, signIn } from "./helpers";
import enPledging from "../../app/locales/en/pledging.json" with { type: "json" };

const donor = DEMO_USERS.find((u) => u.email.startsWith("donor.diaspora@"))!;
const caseworker = DEMO_USERS.find((u) => u.email.startsWith("bayader.caseworker@"))!;

test("a cancelled need's money becomes credit that the donor moves to another need (en, then the page in ar)", async ({ page, context }) => {
  test.setTimeout(150_000);
  // A published need of Bayader: its staff page gives its public id.
  await signIn(page, caseworker.email, DEMO_PASSWORD);
  await page.goto("/staff/bayader-camps/needs?state=published&category=school_fees&lng=en");
  await page.locator('a[href^="/staff/bayader-camps/needs/"]').first().click();
  await page.waitForURL(/\/staff\/bayader-camps\/needs\/[0-9a-f-]{36}/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/[0-9A-Z]{8,32}/);
  const staffUrl = page.url();
  const publicId = /[0-9A-Z]{8,32}/.exec(await page.getByRole("heading", { level: 1 }).innerText())![0];

  // The donor pays 10 on it by test card.
  await context.clearCookies();
  await signIn(page, donor.email, DEMO_PASSWORD);
  await page.goto(`/needs/${publicId}/pledge?lng=en`);
  const form = page.getByTestId("pledge-form");
  await form.locator("#pledge-amount").fill("10");
  await form.locator('input[name="method"][value="card"]').check();
  await form.getByRole("button", { name: enPledging.form.submit, exact: true }).click();
  await payOnStandIn(page);

  // Staff cancel the need, with a reason.
  await context.clearCookies();
  await signIn(page, caseworker.email, DEMO_PASSWORD);
  await page.goto(`${staffUrl}?lng=en`);
  await page.locator("summary", { hasText: "Cancel" }).click();
  await page.locator("#need-cancel-reason").fill("The family moved away.");
  await page.locator("#need-cancel-form").getByTestId("need-action-cancel").click();
  await expect(page).toHaveURL(/notice=cancel/);

  // The donor's pledges page offers the credit (the job runs right after the cancel).
  await context.clearCookies();
  await signIn(page, donor.email, DEMO_PASSWORD);
  await expect
    .poll(async () => {
      await page.goto("/account/pledges?lng=en");
      return page.getByTestId("my-credits").count();
    }, { timeout: 30_000 })
    .toBeGreaterThan(0);
  await page.getByTestId("my-credits").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/credits\//);
  const creditUrl = page.url();
  await expect(page.getByTestId("credit-options").locator("li").first()).toBeVisible();
  await page.getByTestId("credit-options").locator("button").first().click();
  await expect(page.getByTestId("credit-done")).toContainText("Done: your gift went to");

  // In Arabic the page reads right to left and says where it went.
  await page.goto(`${creditUrl.split("?")[0]}?lng=ar`);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByTestId("credit-done")).toContainText("ذهب عطاؤك إلى");
});

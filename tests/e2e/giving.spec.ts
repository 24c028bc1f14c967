/**
 * Giving preferences (issue 12): a donor says what they want to support, in Arabic and English,
 * without JavaScript (donor pages are server-rendered), and the needs page then shows only the
 * needs that match.
 */
import { DEMO_PASSWORD, DEMO_USERS, expect, test } from "./fixtures";
import { payOnStandIn, signIn, strings, waitForMonthPaid } from "./helpers";

const donor = DEMO_USERS.find((u) => u.email.startsWith("donor.beirut@"))!;

for (const lng of ["ar", "en"] as const) {
  test(`a donor sets giving preferences and sees the needs that match (${lng})`, async ({ page, consoleErrors }) => {
    const s = strings[lng].giving;
    await signIn(page, donor.email, DEMO_PASSWORD);
    await page.goto(`/account/giving?lng=${lng}`);
    await expect(page.locator("html")).toHaveAttribute("dir", lng === "ar" ? "rtl" : "ltr");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(s.preferences.heading);

    // Only medical care, any region or organisation; a monthly budget; no digest.
    const categories = page.getByTestId("giving-categories").locator('input[name="categories"]');
    for (const box of await categories.all()) await box.setChecked((await box.getAttribute("value")) === "medical_treatment");
    await page.getByLabel(s.preferences.monthlyBudget).fill("50");
    await page.getByLabel(s.preferences.budgetCurrency).selectOption("USD");
    await page.getByRole("button", { name: s.preferences.save }).click();
    await expect(page.getByRole("status")).toContainText(s.preferences.saved);
    await expect(page.getByTestId("giving-categories").locator('input[value="medical_treatment"]')).toBeChecked();
    await expect(page.getByLabel(s.preferences.monthlyBudget)).toHaveValue("50.00");

    // A budget in a currency's wrong precision is refused with a message (a 400), and nothing changes.
    consoleErrors.allow(/status of 400 .*\/account\/giving/);
    await page.getByLabel(s.preferences.monthlyBudget).fill("10.555");
    await page.getByRole("button", { name: s.preferences.save }).click();
    await expect(page.getByRole("alert").first()).toBeVisible();
    await page.goto(`/account/giving?lng=${lng}`);
    await expect(page.getByLabel(s.preferences.monthlyBudget)).toHaveValue("50.00");

    await page.getByTestId("giving-see-matches").click();
    await expect(page).toHaveURL(/\/needs\?match=mine/);
    await expect(page.getByTestId("listing-match-notice")).toContainText(s.matches.active);
    const categoryLabels = await page.getByTestId("public-need-list").locator("li").allInnerTexts();
    expect(categoryLabels.length).toBeGreaterThan(0);
    const medical = strings[lng].needs.categories.medical_treatment;
    for (const card of categoryLabels) expect(card).toContain(medical);
  });
}

/**
 * The solidarity fund (issue 12): a donor gives to an organisation's fund every month by card (a
 * subscription, through the stand-in), finance runs the allocator, and the donor's pledges page
 * says which need got the money and why; the gift's own page lists its months and cancels it.
 */
test("a donor gives monthly to a solidarity fund by card, finance runs it, and the donor sees where it went (en)", async ({ page, context }) => {
  test.setTimeout(120_000);
  const s = strings.en.giving;
  const giver = DEMO_USERS.find((u) => u.email.startsWith("donor.cairo@"))!;
  const finance = DEMO_USERS.find((u) => u.email.startsWith("sohag.finance@"))!;
  await signIn(page, giver.email, DEMO_PASSWORD);
  await page.goto("/orgs/sohag-palms?lng=en");
  await page.getByTestId("org-give-fund").click();
  await expect(page).toHaveURL(/\/orgs\/sohag-palms\/give/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("solidarity fund");
  await page.getByLabel(/^Amount/).fill("300");
  await page.getByTestId("give-frequency-monthly").check();
  await page.locator('input[name="method"][value="card"]').check();
  await page.getByTestId("give-submit").click();
  await expect(page).toHaveURL(/\/dev\/subscribe\//);
  await page.locator('input[name="cardNumber"]').fill("4242 4242 4242 4242");
  await page.getByTestId("standin-pay").click();

  // The gift's page: active, this month received.
  await waitForMonthPaid(page);
  const giftUrl = page.url();
  const reference = (await page.getByTestId("monthly-months").locator("a").first().innerText()).trim();

  // The month's receipt names the fund and says sadaqa.
  await page.goto(`/pledges/${reference}?lng=en`);
  await page.locator('a[href^="/receipts/"]').first().click();
  await expect(page.getByTestId("receipt-given-as")).toHaveText("Sadaqa (voluntary charity)");
  await expect(page.locator("main")).toContainText("solidarity fund");
  await page.goto("/account/monthly?lng=en");
  await expect(page.getByTestId("monthly-gifts")).toContainText("solidarity fund");

  // Finance runs the fund (the dry run first shows the plan).
  await context.clearCookies();
  await signIn(page, finance.email, DEMO_PASSWORD);
  await page.goto("/finance/sohag-palms/funds?lng=en");
  await expect(page.getByTestId("fund-balances")).toContainText(s.funds.kinds.unrestricted_fund);
  await expect(page.getByTestId("fund-plan-row").first()).toBeVisible();
  await page.getByTestId("fund-run").click();
  await expect(page.getByTestId("fund-ran")).toBeVisible();

  // The donor's pledges page: the gift went to a named need, with why.
  await context.clearCookies();
  await signIn(page, giver.email, DEMO_PASSWORD);
  await page.goto("/account/pledges?lng=en");
  const row = page.locator("tr", { has: page.getByText(reference, { exact: true }) });
  await expect(row).toContainText("solidarity fund");
  const trail = page.getByRole("list", { name: new RegExp(reference) });
  await expect(trail.locator('[data-step="after"]')).toContainText(/went on .* to “/);
  await expect(trail.locator('[data-step="after"]')).toContainText("Why this need:");
  await expect(trail.locator('[data-step="after"] a[href^="/needs/"]').first()).toBeVisible();

  // Cancelled from the gift's page, in one click.
  await page.goto(giftUrl);
  await page.getByTestId("monthly-cancel").click();
  await expect(page.getByTestId("monthly-status")).toHaveAttribute("data-status", "cancelled");
});

test("the fund gift page in Arabic: right to left, a bad amount refused with a message, a zakat gift by bank transfer gets its reference", async ({ page, consoleErrors }) => {
  await page.goto("/orgs/sohag-palms/give?lng=ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  consoleErrors.allow(/status of 400 .*\/orgs\/sohag-palms\/give/);
  await page.locator("#give-amount").fill("1");
  await page.locator('input[name="method"][value="bank_transfer"]').check();
  await page.locator("#give-email").fill(`zakat.${Date.now().toString(36)}@e2e.tadamon.test`);
  const response = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/orgs/sohag-palms/give"));
  await page.getByTestId("give-submit").click();
  expect((await response).status()).toBe(400);
  await expect(page.locator("#give-amount-error")).toContainText("أقل مبلغ");
  await page.locator("#give-amount").fill("250");
  await page.getByTestId("give-zakat").check();
  await page.getByTestId("give-submit").click();
  await expect(page).toHaveURL(/\/pledges\/TDM-/);
  await expect(page.locator("main")).toContainText("صندوق الزكاة");
});

/**
 * Kafala (issue 12, decision 067), in Arabic: a sponsor finds a need offered for sponsorship,
 * commits by card for its monthly instalment, pays the first month on the stand-in, and sees the
 * month received; the need's card then says it is sponsored.
 */
test("a sponsor takes a kafala by card and pays the first month (ar)", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/needs?org=sohag-palms&category=school_fees&lng=ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  const card = page.getByTestId("need-card").filter({ has: page.getByTestId("need-kafala") }).first();
  await expect(card.getByTestId("need-kafala")).toHaveText(strings.ar.needs.card.kafala);
  await card.locator("a").first().click();
  await page.getByTestId("kafala-start").click();
  await expect(page).toHaveURL(/\/needs\/[0-9A-Z]+\/sponsor/);
  await expect(page.getByTestId("kafala-terms")).toContainText("4");
  await page.locator('input[name="method"][value="card"]').check();
  await page.locator("#kafala-email").fill(`kafil.${Date.now().toString(36)}@e2e.tadamon.test`);
  await page.getByTestId("kafala-submit").click();
  await expect(page).toHaveURL(/\/dev\/subscribe\//);
  await page.locator('input[name="cardNumber"]').fill("4242 4242 4242 4242");
  await page.getByTestId("standin-pay").click();
  await waitForMonthPaid(page);
  await expect(page.locator("main")).toContainText("كفالة");
  // (Another URL than the first visit: the browser may keep public pages for a minute.)
  await page.goto("/needs?category=school_fees&org=sohag-palms&lng=ar");
  await expect(page.getByTestId("need-kafala").first()).toHaveText(strings.ar.needs.card.kafalaSponsored);
});

/**
 * A matched appeal (issue 12, decision 068), in English: a donor opens the demo's winter health
 * appeal (a sponsor doubles every gift), gives to one of its needs by card, and the pledge page
 * then says the gift was doubled.
 */
test("an appeal with a matching sponsor doubles a donor's card gift (en)", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/appeals/sohag-winter-health?lng=en");
  await expect(page.getByTestId("appeal-match")).toContainText("100%");
  await page.getByTestId("appeal-need-list").locator("a").first().click();
  await page.getByTestId("pledge-start").click();
  const form = page.getByTestId("pledge-form");
  await form.locator("#pledge-amount").fill("150");
  await form.locator('input[name="method"][value="card"]').check();
  await form.locator("#pledge-email").fill(`matched.${Date.now().toString(36)}@e2e.tadamon.test`);
  await form.locator('button[type="submit"]').last().click();
  await payOnStandIn(page);
  const reference = /TDM-[0-9A-Z-]+/.exec(page.url())![0];
  await expect
    .poll(async () => {
      await page.goto(`/pledges/${reference}?lng=en`);
      return page.getByTestId("pledge-matched").count();
    }, { timeout: 30_000 })
    .toBe(1);
  await expect(page.getByTestId("pledge-matched")).toContainText("became");
});

/**
 * Monthly giving offline (decision 066), in Arabic: a guest sets up a standing order by bank
 * transfer; the gift's own page (the signed link) shows this month's reference and cancels it.
 */
test("a guest sets up a monthly standing order by bank transfer and cancels it (ar)", async ({ page }) => {
  const s = strings.ar.giving;
  await page.goto("/orgs/sohag-palms/give?lng=ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.locator("#give-amount").fill("200");
  await page.getByTestId("give-frequency-monthly").check();
  await page.locator('input[name="method"][value="bank_transfer"]').check();
  await page.locator("#give-email").fill(`monthly.${Date.now().toString(36)}@e2e.tadamon.test`);
  await page.getByTestId("give-submit").click();
  await expect(page).toHaveURL(/\/monthly\/[0-9a-f-]{36}\?s=.*created=1/);
  await expect(page.getByTestId("monthly-notice")).toHaveText(s.monthly.notice.created);
  await expect(page.getByTestId("monthly-months").locator("a")).toHaveText(/TDM-/);
  await page.getByTestId("monthly-cancel").click();
  await expect(page.getByTestId("monthly-status")).toHaveAttribute("data-status", "cancelled");
  await expect(page.getByTestId("monthly-notice")).toHaveText(s.monthly.notice.cancelled);
});

/**
 * "Give where it is needed most" (decision 071), in English: the donor says what and how much,
 * Tadamon names the organisation and why, and its fund form opens filled in; a bank transfer gets
 * its reference.
 */
test("a donor gives where it is needed most: Tadamon names the organisation and why, its form opens filled in (en)", async ({ page }) => {
  const s = strings.en.giving.platform;
  await page.goto("/?lng=en");
  await page.getByTestId("home-give-anywhere").click();
  await expect(page).toHaveURL(/\/give/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(s.heading);
  await page.getByTestId("platform-amount").fill("40");
  await page.getByTestId("platform-currency").selectOption("USD");
  await page.locator('input[name="categories"][value="school_fees"]').check();
  await page.getByTestId("platform-submit").click();
  await expect(page.getByTestId("platform-result")).toContainText(s.goesTo);
  await expect(page.getByTestId("platform-result")).toContainText("urgency");
  await page.getByTestId("platform-give").click();
  await expect(page).toHaveURL(/\/orgs\/[a-z0-9-]+\/give\?.*via=platform/);
  await expect(page.getByTestId("give-via-platform")).toBeVisible();
  await expect(page.locator("#give-amount")).toHaveValue("40");
  await expect(page.locator('input[name="categories"][value="school_fees"]')).toBeChecked();
  await page.locator('input[name="method"][value="bank_transfer"]').check();
  await page.locator("#give-email").fill(`anywhere.${Date.now().toString(36)}@e2e.tadamon.test`);
  await page.getByTestId("give-submit").click();
  await expect(page).toHaveURL(/\/pledges\/TDM-/);
});

/**
 * Updates for donors (decision 070), in Arabic: a caseworker writes one on a published need, a
 * verifier (another person) publishes it, and it is on the need's public page.
 */
test("a caseworker writes an update, a verifier publishes it, and the need's page shows it (ar)", async ({ browser }) => {
  test.setTimeout(90_000);
  const s = strings.ar.needs.updates;
  const caseworker = await browser.newContext();
  const writer = await caseworker.newPage();
  await signIn(writer, "bayader.caseworker@demo.tadamon.org", DEMO_PASSWORD);
  await writer.goto("/staff/bayader-camps/needs?state=published&lng=ar");
  await writer.locator('table a[href*="/staff/bayader-camps/needs/"]').first().click();
  await writer.getByTestId("need-updates-link").click();
  await expect(writer).toHaveURL(/\/updates/);
  const updatesUrl = new URL(writer.url()).pathname;
  const text = `بدأ الفصل الدراسي والحمد لله ${Date.now().toString(36)}`;
  await writer.getByTestId("update-ar").fill(text);
  await writer.getByTestId("update-submit").click();
  await expect(writer.locator("main")).toContainText(s.notice.written);
  await expect(writer.getByTestId("update-item").first()).toHaveAttribute("data-state", "pending");
  await expect(writer.getByTestId("update-publish")).toHaveCount(0);
  await caseworker.close();

  const verifierContext = await browser.newContext();
  const verifier = await verifierContext.newPage();
  await signIn(verifier, "bayader.verifier@demo.tadamon.org", DEMO_PASSWORD);
  await verifier.goto(`${updatesUrl}?lng=ar`);
  await verifier.getByTestId("update-publish").first().click();
  await expect(verifier.locator("main")).toContainText(s.notice.published);
  // The public page of that need shows the text (and nobody's name), to a visitor who is not signed in.
  const publicPath = await verifier.getByTestId("update-public-link").getAttribute("href");
  await verifierContext.close();
  const visitor = await browser.newPage();
  await visitor.goto(`${publicPath}?lng=ar&fresh=${Date.now()}`);
  await expect(visitor.getByTestId("need-updates")).toContainText(text);
  await expect(visitor.locator("html")).toHaveAttribute("dir", "rtl");
  await visitor.close();
});

/**
 * Giving preferences (issue 12): a donor says what they want to support, in Arabic and English,
 * without JavaScript (donor pages are server-rendered), and the needs page then shows only the
 * needs that match.
 */
import { DEMO_PASSWORD, DEMO_USERS, expect, test } from "./fixtures";
import { signIn, strings } from "./helpers";

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

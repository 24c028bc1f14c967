import { DEMO_ORGANIZATIONS, expect, expectNoSeriousA11yViolations, test } from "./fixtures";

test.describe("smoke", () => {
  test("the home page is Arabic, right-to-left, and lists the seeded organisations", async ({ page }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "ar");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    const list = page.getByTestId("org-list");
    for (const org of DEMO_ORGANIZATIONS) {
      await expect(list.getByText(org.nameAr, { exact: true })).toBeVisible();
    }
  });

  test("/healthz answers 200 when the database answers", async ({ request }) => {
    const response = await request.get("/healthz");
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "up" });
  });

  test("the home page has no serious or critical accessibility violation", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("org-list")).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
});

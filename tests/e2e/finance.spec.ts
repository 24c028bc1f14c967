import { DEMO_PASSWORD, expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import { signIn, strings, uniqueEmail } from "./helpers";
import arPledging from "../../app/locales/ar/pledging.json" with { type: "json" };
import arFinance from "../../app/locales/ar/finance.json" with { type: "json" };
import type { Page } from "@playwright/test";

/**
 * The staff side of pledges: a guest pledges on a Bayader need, Bayader's finance officer finds the
 * pledge by its reference on /finance/bayader-camps/pledges and records the money; an in-kind
 * delivery offer is received on the need's staff page.
 */

const ar = strings.ar;
const ORG = "bayader-camps";
const FINANCE = "bayader.finance@demo.tadamon.org";
const REFERENCE = /^TDM-[0-9A-Z]{4}-[0-9A-Z]{3}$/;

/** From the organisation's needs of a category, open the first one and go to its pledge page. */
async function openPledgeForm(page: Page, category: string, index = 0) {
  await page.goto(`/needs?org=${ORG}&category=${category}`);
  await page.getByTestId("public-need-list").getByRole("link").nth(index).click();
  await expect(page.getByTestId("need-verified-by")).toBeVisible();
  await page.getByTestId("pledge-start").click();
  await expect(page.getByTestId("pledge-form")).toBeVisible();
}

/** Submits the pledge form and reads the reference code off the instructions page. */
async function submitPledge(page: Page) {
  await page.getByTestId("pledge-form").getByRole("button", { name: arPledging.form.submit }).click();
  await expect(page).toHaveURL(/\/pledges\/TDM-/);
  const reference = (await page.getByTestId("pledge-reference").innerText()).trim();
  expect(reference).toMatch(REFERENCE);
  return reference;
}

/** Signs in as Bayader's finance officer and opens the pledges page from the finance home, in Arabic. */
async function openFinancePledges(page: Page) {
  await signIn(page, FINANCE, DEMO_PASSWORD);
  await page.goto(`/finance/${ORG}?lng=ar`);
  await page.getByTestId("finance-pledges-link").click();
  await expect(page).toHaveURL(new RegExp(`/finance/${ORG}/pledges$`));
  await expect(page.getByRole("heading", { level: 1, name: ar.staff.pledges.title })).toBeVisible();
}

/** Types the reference as a person might (lower case, no dashes) and filters. */
async function findByReference(page: Page, reference: string) {
  await page.locator("#pledges-q").fill(reference.toLowerCase().replace(/-/g, ""));
  await page.getByRole("button", { name: ar.staff.pledges.filters.submit, exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  const row = page.locator(`[data-testid="pledge-row"][data-reference="${reference}"]`);
  await expect(row).toHaveCount(1);
  return row;
}

/**
 * From the pledge's row on the pledges page into the payments inbox with the pledge chosen: the
 * amount still owed and today's date are filled in; preview, confirm (two steps, plain forms),
 * then the payment page; back on the pledges page the pledge is paid.
 */
async function recordFromRow(page: Page, row: ReturnType<Page["locator"]>, reference: string) {
  await row.getByTestId("record-payment-open").click();
  await expect(page).toHaveURL(new RegExp(`/finance/${ORG}/payments\\?pledge=`));
  await expect(page.getByTestId("record-pledge")).toContainText(reference);
  await page.getByTestId("record-preview-submit").click();
  await expect(page.getByTestId("record-preview")).toHaveAttribute("data-outcome", "paid");
  await page.getByTestId("record-confirm").click();
  await expect(page).toHaveURL(/\/payments\/[0-9a-f-]{36}\?notice=recorded/);
  await expect(page.getByTestId("payment-notice")).toHaveText(arFinance.payment.notices.recorded);
  await page.goto(`/finance/${ORG}/pledges?q=${encodeURIComponent(reference)}`);
  return page.locator(`[data-testid="pledge-row"][data-reference="${reference}"]`);
}

test.describe("finance: pledges", () => {
  test("a guest pledges by bank transfer; the finance officer finds it by reference and records the payment", async ({ page }) => {
    await openPledgeForm(page, "school_fees");
    const form = page.getByTestId("pledge-form");
    await form.locator("#pledge-amount").fill("10");
    await form.locator('input[name="method"][value="bank_transfer"]').check();
    await form.locator("#pledge-email").fill(uniqueEmail("finance-e2e"));
    const reference = await submitPledge(page);
    await expect(page.getByTestId("pledge-status")).toHaveText(arPledging.status.pending);

    await openFinancePledges(page);
    await expectNoSeriousA11yViolations(page);
    const row = await findByReference(page, reference);
    await expect(row.getByTestId("pledge-reference")).toHaveText(reference);
    await expect(row.getByTestId("pledge-status")).toHaveText(ar.staff.pledgeStatus.pending);
    await expect(row).toContainText(ar.staff.pledgeMethods.bank_transfer);
    await expectNoSeriousA11yViolations(page);

    // Into the payments inbox: what arrived is recorded in two steps.
    const paid = await recordFromRow(page, row, reference);
    await expect(paid.getByTestId("pledge-status")).toHaveText(ar.staff.pledgeStatus.paid);
    await expect(paid.getByTestId("record-payment-open")).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);

    // Filtering by status finds it among the paid pledges.
    await page.goto(`/finance/${ORG}/pledges?status=paid&q=${encodeURIComponent(reference)}`);
    await expect(page.locator(`[data-testid="pledge-row"][data-reference="${reference}"]`)).toHaveCount(1);
  });

  test("an in-kind delivery offer is received on the need's staff page", async ({ page }) => {
    // Bayader's in-kind needs: offer to deliver the first item line still needed.
    let reference: string | null = null;
    for (let index = 0; index < 2 && !reference; index += 1) {
      await openPledgeForm(page, "in_kind_item", index);
      const form = page.getByTestId("pledge-form");
      const item = form.locator('input[name^="item-"]:not([disabled])').first();
      if ((await item.count()) === 0) continue;
      await item.fill("1");
      await form.locator('input[name="method"][value="delivery"]').check();
      await form.locator("#pledge-email").fill(uniqueEmail("offer-e2e"));
      reference = await submitPledge(page);
      await expect(page.getByTestId("pledge-status")).toHaveText(arPledging.status.offered);
    }
    test.skip(!reference, "every item of the seeded in-kind needs is already pledged (a reused database)");

    await openFinancePledges(page);
    const row = await findByReference(page, reference!);
    await expect(row.getByTestId("pledge-status")).toHaveText(ar.staff.pledgeStatus.offered);
    await expect(row).toContainText(ar.staff.pledgeMethods.delivery);
    // Deliveries are not recorded as payments here.
    await expect(row.getByTestId("record-payment-open")).toHaveCount(0);

    // The need's staff page lists the offer with its item line and the decision buttons.
    await row.getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`/staff/${ORG}/needs/[0-9a-f-]{36}`));
    const offer = page.locator(`[data-testid="need-pledge-row"][data-reference="${reference}"]`);
    await expect(offer.getByTestId("pledge-items")).toContainText("×");
    await expectNoSeriousA11yViolations(page);
    await offer.getByTestId("offer-received").click();
    await expect(page).toHaveURL(/notice=offerReceived/);
    await expect(offer.getByTestId("pledge-status")).toHaveText(ar.staff.pledgeStatus.received);
    await expect(offer.getByTestId("offer-received")).toHaveCount(0);
  });
});

test.describe("finance: pledges without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the search, the inbox and the two-step payment record work with plain forms", async ({ page }) => {
    await openPledgeForm(page, "school_fees");
    const form = page.getByTestId("pledge-form");
    await form.locator("#pledge-amount").fill("10");
    await form.locator('input[name="method"][value="cash"]').check();
    await form.locator("#pledge-email").fill(uniqueEmail("finance-nojs"));
    const reference = await submitPledge(page);

    await openFinancePledges(page);
    const row = await findByReference(page, reference);
    const paid = await recordFromRow(page, row, reference);
    await expect(paid.getByTestId("pledge-status")).toHaveText(
      ar.staff.pledgeStatus.paid,
    );
  });
});

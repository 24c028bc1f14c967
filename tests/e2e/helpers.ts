import { expect, type Page } from "@playwright/test";
import arAuth from "../../app/locales/ar/auth.json" with { type: "json" };
import enAuth from "../../app/locales/en/auth.json" with { type: "json" };
import arCommon from "../../app/locales/ar/common.json" with { type: "json" };
import enCommon from "../../app/locales/en/common.json" with { type: "json" };
import arStaff from "../../app/locales/ar/staff.json" with { type: "json" };
import enStaff from "../../app/locales/en/staff.json" with { type: "json" };
import arRegistry from "../../app/locales/ar/registry.json" with { type: "json" };
import enRegistry from "../../app/locales/en/registry.json" with { type: "json" };
import arNeeds from "../../app/locales/ar/needs.json" with { type: "json" };
import enNeeds from "../../app/locales/en/needs.json" with { type: "json" };
import arGiving from "../../app/locales/ar/giving.json" with { type: "json" };
import enGiving from "../../app/locales/en/giving.json" with { type: "json" };

/** The app's own strings, so tests find buttons by what a person reads, in either language. */
export const strings = {
  ar: { auth: arAuth, common: arCommon, staff: arStaff, registry: arRegistry, needs: arNeeds, giving: arGiving },
  en: { auth: enAuth, common: enCommon, staff: enStaff, registry: enRegistry, needs: enNeeds, giving: enGiving },
};

export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@e2e.tadamon.test`;
}

/** Signs in through the Arabic sign-in page, as a person would. */
export async function signIn(page: Page, email: string, password: string, redirectTo?: string) {
  const s = strings.ar.auth;
  await page.goto(redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login");
  await page.getByLabel(s.fields.email, { exact: true }).fill(email);
  await page.getByLabel(s.fields.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: s.login.submit, exact: true }).click();
  // The account's own language applies after sign-in (a demo donor may prefer English).
  await page
    .getByRole("button", { name: new RegExp(`^(${strings.ar.common.auth.signOut}|${strings.en.common.auth.signOut})$`) })
    .waitFor();
}

/** Back from the stand-in checkout: the job confirms the card payment; reload until the page says it arrived. */
export async function waitForCardPaid(page: Page) {
  await expect(page).toHaveURL(/\/pledges\/TDM-[0-9A-Z-]+\/card-return/);
  await expect
    .poll(async () => {
      if (await page.getByTestId("card-return-paid").count()) return true;
      await page.reload();
      return false;
    }, { timeout: 20_000 })
    .toBe(true);
}

/** On the stand-in checkout: pays with the test card that succeeds, then waits until Tadamon has the payment. */
export async function payOnStandIn(page: Page) {
  await expect(page).toHaveURL(/\/dev\/checkout\/cs_test_standin_/);
  await page.locator('input[name="cardNumber"]').fill("4242 4242 4242 4242");
  await page.getByTestId("standin-pay").click();
  await waitForCardPaid(page);
}

/**
 * On a monthly gift's page, back from the stand-in: the webhook's events are processed by the job,
 * so the page is reloaded until this month shows as received.
 */
export async function waitForMonthPaid(page: Page) {
  await expect(page).toHaveURL(/\/monthly\/[0-9a-f-]{36}\?s=/);
  await expect
    .poll(async () => {
      if ((await page.getByTestId("month-paid").count()) === 1) return true;
      await page.reload();
      return false;
    }, { timeout: 20_000 })
    .toBe(true);
  await expect(page.getByTestId("monthly-status")).toHaveAttribute("data-status", "active");
}

// The guard workflow (decision 055), as a caseworker and a verifier of the demo camp association use it.
import type { Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, test } from "./fixtures";
import { signIn, strings } from "./helpers";

const ar = strings.ar;
const ORG = "bayader-camps";

function futureDay(): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + 4);
  return d.toISOString().slice(0, 10);
}

/**
 * A caseworker registers a household with a son called عمر, then writes a need whose English
 * story names him as "Omar" and presses the preview button (nothing is saved).
 */
async function previewStoryNamingTheChild(page: Page) {
  await signIn(page, "bayader.caseworker@demo.tadamon.org", DEMO_PASSWORD);
  await page.goto(`/staff/${ORG}/households/new`);
  await page.locator("#headFullName").fill("سلمى خليل الأسعد");
  await page.locator("#headSex").selectOption("female");
  await page.locator("#headBirthYear").fill("1986");
  await page.locator("#m0-fullName").fill("عمر خليل الأسعد");
  await page.locator("#m0-relation").selectOption("child");
  await page.locator("#m0-sex").selectOption("male");
  await page.locator("#m0-birthYear").fill("2015");
  await page.locator("#consentGivenOn").fill(new Date().toISOString().slice(0, 10));
  await page.locator('input[name="consentPublish"]').check();
  await page.getByRole("button", { name: ar.registry.new.submit, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/${ORG}/households/[0-9a-f-]{36}`));

  await page.getByTestId("household-new-need").click();
  await page.locator("#need-editor-category").selectOption("school_fees");
  await page.locator("#need-editor-target").fill("300");
  await page.locator("#need-editor-deadline").fill(futureDay());
  await page.locator("#need-editor-payeeKind").selectOption("school");
  await page.locator("#need-editor-payeeName").fill("مدرسة الأمل الخاصة");
  await page.locator("#need-editor-titleAr").fill("أقساط مدرسية لطفل في الصف الخامس");
  await page.locator("#need-editor-titleEn").fill("School fees for a boy in grade 5");
  await page.locator("#need-editor-storyEn").fill("Her son Omar loves maths and wants to stay in school.");
  await page.getByTestId("need-preview").click();
}

async function expectOmarHighlighted(page: Page) {
  const findings = page.getByTestId("guard-hits");
  await expect(findings).toBeVisible();
  await expect(findings.getByTestId("guard-mark").filter({ hasText: "Omar" }).first()).toBeVisible();
  await expect(page.getByTestId("guard-hit-list")).toContainText("Omar");
  // Previewing saved nothing: still the new-need page.
  await expect(page).toHaveURL(new RegExp(`/staff/${ORG}/needs/new\\?household=`));
}

test.describe("the preview highlights a child's short name before submit", () => {
  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });
    test("the preview button posts and the page comes back with the name marked", async ({ page }) => {
      await previewStoryNamingTheChild(page);
      await expectOmarHighlighted(page);
    });
  });

  test("with JavaScript", async ({ page }) => {
    await previewStoryNamingTheChild(page);
    await expectOmarHighlighted(page);
  });
});

test("a verifier opens a submitted need and sees the public card in Arabic and in English side by side, next to the private facts", async ({ page }) => {
  await signIn(page, "bayader.verifier@demo.tadamon.org", DEMO_PASSWORD);
  await page.goto(`/staff/${ORG}/verification`);
  await page.locator("#queue-waiting a[href*='/needs/']").first().click();
  await expect(page.getByTestId("need-state")).toHaveText(ar.needs.states.submitted);
  const arCard = page.getByTestId("need-card-ar").getByTestId("need-card");
  const enCard = page.getByTestId("need-card-en").getByTestId("need-card");
  await expect(arCard).toHaveAttribute("lang", "ar");
  await expect(enCard).toHaveAttribute("lang", "en");
  // Each card in its own language: the English card's labels are English on an Arabic page.
  await expect(enCard).toContainText(strings.en.needs.card.target);
  await expect(arCard).toContainText(ar.needs.card.target);
  const [arBox, enBox] = [await arCard.boundingBox(), await enCard.boundingBox()];
  expect(arBox && enBox && Math.abs(arBox.y - enBox.y) < 5).toBe(true); // side by side
  await expect(page.getByTestId("need-private-facts")).toContainText(ar.needs.review.facts.names);
});

test("a need whose details fit fewer than k households: the warning on the staff page, and the coarser public card", async ({ page, browser }) => {
  await signIn(page, "bayader.caseworker@demo.tadamon.org", DEMO_PASSWORD);
  await page.goto(`/staff/${ORG}/needs?state=published`);
  const links = await page.locator("main a[href*='/needs/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  // The first published need that gives an age band (every demo household is one of fewer than 5 alike).
  let found = false;
  for (const href of links.slice(0, 8)) {
    await page.goto(href);
    const warning = page.getByTestId("reid-warning");
    if ((await warning.count()) > 0 && (await warning.textContent())!.includes(ar.needs.reid.details.age_band)) {
      found = true;
      break;
    }
  }
  expect(found).toBe(true);
  await expect(page.getByTestId("reid-warning")).toContainText(ar.needs.reid.hides.split("{{")[0].trim());

  // The public page shows no age band.
  const publicId = (await page.locator("h1").textContent())!.match(/[0-9A-Z]{12}/)![0];
  const donor = await browser.newContext({ javaScriptEnabled: false });
  const donorPage = await donor.newPage();
  await donorPage.goto(`/needs/${publicId}`);
  const card = donorPage.getByTestId("need-card");
  await expect(card).toBeVisible();
  for (const band of Object.values(ar.needs.ageBands)) await expect(card).not.toContainText(band);
  await donor.close();
});

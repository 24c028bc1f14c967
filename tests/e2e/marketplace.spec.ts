import { DEMO_HOUSEHOLDS, DEMO_PLEDGES } from "../../db/demo-data";
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import { signIn, strings, uniqueEmail } from "./helpers";
import arPledging from "../../app/locales/ar/pledging.json" with { type: "json" };
import arPublic from "../../app/locales/ar/public.json" with { type: "json" };
import type { Page } from "@playwright/test";

const ar = strings.ar;
const REFERENCE = /^TDM-[0-9A-Z]{4}-[0-9A-Z]{3}$/;
/** Pledges go to a demo organisation's needs: it offers every offline method (decision 053). */
const DEMO_ORG = "bayader-camps";

/** From /needs, filtered, open the first need and go to its pledge page. */
async function openFirstNeed(page: Page, query: string) {
  await page.goto(`/needs?${query}`);
  await page.getByTestId("public-need-list").getByRole("link").first().click();
  await expect(page.getByTestId("need-verified-by")).toBeVisible();
  await page.getByTestId("pledge-start").click();
  await expect(page.getByTestId("pledge-form")).toBeVisible();
}

async function pledge(page: Page, options: { amount?: string; method: string; email?: string }) {
  const form = page.getByTestId("pledge-form");
  if (options.amount) await form.locator("#pledge-amount").fill(options.amount);
  await form.locator(`input[name="method"][value="${options.method}"]`).check();
  if (options.email) await form.locator("#pledge-email").fill(options.email);
  await form.getByRole("button", { name: arPledging.form.submit }).click();
  await expect(page).toHaveURL(/\/pledges\/TDM-/);
  const reference = (await page.getByTestId("pledge-reference").innerText()).trim();
  expect(reference).toMatch(REFERENCE);
  return reference;
}

test.describe("marketplace", () => {
  test("a guest donor in Arabic filters to school fees and pledges part of a need by bank transfer", async ({ page }) => {
    await page.goto("/needs");
    await expectNoSeriousA11yViolations(page);
    // The selects fold behind "Filters" (decision 059).
    await page.getByTestId("need-filters-more").locator("summary").click();
    await page.locator("#category").selectOption("school_fees");
    await page.locator("#currency").selectOption("USD");
    // A demo organisation (it offers bank transfers); on a shared PostgreSQL other tests' organisations list needs too.
    await page.locator("#org").selectOption(DEMO_ORG);
    await page.getByRole("button", { name: arPublic.listing.apply }).click();
    await expect(page).toHaveURL(/category=school_fees/);
    const cards = page.getByTestId("public-need-list").getByRole("listitem");
    await expect
      .poll(async () => {
        const texts = await cards.allInnerTexts();
        return texts.length > 0 && texts.every((text) => text.includes(ar.needs.categories.school_fees));
      })
      .toBe(true);

    await page.getByTestId("public-need-list").getByRole("link").first().click();
    await expectNoSeriousA11yViolations(page);
    await page.getByTestId("pledge-start").click();
    await expectNoSeriousA11yViolations(page);
    const reference = await pledge(page, { amount: "25", method: "bank_transfer", email: uniqueEmail("guest") });
    await expect(page.getByTestId("pledge-status")).toHaveText(arPledging.status.pending);
    await expect(page.getByTestId("pledge-instructions")).toContainText(reference);
    await expectNoSeriousA11yViolations(page);
  });

  test("at 360 px the filters fold behind one control (no JavaScript) and needs show on the first screen; next/previous page by cursor", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/needs");
    const details = page.getByTestId("need-filters-more");
    await expect(details).not.toHaveAttribute("open", /.*/);
    await expect(page.locator("#category")).toBeHidden();
    const first = page.getByTestId("public-need-list").getByRole("listitem").first();
    const box = await first.boundingBox();
    expect(box && box.y).toBeLessThan(640);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await details.locator("summary").click();
    await expect(page.locator("#category")).toBeVisible();
    // Without JavaScript: a GET form; an active filter keeps the fold open.
    await page.locator("#category").selectOption("school_fees");
    await page.locator("#sort").selectOption("newest");
    await details.getByRole("button", { name: arPublic.listing.apply }).click();
    await expect(page).toHaveURL(/category=school_fees/);
    await expect(details).toHaveAttribute("open", "");
    const next = page.getByTestId("keyset-pagination").locator('a[rel="next"]');
    if (await next.count()) {
      const firstIds = await page.getByTestId("public-need-list").getByRole("link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      await next.click();
      await expect(page).toHaveURL(/cursor=.*|category=school_fees.*cursor=/);
      await expect(page).toHaveURL(/category=school_fees/);
      const secondIds = await page.getByTestId("public-need-list").getByRole("link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      expect(secondIds.filter((h) => firstIds.includes(h))).toEqual([]);
      await page.getByTestId("keyset-pagination").locator('a[rel="prev"]').click();
      await expect
        .poll(async () => page.getByTestId("public-need-list").getByRole("link").evaluateAll((as) => as.map((a) => a.getAttribute("href"))))
        .toEqual(firstIds);
    }
    await context.close();
  });

  test("a need filled by pledges cannot be pledged again", async ({ page }) => {
    await openFirstNeed(page, `category=medication&currency=USD&org=${DEMO_ORG}`);
    const pledgePage = page.url();
    // The first quick amount is all that remains: it fills the amount field (nothing is preselected).
    await page.getByTestId("pledge-quick-amounts").getByRole("link").first().click();
    await expect(page.locator("#pledge-amount")).not.toHaveValue("");
    await pledge(page, { method: "cash", email: uniqueEmail("filler") });
    await page.goto(pledgePage);
    await expect(page.getByTestId("pledge-form")).toHaveCount(0);
    await expect(page.getByText(arPledging.form.full)).toBeVisible();
  });

  test("a signed-in donor sees the pledge in their account and cancels it", async ({ page }) => {
    await signIn(page, "donor.cairo@demo.tadamon.org", DEMO_PASSWORD);
    await page.goto("/?lng=ar"); // this test reads the Arabic labels
    await openFirstNeed(page, "currency=EGP&sort=closing&org=sohag-palms");
    const reference = await pledge(page, { amount: "100", method: "money_transfer" });
    await page.goto("/account");
    await page.getByTestId("account-pledges-link").click();
    const row = page.getByTestId("my-pledges").getByRole("row").filter({ hasText: reference });
    await expect(row).toContainText(arPledging.status.pending);
    await expectNoSeriousA11yViolations(page);
    await row.getByRole("button", { name: new RegExp(reference) }).click();
    await expect(page.getByTestId("my-pledges").getByRole("row").filter({ hasText: reference })).toContainText(
      arPledging.status.cancelled,
    );
  });
});

test.describe("light donor pages", () => {
  test("donor pages load no script file; the inline script copies the reference and posts a form once", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await openFirstNeed(page, `category=school_fees&org=${DEMO_ORG}`);
    // The whole donor path is plain HTML: no module, no preload, no React app.
    await expect(page.locator("script[src], link[rel=modulepreload]")).toHaveCount(0);
    const form = page.getByTestId("pledge-form");
    const currency = await form.locator('input[name="currency"]').inputValue();
    await form.locator("#pledge-amount").fill(currency === "SYP" ? "6000" : currency === "EGP" ? "50" : "10");
    await form.locator('input[name="method"][value="cash"]').check();
    await form.locator("#pledge-email").fill(uniqueEmail("double"));
    // A donor taps twice on a slow connection: one post leaves the browser.
    await page.route("**/pledge*", async (route) => {
      if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await expect(form.getByRole("button", { name: arPledging.form.submit })).toBeVisible();
    // (Both taps from inside the page: Playwright's own actions wait for the first navigation.)
    await page.evaluate(async (label) => {
      const buttons = [...document.querySelectorAll<HTMLButtonElement>('[data-testid="pledge-form"] button')];
      const submit = buttons.find((button) => button.textContent?.trim() === label)!;
      submit.click();
      await new Promise((resolve) => setTimeout(resolve, 300));
      submit.click();
    }, arPledging.form.submit);
    await expect(page).toHaveURL(/\/pledges\/TDM-/);
    expect(posts.filter((url) => url.includes("/pledge"))).toHaveLength(1);
    await expect(page.locator("script[src], link[rel=modulepreload]")).toHaveCount(0);

    const reference = (await page.getByTestId("pledge-reference").innerText()).trim();
    const copy = page.getByTestId("copy-reference");
    await expect(copy).toBeVisible();
    await copy.click();
    await expect(copy).toHaveText(arPledging.instructions.copied);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reference);
  });
});

test.describe("marketplace without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same guest pledge works with plain forms", async ({ page }) => {
    await page.goto(`/needs?category=school_fees&org=${DEMO_ORG}`);
    await page.getByTestId("public-need-list").getByRole("link").first().click();
    await page.getByTestId("pledge-start").click();
    const form = page.getByTestId("pledge-form");
    const currency = await form.locator('input[name="currency"]').inputValue();
    const amount = currency === "SYP" ? "6000" : currency === "EGP" ? "50" : "10";
    await pledge(page, { amount, method: "bank_transfer", email: uniqueEmail("nojs") });
    // Buttons that need JavaScript are not shown as dead controls.
    await expect(page.getByTestId("copy-reference")).toBeHidden();
    await expect(page.getByTestId("print")).toBeHidden();
  });
});

test.describe("privacy", () => {
  test("no private string of any seeded household appears on any public page", async ({ page }) => {
    test.setTimeout(180_000);
    const secrets = new Set<string>();
    for (const h of DEMO_HOUSEHOLDS) {
      secrets.add(h.head.fullName);
      for (const m of h.members) secrets.add(m.fullName);
      for (const p of h.phones) {
        secrets.add(p);
        secrets.add(p.replace(/\D/g, ""));
      }
      for (const id of h.ids) secrets.add(id.value);
      secrets.add(h.address);
      for (const n of h.needs) {
        if (n.payeeName) secrets.add(n.payeeName);
        if (n.payeeDetails) secrets.add(n.payeeDetails);
      }
    }
    // Donors are private too: the seeded pledges' email addresses (guests and accounts) and, for an
    // anonymous pledge, the name the donor would otherwise have shown.
    for (const p of DEMO_PLEDGES) {
      secrets.add("guest" in p.donor ? p.donor.guest : p.donor.account);
      if (p.anonymous && p.displayName) secrets.add(p.displayName);
    }
    // The seed's public pages: home, every organisation's page and listing (all pages), every need.
    // (On a shared PostgreSQL the other tests' organisations are there too; they are not the seed's.)
    const slugs = DEMO_ORGANIZATIONS.map((o) => o.slug);
    const toVisit = ["/", "/needs", ...slugs.flatMap((slug) => [`/orgs/${slug}`, `/needs?org=${slug}`])];
    const follow = (href: string) =>
      /^\/needs\/[0-9A-Za-z]+$/.test(href) || slugs.some((slug) => href.includes(`org=${slug}`) || href === `/orgs/${slug}`);
    const seen = new Set<string>();
    let pages = 0;
    while (toVisit.length > 0 && pages < 400) {
      const path = toVisit.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(200);
      const html = await response.text();
      pages += 1;
      for (const secret of secrets) {
        if (secret.length >= 4) expect(html.includes(secret), `${path} contains «${secret}»`).toBe(false);
      }
      for (const match of html.matchAll(/href="(\/(?:needs|orgs)[^"#]*)"/g)) {
        const href = match[1].replace(/&amp;/g, "&");
        if (follow(href) && !seen.has(href)) toVisit.push(href);
      }
    }
    expect(pages).toBeGreaterThan(20); // home, listing pages, every seeded need page, every organisation
  });
});

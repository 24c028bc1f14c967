import { DEMO_PASSWORD, createMailbox, expect, expectNoSeriousA11yViolations, test, type Email, type Mailbox } from "./fixtures";
import { signIn, strings, uniqueEmail, waitForCardPaid } from "./helpers";
import { formatMoney } from "../../app/utils/format";
import arFinance from "../../app/locales/ar/finance.json" with { type: "json" };
import enFinance from "../../app/locales/en/finance.json" with { type: "json" };
import arPledging from "../../app/locales/ar/pledging.json" with { type: "json" };
import enPledging from "../../app/locales/en/pledging.json" with { type: "json" };
import arEmail from "../../app/locales/ar/email.json" with { type: "json" };
import enEmail from "../../app/locales/en/email.json" with { type: "json" };
import arCard from "../../app/locales/ar/card.json" with { type: "json" };
import enCard from "../../app/locales/en/card.json" with { type: "json" };
import type { Browser, Page } from "@playwright/test";

/**
 * Money in (issue 9), through the browser, in both languages:
 * - English: a guest pledges by bank transfer; finance records it short by a bank fee (amount =
 *   the pledge, fee taken by the bank), the preview says paid, the payment page shows the fee, the
 *   pledge is paid and the receipt email is in the dev mailbox;
 * - Arabic: a signed-in demo donor pledges, finance records the money and refunds part of it
 *   offline; the donor's trail shows the refund and the credit note email arrives;
 * - Arabic staff, English donor and finance: a fresh need (so no other spec's demo need is touched)
 *   is paid into, cancelled by its caseworker, and finance moves the money from the closed-needs
 *   queue to another need of the organisation; the donor's trail says it was moved.
 * Every step goes through payments.server.ts, so the ledger stays balanced (`ledger:check` after the run).
 */

const ORG = "bayader-camps";
const CURRENCY = "USD";
const FINANCE = "bayader.finance@demo.tadamon.org";
const CASEWORKER = "bayader.caseworker@demo.tadamon.org";
const VERIFIER = "bayader.verifier@demo.tadamon.org";
const DONOR = "donor.beirut@demo.tadamon.org"; // an Arabic-speaking demo donor
const DIASPORA_DONOR = "donor.diaspora@demo.tadamon.org"; // an English-speaking demo donor
/** A Bayader need no other spec pledges on (its target leaves plenty of room). */
const NEED_CATEGORY = "surgery";
/** Where the cancelled need's money goes: a published Bayader need no other spec uses. */
const MOVE_TARGET = { ar: "بدل إيجار ستة أشهر لأسرة مهددة بالإخلاء", en: "Six months' rent for a family facing eviction" };
const REFERENCE = /^TDM-[0-9A-Z]{4}-[0-9A-Z]{3}$/;
const UUID = "[0-9a-f-]{36}";

const L = {
  ar: { finance: arFinance, pledging: arPledging, email: arEmail, ...strings.ar },
  en: { finance: enFinance, pledging: enPledging, email: enEmail, ...strings.en },
};
type Lang = keyof typeof L;

/** An i18next template with its values put in, as the app renders it. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? "");
}
/** A template as a pattern: the given values put in, any other placeholder matches anything. */
function pattern(template: string, values: Record<string, string> = {}): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const parts = template.split(/(\{\{\w+\}\})/);
  return new RegExp(
    parts
      .map((part) => {
        const key = /^\{\{(\w+)\}\}$/.exec(part)?.[1];
        if (!key) return escape(part);
        // A value may come as an isolated run (Unicode isolate marks around it, app/components/bidi.tsx ltrRun).
        return key in values ? `[\u2066-\u2068]?${escape(values[key])}\u2069?` : ".+?";
      })
      .join(""),
  );
}
const usd = (minor: number, lang: Lang) => formatMoney(minor, CURRENCY, lang);

/** Waits for a new email to `to` (not in `exclude`) whose text contains `text`, and returns it. */
async function waitForEmailWith(mailbox: Mailbox, to: string, text: string, exclude: string[]): Promise<Email> {
  let found: Email | undefined;
  await expect
    .poll(
      async () => {
        for (const id of (await mailbox.ids(to)).filter((id) => !exclude.includes(id))) {
          const email = await mailbox.read(id);
          if (email.text.includes(text)) {
            found = email;
            return true;
          }
        }
        return false;
      },
      { message: `an email to ${to} with «${text}»`, timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

/** A signed-in person in a browser of their own, in `lang`. */
async function personIn(browser: Browser, email: string, lang: Lang) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, DEMO_PASSWORD);
  await page.goto(`/?lng=${lang}`);
  return { context, page, mailbox: createMailbox(context) };
}

/** Opens the pledge form of the first Bayader need of NEED_CATEGORY. */
async function openPledgeForm(page: Page) {
  await page.goto(`/needs?org=${ORG}&category=${NEED_CATEGORY}&currency=${CURRENCY}`);
  await page.getByTestId("public-need-list").getByRole("link").first().click();
  await page.getByTestId("pledge-start").click();
  await expect(page.getByTestId("pledge-form")).toBeVisible();
}

/** Fills and submits the open pledge form by bank transfer; returns the reference. */
async function pledgeByBankTransfer(page: Page, lang: Lang, amount: string, email?: string) {
  const form = page.getByTestId("pledge-form");
  await form.locator("#pledge-amount").fill(amount);
  await form.locator('input[name="method"][value="bank_transfer"]').check();
  if (email) await form.locator("#pledge-email").fill(email);
  await form.getByRole("button", { name: L[lang].pledging.form.submit, exact: true }).click();
  await expect(page).toHaveURL(/\/pledges\/TDM-/);
  const reference = (await page.getByTestId("pledge-reference").innerText()).trim();
  expect(reference).toMatch(REFERENCE);
  await expect(page.getByTestId("pledge-status")).toHaveText(L[lang].pledging.status.pending);
  return reference;
}

/**
 * In the payments inbox: finds the pledge by its reference, records `amount` with `fee` and a bank
 * reference, value date today; checks the preview, confirms and returns the payment's id.
 */
async function recordBankTransfer(
  page: Page,
  lang: Lang,
  input: { reference: string; pledgeMinor: number; feeMinor?: number; fee?: string; externalId: string },
) {
  const f = L[lang].finance;
  await page.goto(`/finance/${ORG}/payments`);
  await expect(page.getByRole("heading", { level: 1, name: f.payments.title })).toBeVisible();
  await page.locator("#find-q").fill(input.reference);
  await page.getByRole("button", { name: f.payments.find.submit, exact: true }).click();
  const row = page.locator(`[data-testid="find-row"][data-reference="${input.reference}"]`);
  await expect(row).toHaveCount(1);
  await row.getByTestId("choose-pledge").click();
  await expect(page.getByTestId("record-pledge")).toContainText(input.reference);

  // The amount is the pledge's outstanding amount; the value date is today (the latest allowed).
  await expect(page.locator("#record-method")).toHaveValue("bank_transfer");
  const amount = page.locator("#record-amount");
  await expect(amount).not.toHaveValue("");
  const date = page.locator("#record-date");
  expect(await date.inputValue()).toBe(await date.getAttribute("max"));
  if (input.fee) await page.locator("#record-fee").fill(input.fee);
  await page.locator("#record-external").fill(input.externalId);
  await page.getByTestId("record-preview-submit").click();

  // Step two: what will happen.
  const preview = page.getByTestId("record-preview");
  await expect(preview).toHaveAttribute("data-outcome", "paid");
  await expect(preview).toContainText(fill(f.payments.preview.paid, { amount: usd(input.pledgeMinor, lang), reference: input.reference }));
  if (input.feeMinor) {
    await expect(preview).toContainText(
      fill(f.payments.preview.fee, { fee: usd(input.feeMinor, lang), net: usd(input.pledgeMinor - input.feeMinor, lang) }),
    );
  }
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId("record-confirm").click();
  await expect(page).toHaveURL(new RegExp(`/finance/${ORG}/payments/(${UUID})\\?notice=recorded`));
  await expect(page.getByTestId("payment-notice")).toHaveText(f.payment.notices.recorded);
  return /\/payments\/([0-9a-f-]{36})/.exec(page.url())![1];
}

test.describe("money in", () => {
  test("in English: a bank transfer short by a bank fee pays the pledge, shows the fee and sends the receipt", async ({
    page,
    browser,
    mailbox,
  }) => {
    test.setTimeout(120_000);
    const lang = "en";
    const en = L.en;
    const donorEmail = uniqueEmail("bank-fee");
    const pledgeMinor = 3_000;
    const feeMinor = 250;
    const bankReference = `BLOM-E2E-${Date.now().toString(36).toUpperCase()}`;

    // A guest donor pledges in English.
    await page.goto("/?lng=en");
    await openPledgeForm(page);
    const reference = await pledgeByBankTransfer(page, lang, "30", donorEmail);
    const pledgePage = page.url();
    const before = await mailbox.ids(donorEmail); // the pledge's instructions

    // Finance, in English, records the transfer: the bank kept a fee on the way.
    const finance = await personIn(browser, FINANCE, lang);
    const paymentId = await recordBankTransfer(finance.page, lang, {
      reference,
      pledgeMinor,
      feeMinor,
      fee: "2.50",
      externalId: bankReference,
    });
    const details = finance.page.getByTestId("payment-details");
    await expect(details).toContainText(fill(en.finance.payment.fee, { fee: usd(feeMinor, lang), net: usd(pledgeMinor - feeMinor, lang) }));
    await expect(details).toContainText(fill(en.finance.payment.pledgeCovered, { paid: usd(pledgeMinor, lang), amount: usd(pledgeMinor, lang) }));
    await expect(details).toContainText(en.finance.paymentStatus.succeeded);
    await expect(details).toContainText(bankReference);
    await expect(finance.page.getByTestId("payment-allocation")).toHaveAttribute("data-allocation", "need_fund");
    // The ledger entry: the bank got the net, the fee is an expense, the need's fund the whole pledge.
    const postings = finance.page.getByTestId("postings-table");
    await expect(postings).toContainText(en.finance.accountKinds.processing_fees);
    await expect(postings).toContainText(usd(pledgeMinor - feeMinor, lang));
    const receipt = finance.page.getByTestId("payment-receipts").getByRole("link").first();
    await expect(receipt).toContainText(en.finance.receiptKinds.receipt);
    const receiptNumber = (await receipt.locator('[dir="ltr"]').innerText()).trim();
    expect(receiptNumber).not.toBe("");
    await expectNoSeriousA11yViolations(finance.page);

    // The payments list shows it with its bank reference.
    await finance.page.goto(`/finance/${ORG}/payments`);
    await expect(finance.page.locator(`[data-testid="payment-row"][data-payment-id="${paymentId}"]`)).toContainText(bankReference);
    await finance.context.close();

    // The donor's pledge page says paid; the receipt is in the dev mailbox, in English.
    await page.goto(pledgePage);
    await expect(page.getByTestId("pledge-status")).toHaveText(en.pledging.status.paid);
    const email = await waitForEmailWith(mailbox, donorEmail, en.email.receipt.heading, before);
    expect(email.text).toContain(receiptNumber);
    expect(email.text).toContain(reference);
    // Its link opens the printable receipt, for a guest too.
    expect(email.links.length).toBeGreaterThan(0);
    await page.goto(email.links[0]);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(receiptNumber);
    await expect(page.locator("main")).toContainText(usd(pledgeMinor, lang));
    await expectNoSeriousA11yViolations(page);
  });

  test("بالعربية: استرداد جزء من دفعة يظهر في مسار تبرع المتبرع مع إشعار دائن", async ({ page, browser, mailbox }) => {
    test.setTimeout(150_000);
    const lang = "ar";
    const ar = L.ar;
    const pledgeMinor = 2_000;
    const refundMinor = 500;

    // A demo donor, signed in, pledges in Arabic.
    await signIn(page, DONOR, DEMO_PASSWORD);
    await page.goto("/?lng=ar");
    await openPledgeForm(page);
    const reference = await pledgeByBankTransfer(page, lang, "20");

    // Finance records the transfer, then refunds part of it offline.
    const finance = await personIn(browser, FINANCE, lang);
    await recordBankTransfer(finance.page, lang, {
      reference,
      pledgeMinor,
      externalId: `BLOM-E2E-${Date.now().toString(36).toUpperCase()}`,
    });
    const beforeRefund = await mailbox.ids(DONOR);
    await finance.page.locator("#refund-amount").fill("5");
    await finance.page.locator("#refund-reference").fill(`RFD-E2E-${Date.now().toString(36).toUpperCase()}`);
    await finance.page.locator("#refund-reason").fill("طلب المتبرع استرداد جزء من المبلغ.");
    await finance.page.getByRole("button", { name: ar.finance.payment.refund.submit, exact: true }).click();
    await expect(finance.page).toHaveURL(/notice=refunded/);
    await expect(finance.page.getByTestId("payment-notice")).toHaveText(ar.finance.payment.notices.refunded);
    const details = finance.page.getByTestId("payment-details");
    await expect(details).toContainText(ar.finance.paymentStatus.partly_refunded);
    await expect(details).toContainText(fill(ar.finance.payment.refundedSoFar, { amount: usd(refundMinor, lang) }));
    await expect(finance.page.getByTestId("refunds-table")).toContainText(usd(refundMinor, lang));
    await expect(finance.page.getByTestId("payment-receipts")).toContainText(ar.finance.receiptKinds.credit_note);
    await expectNoSeriousA11yViolations(finance.page);
    await finance.context.close();

    // The donor's trail: paid (with the receipt), in the fund, then the refund and its credit note.
    await page.goto("/account/pledges");
    const trail = page.getByRole("list", { name: fill(ar.pledging.trail.label, { reference }) });
    await expect(trail.locator('[data-step="paid"]')).toHaveAttribute("data-done", "true");
    await expect(trail.locator('[data-step="paid"]')).toContainText(pattern(ar.pledging.trail.paid, { amount: usd(pledgeMinor, lang) }));
    await expect(trail.locator('[data-step="paid"]')).toContainText(pattern(ar.pledging.trail.receipt));
    const after = trail.locator('[data-step="after"]');
    await expect(after).toHaveAttribute("data-done", "true");
    await expect(after).toContainText(pattern(ar.pledging.trail.refunded, { amount: usd(refundMinor, lang) }));
    await expect(after.getByRole("link", { name: pattern(ar.pledging.trail.creditNote) })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // The credit note email, in the donor's Arabic.
    const email = await waitForEmailWith(mailbox, DONOR, ar.email.creditNote.heading, beforeRefund);
    expect(email.text).toContain(usd(refundMinor, lang));
  });

  test("a cancelled need's paid money is moved by finance (English) to another need and the donor's trail says so; the staff cancel in Arabic", async ({
    page,
    browser,
  }) => {
    test.setTimeout(240_000); // three people and a fresh need from a new household
    const ar = L.ar;
    const en = L.en;
    const pledgeMinor = 2_000;
    const stamp = Date.now().toString(36);

    // A fresh need (cancelling a seeded one would change the demo data other specs use): the
    // caseworker registers a household and writes the need, in Arabic.
    const caseworker = await personIn(browser, CASEWORKER, "ar");
    const cw = caseworker.page;
    await cw.goto(`/staff/${ORG}/households/new`);
    await cw.locator("#headFullName").fill(`سلمى ناصر العلي ${stamp}`);
    await cw.locator("#headSex").selectOption("female");
    await cw.locator("#headBirthYear").fill("1979");
    await cw.locator("#consentGivenOn").fill(new Date().toISOString().slice(0, 10));
    await cw.locator('input[name="consentPublish"]').check();
    await cw.getByRole("button", { name: ar.registry.new.submit, exact: true }).click();
    await expect(cw).toHaveURL(new RegExp(`/staff/${ORG}/households/${UUID}`));
    await cw.getByTestId("household-new-need").click();
    const deadline = new Date();
    deadline.setUTCMonth(deadline.getUTCMonth() + 3);
    await cw.locator("#need-editor-category").selectOption("medication");
    await cw.locator("#need-editor-target").fill("150");
    await cw.locator("#need-editor-deadline").fill(deadline.toISOString().slice(0, 10));
    await cw.locator("#need-editor-payeeKind").selectOption("pharmacy");
    await cw.locator("#need-editor-payeeName").fill("صيدلية الأرز");
    await cw.locator("#need-editor-titleAr").fill("أدوية ضغط لثلاثة أشهر لامرأة مسنّة");
    await cw.locator("#need-editor-storyAr").fill("تحتاج امرأة مسنّة إلى أدوية الضغط لثلاثة أشهر، وتُدفع الكلفة إلى الصيدلية مباشرة.");
    await cw.locator("#need-editor-titleEn").fill("Three months of blood-pressure medicine for an elderly woman");
    await cw.locator("#need-editor-storyEn").fill("An elderly woman needs blood-pressure medicine for three months; the pharmacy is paid directly.");
    await cw.getByTestId("need-save").click();
    await expect(cw).toHaveURL(new RegExp(`/staff/${ORG}/needs/${UUID}\\?notice=created`));
    const needUrl = cw.url().split("?")[0];
    await cw.getByTestId("need-action-submit").click();
    await expect(cw.getByTestId("need-state")).toHaveText(ar.needs.states.submitted);

    // The verifier verifies it (Bayader publishes on verification).
    const verifier = await personIn(browser, VERIFIER, "ar");
    await verifier.page.goto(needUrl);
    await verifier.page.getByTestId("need-action-verify").click();
    await expect(verifier.page.getByTestId("need-state")).toHaveText(ar.needs.states.published);
    await verifier.context.close();
    await cw.reload();
    const heading = (await cw.getByRole("heading", { level: 1 }).innerText()).trim();
    const publicId = new RegExp(`^${pattern(ar.needs.page.heading).source.replace(".+?", "(\\S+)")}$`).exec(heading)?.[1];
    expect(publicId, `the public id in «${heading}»`).toBeTruthy();

    // A demo donor, signed in, pledges on it in English; finance records the money.
    await signIn(page, DIASPORA_DONOR, DEMO_PASSWORD);
    await page.goto("/?lng=en");
    await page.goto(`/needs/${publicId}/pledge`);
    const reference = await pledgeByBankTransfer(page, "en", "20");
    const finance = await personIn(browser, FINANCE, "en");
    const paymentId = await recordBankTransfer(finance.page, "en", {
      reference,
      pledgeMinor,
      externalId: `BLOM-E2E-${stamp.toUpperCase()}`,
    });

    // The caseworker cancels the need, with a reason.
    await cw.goto(needUrl);
    await cw.locator("summary", { hasText: ar.needs.actions.cancel }).click();
    await cw.locator("#need-cancel-reason").fill("انتقلت الأسرة إلى منطقة أخرى وتتابعها جمعية هناك.");
    await cw.locator("#need-cancel-form").getByTestId("need-action-cancel").click();
    await expect(cw.getByTestId("need-state")).toHaveText(ar.needs.states.cancelled);
    await caseworker.context.close();

    // Finance sees the money in the closed needs' queue and opens it.
    const fp = finance.page;
    await fp.goto(`/finance/${ORG}/payments`);
    await fp.getByTestId("payment-queue-closed").click();
    await expect(fp.getByTestId("queue-heading")).toContainText(en.finance.payments.queues.closed);
    const row = fp.locator(`[data-testid="payment-row"][data-payment-id="${paymentId}"]`);
    await expect(row).toContainText(en.finance.needClosed.cancelled);
    await expectNoSeriousA11yViolations(fp);
    await row.getByRole("link").first().click();
    await expect(fp).toHaveURL(new RegExp(`/payments/${paymentId}$`));
    await expect(fp.getByTestId("payment-allocation")).toContainText(en.finance.needClosed.cancelled);

    // It moves to another need of the organisation.
    const select = fp.locator("#reallocate-to");
    const option = select.locator("option", { hasText: MOVE_TARGET.en });
    await expect(option).toHaveCount(1);
    await select.selectOption((await option.getAttribute("value"))!);
    await fp.getByRole("button", { name: en.finance.payment.reallocate.submit, exact: true }).click();
    await expect(fp).toHaveURL(/notice=reallocated/);
    await expect(fp.getByTestId("payment-notice")).toHaveText(en.finance.payment.notices.reallocated);
    const allocation = fp.getByTestId("payment-allocation");
    await expect(allocation).toHaveAttribute("data-allocation", "need_fund");
    await expect(allocation).toContainText(MOVE_TARGET.en);
    await expect(allocation).not.toContainText(en.finance.needClosed.cancelled);
    await expect(fp.getByTestId("postings-table")).toContainText(en.finance.entryKinds.reallocation);
    await expect(fp.locator("#reallocate-to")).toHaveCount(0);
    await expectNoSeriousA11yViolations(fp);

    // The queue no longer lists it.
    await fp.goto(`/finance/${ORG}/payments?queue=closed`);
    await expect(fp.locator(`[data-testid="payment-row"][data-payment-id="${paymentId}"]`)).toHaveCount(0);
    await finance.context.close();

    // The donor's trail says the money was moved to another need of the organisation.
    await page.goto("/account/pledges");
    const trail = page.getByRole("list", { name: fill(en.pledging.trail.label, { reference }) });
    await expect(trail.locator('[data-step="paid"]')).toContainText(pattern(en.pledging.trail.paid, { amount: usd(pledgeMinor, "en") }));
    const after = trail.locator('[data-step="after"]');
    await expect(after).toHaveAttribute("data-done", "true");
    await expect(after).toContainText(pattern(en.pledging.trail.movedNeed, { amount: usd(pledgeMinor, "en") }));
    await expectNoSeriousA11yViolations(page);
  });
});

test.describe("card payment through the stand-in checkout", () => {
  const cases = [
    { lang: "ar" as const, donor: DONOR, coverFee: true, declinedFirst: true },
    { lang: "en" as const, donor: DIASPORA_DONOR, coverFee: false, declinedFirst: false },
  ];
  for (const c of cases) {
    test(`${c.lang}: a signed-in donor pays by card (test card), the receipt is in the mailbox and the account`, async ({ page, mailbox, consoleErrors }) => {
      test.setTimeout(120_000);
      const s = L[c.lang];
      const card = c.lang === "ar" ? arCard : enCard;
      await signIn(page, c.donor, DEMO_PASSWORD);
      await page.goto(`/?lng=${c.lang}`);
      const before = await mailbox.ids(c.donor);

      // The pledge form offers card (the stand-in takes cards outside production); the fee cover shows its estimate.
      await openPledgeForm(page);
      const form = page.getByTestId("pledge-form");
      await form.locator("#pledge-amount").fill("12");
      await form.locator('input[name="method"][value="card"]').check();
      await expect(form.getByTestId("pledge-cover-fee")).toBeVisible();
      if (c.coverFee) await form.locator('input[name="coverFee"]').check();
      await form.getByRole("button", { name: s.pledging.form.submit, exact: true }).click();

      // The stand-in checkout, clearly a test.
      await expect(page).toHaveURL(/\/dev\/checkout\/cs_test_standin_/);
      await expect(page.getByTestId("standin-banner")).toHaveText(card.standin.banner);
      const checkout = page.getByTestId("standin-checkout");
      // With the fee covered the page splits gift and cover; without, it charges the gift alone.
      if (c.coverFee) await expect(checkout).toContainText(fill(card.standin.gift, { amount: usd(1_200, c.lang) }));
      else await expect(checkout.getByRole("heading", { level: 1 })).toHaveText(fill(card.standin.heading, { amount: usd(1_200, c.lang) }));
      await expectNoSeriousA11yViolations(page);
      if (c.declinedFirst) {
        consoleErrors.allow(/status of 402/); // the stand-in answers a declined test card with 402, like a refused form
        await page.locator('input[name="cardNumber"]').fill("4000 0000 0000 0002");
        await page.getByTestId("standin-pay").click();
        await expect(page.getByTestId("standin-error")).toHaveText(card.standin.declined);
      }
      await page.locator('input[name="cardNumber"]').fill("4242 4242 4242 4242");
      await page.getByTestId("standin-pay").click();

      // Back on Tadamon: the job confirms the payment (refresh until it has).
      await waitForCardPaid(page);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(card.return.paidHeading);
      const receiptLine = page.getByTestId("card-return-paid").locator("li").first();
      const number = /R-\d{4}-\d{6}/.exec(await receiptLine.innerText())![0];

      // The receipt email in the donor's language, and the receipt in the account.
      const email = await waitForEmailWith(mailbox, c.donor, number, before);
      expect(email.text).toContain(s.email.receipt.heading);
      await page.goto("/account/receipts");
      await expect(page.getByTestId("my-receipts")).toContainText(number);
      await expectNoSeriousA11yViolations(page);
    });
  }
});

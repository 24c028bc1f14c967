import { readFile } from "node:fs/promises";
import type { Browser, Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import { signIn, strings, uniqueEmail } from "./helpers";
import { DEMO_HOUSEHOLDS } from "../../db/demo-data";
import { formatMoney, formatNumber } from "../../app/utils/format";
import arFinance from "../../app/locales/ar/finance.json" with { type: "json" };
import enFinance from "../../app/locales/en/finance.json" with { type: "json" };
import arPledging from "../../app/locales/ar/pledging.json" with { type: "json" };
import enPledging from "../../app/locales/en/pledging.json" with { type: "json" };
import arStatements from "../../app/locales/ar/statements.json" with { type: "json" };
import enStatements from "../../app/locales/en/statements.json" with { type: "json" };
import arReconciliation from "../../app/locales/ar/reconciliation.json" with { type: "json" };
import enReconciliation from "../../app/locales/en/reconciliation.json" with { type: "json" };
import arPayees from "../../app/locales/ar/payees.json" with { type: "json" };
import enPayees from "../../app/locales/en/payees.json" with { type: "json" };
import arDisbursements from "../../app/locales/ar/disbursements.json" with { type: "json" };
import enDisbursements from "../../app/locales/en/disbursements.json" with { type: "json" };
import arReports from "../../app/locales/ar/reports.json" with { type: "json" };
import enReports from "../../app/locales/en/reports.json" with { type: "json" };

/**
 * Money out and month-end (issue 10), through the browser, once in Arabic and once in English.
 * Bayader's finance officer opens a fresh USD bank account (so its month holds only this test's
 * money, and a retry starts clean); guests pledge four times (A, B, C, D) by bank transfer on a
 * demo need no other spec uses; the officer imports last month's statement (A's reference mangled
 * the way a bank clerk types it → matched automatically; B by hand by reference; C+D in one line →
 * split by hand; the opening balance → not a donation), gets the need's payee's bank details
 * approved by the treasurer (four-eyes), requests a disbursement that the treasurer approves (the
 * requester may not), marks it paid last month; the next, overlapping statement adds no duplicate
 * and its outgoing transfer (carrying the batch number) matches the disbursement by itself; the
 * month-end shows a difference of zero with nothing unexplained, the month is closed, and the
 * reconciliation export of the reports page has this month's lines.
 */

const ORG = "bayader-camps";
const CURRENCY = "USD";
const FINANCE = "bayader.finance@demo.tadamon.org";
const TREASURER = "bayader.treasurer@demo.tadamon.org";
const REFERENCE = /^TDM-[0-9A-Z]{4}-[0-9A-Z]{3}$/;
const UUID = "[0-9a-f-]{36}";

/** A published Bayader USD need with room, that no other spec pledges on (picked by its title). */
const NEED_TITLE_EN = "A vegetable cart and scales for a father seeking a steady income";
const NEED = (() => {
  for (const household of DEMO_HOUSEHOLDS) {
    const need = household.needs.find((n) => n.titleEn === NEED_TITLE_EN);
    if (need && household.org === ORG) return need;
  }
  throw new Error(`demo need «${NEED_TITLE_EN}» not found in db/demo-data.ts`);
})();

const L = {
  ar: {
    finance: arFinance,
    pledging: arPledging,
    statements: arStatements,
    rec: arReconciliation,
    payees: arPayees,
    disb: arDisbursements,
    reports: arReports,
    ...strings.ar,
  },
  en: {
    finance: enFinance,
    pledging: enPledging,
    statements: enStatements,
    rec: enReconciliation,
    payees: enPayees,
    disb: enDisbursements,
    reports: enReports,
    ...strings.en,
  },
};
type Lang = keyof typeof L;

/** A template as a pattern: the given values put in, any other placeholder matches anything. */
function pattern(template: string, values: Record<string, string> = {}): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    template
      .split(/(\{\{\w+\}\})/)
      .map((part) => {
        const key = /^\{\{(\w+)\}\}$/.exec(part)?.[1];
        if (!key) return escape(part);
        return key in values ? escape(values[key]) : ".+?";
      })
      .join(""),
  );
}
const usd = (minor: number, lang: Lang) => formatMoney(minor, CURRENCY, lang);
const num = (n: number, lang: Lang) => formatNumber(n, lang);
/** 2300 → "23.00", as a bank's CSV writes it. */
const decimal = (minor: number) => (minor / 100).toFixed(2);

/** The month before today's in the organisation's calendar (Asia/Beirut), as YYYY-MM. */
function previousMonth(): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Beirut", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** "tdm 7k3q 9fx" with O for 0: how a bank clerk types a reference. */
const mangle = (reference: string) => reference.toLowerCase().replace(/-/g, " ").replace(/0/g, "o");

/** A signed-in person in a browser of their own, in `lang`. */
async function personIn(browser: Browser, email: string, lang: Lang) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, DEMO_PASSWORD);
  await page.goto(`/?lng=${lang}`);
  return { context, page };
}

/** A guest pledges `amountMinor` by bank transfer on the need; returns the reference from the instructions page. */
async function pledge(page: Page, lang: Lang, pledgeUrl: string, amountMinor: number): Promise<string> {
  await page.goto(pledgeUrl);
  const form = page.getByTestId("pledge-form");
  await form.locator("#pledge-amount").fill(decimal(amountMinor));
  await form.locator('input[name="method"][value="bank_transfer"]').check();
  await form.locator("#pledge-email").fill(uniqueEmail(`month-end-${lang}`));
  await form.getByRole("button", { name: L[lang].pledging.form.submit, exact: true }).click();
  await expect(page).toHaveURL(/\/pledges\/TDM-/);
  const reference = (await page.getByTestId("pledge-reference").innerText()).trim();
  expect(reference).toMatch(REFERENCE);
  await expect(page.getByTestId("pledge-status")).toHaveText(L[lang].pledging.status.pending);
  return reference;
}

/** Uploads a statement for the account, checks the preview, imports it and waits for the summary. */
async function importStatement(
  page: Page,
  lang: Lang,
  input: { accountLabel: string; fileName: string; csv: string; rows: number; previewAmounts: number[] },
) {
  const st = L[lang].statements;
  await page.goto(`/finance/${ORG}/statements`);
  await expect(page.getByRole("heading", { level: 1, name: st.title })).toBeVisible();
  await page.locator('select[name="moneyAccountId"]').selectOption({ label: input.accountLabel });
  await page.locator('input[type="file"][name="file"]').setInputFiles({
    name: input.fileName,
    mimeType: "text/csv",
    buffer: Buffer.from(input.csv, "utf8"),
  });
  await page.getByRole("button", { name: st.upload.submit, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/finance/${ORG}/statements/${UUID}$`));

  // The preview: the columns were recognised from the headers, every row read, no problem.
  const preview = page.locator("#preview");
  for (const minor of input.previewAmounts) await expect(preview).toContainText(usd(minor, lang));
  await expect(preview).toContainText(pattern(st.preview.rows, { total: num(input.rows, lang), malformed: num(0, lang) }));
  await expect(page.locator("#problems")).toContainText(st.problems.none);
  await page.getByRole("button", { name: pattern(st.mapping.import) }).click();

  // The progress page refreshes itself until the import is done.
  await expect(page.getByRole("heading", { name: st.summary.title })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("summary-rows")).toHaveText(num(input.rows, lang));
}

/** The reconciliation queue of the account for the month, on `status`'s tab. */
async function openQueue(page: Page, lang: Lang, accountLabel: string, month: string, status: "open" | "matched" | "not_donation") {
  const rec = L[lang].rec;
  await page.goto(`/finance/${ORG}/reconciliation`);
  await expect(page.getByRole("heading", { level: 1, name: rec.title })).toBeVisible();
  await page.getByRole("link", { name: rec.tabs[status], exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`status=${status}`));
  await page.locator("#rc-account").selectOption({ label: accountLabel });
  await page.locator("#rc-month").fill(month);
  await page.getByRole("button", { name: rec.filters.apply, exact: true }).click();
  await expect(page).toHaveURL(/account=/);
}

const queueRow = (page: Page, description: string) => page.getByTestId("reconciliation-queue").locator("tbody tr").filter({ hasText: description });

const CASES = [
  {
    lang: "ar" as const,
    title: "بالعربية: كشف بنكي، مطابقة وتقسيم، صرف بموافقة شخص ثانٍ، وإغلاق الشهر بفرق صفر",
    amounts: { a: 2_300, b: 3_100, c: 1_700, d: 1_900, opening: 50_000, out: 4_000 },
    header: "التاريخ,البيان,المرجع,مدين,دائن,الرصيد",
    text: {
      opening: "رصيد منقول من الشهر السابق",
      a: "حوالة واردة",
      b: "حوالة من متبرع",
      cd: "إيداع نقدي في الفرع",
      out: "تحويل صادر",
      bank: "بنك الاختبار",
      reason: "فتح حساب للمورد لتحويل ثمن العربة.",
      note: "الدفعة الأولى لثمن العربة.",
    },
  },
  {
    lang: "en" as const,
    title: "in English: bank statement, matches and a split, a disbursement approved by a second officer, the month closed at zero difference",
    amounts: { a: 2_400, b: 3_200, c: 1_800, d: 2_100, opening: 60_000, out: 4_500 },
    header: "Date,Description,Reference,Debit,Credit,Balance",
    text: {
      opening: "Balance brought forward",
      a: "Incoming transfer",
      b: "Transfer from a donor",
      cd: "Cash deposit at branch",
      out: "Outgoing transfer",
      bank: "Test Bank",
      reason: "The workshop's account for paying for the cart.",
      note: "First payment for the cart.",
    },
  },
];

test.describe("month-end: a month of money in and out on a fresh bank account", () => {
  for (const c of CASES) {
    test(c.title, async ({ page, browser }) => {
      test.setTimeout(240_000);
      const { lang, amounts: amt, text } = c;
      const s = L[lang];
      const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();
      const month = previousMonth();
      const [year, mm] = month.split("-");
      const day = (n: number) => `${String(n).padStart(2, "0")}/${mm}/${year}`;
      const iso = (n: number) => `${month}-${String(n).padStart(2, "0")}`;
      const accountName = `E2E ${lang.toUpperCase()} ${stamp}`;
      const accountLabel = `${accountName} (${CURRENCY})`;

      // 1a. Guests pledge A, B, C and D by bank transfer on the need, in the test's language (a browser of their own).
      const guestContext = await browser.newContext();
      const guest = await guestContext.newPage();
      await guest.goto(`/?lng=${lang}`);
      await guest.goto(`/needs?org=${ORG}&category=${NEED.category}&currency=${CURRENCY}`);
      const title = lang === "ar" ? NEED.titleAr : NEED.titleEn;
      await guest.getByTestId("public-need-list").getByRole("link", { name: title, exact: true }).click();
      await guest.getByTestId("pledge-start").click();
      await expect(guest.getByTestId("pledge-form")).toBeVisible();
      const pledgeUrl = guest.url();
      const refA = await pledge(guest, lang, pledgeUrl, amt.a);
      const refB = await pledge(guest, lang, pledgeUrl, amt.b);
      const refC = await pledge(guest, lang, pledgeUrl, amt.c);
      const refD = await pledge(guest, lang, pledgeUrl, amt.d);
      await guestContext.close();

      // 1b. The finance officer opens a fresh USD bank account.
      await signIn(page, FINANCE, DEMO_PASSWORD);
      await page.goto(`/finance/${ORG}/accounts?lng=${lang}`);
      await expect(page.getByRole("heading", { level: 1, name: s.finance.accounts.title })).toBeVisible();
      await page.locator("#account-kind").selectOption("bank");
      await page.locator("#account-name").fill(accountName);
      await page.locator("#account-currency").fill(CURRENCY);
      await page.locator("#account-bank").fill(text.bank);
      await page.getByRole("button", { name: s.finance.accounts.create, exact: true }).click();
      await expect(page.getByTestId("accounts-notice")).toHaveText(s.finance.accounts.notices.created);
      await expect(page.locator(`[data-testid="account-row"][data-name="${accountName}"]`)).toContainText(s.finance.accountKinds.bank);

      // 2. Last month's statement: opening balance, A mangled, B without a reference, C+D in one line.
      const balance1 = amt.opening;
      const balance2 = balance1 + amt.a;
      const balance3 = balance2 + amt.b;
      const balance4 = balance3 + amt.c + amt.d;
      const cdLine = `${day(7)},${text.cd},,,${decimal(amt.c + amt.d)},${decimal(balance4)}`;
      const first = [
        c.header,
        `${day(1)},${text.opening},,,${decimal(amt.opening)},${decimal(balance1)}`,
        `${day(5)},${text.a} ${mangle(refA)},,,${decimal(amt.a)},${decimal(balance2)}`,
        `${day(6)},${text.b},,,${decimal(amt.b)},${decimal(balance3)}`,
        cdLine,
      ].join("\n");
      await importStatement(page, lang, {
        accountLabel,
        fileName: `statement-${lang}-1.csv`,
        csv: first,
        rows: 4,
        previewAmounts: [amt.opening, amt.a, amt.b, amt.c + amt.d],
      });
      await expect(page.getByTestId("summary-new")).toHaveText(num(4, lang));
      await expect(page.getByTestId("summary-duplicates")).toHaveText(num(0, lang));
      await expect(page.getByTestId("summary-matched")).toHaveText(num(1, lang));

      // 3a. The automatic match: A's line, by its reference.
      await openQueue(page, lang, accountLabel, month, "matched");
      const rowA = queueRow(page, text.a);
      await expect(rowA).toHaveCount(1);
      await expect(rowA).toContainText(s.rec.lineStatus.matched);
      await rowA.getByRole("link", { name: s.rec.line.open, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/reconciliation/${UUID}$`));
      await expect(page.getByTestId("line-status")).toHaveText(s.rec.lineStatus.matched);
      const matchesA = page.getByTestId("line-matches");
      await expect(matchesA).toContainText(refA);
      await expect(matchesA).toContainText(s.rec.matchKind.reference);
      await expect(matchesA).toContainText(usd(amt.a, lang));

      // 3b. B by hand, by its reference.
      await openQueue(page, lang, accountLabel, month, "open");
      await expect(queueRow(page, text.a)).toHaveCount(0);
      const rowB = queueRow(page, text.b);
      await rowB.locator("summary", { hasText: s.rec.manual.title }).click();
      await rowB.locator('input[name="ref0"]').fill(refB);
      await rowB.locator('input[name="amount0"]').fill(decimal(amt.b));
      await rowB.getByRole("button", { name: s.rec.manual.submit, exact: true }).click();
      await expect(page.getByText(s.rec.outcome.matched)).toBeVisible();
      await expect(queueRow(page, text.b)).toHaveCount(0);

      // 3c. The C+D line split over C and D.
      const rowCD = queueRow(page, text.cd);
      await rowCD.locator("summary", { hasText: s.rec.manual.title }).click();
      await rowCD.locator('input[name="ref0"]').fill(refC);
      await rowCD.locator('input[name="amount0"]').fill(decimal(amt.c));
      await rowCD.locator('input[name="ref1"]').fill(refD);
      await rowCD.locator('input[name="amount1"]').fill(decimal(amt.d));
      await rowCD.getByRole("button", { name: s.rec.manual.submit, exact: true }).click();
      await expect(page.getByText(s.rec.outcome.matched)).toBeVisible();
      await expect(queueRow(page, text.cd)).toHaveCount(0);

      // 3d. The opening balance is not a donation.
      const rowOpening = queueRow(page, text.opening);
      await rowOpening.locator("summary", { hasText: s.rec.notDonation.title }).click();
      await rowOpening.locator('select[name="kind"]').selectOption("opening_balance");
      await rowOpening.getByRole("button", { name: s.rec.notDonation.submit, exact: true }).click();
      await expect(page.getByText(s.rec.outcome.notDonation)).toBeVisible();
      await expect(queueRow(page, text.opening)).toHaveCount(0);
      await openQueue(page, lang, accountLabel, month, "open");
      await expect(page.getByText(s.rec.empty, { exact: true })).toBeVisible();
      await openQueue(page, lang, accountLabel, month, "matched");
      await expect(page.getByTestId("reconciliation-queue").locator("tbody tr")).toHaveCount(3);
      const rowCDMatched = queueRow(page, text.cd);
      await rowCDMatched.getByRole("link", { name: s.rec.line.open, exact: true }).click();
      const matchesCD = page.getByTestId("line-matches");
      await expect(matchesCD).toContainText(refC);
      await expect(matchesCD).toContainText(refD);
      await expect(matchesCD).toContainText(s.rec.matchKind.manual);
      await expectNoSeriousA11yViolations(page);

      // 4a. The need's payee: bank details requested by the finance officer…
      const treasurer = await personIn(browser, TREASURER, lang);
      await page.goto(`/finance/${ORG}/payees`);
      await page.locator("#payee-q").fill(NEED.payeeName!);
      await page.getByRole("button", { name: s.payees.list.filter, exact: true }).click();
      await page.getByTestId("payee-row").getByRole("link", { name: NEED.payeeName!, exact: true }).first().click();
      await expect(page).toHaveURL(new RegExp(`/finance/${ORG}/payees/${UUID}$`));
      const payeeUrl = page.url();
      const accountNumber = `00${Date.now().toString().slice(-8)}`;
      if ((await page.getByTestId("pending-change").count()) === 0) {
        const request = page.getByTestId("request-form");
        await request.locator("#req-collection").selectOption("bank_transfer");
        await request.locator("#req-bank").fill(text.bank);
        await request.locator("#req-holder").fill(NEED.payeeName!);
        await request.locator("#req-account").fill(accountNumber);
        await request.locator("#req-reason").fill(text.reason);
        await request.getByRole("button", { name: s.payees.page.request, exact: true }).click();
        await expect(page.getByTestId("payee-notice")).toHaveText(s.payees.notices.requested);
      }
      // …who may not approve them herself…
      await expect(page.getByTestId("pending-change")).toContainText(s.payees.page.yourRequest);
      await expect(page.getByTestId("approve-change")).toHaveCount(0);
      // …and approved by the treasurer.
      await treasurer.page.goto(payeeUrl);
      await treasurer.page.getByTestId("approve-change").click();
      await expect(treasurer.page.getByTestId("payee-notice")).toHaveText(s.payees.notices.approved);
      await expect(treasurer.page.getByTestId("details-in-force")).toBeVisible();
      await page.reload();
      await expect(page.getByTestId("details-in-force")).toBeVisible();

      // 4b. A disbursement of part of the need's fund to the payee, from the new bank account.
      await page.goto(`/finance/${ORG}/disbursements`);
      await page.getByTestId("disbursement-new").click();
      await page.locator("#payee-q").fill(NEED.payeeName!);
      await page.getByRole("button", { name: s.disb.new.searchButton, exact: true }).click();
      const choice = page.getByTestId("payee-choice").filter({ hasText: NEED.payeeName! }).first();
      await expect(choice).toContainText(s.disb.new.detailsApproved);
      await choice.getByRole("link", { name: s.disb.new.choose }).click();
      const requestForm = page.getByTestId("request-form");
      await expect(requestForm).toBeVisible();
      const needRows = requestForm.getByTestId("need-choice");
      await expect(needRows.filter({ hasText: title })).toHaveCount(1);
      for (const row of await needRows.all()) {
        const mine = (await row.innerText()).includes(title);
        await row.locator("input").fill(mine ? decimal(amt.out) : "");
      }
      await page.locator("#request-method").selectOption("bank_transfer");
      await page.locator("#request-account").selectOption({ label: accountLabel });
      await page.locator("#request-note").fill(text.note);
      await page.getByTestId("request-submit").click();
      await expect(page).toHaveURL(new RegExp(`/finance/${ORG}/disbursements/(${UUID})\\?notice=requested`));
      const batchUrl = page.url().split("?")[0];
      await expect(page.getByTestId("batch-notice")).toHaveText(s.disb.batch.notices.requested);
      const heading = await page.getByRole("heading", { level: 1 }).innerText();
      const batchNumber = /DSB-\d{4}-\d{6}/.exec(heading)?.[0];
      expect(batchNumber, `the batch number in «${heading}»`).toBeTruthy();
      // The requester cannot approve her own request.
      await expect(page.getByTestId("self-decide")).toHaveText(s.disb.batch.selfDecide);
      await expect(page.getByTestId("batch-approve")).toHaveCount(0);

      // The treasurer approves it.
      await treasurer.page.goto(batchUrl);
      await treasurer.page.getByTestId("batch-approve").click();
      await expect(treasurer.page.getByTestId("batch-notice")).toHaveText(s.disb.batch.notices.approved);
      await treasurer.context.close();

      // The finance officer marks it paid last month, with the bank's reference.
      const outReference = `OUT-${stamp}`;
      await page.goto(batchUrl);
      const paidForm = page.getByTestId("paid-form");
      await paidForm.locator("#paid-date").fill(iso(20));
      await paidForm.locator("#paid-reference").fill(outReference);
      await page.getByTestId("batch-paid").click();
      await expect(page).toHaveURL(/notice=paid/);
      await expect(page.getByTestId("batch-notice")).toHaveText(s.disb.batch.notices.paid);
      await expect(page.getByTestId("batch-summary")).toContainText(s.disb.status.paid);
      await expect(page.getByTestId("batch-entry")).toContainText(usd(amt.out, lang));

      // 5. The next statement overlaps the first (its last line again) and shows the transfer out.
      const balance5 = balance4 - amt.out;
      const second = [
        c.header,
        cdLine,
        `${day(20)},${text.out} ${batchNumber},${outReference},${decimal(amt.out)},,${decimal(balance5)}`,
      ].join("\n");
      await importStatement(page, lang, {
        accountLabel,
        fileName: `statement-${lang}-2.csv`,
        csv: second,
        rows: 2,
        previewAmounts: [amt.c + amt.d, -amt.out],
      });
      await expect(page.getByTestId("summary-new")).toHaveText(num(1, lang));
      await expect(page.getByTestId("summary-duplicates")).toHaveText(num(1, lang));
      await expect(page.getByTestId("summary-matched")).toHaveText(num(1, lang));
      await openQueue(page, lang, accountLabel, month, "matched");
      await expect(page.getByTestId("reconciliation-queue").locator("tbody tr")).toHaveCount(4);
      await queueRow(page, text.out).getByRole("link", { name: s.rec.line.open, exact: true }).click();
      await expect(page.getByTestId("line-matches")).toContainText(batchNumber!);
      await expect(page.getByTestId("line-matches")).toContainText(s.rec.matchKind.disbursement);

      // 6. Month-end: the account and last month; zero difference, nothing unexplained; closed.
      const r = s.reports.monthEnd;
      await page.goto(`/finance/${ORG}/month-end`);
      await expect(page.getByRole("heading", { level: 1, name: r.title })).toBeVisible();
      await page.locator("#month-end-account").selectOption({ label: `${accountName} · ${CURRENCY} · ${s.finance.accountKinds.bank}` });
      await page.locator("#month-end-month").fill(month);
      await page.getByRole("button", { name: r.show, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`month=${month}`));
      const figures = page.getByTestId("month-end-figures");
      await expect(figures).toHaveAttribute("data-difference", "0");
      await expect(figures).toContainText(usd(balance5, lang));
      await expect(figures).toContainText(r.zero);
      await expect(page.getByRole("heading", { name: pattern(r.unexplainedStatement, { n: "0" }) })).toBeVisible();
      await expect(page.getByRole("heading", { name: pattern(r.unexplainedLedger, { n: "0" }) })).toBeVisible();
      await expect(page.getByText(r.noneUnexplained, { exact: true })).toHaveCount(2);
      await expectNoSeriousA11yViolations(page);
      await page.getByTestId("close-month").click();
      await expect(page.getByTestId("month-closed")).toHaveText(r.closedNotice);
      await expect(page.getByTestId("month-closed-by")).toBeVisible();
      await expect(page.getByTestId("close-month")).toHaveCount(0);
      const closedRow = page.getByTestId("closed-months").locator("tbody tr").filter({ hasText: accountName });
      await expect(closedRow).toHaveCount(1);
      await expect(closedRow).toContainText(month);
      await expect(closedRow).toContainText(usd(balance5, lang));

      // 7. Reports: the reconciliation export has the account's lines of the month.
      await page.goto(`/finance/${ORG}/reports`);
      await expect(page.getByRole("heading", { level: 1, name: s.reports.reports.title })).toBeVisible();
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-reconciliation").click()]);
      expect(download.suggestedFilename()).toMatch(/^reconciliation-bayader-camps.*\.csv$/);
      const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
      const lines = csv.split(/\r?\n/).filter(Boolean);
      expect(lines[0].split(",")).toEqual(
        expect.arrayContaining(["value_date", "money_account", "amount_minor", "status", "matched_to"]),
      );
      const mine = lines.filter((l) => l.includes(accountName));
      expect(mine).toHaveLength(5);
      for (const line of mine) expect(line.startsWith(`${month}-`), line).toBe(true);
      expect(mine.find((l) => l.includes(String(-amt.out)))).toContain(batchNumber!);
      expect(mine.find((l) => l.includes(`,${amt.a},`))).toContain(refA);
      expect(mine.find((l) => l.includes(`,${amt.c + amt.d},`))).toEqual(expect.stringContaining(refC));
      expect(mine.find((l) => l.includes(`,${amt.opening},`))).toContain("opening_balance");
    });
  }
});

/**
 * Shared e2e fixtures. Import `test` and `expect` from here, not from @playwright/test:
 *
 * - `page` fails the test on any console error or uncaught page error. A test that provokes one
 *   on purpose (a 403/404 page logs "Failed to load resource") declares it first:
 *   `consoleErrors.allow(/status of 404/)`.
 * - `mailbox` reads the dev mailbox (`/dev/mailbox?to=…` lists, `/dev/mailbox/<id>` shows one
 *   email whose links carry data-testid="mail-link").
 * - `expectNoSeriousA11yViolations(page)` runs axe and fails on a serious or critical violation.
 */
import { AxeBuilder } from "@axe-core/playwright";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";

export { expect };
export { DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_USERS } from "../../db/demo-data";

/** Console errors seen by the test's page, minus those the test declared it expects. */
export class ConsoleErrors {
  /** Messages seen so far that were not allowed. */
  readonly messages: string[] = [];
  private readonly allowed: (RegExp | string)[] = [];

  /** Tolerates console errors matching `pattern` for the rest of this test. */
  allow(pattern: RegExp | string): void {
    this.allowed.push(pattern);
    for (let i = this.messages.length - 1; i >= 0; i--) if (matches(this.messages[i], pattern)) this.messages.splice(i, 1);
  }

  record(message: string): void {
    if (!this.allowed.some((pattern) => matches(message, pattern))) this.messages.push(message);
  }
}

export interface Email {
  id: string;
  /** The text of the email's detail page. */
  text: string;
  /** The href of every link marked data-testid="mail-link", in order. */
  links: string[];
}

export interface Mailbox {
  /** Ids of the emails listed for `to`, in the order the mailbox lists them (newest first). */
  ids(to: string): Promise<string[]>;
  /** Opens one email. */
  read(id: string): Promise<Email>;
  /**
   * Waits for an email to `to` that is not in `exclude` (ids taken before the action that sends
   * it) and returns the newest such email. The outbox job sends asynchronously, hence the wait.
   */
  waitForEmail(to: string, options?: { exclude?: string[]; timeout?: number }): Promise<Email>;
  /** The first mail-link of that newest email: the link a person would click. */
  waitForLink(to: string, options?: { exclude?: string[]; timeout?: number }): Promise<string>;
}

interface Fixtures {
  consoleErrors: ConsoleErrors;
  mailbox: Mailbox;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  consoleErrors: async ({}, use) => {
    await use(new ConsoleErrors());
  },

  page: async ({ page, consoleErrors }, use) => {
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const url = msg.location()?.url;
      consoleErrors.record(`console.error: ${msg.text()}${url ? ` (${url})` : ""}`);
    });
    page.on("pageerror", (error) => consoleErrors.record(`page error: ${error.message}`));
    await use(page);
    expect(consoleErrors.messages, "the browser logged errors during the test").toEqual([]);
  },

  mailbox: async ({ context }, use) => {
    await use(createMailbox(context));
  },
});

function matches(message: string, pattern: RegExp | string): boolean {
  return typeof pattern === "string" ? message.includes(pattern) : pattern.test(message);
}

const MAIL_ID = /^\/dev\/mailbox\/([^/]+)\/?$/;

/** Dev-mailbox helpers on their own tab of `context`, so the test's page stays where it is. */
export function createMailbox(context: BrowserContext): Mailbox {
  async function withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    const page = await context.newPage();
    try {
      return await fn(page);
    } finally {
      await page.close();
    }
  }

  async function ids(to: string): Promise<string[]> {
    return withPage(async (page) => {
      const response = await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
      expect(response?.status(), "the dev mailbox answers").toBe(200);
      const hrefs = await page
        .locator('a[href*="/dev/mailbox/"]')
        .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
      const found: string[] = [];
      for (const href of hrefs) {
        const id = MAIL_ID.exec(new URL(href, "http://x").pathname)?.[1];
        if (id && !found.includes(id)) found.push(id);
      }
      return found;
    });
  }

  async function read(id: string): Promise<Email> {
    return withPage(async (page) => {
      const response = await page.goto(`/dev/mailbox/${encodeURIComponent(id)}`);
      expect(response?.status(), `email ${id} opens`).toBe(200);
      const links = await page
        .getByTestId("mail-link")
        .evaluateAll((els) => els.map((a) => a.getAttribute("href") ?? ""));
      const text = await page.locator("body").innerText();
      return { id, text, links };
    });
  }

  async function waitForEmail(to: string, options: { exclude?: string[]; timeout?: number } = {}) {
    const exclude = new Set(options.exclude ?? []);
    let fresh: string | undefined;
    await expect
      .poll(
        async () => {
          fresh = (await ids(to)).find((id) => !exclude.has(id));
          return fresh;
        },
        { message: `an email to ${to} in the dev mailbox`, timeout: options.timeout ?? 15_000 },
      )
      .toBeTruthy();
    return read(fresh!);
  }

  async function waitForLink(to: string, options: { exclude?: string[]; timeout?: number } = {}) {
    const email = await waitForEmail(to, options);
    expect(email.links.length, `email ${email.id} to ${to} has a mail-link`).toBeGreaterThan(0);
    return email.links[0];
  }

  return { ids, read, waitForEmail, waitForLink };
}

/** Runs axe (WCAG 2.1 A and AA) and fails on any serious or critical violation. */
export async function expectNoSeriousA11yViolations(page: Page, options: { exclude?: string[] } = {}) {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `axe on ${page.url()}`).toEqual([]);
}

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resources } from "~/locales";

/**
 * The account code names its messages by key (`auth:errors.emailTaken`, `errors:required`) in
 * schemas, domain results and route maps, where the translation test's scan of `t("…")` calls
 * does not look. Every such key must exist, and read differently, in Arabic and English.
 */
const root = path.resolve(__dirname, "../../..");
const files = [
  ...fs
    .readdirSync(path.join(root, "app/modules/identity"))
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts"))
    .map((f) => `app/modules/identity/${f}`),
  ...[
    "login.tsx",
    "signup.tsx",
    "verify-email.tsx",
    "forgot-password.tsx",
    "reset-password.tsx",
    "account._index.tsx",
    "account.password.tsx",
  ].map((f) => `app/routes/${f}`),
];

function lookup(locale: "ar" | "en", key: string): unknown {
  const [ns, rest] = key.split(":");
  let node: unknown = (resources[locale] as Record<string, unknown>)[ns];
  for (const part of rest.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

describe("account messages", () => {
  it("every message key in the account code exists in Arabic and English", () => {
    const keys = new Set<string>();
    for (const file of files) {
      const source = fs.readFileSync(path.join(root, file), "utf8");
      for (const m of source.matchAll(/["'`]((?:auth|errors|common):[\w.]+)["'`]/g)) keys.add(m[1]);
    }
    expect(keys.size).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const key of keys) {
      const [ar, en] = [lookup("ar", key), lookup("en", key)];
      if (typeof ar !== "string" || typeof en !== "string") problems.push(`${key} missing`);
      else if (ar === en) problems.push(`${key} is not translated`);
    }
    expect(problems).toEqual([]);
  });
});

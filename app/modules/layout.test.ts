import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The house's layout (issue 11): rules live in app/modules and never reach up into the page
 * components or the job runner. A module importing a component drags React into the server's
 * rules and ties a rule to a page; a module importing ~/utils/jobs.server made the
 * jobs.server ↔ accounts.server cycle (modules ask for an outbox sweep through outbox-kick).
 */
const ROOT = path.resolve(__dirname);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const imports = (file: string) =>
  [...fs.readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gms)].map((m) => m[1]);

describe("module layout", () => {
  const files = sources(ROOT);

  it("finds the modules", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it("no module imports a component, not even a type (types live in modules)", () => {
    const offenders = files.flatMap((f) => imports(f).filter((s) => s.startsWith("~/components")).map((s) => `${path.relative(ROOT, f)} → ${s}`));
    expect(offenders).toEqual([]);
  });

  it("no module imports the job runner (an outbox sweep is asked through ~/utils/outbox-kick.server)", () => {
    const offenders = files.flatMap((f) => imports(f).filter((s) => s === "~/utils/jobs.server").map((s) => `${path.relative(ROOT, f)} → ${s}`));
    expect(offenders).toEqual([]);
  });

  it("one UUID check: no module writes its own UUID pattern (~/utils/uuid has it)", () => {
    const own = /\[0-9a-f\]\{8\}-\[0-9a-f\]\{4\}/;
    const offenders = files.filter((f) => own.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it("one Role type: no module defines its own (organizations/roles.ts has it, and the schema's enum is built from ROLES)", () => {
    const own = /type\s+Role\s*=|\$inferSelect\)\["role"\]|"caseworker"\s*\|\s*"verifier"/;
    const offenders = files.filter((f) => !f.endsWith(path.join("organizations", "roles.ts")) && own.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});

import type { OrgRole } from "~/modules/organizations/roles";
import { OrgNotFoundError } from "~/modules/organizations/errors";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * Who may do what in the household registry. Every staff role reads households (verifiers check
 * the cases they verify, finance pays households and their payees); only caseworkers and
 * organisation admins register and change them. The duplicates report is for organisation admins.
 */
export const READ_ROLES: readonly OrgRole[] = ["caseworker", "verifier", "finance", "org_admin"];
export const WRITE_ROLES: readonly OrgRole[] = ["caseworker", "org_admin"];
export const DUPLICATE_REPORT_ROLES: readonly OrgRole[] = ["org_admin"];

export const canWriteHouseholds = (roles: readonly OrgRole[]) => roles.some((r) => WRITE_ROLES.includes(r));
export const canSeeDuplicateReport = (roles: readonly OrgRole[]) => roles.some((r) => DUPLICATE_REPORT_ROLES.includes(r));

const UUID = UUID_PATTERN;

/** The household id of a URL: anything that is not a UUID is simply not found. */
export function householdIdParam(value: string | undefined): string {
  if (!value || !UUID.test(value)) throw new Response("Not Found", { status: 404 });
  return value;
}

/** For loaders: a record of another organisation (OrgNotFoundError) answers 404. */
export function notFoundAs404(error: unknown): never {
  if (error instanceof OrgNotFoundError) throw new Response("Not Found", { status: 404 });
  throw error;
}

import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { invitations, memberships, organizations, regions } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import type { Locale } from "~/utils/i18n";
import { OrgNotFoundError, OrgRuleError } from "./errors";
import { defaultsForCountry } from "./country-defaults";
import { issueInvitation } from "./invitations.server";
import type { CreateOrganizationInput } from "./schemas";

type Organization = typeof organizations.$inferSelect;

/** The profile fields an org admin edits. */
export interface OrgProfileInput {
  nameAr: string;
  nameEn: string;
  /** Empty: the default of the organisation's country (country-defaults.ts). */
  timeZone?: string;
  /** Empty: the default of the organisation's country. */
  defaultCurrency?: string;
  /** Publish needs as soon as they are verified; left as it is when not given. */
  publishOnVerify?: boolean;
  /** The public profile; empty (undefined or null) clears a field. */
  missionAr?: string | null;
  missionEn?: string | null;
  registeredWithAr?: string | null;
  registeredWithEn?: string | null;
  foundedYear?: number | null;
}

const PROFILE_FIELDS = [
  "nameAr",
  "nameEn",
  "timeZone",
  "defaultCurrency",
  "publishOnVerify",
  "missionAr",
  "missionEn",
  "registeredWithAr",
  "registeredWithEn",
  "foundedYear",
] as const;

/** Fields that an empty form value clears (set to null) rather than leaves alone. */
const CLEARABLE = new Set<string>(["missionAr", "missionEn", "registeredWithAr", "registeredWithEn", "foundedYear"]);

/** Saves the organisation's profile; the audit row holds only the fields that changed. */
export async function updateOrganizationProfile(
  db: Db,
  input: { orgId: string; actor: Actor; profile: OrgProfileInput },
) {
  return db.transaction(async (tx) => {
    const [org] = await tx
      .select()
      .from(organizations)
      .where(eq(organizations.id, input.orgId))
      .for("update");
    if (!org) throw new OrgNotFoundError("organisation");
    const defaults = defaultsForCountry(org.country);
    const wanted: Record<string, unknown> = {
      ...input.profile,
      timeZone: input.profile.timeZone || defaults.timeZone,
      defaultCurrency: input.profile.defaultCurrency || defaults.currency,
    };
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const field of PROFILE_FIELDS) {
      let value = wanted[field];
      if (value === undefined && CLEARABLE.has(field)) value = null;
      if (value !== undefined && org[field] !== value) {
        before[field] = org[field];
        after[field] = value;
      }
    }
    if (Object.keys(after).length === 0) return { org, changed: false };
    const [updated] = await tx
      .update(organizations)
      .set({ ...after, updatedAt: new Date() })
      .where(eq(organizations.id, org.id))
      .returning();
    await recordAudit(tx, input.actor, {
      orgId: org.id,
      action: "org.update",
      entityType: "organization",
      entityId: org.id,
      change: { before, after },
    });
    return { org: updated, changed: true };
  });
}

/**
 * Platform onboarding: the organisation and an org_admin invitation for its first admin, in one
 * transaction. A taken slug is a field error.
 */
export async function createOrganization(
  db: Db,
  input: {
    actor: Actor;
    /** The platform admin (sender of the first invitation). */
    inviterId: string;
    values: CreateOrganizationInput;
    origin: string;
    locale: Locale;
  },
) {
  const { adminEmail, ...profile } = input.values;
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values(profile)
      .onConflictDoNothing({ target: organizations.slug })
      .returning();
    if (!org) throw new OrgRuleError("admin:errors.slugTaken", "slug");
    await recordAudit(tx, input.actor, {
      orgId: org.id,
      action: "org.create",
      entityType: "organization",
      entityId: org.id,
      change: { ...profile, firstAdminEmail: adminEmail },
    });
    const invitation = await issueInvitation(tx, {
      orgId: org.id,
      actor: input.actor,
      inviterId: input.inviterId,
      email: adminEmail,
      role: "org_admin",
      origin: input.origin,
      locale: input.locale,
    });
    return { org, invitation };
  });
}

export interface OrganizationOverview {
  org: Organization;
  members: number;
  pendingInvitations: number;
  regions: number;
}

/** Every organisation with its head counts, for the platform admin. */
export const ORGANIZATIONS_PAGE_SIZE = 25;

/** One page of organisations (by English name) with their counts, and the page count. */
export async function listOrganizationsForAdmin(
  db: DbOrTx,
  page = 1,
  pageSize = ORGANIZATIONS_PAGE_SIZE,
): Promise<{ rows: OrganizationOverview[]; page: number; pages: number }> {
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(organizations);
  const pages = Math.max(1, Math.ceil(Number(total) / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const [orgs, memberCounts, inviteCounts, regionCounts] = await Promise.all([
    db
      .select()
      .from(organizations)
      .orderBy(asc(organizations.nameEn), asc(organizations.id))
      .limit(pageSize)
      .offset((current - 1) * pageSize),
    db
      .select({ orgId: memberships.orgId, n: sql<number>`count(distinct ${memberships.userId})::int` })
      .from(memberships)
      .groupBy(memberships.orgId),
    db
      .select({ orgId: invitations.orgId, n: sql<number>`count(*)::int` })
      .from(invitations)
      .where(and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)))
      .groupBy(invitations.orgId),
    db
      .select({ orgId: regions.orgId, n: sql<number>`count(*)::int` })
      .from(regions)
      .groupBy(regions.orgId),
  ]);
  const index = (rows: { orgId: string; n: number }[]) => new Map(rows.map((r) => [r.orgId, Number(r.n)]));
  const [m, i, r] = [index(memberCounts), index(inviteCounts), index(regionCounts)];
  const rows = orgs.map((org) => ({
    org,
    members: m.get(org.id) ?? 0,
    pendingInvitations: i.get(org.id) ?? 0,
    regions: r.get(org.id) ?? 0,
  }));
  return { rows, page: current, pages };
}

import { z } from "zod";
import { ROLES } from "./roles";
import { OFFERED_COUNTRIES, defaultsForCountry } from "./country-defaults";

/**
 * The forms of the organisation area. One schema serves the browser (constraints, instant
 * messages) and the server (the parse that counts). Every message is an i18n key.
 */

const text = (max = 200) =>
  z
    .string({ required_error: "errors:required", invalid_type_error: "errors:invalid" })
    .trim()
    .min(1, "errors:required")
    .max(max, "errors:tooLong");

export const EmailSchema = z
  .string({ required_error: "errors:required", invalid_type_error: "errors:invalid" })
  .trim()
  .toLowerCase()
  .max(254, "errors:tooLong")
  .email("errors:invalidEmail");

export const RoleSchema = z.enum(ROLES, {
  errorMap: () => ({ message: "errors:invalidChoice" }),
});

export const IdSchema = z
  .string({ required_error: "errors:required", invalid_type_error: "errors:invalid" })
  .uuid("errors:invalid");

/** An IANA time zone this runtime knows, in its canonical spelling (`asia/beirut` → `Asia/Beirut`). */
export function canonicalTimeZone(value: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** An ISO 4217 currency code (three capital letters that Intl knows). */
export function isCurrencyCode(value: string): boolean {
  if (!/^[A-Z]{3}$/.test(value)) return false;
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : null;
  return known ? known.includes(value) : true;
}

/** An ISO 3166-1 alpha-2 region code that Intl can name (e.g. LB, SY, EG, JO, PS). */
export function isCountryCode(value: string): boolean {
  if (!/^[A-Z]{2}$/.test(value) || value === "ZZ") return false;
  try {
    const name = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" }).of(value);
    return typeof name === "string" && name !== value;
  } catch {
    return false;
  }
}

export const TimeZoneSchema = z
  .string({ required_error: "errors:required" })
  .trim()
  .max(64, "errors:tooLong")
  .refine((v) => canonicalTimeZone(v) !== null, "staff:errors.invalidTimeZone")
  .transform((v) => canonicalTimeZone(v) ?? v);

export const CurrencySchema = z
  .string({ required_error: "errors:required" })
  .trim()
  .toUpperCase()
  .refine(isCurrencyCode, "staff:errors.invalidCurrency");

// ---------------------------------------------------------------- members and invitations

export const InviteSchema = z.object({
  intent: z.literal("invite"),
  email: EmailSchema,
  role: RoleSchema,
});

export const RevokeInvitationSchema = z.object({
  intent: z.literal("revoke"),
  invitationId: IdSchema,
});

export const ChangeRolesSchema = z.object({
  intent: z.literal("roles"),
  /** Any one of the person's membership rows in this organisation identifies them. */
  membershipId: IdSchema,
  roles: z
    .array(RoleSchema, { required_error: "staff:errors.rolesRequired" })
    .min(1, "staff:errors.rolesRequired"),
});

export const RemoveMemberSchema = z.object({
  intent: z.literal("remove"),
  membershipId: IdSchema,
});

export const MembersActionSchema = z.discriminatedUnion("intent", [
  InviteSchema,
  RevokeInvitationSchema,
  ChangeRolesSchema,
  RemoveMemberSchema,
]);

// ---------------------------------------------------------------- accepting an invitation

export const AcceptInvitationSchema = z.object({ intent: z.literal("accept") });

export const CreateAccountSchema = z.object({
  intent: z.literal("create"),
  displayName: text(100),
  password: z
    .string({ required_error: "errors:required" })
    .min(10, "staff:errors.passwordTooShort")
    .max(200, "errors:tooLong"),
});

export const InvitationActionSchema = z.discriminatedUnion("intent", [
  AcceptInvitationSchema,
  CreateAccountSchema,
]);

// ---------------------------------------------------------------- organisation settings

/** Optional free text: empty is "none" (conform turns an empty field into undefined). */
const optionalText = (max: number) => z.string().trim().max(max, "errors:tooLong").optional();

/** The year an organisation was founded: 1900 up to this year. */
export const FoundedYearSchema = z
  .number({ invalid_type_error: "staff:errors.foundedYear" })
  .int("staff:errors.foundedYear")
  .min(1900, "staff:errors.foundedYear")
  .refine((y) => y <= new Date().getUTCFullYear(), "staff:errors.foundedYearFuture")
  .optional();

export const OrgProfileSchema = z.object({
  intent: z.literal("profile"),
  nameAr: text(200),
  nameEn: text(200),
  /** Empty: the organisation's country's default (see country-defaults.ts), applied by the action. */
  timeZone: TimeZoneSchema.optional(),
  defaultCurrency: CurrencySchema.optional(),
  /** A checkbox: absent means unchecked (publish as a separate step after verification). */
  publishOnVerify: z.boolean().optional().default(false),
  /** The public profile (organisation page): empty clears it. */
  missionAr: optionalText(1000),
  missionEn: optionalText(1000),
  registeredWithAr: optionalText(200),
  registeredWithEn: optionalText(200),
  foundedYear: FoundedYearSchema,
});

export const AddRegionSchema = z.object({
  intent: z.literal("addRegion"),
  /** Empty: a governorate. A governorate: a district. A district: a locality. */
  parentId: IdSchema.optional(),
  nameAr: text(120),
  nameEn: text(120),
});

export const RenameRegionSchema = z.object({
  intent: z.literal("renameRegion"),
  regionId: IdSchema,
  nameAr: text(120),
  nameEn: text(120),
});

export const RemoveRegionSchema = z.object({
  intent: z.literal("removeRegion"),
  regionId: IdSchema,
});

export const SettingsActionSchema = z.discriminatedUnion("intent", [
  OrgProfileSchema,
  AddRegionSchema,
  RenameRegionSchema,
  RemoveRegionSchema,
]);

// ---------------------------------------------------------------- platform onboarding

/** Slugs that would collide with fixed URLs such as `/staff/switch`. */
export const RESERVED_SLUGS = ["switch", "new", "admin", "staff", "finance", "settings"];

export const SlugSchema = z
  .string({ required_error: "errors:required" })
  .trim()
  .toLowerCase()
  .min(3, "errors:tooShort")
  .max(50, "errors:tooLong")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "admin:errors.slugFormat")
  .refine((v) => !RESERVED_SLUGS.includes(v), "admin:errors.slugReserved");

/** Countries offered by name (their defaults are known); any other ISO 3166-1 code through `countryOther`. */
export const MAIN_COUNTRIES = OFFERED_COUNTRIES;

export const CreateOrganizationSchema = z
  .object({
    slug: SlugSchema,
    nameAr: text(200),
    nameEn: text(200),
    country: z
      .string({ required_error: "errors:required" })
      .refine((v) => v === "other" || MAIN_COUNTRIES.includes(v), "errors:invalidChoice"),
    countryOther: z.string().trim().toUpperCase().max(2, "admin:errors.invalidCountry").optional(),
    /** Empty: the country's default currency and time zone (so a form without JavaScript works). */
    defaultCurrency: CurrencySchema.optional(),
    timeZone: TimeZoneSchema.optional(),
    adminEmail: EmailSchema,
  })
  .superRefine((value, ctx) => {
    if (value.country !== "other") return;
    if (!value.countryOther) {
      ctx.addIssue({ code: "custom", path: ["countryOther"], message: "errors:required" });
    } else if (!isCountryCode(value.countryOther)) {
      ctx.addIssue({ code: "custom", path: ["countryOther"], message: "admin:errors.invalidCountry" });
    }
  })
  .transform(({ country, countryOther, defaultCurrency, timeZone, ...rest }) => {
    const code = country === "other" ? (countryOther ?? "") : country;
    const defaults = defaultsForCountry(code);
    return {
      ...rest,
      country: code,
      defaultCurrency: defaultCurrency ?? defaults.currency,
      timeZone: timeZone ?? defaults.timeZone,
    };
  });

export type CreateOrganizationInput = z.output<typeof CreateOrganizationSchema>;

// ---------------------------------------------------------------- audit filters

/** A real calendar day written `YYYY-MM-DD` (2025-02-30 is refused). */
export function isIsoDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const DateSchema = z.string().refine(isIsoDay, "staff:audit.errors.date");

export const AuditFilterSchema = z
  .object({
    action: z.string().trim().max(100, "errors:tooLong").optional(),
    actor: IdSchema.optional(),
    from: DateSchema.optional(),
    to: DateSchema.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    path: ["to"],
    message: "staff:audit.errors.range",
  });

export type AuditFilter = z.output<typeof AuditFilterSchema>;

// ---------------------------------------------------------------- switching organisation

export const SwitchOrganizationSchema = z.object({ orgId: IdSchema });

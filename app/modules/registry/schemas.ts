import { z } from "zod";
import { isIsoDay } from "~/modules/organizations/schemas";
import { ID_KINDS, normalizeIdNumber, normalizePhone } from "./identifiers";

/**
 * The forms of the household registry. One schema serves the browser (constraints, instant
 * messages) and the server (the parse that counts). Every message is an i18n key.
 */

export const VULNERABILITY_TAGS = [
  "female_headed",
  "disability",
  "chronic_illness",
  "elderly_alone",
  "orphan",
  "unaccompanied_minor",
  "pregnant_or_lactating",
  "no_income",
  "eviction_risk",
] as const;
export type VulnerabilityTag = (typeof VULNERABILITY_TAGS)[number];

export const HOUSEHOLD_STATUSES = ["active", "moved", "graduated", "closed"] as const;
export type HouseholdStatus = (typeof HOUSEHOLD_STATUSES)[number];
export const SEXES = ["female", "male"] as const;
/** Relations to the head (the head is entered on its own). */
export const RELATIONS = ["spouse", "child", "parent", "sibling", "grandchild", "grandparent", "other"] as const;
export const SCHOOL_ENROLMENTS = ["not_applicable", "enrolled", "not_enrolled", "dropped_out"] as const;
export const MEMBER_STATUSES = ["present", "left", "deceased"] as const;
export const REFERRAL_PROGRAMMES = [
  "vocational_training",
  "psychosocial_support",
  "economic_empowerment",
  "health",
  "education",
  "legal_aid",
  "other",
] as const;
export const REFERRAL_STATUSES = ["referred", "accepted", "completed", "declined"] as const;
export const DUPLICATE_DECISIONS = ["same", "different", "coordinated"] as const;

/** Rows of blank members, phones and IDs the create form offers without JavaScript. */
export const BLANK_MEMBER_ROWS = 6;
export const BLANK_PHONE_ROWS = 3;
export const BLANK_ID_ROWS = 3;

const choice = <T extends readonly [string, ...string[]]>(values: T, message = "errors:invalidChoice") =>
  z.enum(values, { errorMap: () => ({ message }) });

const text = (max = 200) =>
  z
    .string({ required_error: "errors:required", invalid_type_error: "errors:invalid" })
    .trim()
    .min(1, "errors:required")
    .max(max, "errors:tooLong");

const optionalText = (max = 500) =>
  z.string({ invalid_type_error: "errors:invalid" }).trim().max(max, "errors:tooLong").optional();

export const IdSchema = z
  .string({ required_error: "errors:required", invalid_type_error: "errors:invalid" })
  .uuid("errors:invalid");

export const BirthYearSchema = z
  .number({ invalid_type_error: "registry:errors.birthYear" })
  .int("registry:errors.birthYear")
  .min(1900, "registry:errors.birthYear")
  .refine((y) => y <= new Date().getUTCFullYear(), "registry:errors.birthYear");

/** A calendar day `YYYY-MM-DD`, not in the future (a consent, a birth, a move). */
export const PastDaySchema = z
  .string({ required_error: "errors:required", invalid_type_error: "errors:invalid" })
  .refine(isIsoDay, "registry:errors.date")
  .refine((d) => d <= new Date().toISOString().slice(0, 10), "registry:errors.dateInFuture");

const TagsSchema = z.array(choice(VULNERABILITY_TAGS, "registry:errors.unknownTag")).default([]);

export const MemberSchema = z.object({
  fullName: text(200),
  sex: choice(SEXES),
  birthYear: BirthYearSchema.optional(),
  relation: choice(RELATIONS),
  disability: optionalText(300),
  schoolEnrolment: choice(SCHOOL_ENROLMENTS).default("not_applicable"),
});
export type MemberInput = z.output<typeof MemberSchema>;

const isBlank = (row: unknown) =>
  row == null ||
  (typeof row === "object" &&
    Object.entries(row as Record<string, unknown>).every(
      ([key, v]) => key === "kind" || key === "schoolEnrolment" || v === undefined || v === "" || v === null,
    ));

/** A list of optional rows: untouched rows are dropped, the others keep their index for errors. */
function rows<T extends z.ZodTypeAny>(item: T) {
  return z
    .array(z.preprocess((row) => (isBlank(row) ? null : row), item.nullable()))
    .default([])
    .transform((list) => list.filter((row): row is NonNullable<z.output<T>> => row !== null));
}

export const IdentifierRowSchema = z.object({
  kind: choice(ID_KINDS),
  value: z.string({ required_error: "errors:required" }).trim().min(1, "errors:required").max(60, "errors:tooLong"),
});

const ConsentFields = {
  consentGivenOn: PastDaySchema.optional(),
  consentPublish: z.boolean().default(false),
  consentSharePartners: z.boolean().default(false),
};

function consentRule(value: { consentGivenOn?: string; consentPublish: boolean; consentSharePartners: boolean }, ctx: z.RefinementCtx) {
  if ((value.consentPublish || value.consentSharePartners) && !value.consentGivenOn) {
    ctx.addIssue({ code: "custom", path: ["consentGivenOn"], message: "registry:errors.consentDate" });
  }
}

/** The new-household form. `country` is the organisation's, for reading local phone numbers. */
export function createHouseholdSchema(country: string) {
  return z
    .object({
      headFullName: text(200),
      headSex: choice(SEXES),
      headBirthYear: BirthYearSchema.optional(),
      headDisability: optionalText(300),
      members: rows(MemberSchema),
      phones: z
        .array(
          z
            .string()
            .trim()
            .max(30, "errors:tooLong")
            .refine((p) => p === "" || normalizePhone(p, country).ok, "registry:errors.invalidPhone")
            .optional(),
        )
        .default([])
        .transform((list) => list.map((p) => p ?? "")),
      ids: rows(IdentifierRowSchema),
      regionId: IdSchema.optional(),
      address: optionalText(500),
      tags: TagsSchema,
      ...ConsentFields,
    })
    .superRefine(consentRule)
    .transform(({ phones, ...rest }) => ({ ...rest, phones: phones.filter((p) => p !== "") }));
}
export type CreateHouseholdForm = z.output<ReturnType<typeof createHouseholdSchema>>;

export const HouseholdListFilterSchema = z.object({
  q: z.string().trim().max(100, "errors:tooLong").optional(),
  status: choice(HOUSEHOLD_STATUSES).optional(),
  regionId: IdSchema.optional(),
  tag: choice(VULNERABILITY_TAGS, "registry:errors.unknownTag").optional(),
});
export type HouseholdListFilter = z.output<typeof HouseholdListFilterSchema>;

// ---------------------------------------------------------------- the household page

export const DetailsSchema = z.object({
  intent: z.literal("details"),
  regionId: IdSchema.optional(),
  address: optionalText(500),
  tags: TagsSchema,
});

export const MoveSchema = z.object({
  intent: z.literal("move"),
  regionId: IdSchema.optional(),
  address: optionalText(500),
  occurredOn: PastDaySchema,
  note: optionalText(500),
});

export const AddMemberSchema = MemberSchema.extend({
  intent: z.literal("addMember"),
  /** A birth: the timeline says "member born" and the date is the birth date. */
  born: z.boolean().default(false),
  occurredOn: PastDaySchema.optional(),
});

export const UpdateMemberSchema = MemberSchema.extend({
  intent: z.literal("updateMember"),
  memberId: IdSchema,
});

export const MemberExitSchema = z.object({
  intent: z.literal("memberExit"),
  memberId: IdSchema,
  reason: choice(["left", "died"] as const),
  occurredOn: PastDaySchema,
  note: optionalText(500),
});

export const EditHouseholdActionSchema = z.discriminatedUnion("intent", [
  DetailsSchema,
  MoveSchema,
  AddMemberSchema,
  UpdateMemberSchema,
  MemberExitSchema,
]);

export const StatusSchema = z.object({
  intent: z.literal("status"),
  status: choice(HOUSEHOLD_STATUSES),
  note: optionalText(500),
});

export const ConsentSchema = z
  .object({
    intent: z.literal("consent"),
    consentGivenOn: PastDaySchema,
    consentPublish: z.boolean().default(false),
    consentSharePartners: z.boolean().default(false),
  });

export function addIdentifierSchema(country: string) {
  return z
    .object({
      intent: z.literal("addIdentifier"),
      kind: choice(["phone", ...ID_KINDS] as const),
      value: z.string({ required_error: "errors:required" }).trim().min(1, "errors:required").max(60, "errors:tooLong"),
      memberId: IdSchema.optional(),
    })
    .superRefine((value, ctx) => {
      const ok = value.kind === "phone" ? normalizePhone(value.value, country).ok : normalizeIdNumber(value.value).ok;
      if (!ok) {
        ctx.addIssue({
          code: "custom",
          path: ["value"],
          message: value.kind === "phone" ? "registry:errors.invalidPhone" : "registry:errors.invalidId",
        });
      }
    });
}

export const RemoveIdentifierSchema = z.object({ intent: z.literal("removeIdentifier"), identifierId: IdSchema });

export const DecideDuplicateSchema = z.object({
  intent: z.literal("decideDuplicate"),
  matchId: IdSchema,
  decision: choice(DUPLICATE_DECISIONS),
  note: optionalText(500),
});

export const CreateReferralSchema = z.object({
  intent: z.literal("createReferral"),
  programme: choice(REFERRAL_PROGRAMMES),
  partner: text(200),
  memberId: IdSchema.optional(),
  notes: optionalText(1000),
});

export const ReferralStatusSchema = z.object({
  intent: z.literal("referralStatus"),
  referralId: IdSchema,
  status: choice(["accepted", "completed", "declined"] as const),
});

/** The schema of one form on the household page, chosen by its intent (null: no such form). */
export function householdActionSchemaFor(intent: unknown, country: string) {
  switch (intent) {
    case "status":
      return StatusSchema;
    case "consent":
      return ConsentSchema;
    case "addIdentifier":
      return addIdentifierSchema(country);
    case "removeIdentifier":
      return RemoveIdentifierSchema;
    case "decideDuplicate":
      return DecideDuplicateSchema;
    case "createReferral":
      return CreateReferralSchema;
    case "referralStatus":
      return ReferralStatusSchema;
    default:
      return null;
  }
}

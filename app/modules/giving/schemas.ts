import { z } from "zod";
import { NEED_CATEGORIES } from "~/modules/needs/schemas";
import { isCurrencyCode } from "~/modules/organizations/schemas";
import { UUID_PATTERN } from "~/utils/uuid";
import { DIGEST_FREQUENCIES } from "./frequencies";

export { DIGEST_FREQUENCIES, type DigestFrequency } from "./frequencies";

/** No donor needs more choices than this in one list; a longer list is a forged form. */
const MAX_CHOICES = 50;

/**
 * A donor's giving preferences as the form sends them. Empty lists mean "anything". The budget is
 * typed as a decimal and becomes minor units of its currency in the domain (parseMoney).
 */
export const PreferencesSchema = z
  .object({
    /** The form says what it is, so an empty or stray post saves nothing. */
    intent: z.literal("save-preferences", { errorMap: () => ({ message: "errors:invalid" }) }),
    categories: z.array(z.enum(NEED_CATEGORIES, { errorMap: () => ({ message: "giving:errors.categoryInvalid" }) })).max(MAX_CHOICES, "giving:errors.tooMany").default([]),
    regionIds: z.array(z.string().regex(UUID_PATTERN, "giving:errors.regionInvalid")).max(MAX_CHOICES, "giving:errors.tooMany").default([]),
    orgIds: z.array(z.string().regex(UUID_PATTERN, "giving:errors.orgInvalid")).max(MAX_CHOICES, "giving:errors.tooMany").default([]),
    zakatOnly: z.boolean().default(false),
    monthlyBudget: z.string().trim().max(32, "giving:errors.budgetInvalid").optional(),
    budgetCurrency: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isCurrencyCode, "giving:errors.currencyInvalid")
      .optional(),
    digest: z.enum(DIGEST_FREQUENCIES, { errorMap: () => ({ message: "giving:errors.digestInvalid" }) }).default("off"),
  })
  .superRefine((value, ctx) => {
    if (value.monthlyBudget && !value.budgetCurrency) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["budgetCurrency"], message: "giving:errors.currencyRequired" });
    }
  });

export type PreferencesInput = z.infer<typeof PreferencesSchema>;

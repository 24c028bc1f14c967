import { z } from "zod";
import { isIsoDay } from "~/modules/organizations/schemas";
import { parseMoney } from "./money";
import { NEED_ACTIONS } from "./lifecycle";

/**
 * The forms of the needs area. One schema for the browser (conform) and the server. Every message
 * is an i18n key. The editor schema is made for one organisation's currency and today's date in
 * its time zone, so amounts and deadlines are checked the same way on both sides.
 */

export const NEED_CATEGORIES = [
  "school_fees",
  "medical_treatment",
  "surgery",
  "medication",
  "in_kind_item",
  "rent",
  "food",
  "livelihood_asset",
  "other",
] as const;
/** A kafala runs for 2 to 60 months. */
export const MIN_KAFALA_MONTHS = 2;
export const MAX_KAFALA_MONTHS = 60;
export const URGENCIES = ["critical", "high", "normal"] as const;
export const PAYEE_KINDS = ["school", "hospital", "pharmacy", "vendor", "household", "landlord"] as const;
export const AGE_BANDS = ["0-4", "5-11", "12-17", "18-29", "30-59", "60+"] as const;
export const GENDERS = ["female", "male"] as const;
export const ONLY_LANGUAGES = ["ar", "en"] as const;
/** Who may receive zakat (db enum zakat_category; decision 062). Empty on a need: not zakat-eligible. */
export const ZAKAT_CATEGORIES = ["fuqara", "masakin", "gharimin", "ibn_sabil", "fi_sabilillah", "riqab", "muallafa"] as const;
export type ZakatCategory = (typeof ZAKAT_CATEGORIES)[number];
/** More confirmations than this in one form is not a person typing. */
export const MAX_CONFIRMATIONS = 100;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];

/** How many item lines the editor offers (blank lines are ignored). */
export const MAX_ITEMS = 20;

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    errorMap: (issue, ctx) => ({ message: ctx.data === undefined ? "errors:required" : "errors:invalidChoice" }),
  });

const optionalText = (max: number) => z.string().trim().max(max, "errors:tooLong").optional();

const IdSchema = z.string({ required_error: "errors:required" }).uuid("errors:invalid");

const ItemSchema = z.object({
  labelAr: optionalText(120),
  labelEn: optionalText(120),
  quantity: z.string({ required_error: "errors:required" }).trim(),
  unitCost: z.string({ required_error: "errors:required" }).trim(),
});

type ItemRaw = z.infer<typeof ItemSchema>;

export function needEditorSchema(options: { currency: string; today: string }) {
  const base = z.object({
    intent: z.enum(["save", "preview"]).default("save"),
    householdId: IdSchema.optional(),
    category: choice(NEED_CATEGORIES),
    target: z.string().trim().max(40, "errors:tooLong").optional(),
    deadline: z.string({ required_error: "errors:required" }).trim(),
    urgency: choice(URGENCIES),
    payeeKind: choice(PAYEE_KINDS),
    /** A payee record of the organisation (issue 10); empty: a new payee named below (found or created). */
    payeeId: IdSchema.optional(),
    payeeName: optionalText(200),
    payeeDetails: optionalText(1000),
    titleAr: optionalText(120),
    titleEn: optionalText(120),
    storyAr: optionalText(4000),
    storyEn: optionalText(4000),
    publicRegionId: IdSchema.optional(),
    ageBand: choice(AGE_BANDS).optional(),
    gender: choice(GENDERS).optional(),
    /** Zakat-eligible, with the category of recipient (issue 12); empty: not eligible. */
    zakatCategory: choice(ZAKAT_CATEGORIES).optional(),
    /** Kafala (decision 067): offered to one sponsor in this many monthly instalments; empty: an ordinary need. */
    sponsorshipMonths: z.string().trim().max(3, "errors:tooLong").optional(),
    /** "Publish in one language only": the language, or nothing for both. */
    onlyLanguage: choice(ONLY_LANGUAGES).optional(),
    /** The author's "this is not the person's name" checkboxes: occurrence ids of confirm-hits. */
    confirm: z
      .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(300, "errors:tooLong")).max(MAX_CONFIRMATIONS, "errors:invalid"))
      .optional(),
    // Blank lines of the no-JavaScript form arrive as empty objects (or nothing): dropped here.
    items: z
      .preprocess(
        (v) =>
          Array.isArray(v)
            ? v.filter((row) => row && typeof row === "object" && Object.values(row).some((x) => x !== undefined && x !== ""))
            : v,
        z.array(z.unknown()).max(MAX_ITEMS, "needs:errors.tooManyItems"),
      )
      .optional(),
  });

  return base
    .superRefine((value, ctx) => {
      if (!isIsoDay(value.deadline)) {
        ctx.addIssue({ code: "custom", path: ["deadline"], message: "needs:errors.deadlineInvalid" });
      } else if (value.deadline < options.today) {
        ctx.addIssue({ code: "custom", path: ["deadline"], message: "needs:errors.deadlinePast" });
      }
      if (!value.titleAr && !value.titleEn) {
        ctx.addIssue({ code: "custom", path: ["titleAr"], message: "needs:errors.titleRequired" });
      }
      if (value.sponsorshipMonths) {
        const months = Number(value.sponsorshipMonths);
        if (!/^\d+$/.test(value.sponsorshipMonths) || months < MIN_KAFALA_MONTHS || months > MAX_KAFALA_MONTHS) {
          ctx.addIssue({ code: "custom", path: ["sponsorshipMonths"], message: "needs:errors.kafalaMonths" });
        } else if (value.category === "in_kind_item") {
          ctx.addIssue({ code: "custom", path: ["sponsorshipMonths"], message: "needs:errors.kafalaInKind" });
        }
      }
      if (value.payeeKind !== "household" && !value.payeeName && !value.payeeId) {
        ctx.addIssue({ code: "custom", path: ["payeeName"], message: "needs:errors.payeeNameRequired" });
      }
      if (value.category === "in_kind_item") {
        const rows = (value.items ?? []) as Partial<ItemRaw>[];
        if (rows.length === 0) ctx.addIssue({ code: "custom", path: ["items"], message: "needs:errors.itemsRequired" });
        rows.forEach((row, i) => {
          const parsed = ItemSchema.safeParse(row);
          if (!parsed.success) {
            for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ["items", i, ...issue.path] });
            return;
          }
          if (!row.labelAr && !row.labelEn) {
            ctx.addIssue({ code: "custom", path: ["items", i, "labelAr"], message: "needs:errors.itemLabelRequired" });
          }
          const qty = Number(row.quantity);
          if (!/^\d+$/.test(row.quantity ?? "") || !Number.isInteger(qty) || qty < 1 || qty > 10_000) {
            ctx.addIssue({ code: "custom", path: ["items", i, "quantity"], message: "needs:errors.quantityInvalid" });
          }
          const cost = parseMoney(row.unitCost, options.currency);
          if (!cost.ok) ctx.addIssue({ code: "custom", path: ["items", i, "unitCost"], message: cost.error });
        });
      } else {
        const target = parseMoney(value.target, options.currency);
        if (!target.ok) ctx.addIssue({ code: "custom", path: ["target"], message: target.error });
      }
    })
    .transform((value) => {
      const items =
        value.category === "in_kind_item"
          ? ((value.items ?? []) as ItemRaw[]).map((row) => ({
              labelAr: row.labelAr || null,
              labelEn: row.labelEn || null,
              quantity: Number(row.quantity),
              unitCostMinor: (parseMoney(row.unitCost, options.currency) as { minor: number }).minor,
            }))
          : [];
      const targetMinor =
        value.category === "in_kind_item"
          ? items.reduce((sum, item) => sum + item.quantity * item.unitCostMinor, 0)
          : (parseMoney(value.target, options.currency) as { minor: number }).minor;
      return {
        intent: value.intent,
        householdId: value.householdId,
        fields: {
          category: value.category,
          targetMinor,
          deadline: value.deadline,
          urgency: value.urgency,
          payeeKind: value.payeeKind,
          payeeId: value.payeeId ?? null,
          payeeName: value.payeeName || null,
          payeeDetails: value.payeeDetails || null,
          titleAr: value.titleAr || null,
          titleEn: value.titleEn || null,
          storyAr: value.storyAr || null,
          storyEn: value.storyEn || null,
          publicRegionId: value.publicRegionId ?? null,
          ageBand: value.ageBand ?? null,
          gender: value.gender ?? null,
          zakatCategory: value.zakatCategory ?? null,
          sponsorshipMonths: value.sponsorshipMonths ? Number(value.sponsorshipMonths) : null,
        },
        items,
        onlyLanguage: value.onlyLanguage ?? null,
        confirmations: (value.confirm ?? []) as string[],
      };
    });
}

export type NeedEditorOutput = z.output<ReturnType<typeof needEditorSchema>>;
/** The need's fields; `payeeId` absent or null: the payee is found or created from kind and name. */
export type NeedFields = Omit<NeedEditorOutput["fields"], "payeeId" | "zakatCategory" | "sponsorshipMonths"> & {
  payeeId?: string | null;
  /** Kafala: the number of monthly instalments (decision 067); absent: unchanged on edit, none on create. */
  sponsorshipMonths?: number | null;
  /** Absent: unchanged on edit, not eligible on create. */
  zakatCategory?: ZakatCategory | null;
};
export type NeedItemInput = NeedEditorOutput["items"][number];

const TRANSITION_ACTIONS = NEED_ACTIONS.filter((a) => a !== "edit") as Exclude<(typeof NEED_ACTIONS)[number], "edit">[];

export const TransitionSchema = z.object({
  intent: z.enum(TRANSITION_ACTIONS as [string, ...string[]], { errorMap: () => ({ message: "errors:invalidChoice" }) }),
  reason: z.string().trim().max(1000, "errors:tooLong").optional(),
}).superRefine((value, ctx) => {
  if (["return", "reject", "cancel"].includes(value.intent) && !value.reason) {
    ctx.addIssue({ code: "custom", path: ["reason"], message: "needs:errors.reasonRequired" });
  }
});

export const NeedFilterSchema = z.object({
  state: z.string().optional(),
  category: z.enum(NEED_CATEGORIES).optional(),
});

/** The verifier keeps public details the re-identification check would drop, with a reason (decision 055). */
export const KeepDetailsSchema = z
  .object({
    intent: z.literal("keepDetails"),
    keep: z
      .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(["age_band", "gender"], { errorMap: () => ({ message: "errors:invalidChoice" }) })).max(2))
      .optional(),
    reason: z.string().trim().max(1000, "errors:tooLong").optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.keep ?? []).length > 0 && !value.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "needs:errors.reasonRequired" });
    }
  });

/**
 * Written updates for donors and sponsors (decision 070): the rules and forms the page and the
 * server share (no server code here). The writing and publishing are in updates.server.ts.
 */
import { z } from "zod";
import type { GuardHit } from "~/modules/anonymization/guard";

/** A need has donors (and may have a sponsor) to tell from publication until it is closed. */
export const UPDATABLE_STATES = ["published", "funded", "disbursed"] as const;
export const UPDATE_MAX_LENGTH = 2000;

export type NeedUpdateErrorCode = "role_not_allowed" | "author_cannot_review" | "guard" | "not_open" | "not_found" | "not_pending" | "reason_required";

export class NeedUpdateError extends Error {
  constructor(
    readonly code: NeedUpdateErrorCode,
    readonly hits: GuardHit[] = [],
  ) {
    super(code);
    this.name = "NeedUpdateError";
  }

  get status(): 400 | 403 | 404 | 409 | 422 {
    switch (this.code) {
      case "role_not_allowed":
      case "author_cannot_review":
        return 403;
      case "not_found":
        return 404;
      case "guard":
        return 422;
      case "reason_required":
        return 400;
      default:
        return 409;
    }
  }
}

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const body = z.preprocess(blankToNull, z.string().trim().max(UPDATE_MAX_LENGTH, "needs:updates.errors.tooLong").optional());

/** The form that writes an update: at least one language; `confirm` holds confirmed guard occurrences. */
export const NeedUpdateFormSchema = z
  .object({
    intent: z.literal("write"),
    bodyAr: body,
    bodyEn: body,
    confirm: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(300)).max(200)),
  })
  .refine((v) => Boolean(v.bodyAr || v.bodyEn), { message: "needs:updates.errors.bodyRequired", path: ["bodyAr"] });

export const NeedUpdateReviewSchema = z.object({
  intent: z.enum(["publish", "reject"]),
  updateId: z.string().uuid("needs:updates.errors.notFound"),
  reason: z.preprocess(blankToNull, z.string().trim().max(500, "needs:updates.errors.tooLong").optional()),
});


/** A published update, as a loader hands it over: its text in the reader's language (else the other), and its day. */
export type UpdateView = { text: string; lang: "ar" | "en"; date: string };

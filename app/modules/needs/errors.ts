import type { GuardHit } from "~/modules/anonymization/guard";
import type { TransitionRefusal } from "./lifecycle";

/**
 * A refused need operation. Routes show `needs:refusals.<code>`; a guard refusal carries the
 * offending words (field, position, reason) so the page can highlight them.
 */
export type NeedErrorCode = TransitionRefusal | "guard" | "no_consent" | "not_editable" | "not_author" | "language_missing";

export class NeedError extends Error {
  constructor(
    readonly code: NeedErrorCode,
    readonly hits: GuardHit[] = [],
  ) {
    super(code);
    this.name = "NeedError";
  }

  get status(): 400 | 403 | 409 | 422 {
    switch (this.code) {
      case "guard":
      case "language_missing":
        return 422;
      case "author_cannot_verify":
      case "role_not_allowed":
      case "not_author":
        return 403;
      case "reason_required":
        return 400;
      default:
        return 409;
    }
  }
}

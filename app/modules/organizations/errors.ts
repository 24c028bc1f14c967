/**
 * Errors the organisation rules raise. Routes turn them into answers:
 * `OrgNotFoundError` → 404 (a record of another organisation, or none);
 * `OrgRuleError` → the form again with the message (an i18n key) next to `field`.
 */
export class OrgNotFoundError extends Error {
  constructor(what = "record") {
    super(`${what} not found in this organisation`);
    this.name = "OrgNotFoundError";
  }
}

export class OrgRuleError extends Error {
  constructor(
    /** i18n key, e.g. `staff:errors.lastAdmin`. */
    readonly messageKey: string,
    /** The form field the message belongs to; none for a form-level message. */
    readonly field?: string,
    readonly status: 400 | 403 | 409 = 409,
  ) {
    super(messageKey);
    this.name = "OrgRuleError";
  }
}

export type InvitationState = "pending" | "accepted" | "revoked" | "expired";

/** The invitation cannot be used: unknown (404) or used, revoked or expired (410). */
export class InvitationUnavailableError extends Error {
  constructor(readonly state: Exclude<InvitationState, "pending"> | "unknown") {
    super(`invitation ${state}`);
    this.name = "InvitationUnavailableError";
  }
  get status(): 404 | 410 {
    return this.state === "unknown" ? 404 : 410;
  }
}

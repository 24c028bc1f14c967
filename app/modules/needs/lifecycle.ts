/**
 * The life cycle of a need. Pure: which transitions exist, who may make them, what they require.
 * The database enforces the four-eyes rule too (the verifier is never the author).
 */
import type { Role } from "~/modules/organizations/roles";
import { todayIn } from "./money";

export const NEED_STATES = [
  "draft",
  "submitted",
  "returned",
  "verified",
  "published",
  "rejected",
  "cancelled",
  "funded",
  "disbursed",
  "closed",
  "expired",
] as const;
export type NeedState = (typeof NEED_STATES)[number];

export const NEED_ACTIONS = ["submit", "return", "verify", "publish", "reject", "cancel", "edit"] as const;
export type NeedAction = (typeof NEED_ACTIONS)[number];


interface TransitionRule {
  from: readonly NeedState[];
  to: NeedState;
  roles: readonly Role[];
  /** The verifier's actions: never by the need's author. */
  fourEyes: boolean;
  reasonRequired: boolean;
  /** Runs the anonymization guard first. */
  guarded: boolean;
}

export const TRANSITIONS: Record<Exclude<NeedAction, "edit">, TransitionRule> = {
  submit: { from: ["draft", "returned"], to: "submitted", roles: ["caseworker", "org_admin"], fourEyes: false, reasonRequired: false, guarded: true },
  return: { from: ["submitted"], to: "returned", roles: ["verifier"], fourEyes: true, reasonRequired: true, guarded: false },
  verify: { from: ["submitted"], to: "verified", roles: ["verifier"], fourEyes: true, reasonRequired: false, guarded: true },
  publish: { from: ["verified"], to: "published", roles: ["verifier", "org_admin"], fourEyes: true, reasonRequired: false, guarded: true },
  reject: { from: ["submitted"], to: "rejected", roles: ["verifier"], fourEyes: true, reasonRequired: true, guarded: false },
  cancel: {
    from: ["draft", "submitted", "returned", "verified", "published"],
    to: "cancelled",
    roles: ["caseworker", "verifier", "org_admin"],
    fourEyes: false,
    reasonRequired: true,
    guarded: false,
  },
};

/**
 * Transitions the system makes, never a button a person presses: `expire` (the need-expiry job,
 * a published need past the end of its deadline day in the organisation's time zone), `fund`
 * (its fund reaches the target) and `unfund` (a refund or a reallocation takes the fund below the
 * target: back to published) and `disburse` (a paid disbursement emptied a funded need's fund). The actor is the system (need_transitions.actor_id null) or the
 * person whose payment, refund or reallocation caused it.
 */
export const SYSTEM_TRANSITIONS = {
  expire: { from: ["published"], to: "expired" },
  fund: { from: ["published"], to: "funded" },
  unfund: { from: ["funded"], to: "published" },
  /** A disbursement paid the funded need's whole fund out to its payee (the finance officer who marked it paid is the actor). */
  disburse: { from: ["funded"], to: "disbursed" },
} as const satisfies Record<string, { from: readonly NeedState[]; to: NeedState }>;
export type SystemNeedAction = keyof typeof SYSTEM_TRANSITIONS;
export const SYSTEM_NEED_ACTIONS = Object.keys(SYSTEM_TRANSITIONS) as SystemNeedAction[];

export type SystemTransitionDecision = { ok: true; to: NeedState } | { ok: false; refusal: "invalid_transition" };

/** Whether a system transition applies to a need in this state (and to which state it leads). */
export function decideSystemTransition(action: SystemNeedAction, state: NeedState): SystemTransitionDecision {
  const rule = SYSTEM_TRANSITIONS[action] as { from: readonly NeedState[]; to: NeedState } | undefined;
  if (!rule || !rule.from.includes(state)) return { ok: false, refusal: "invalid_transition" };
  return { ok: true, to: rule.to };
}

/**
 * A need's deadline is a calendar day in the organisation's time zone; the need may still be
 * pledged to until that day ends there. True once the day is over.
 */
export function deadlinePassed(deadline: string, timeZone: string, now: Date): boolean {
  return todayIn(timeZone, now) > deadline;
}

/** States in which a cancel releases the need's live pledges (the other states never have any). */
export const PLEDGEABLE_STATES: readonly NeedState[] = ["verified", "published"];

/** States in which the author may still change the need's content. */
export const EDITABLE_STATES: readonly NeedState[] = ["draft", "returned"];

/** Who may change a need's content: its author or an org admin (caseworkers and admins write needs). */
export function mayEditContent(authorId: string, actorId: string, actorRoles: readonly Role[]): boolean {
  return authorId === actorId ? actorRoles.some((r) => r === "caseworker" || r === "org_admin") : actorRoles.includes("org_admin");
}

/** Editable now: the right person, and a state in which content may still change. */
export function canEditNeed(state: NeedState, authorId: string, actorId: string, actorRoles: readonly Role[]): boolean {
  return EDITABLE_STATES.includes(state) && mayEditContent(authorId, actorId, actorRoles);
}

export type TransitionRefusal =
  | "invalid_transition"
  | "role_not_allowed"
  | "author_cannot_verify"
  | "reason_required";

export interface TransitionRequest {
  action: Exclude<NeedAction, "edit">;
  state: NeedState;
  actorId: string;
  actorRoles: readonly Role[];
  authorId: string;
  reason?: string | null;
}

export type TransitionDecision = { ok: true; to: NeedState; guarded: boolean } | { ok: false; refusal: TransitionRefusal };

export function decideTransition(request: TransitionRequest): TransitionDecision {
  const rule = TRANSITIONS[request.action];
  if (!rule || !rule.from.includes(request.state)) return { ok: false, refusal: "invalid_transition" };
  if (!request.actorRoles.some((r) => rule.roles.includes(r))) return { ok: false, refusal: "role_not_allowed" };
  if (rule.fourEyes && request.actorId === request.authorId) return { ok: false, refusal: "author_cannot_verify" };
  if (rule.reasonRequired && !request.reason?.trim()) return { ok: false, refusal: "reason_required" };
  return { ok: true, to: rule.to, guarded: rule.guarded };
}

/** The actions a person may take on a need now (for showing only the buttons that work). */
export function availableActions(
  state: NeedState,
  actorId: string,
  actorRoles: readonly Role[],
  authorId: string,
): Exclude<NeedAction, "edit">[] {
  return (Object.keys(TRANSITIONS) as Exclude<NeedAction, "edit">[]).filter((action) => {
    const decision = decideTransition({ action, state, actorId, actorRoles, authorId, reason: "x" });
    return decision.ok;
  });
}

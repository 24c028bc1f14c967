import { data } from "@remix-run/node";
import type { Submission } from "@conform-to/zod";
import { getFixedT } from "~/utils/i18next.server";
import { InvitationUnavailableError, OrgNotFoundError, OrgRuleError } from "./errors";

/**
 * Glue between the organisation routes and their domain module: a refused rule becomes the
 * form again with its message; a record of another organisation becomes a 404.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySubmission = Submission<any>;

/** What an action answers when a form fails: which form (intent + target) and conform's reply. */
export interface FormReply {
  intent: string;
  /** The row the form was about (membership, invitation, region), so only that form shows it. */
  target: string | null;
  result: ReturnType<AnySubmission["reply"]>;
}

/** Which form a submission came from: its intent, and the row it names (first of `targetFields` present). */
export function formMeta(submission: AnySubmission, targetFields: readonly string[] = []) {
  const payload = submission.payload as Record<string, unknown>;
  const intent = typeof payload.intent === "string" ? payload.intent.slice(0, 40) : "";
  const raw = targetFields.map((f) => payload[f]).find((v) => typeof v === "string");
  return { intent, target: typeof raw === "string" ? raw.slice(0, 64) : null };
}

/** 400 with the field errors of a form that failed its schema; nothing was changed. */
export function invalid(submission: AnySubmission, meta: { intent: string; target: string | null }, hideFields?: string[]) {
  const body: FormReply = { ...meta, result: submission.reply({ hideFields }) };
  return data(body, { status: 400 });
}

/**
 * Runs the one domain call of an action. An OrgRuleError answers the form with its message
 * (next to its field, or above the form); an OrgNotFoundError throws 404. Anything else rethrows.
 */
export async function runRule<T>(
  submission: AnySubmission,
  meta: { intent: string; target: string | null },
  call: () => Promise<T>,
  hideFields?: string[],
) {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OrgNotFoundError) throw new Response("Not Found", { status: 404 });
    if (error instanceof OrgRuleError) {
      const result = submission.reply({
        ...(error.field
          ? { fieldErrors: { [error.field]: [error.messageKey] } }
          : { formErrors: [error.messageKey] }),
        hideFields,
      });
      const body: FormReply = { ...meta, result };
      return data(body, { status: error.status });
    }
    throw error;
  }
}

export function isInvitationUnavailable(error: unknown): error is InvitationUnavailableError {
  return error instanceof InvitationUnavailableError;
}

/** "Members · Bayader Association · Tadamon", in the request's language. */
export async function staffTitle(request: Request, key: string, orgLabel?: string): Promise<string> {
  const t = await getFixedT(request, ["staff", "admin", "common"]);
  return [t(key), orgLabel, t("common:appName")].filter(Boolean).join(" · ");
}

/** Only these notices may be shown from `?notice=` (the page after a successful form). */
export function noticeFrom(url: URL, allowed: readonly string[]): string | null {
  const notice = url.searchParams.get("notice");
  return notice && allowed.includes(notice) ? notice : null;
}

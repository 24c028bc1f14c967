import type { Submission } from "@conform-to/zod";
import { getFixedT } from "~/utils/i18next.server";
import { PASSWORD_FIELDS } from "./schemas";

/**
 * Glue shared by the account routes: conform replies that never echo a password back into the
 * page, and page titles in the request's language (meta functions cannot translate).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySubmission = Submission<any>;

/** The reply to a form that failed its schema: its field errors, without the passwords typed. */
export function invalidReply(submission: AnySubmission) {
  return submission.reply({ hideFields: PASSWORD_FIELDS });
}

/** The reply to a form the domain refused: the message next to its field, or above the form. */
export function failureReply(submission: AnySubmission, failure: { message: string; field?: string }) {
  return submission.reply({
    ...(failure.field ? { fieldErrors: { [failure.field]: [failure.message] } } : { formErrors: [failure.message] }),
    hideFields: PASSWORD_FIELDS,
  });
}

/** "Sign in — Tadamon", in the request's language. */
export async function pageTitle(request: Request, key: string): Promise<string> {
  const t = await getFixedT(request, ["auth", "common"]);
  return `${t(key)} — ${t("common:appName")}`;
}

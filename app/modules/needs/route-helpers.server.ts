import { data } from "@remix-run/node";
import type { Submission } from "@conform-to/zod";
import type { GuardHit } from "~/modules/anonymization/guard";
import { OrgNotFoundError, OrgRuleError } from "~/modules/organizations/errors";
import { PayeeError } from "~/modules/payees/errors";
import { getDb } from "~/utils/db.server";
import { NeedError } from "./errors";
import { getNeedForStaff } from "./needs.server";

/**
 * Glue between the needs routes and their domain module: a refused rule becomes the form again
 * with its message (a guard refusal with the offending words, 422); another organisation's
 * record becomes a 404.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySubmission = Submission<any>;

export interface NeedReply {
  intent: string;
  result: ReturnType<AnySubmission["reply"]>;
  /** The refusal code of the domain, when it refused. */
  refusal?: string;
  hits?: GuardHit[];
  /** Extra data for the page (the editor's preview, the guarded fields). */
  [key: string]: unknown;
}

export function intentOf(submission: AnySubmission): string {
  const payload = submission.payload as Record<string, unknown>;
  return typeof payload.intent === "string" ? payload.intent.slice(0, 40) : "";
}

export async function runNeedRule<T>(
  submission: AnySubmission,
  call: () => Promise<T>,
  extra: (error: NeedError) => Record<string, unknown> | Promise<Record<string, unknown>> = () => ({}),
) {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OrgNotFoundError) throw new Response("Not Found", { status: 404 });
    if (error instanceof OrgRuleError) {
      const result = submission.reply(
        error.field ? { fieldErrors: { [error.field]: [error.messageKey] } } : { formErrors: [error.messageKey] },
      );
      const body: NeedReply = { intent: intentOf(submission), result };
      return data(body, { status: error.status });
    }
    if (error instanceof PayeeError) {
      // The need's payee (issue 10): a chosen payee of another organisation, kind or household, or no name.
      const result = submission.reply({ fieldErrors: { [error.field ?? "payeeId"]: [error.messageKey] } });
      const body: NeedReply = { intent: intentOf(submission), result, refusal: error.code };
      return data(body, { status: error.status === 404 ? 400 : error.status });
    }
    if (error instanceof NeedError) {
      const result = submission.reply({ formErrors: [`needs:refusals.${error.code}`] });
      const body: NeedReply = { intent: intentOf(submission), result, refusal: error.code, hits: error.hits, ...(await extra(error)) };
      return data(body, { status: error.status });
    }
    throw error;
  }
}

/** A need of this organisation for a staff page, or a 404 (another organisation's or no such need). */
export async function staffNeedOr404(orgId: string, needId: string | undefined) {
  try {
    return await getNeedForStaff(await getDb(), orgId, needId ?? "");
  } catch (error) {
    if (error instanceof OrgNotFoundError) throw new Response("Not Found", { status: 404 });
    throw error;
  }
}

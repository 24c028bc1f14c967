/**
 * Reading conform's reply in forms that are plain HTML (rows without JavaScript): the errors of a
 * field by its name (`members[1].fullName`) and the value that was posted, so the form comes back filled.
 */
import type { ReplyResult } from "~/utils/form-result";

export type { ReplyResult };

export function errorsAt(result: ReplyResult | undefined, name: string): string[] | undefined {
  return result?.error?.[name] ?? undefined;
}

export function valueAt(result: ReplyResult | undefined, name: string): unknown {
  let cursor: unknown = result?.initialValue;
  for (const part of name.match(/[^.[\]]+/g) ?? []) {
    if (cursor == null || typeof cursor !== "object") return undefined;
    cursor = (cursor as Record<string, unknown>)[part];
  }
  return cursor;
}

export function stringAt(result: ReplyResult | undefined, name: string): string | undefined {
  const v = valueAt(result, name);
  return typeof v === "string" ? v : undefined;
}

/** Form-level messages (not tied to one field). */
export function formErrors(result: ReplyResult | undefined): string[] | undefined {
  return result?.error?.[""] ?? undefined;
}

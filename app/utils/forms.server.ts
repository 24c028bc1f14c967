import { data } from "@remix-run/node";
import { parseWithZod } from "@conform-to/zod";
import type { z } from "zod";

/**
 * Parses a posted form with its zod schema. On failure the caller gets a ready 400 response
 * carrying conform's reply (field errors are i18n keys); nothing has been changed.
 */
export async function parseForm<Schema extends z.ZodTypeAny>(request: Request, schema: Schema) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema });
  return { formData, submission };
}

export function badRequest<T>(body: T, init?: ResponseInit) {
  return data(body, { status: 400, ...init });
}

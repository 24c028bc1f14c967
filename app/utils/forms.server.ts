import { data, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { parseWithZod } from "@conform-to/zod";
import type { z } from "zod";
import { screenRequest } from "./request-screen.server";

/**
 * The one way an action reads its body (docs/decisions/051-one-form-parser-and-request-screening.md).
 * Hostile bodies are refused with a thrown 4xx Response BEFORE conform/zod see them, in time that
 * depends on the body's length only (never on the value of a list index):
 * - a content type other than a form's → 415; a missing or empty body → 400;
 * - more than MAX_FIELDS fields, a name longer than MAX_NAME_LENGTH, a path deeper than
 *   MAX_PATH_DEPTH, or a numeric path segment (`a[7]`, `a.7`) above MAX_LIST_INDEX → 400;
 * - a C0/C1 control character (other than TAB, LF, CR) or a lone surrogate in a name or value → 400
 *   (so NUL never reaches PostgreSQL);
 * - a value longer than MAX_FIELD_LENGTH characters → 413.
 * The refusal's body is a reason code; the root error boundary shows a localized page.
 */
export const MAX_FIELDS = 300;
/** The largest legitimate list is the need editor's items[0..19] (MAX_ITEMS = 20); household forms use ≤ 6 rows. */
export const MAX_LIST_INDEX = 49;
export const MAX_NAME_LENGTH = 200;
export const MAX_PATH_DEPTH = 6;
export const MAX_FIELD_LENGTH = 100_000;

export type FormRefusalReason =
  | "unsupportedMediaType"
  | "emptyBody"
  | "malformed"
  | "tooManyFields"
  | "badFieldName"
  | "listIndex"
  | "controlCharacter"
  | "fieldTooLong";

const STATUS: Record<FormRefusalReason, number> = {
  unsupportedMediaType: 415,
  emptyBody: 400,
  malformed: 400,
  tooManyFields: 400,
  badFieldName: 400,
  listIndex: 400,
  controlCharacter: 400,
  fieldTooLong: 413,
};

/** A refusal: a thrown Response whose text is the reason (the error page shows it localized). */
export function formRefusal(reason: FormRefusalReason): Response {
  return new Response(reason, {
    status: STATUS[reason],
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}

/** Any control character except TAB, LF, CR (C0, DEL, C1), or a lone UTF-16 surrogate. */
const FORBIDDEN_CHARACTER =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasForbiddenCharacter(text: string): boolean {
  return FORBIDDEN_CHARACTER.test(text);
}

/** A path segment: a name (no `.`/`[`/`]`) or a bracketed index (possibly empty, `a[]`). */
const SEGMENT = /([^.[\]]+)|\[(\d*)\]/g;
const DIGITS = /^\d+$/;
const MAX_INDEX_DIGITS = String(MAX_LIST_INDEX).length;

/**
 * Whether a field name is one the form library can read without harm: well-formed dot/bracket
 * path, at most MAX_PATH_DEPTH segments, no prototype keys, every numeric segment ≤ MAX_LIST_INDEX.
 * The index is judged by its digit count first, so a 10 000-digit index costs no more than "7".
 */
export function checkFieldName(name: string): FormRefusalReason | null {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return "badFieldName";
  if (hasForbiddenCharacter(name)) return "controlCharacter";
  let depth = 0;
  let last = 0;
  SEGMENT.lastIndex = 0;
  for (let match = SEGMENT.exec(name); match; match = SEGMENT.exec(name)) {
    if (match.index !== last && !(match.index === last + 1 && name[last] === "." && last > 0)) return "badFieldName";
    last = SEGMENT.lastIndex;
    if (++depth > MAX_PATH_DEPTH) return "badFieldName";
    const [, key, index] = match;
    const numeric = key !== undefined ? (DIGITS.test(key) ? key : null) : index || null;
    if (key === "__proto__" || key === "constructor" || key === "prototype") return "badFieldName";
    if (numeric !== null) {
      const digits = numeric.replace(/^0+(?=\d)/, "");
      if (digits.length > MAX_INDEX_DIGITS || Number(digits) > MAX_LIST_INDEX) return "listIndex";
    }
  }
  if (last !== name.length) return "badFieldName";
  return null;
}

/** Checks every entry of a parsed form; returns the first reason to refuse, or null. */
export function checkForm(form: FormData): FormRefusalReason | null {
  let count = 0;
  for (const [name, value] of form.entries()) {
    if (++count > MAX_FIELDS) return "tooManyFields";
    const bad = checkFieldName(name);
    if (bad) return bad;
    const text = typeof value === "string" ? value : value.name;
    if (text.length > MAX_FIELD_LENGTH) return "fieldTooLong";
    if (hasForbiddenCharacter(text)) return "controlCharacter";
  }
  return null;
}

/** Counts `&`-separated fields of an urlencoded body without decoding it (a cheap first bound). */
function countUrlencodedFields(body: string): number {
  let count = 1;
  for (let i = body.indexOf("&"); i !== -1 && count <= MAX_FIELDS + 1; i = body.indexOf("&", i + 1)) count++;
  return count;
}

export function mediaTypeOf(contentType: string | null): "urlencoded" | "multipart" | "none" | "other" {
  if (!contentType || contentType.trim() === "") return "none";
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") return "urlencoded";
  if (type === "multipart/form-data") return "multipart";
  return "other";
}

export interface ReadFormOptions {
  /** A multipart upload route's handler (files); the same field bounds apply to every part. */
  uploadHandler?: UploadHandler;
}

const cache = new WeakMap<Request, Promise<FormData>>();

/**
 * Reads and screens the request's form once; later calls with the same Request get the same
 * FormData (so a route may peek at `intent` and then parse with its schema).
 * Throws a 4xx Response for anything it refuses; nothing has been changed at that point.
 */
export function readForm(request: Request, options: ReadFormOptions = {}): Promise<FormData> {
  let pending = cache.get(request);
  if (!pending) {
    pending = readFormOnce(request, options);
    cache.set(request, pending);
  }
  return pending;
}

async function readFormOnce(request: Request, options: ReadFormOptions): Promise<FormData> {
  const screened = screenRequest(request.method, request.url, request.headers);
  if (screened) throw new Response(screened.message, { status: screened.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

  const kind = mediaTypeOf(request.headers.get("content-type"));
  if (request.headers.get("content-length") === "0" || request.body === null) {
    throw formRefusal(kind === "other" ? "unsupportedMediaType" : "emptyBody");
  }
  if (kind === "other") throw formRefusal("unsupportedMediaType");

  let form: FormData;
  if (kind === "urlencoded" || kind === "none") {
    let body: string;
    try {
      body = await request.text();
    } catch {
      throw formRefusal("malformed");
    }
    if (body.length === 0) throw formRefusal("emptyBody");
    if (kind === "none") throw formRefusal("unsupportedMediaType");
    if (countUrlencodedFields(body) > MAX_FIELDS) throw formRefusal("tooManyFields");
    form = new FormData();
    for (const [name, value] of new URLSearchParams(body)) form.append(name, value);
  } else {
    try {
      form = options.uploadHandler
        ? await unstable_parseMultipartFormData(request, options.uploadHandler)
        : await request.formData();
    } catch (error) {
      if (error instanceof Response) throw error;
      // An upload route tells its own errors (a part too large, an unreadable body) apart.
      if (options.uploadHandler) throw error;
      throw formRefusal("malformed");
    }
  }
  const bad = checkForm(form);
  if (bad) throw formRefusal(bad);
  return form;
}

/**
 * Parses a posted form with its zod schema. On failure the caller gets a ready 400 response
 * carrying conform's reply (field errors are i18n keys); nothing has been changed.
 */
export async function parseForm<Schema extends z.ZodTypeAny>(request: Request, schema: Schema) {
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema });
  return { formData, submission };
}

export function badRequest<T>(body: T, init?: ResponseInit) {
  return data(body, { status: 400, ...init });
}

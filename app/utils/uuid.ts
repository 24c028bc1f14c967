import { z } from "zod";

/**
 * The one UUID check (issue 11): ids in URLs and forms are checked here before they reach a query,
 * so a hostile "id" is a 404/400, never a PostgreSQL cast error (a 500).
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_PATTERN.test(value);
}

/** The same check for zod schemas (forms). */
export const uuidSchema = z.string().regex(UUID_PATTERN);

import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { toAsciiDigits } from "~/modules/anonymization/normalize";

/**
 * Phones and ID numbers of a household: how they are normalized, and the keyed hash (HMAC) that
 * is the only thing compared across organisations. Pure functions, no I/O.
 */

export const IDENTIFIER_KINDS = ["phone", "national_id", "unrwa", "unhcr", "other_id"] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];
/** The kinds that are ID or registration numbers (everything but a phone). */
export const ID_KINDS = ["national_id", "unrwa", "unhcr", "other_id"] as const satisfies readonly IdentifierKind[];
export type IdKind = (typeof ID_KINDS)[number];

export type Normalized = { ok: true; normalized: string } | { ok: false; error: string };

/**
 * A phone number in E.164 (`+96171123456`), read in the organisation's country when it has no
 * international prefix. Arabic-Indic digits are accepted. Invalid numbers are refused.
 */
export function normalizePhone(raw: string, defaultCountry: string): Normalized {
  const text = toAsciiDigits(raw.normalize("NFKC")).trim();
  if (!/^[+\d\s().\-/]{4,30}$/.test(text)) return { ok: false, error: "registry:errors.invalidPhone" };
  const country = /^[A-Z]{2}$/.test(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  const phone = parsePhoneNumberFromString(text, country ? { defaultCountry: country } : undefined);
  if (!phone || !phone.isValid()) return { ok: false, error: "registry:errors.invalidPhone" };
  return { ok: true, normalized: phone.number };
}

/** An ID or registration number: ASCII digits, no spaces, dashes, dots or slashes, upper-case. */
export function normalizeIdNumber(raw: string): Normalized {
  const text = toAsciiDigits(raw.normalize("NFKC"))
    .replace(/[\s\-–—./_]/g, "")
    .toUpperCase();
  if (!/^[A-Z0-9]{3,40}$/.test(text)) return { ok: false, error: "registry:errors.invalidId" };
  return { ok: true, normalized: text };
}

export function normalizeIdentifier(kind: IdentifierKind, raw: string, defaultCountry: string): Normalized {
  return kind === "phone" ? normalizePhone(raw, defaultCountry) : normalizeIdNumber(raw);
}

/**
 * Phones are one group; ID numbers of every kind are another, so a number entered as a national
 * ID by one organisation and as "other ID" by another still matches.
 */
export function hashGroup(kind: IdentifierKind): "phone" | "id" {
  return kind === "phone" ? "phone" : "id";
}

/** Hex HMAC-SHA256 of `group:normalized` with the platform's secret. The value cannot be read back. */
export function keyedHash(kind: IdentifierKind, normalized: string, secret: string): string {
  if (!secret) throw new Error("keyedHash needs a secret");
  const encoder = new TextEncoder();
  return encodeHexLowerCase(hmac(SHA256, encoder.encode(secret), encoder.encode(`${hashGroup(kind)}:${normalized}`)));
}

/** Digits of a phone as people type it locally and internationally, for staff search. */
export function phoneSearchDigits(e164: string): string[] {
  const phone = parsePhoneNumberFromString(e164);
  const out = new Set<string>([e164.replace(/\D/g, "")]);
  if (phone) {
    out.add(String(phone.nationalNumber));
    out.add(phone.formatNational().replace(/\D/g, ""));
  }
  return [...out];
}

/** A value shown without its middle (timeline, audit): `+961•••456`. */
export function maskIdentifier(normalized: string): string {
  if (normalized.length <= 5) return "•".repeat(normalized.length);
  return `${normalized.slice(0, 4)}•••${normalized.slice(-3)}`;
}

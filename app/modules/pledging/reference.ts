/**
 * Human reference codes for pledges, e.g. `TDM-7K3Q-9FX`: the prefix, six random symbols of
 * Crockford's base32 and one check symbol (Crockford's mod-37 check: the value of the six symbols
 * as a base-32 number, modulo 37). Because 37 is a prime larger than 32, any single wrong symbol
 * and any swap of two neighbouring symbols changes the check, so a typo at the bank is caught.
 *
 * Crockford's check alphabet adds `* ~ $ = U` for the values 32–36. Banks and transfer shops drop
 * or mangle punctuation in a transfer's reference field, so `newReference` draws again whenever
 * the check would be one of `* ~ $ =` (4 draws in 37): every code is letters and digits only,
 * and still valid by the spec.
 */

export const REFERENCE_PREFIX = "TDM";
const SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHECK_SYMBOLS = `${SYMBOLS}*~$=U`;
const BODY_LENGTH = 6;

/** The check symbol of a body of Crockford symbols (already canonical). */
export function checkSymbol(body: string): string {
  let mod = 0;
  for (const ch of body) {
    const value = SYMBOLS.indexOf(ch);
    if (value < 0) throw new RangeError(`not a Crockford symbol: ${ch}`);
    mod = (mod * 32 + value) % 37;
  }
  return CHECK_SYMBOLS[mod];
}

function format(body: string, check: string): string {
  return `${REFERENCE_PREFIX}-${body.slice(0, 4)}-${body.slice(4)}${check}`;
}

/** A new random reference (crypto random source). Uniqueness is the database's unique index. */
export function newReference(random: (n: number) => Uint8Array = randomBytes): string {
  for (;;) {
    const bytes = random(BODY_LENGTH);
    let body = "";
    for (let i = 0; i < BODY_LENGTH; i += 1) body += SYMBOLS[bytes[i] & 31];
    const check = checkSymbol(body);
    if (/^[0-9A-Z]$/.test(check)) return format(body, check);
  }
}

function randomBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  crypto.getRandomValues(bytes);
  return bytes;
}

/**
 * The canonical form of what a person typed (`tdm 7k3q 9fx`, `7K3Q-9FX`, `TDM-7K3Q-9FX`), or null
 * when it is not a valid code. Case, spaces and dashes do not matter; I and L read as 1, O as 0,
 * and U in the body as V (Crockford's decoding rules); the check symbol must match.
 */
export function normalizeReference(input: string | null | undefined): string | null {
  if (typeof input !== "string" || input.length > 40) return null;
  let s = input.toUpperCase().replace(/[\s\-_.]/g, "");
  // The prefix only when something follows it: a body may itself begin with T, D, M ("TDM0003").
  if (s.length === REFERENCE_PREFIX.length + BODY_LENGTH + 1 && s.startsWith(REFERENCE_PREFIX)) s = s.slice(REFERENCE_PREFIX.length);
  if (s.length !== BODY_LENGTH + 1) return null;
  const decode = (ch: string) => (ch === "I" || ch === "L" ? "1" : ch === "O" ? "0" : ch);
  const body = [...s.slice(0, BODY_LENGTH)].map((ch) => (ch === "U" ? "V" : decode(ch))).join("");
  const check = decode(s[BODY_LENGTH]);
  if (![...body].every((ch) => SYMBOLS.includes(ch))) return null;
  if (!CHECK_SYMBOLS.includes(check)) return null;
  return checkSymbol(body) === check ? format(body, check) : null;
}

export function isValidReference(input: string | null | undefined): boolean {
  return normalizeReference(input) !== null;
}

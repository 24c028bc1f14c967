import { REFERENCE_PREFIX, normalizeReference } from "~/modules/pledging/reference";

/**
 * Pledge references found in the free text of a bank statement line (description, reference
 * column), as banks and transfer shops really write them: any case, spaces, dashes, dots or
 * slashes anywhere, Arabic-Indic or Persian digits, full-width characters, zero-width marks,
 * Cyrillic or Greek letters that look like Latin ones, O for 0 and I/L for 1 (Crockford), the
 * code inside Arabic or English words.
 *
 * - `confirmed`: a whole code whose check symbol matches (`TDM-7K3Q-9FX`, `7k3q 9fx`,
 *   `tdm٧k٣q٩fx`). Without the TDM prefix a code counts only when it stands alone as one group of
 *   seven or as four + three symbols, so an ordinary word never passes by chance.
 * - `partial`: after the TDM prefix, six body symbols whose check symbol was lost or mangled
 *   (`tdm 7k3q9f`): not a match by itself — the matcher compares it with the open pledges.
 *
 * Pure and deterministic; the order is the order in the text, without repeats.
 */
export interface FoundReferences {
  confirmed: string[];
  /** Six canonical body symbols (e.g. `7K3Q9F`) that followed the prefix without a valid check. */
  partial: string[];
}

/** Latin look-alikes a bank's or phone's keyboard may put in a code. */
const LOOK_ALIKES: Record<string, string> = {
  // Cyrillic
  А: "A", В: "B", Е: "E", К: "K", М: "M", Н: "H", О: "O", Р: "P", С: "C", Т: "T", Х: "X", У: "Y", Ѕ: "S", І: "I", Ј: "J",
  а: "A", в: "B", е: "E", к: "K", м: "M", н: "H", о: "O", р: "P", с: "C", т: "T", х: "X", у: "Y", ѕ: "S", і: "I", ј: "J",
  // Greek
  Α: "A", Β: "B", Ε: "E", Ζ: "Z", Η: "H", Ι: "I", Κ: "K", Μ: "M", Ν: "N", Ο: "O", Ρ: "P", Τ: "T", Υ: "Y", Χ: "X",
  ο: "O", κ: "K", ν: "V", τ: "T", χ: "X",
};

const CROCKFORD_INPUT = /^[0-9A-Z]$/;
/** Format characters (zero-width joiners, bidi marks, soft hyphen, BOM): dropped. */
const FORMAT = /[\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

/** One character folded to what a Crockford reader would take it for, or null for a separator. */
function fold(ch: string): string | null {
  const code = ch.codePointAt(0)!;
  if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660); // Arabic-Indic digits
  if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0); // Persian digits
  const latin = LOOK_ALIKES[ch] ?? ch;
  const upper = latin.toUpperCase();
  return CROCKFORD_INPUT.test(upper) ? upper : null;
}

const SEPARATOR = /^[\s\-_./\\:#,|]+$/u;

/** Groups of tokens only separated by code punctuation (`7K3Q-9FX`, `TDM 7K3Q 9FX`) stay together. */
function groups(text: string): string[][] {
  const normalized = text.normalize("NFKC").replace(FORMAT, "");
  const out: string[][] = [];
  let group: string[] = [];
  let current = "";
  let gap = "";
  const flush = () => {
    if (current) group.push(current);
    current = "";
  };
  for (const ch of normalized) {
    const folded = fold(ch);
    if (folded !== null) {
      if (!current && gap && !SEPARATOR.test(gap) && group.length) {
        out.push(group);
        group = [];
      }
      gap = "";
      current += folded;
    } else {
      flush();
      gap += ch;
    }
  }
  flush();
  if (group.length) out.push(group);
  return out;
}

export function findReferences(text: string | null | undefined): FoundReferences {
  const confirmed: string[] = [];
  const partial: string[] = [];
  if (typeof text !== "string" || text.length === 0) return { confirmed, partial };
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  const input = text.slice(0, 2_000);

  for (const group of groups(input)) {
    const joined = group.join("");
    // 1. After the prefix (anywhere in a group, even glued to a word: "TRFTDM7K3Q9FX").
    let at = joined.indexOf(REFERENCE_PREFIX);
    while (at >= 0) {
      const rest = joined.slice(at + REFERENCE_PREFIX.length);
      const code = normalizeReference(rest.slice(0, 7));
      if (code) add(confirmed, code);
      else if (rest.length >= 6) {
        const body = bodyOf(rest.slice(0, 6));
        if (body) add(partial, body);
      }
      at = joined.indexOf(REFERENCE_PREFIX, at + 1);
    }
    // 2. Without the prefix: a lone group of 7, or 4 + 3 symbols, with a valid check.
    for (let i = 0; i < group.length; i += 1) {
      const candidates = [group[i]];
      if (i + 1 < group.length && group[i].length === 4 && group[i + 1].length === 3) candidates.push(group[i] + group[i + 1]);
      for (const candidate of candidates) {
        if (candidate.length !== 7) continue;
        const code = normalizeReference(candidate);
        if (code) add(confirmed, code);
      }
    }
  }
  // A partial body that a confirmed code already explains is not a second clue.
  const explained = new Set(confirmed.map((c) => c.replace(/[^0-9A-Z]/g, "").slice(REFERENCE_PREFIX.length, REFERENCE_PREFIX.length + 6)));
  return { confirmed, partial: partial.filter((b) => !explained.has(b)) };
}

/** Six symbols read the Crockford way (I/L → 1, O → 0, U → V), or null if one is not a symbol. */
function bodyOf(six: string): string | null {
  if (six.length !== 6) return null;
  const body = [...six].map((ch) => (ch === "I" || ch === "L" ? "1" : ch === "O" ? "0" : ch === "U" ? "V" : ch)).join("");
  return /^[0-9A-HJKMNP-TV-Z]{6}$/.test(body) ? body : null;
}

/**
 * Evidence documents: the rules shared by the server and the upload form (no database here).
 * `DOCUMENT_KINDS` mirrors `document_kind` in db/schema/registry.ts (a test keeps them equal).
 */
export const DOCUMENT_KINDS = [
  "id_document",
  "medical_report",
  "school_letter",
  "quotation",
  "invoice",
  "photo_of_item",
  "other",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === "string" && (DOCUMENT_KINDS as readonly string[]).includes(value);
}

/** 10 MB, the largest evidence file (the database checks it too). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** The types accepted, as detected from the bytes, with the file name extension each gets. */
export const DOCUMENT_TYPES = {
  "application/pdf": "pdf",
  "image/jpeg": "jpg",
  "image/png": "png",
} as const;
export type DocumentMimeType = keyof typeof DOCUMENT_TYPES;

export function isDocumentMimeType(value: unknown): value is DocumentMimeType {
  return typeof value === "string" && Object.hasOwn(DOCUMENT_TYPES, value);
}

/** What the file input offers (a hint only: the server decides from the bytes). */
export const DOCUMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

const EXTENSIONS_OF: Record<DocumentMimeType, readonly string[]> = {
  "application/pdf": ["pdf"],
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
};

/**
 * A safe display name: no folders, no control or direction-override characters, at most 150
 * characters, and an extension that matches the type found in the bytes (`scan.pdf` holding a PNG
 * becomes `scan.png`).
 */
export function cleanFileName(raw: string, mimeType: DocumentMimeType): string {
  let name = raw.split(/[\\/]/).pop() ?? "";
  name = name
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  const dot = name.lastIndexOf(".");
  let stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  if (dot > 0 && !/^[a-z0-9]{1,5}$/.test(ext)) stem = name;
  stem = Array.from(stem.trim()).slice(0, 140).join("") || "document";
  const good = EXTENSIONS_OF[mimeType].includes(ext) ? ext : DOCUMENT_TYPES[mimeType];
  return `${stem}.${good}`;
}

/** "1.2 MB"-style size in the reader's language. */
export function formatBytes(bytes: number, locale: string): string {
  const intl = locale === "ar" ? "ar" : "en-GB";
  const units = ["byte", "kilobyte", "megabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(intl, {
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** The household or document is not in this organisation (or does not exist): answered with 404. */
export class DocumentNotFoundError extends Error {
  constructor(what = "document") {
    super(`${what} not found in this organisation`);
    this.name = "DocumentNotFoundError";
  }
}

/** The file was refused; `messageKey` is an i18n key such as `registry:documents.errors.tooLarge`. */
export class DocumentRuleError extends Error {
  constructor(
    readonly messageKey: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(messageKey);
    this.name = "DocumentRuleError";
  }
}

/** `attachment` with an ASCII fallback name and the real name in UTF-8 (RFC 6266 / RFC 8187). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

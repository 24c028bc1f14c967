/**
 * A kept page's bytes from its frame and its remembered fragments (decision 078).
 *
 * A donor list page is mostly cards whose HTML is already remembered (card-html.server.tsx).
 * Rendered into the page's string, they were encoded to UTF-8 again on every request: on /needs
 * (83 KB, mostly Arabic) that encoding was a tenth of the server's CPU. Here the render leaves a
 * marker for each fragment (RawHtml, app/components/html-fragment.tsx), only the frame between
 * the markers is encoded, and each fragment's bytes are encoded once and remembered. The bytes
 * are exactly those of the string the page would have been.
 *
 * A marker starts with "<", which React escapes in any text it renders, and carries this
 * process's random token: no visitor's input can forge one. Should a marker be missing all the
 * same, the page is assembled from the string with every fragment put back.
 */
import { randomBytes } from "node:crypto";
import type { FragmentSink } from "~/components/html-fragment";

const TOKEN = randomBytes(9).toString("base64url");
const PREFIX = `<!--fragment:${TOKEN}:`;
const SUFFIX = "-->";

/** Encoded fragments, by their HTML; oldest out past the cap (a card memo's worth). */
const MAX_BYTES = 24 * 1024 * 1024;
const encoded = new Map<string, Buffer<ArrayBuffer>>();
let encodedBytes = 0;

/** A fragment's UTF-8 bytes, encoded once while remembered. */
export function encodedFragment(html: string): Buffer<ArrayBuffer> {
  let bytes = encoded.get(html);
  if (bytes) return bytes;
  bytes = Buffer.from(html);
  encoded.set(html, bytes);
  encodedBytes += bytes.length + html.length;
  for (const [oldHtml, oldBytes] of encoded) {
    if (encodedBytes <= MAX_BYTES) break;
    encoded.delete(oldHtml);
    encodedBytes -= oldBytes.length + oldHtml.length;
  }
  return bytes;
}

/** The fragments one render left markers for, in render order. */
export class PageFragments implements FragmentSink {
  readonly fragments: string[] = [];

  marker(html: string): string {
    return `${PREFIX}${this.fragments.push(html) - 1}${SUFFIX}`;
  }

  /** The page's bytes: `head`, then the markup with each marker replaced by its fragment. */
  assemble(head: string, markup: string): Buffer<ArrayBuffer> {
    if (this.fragments.length === 0) return Buffer.from(head + markup);
    const parts: Buffer<ArrayBuffer>[] = [];
    let from = 0;
    let length = 0;
    const push = (part: Buffer<ArrayBuffer>) => {
      parts.push(part);
      length += part.length;
    };
    for (let i = 0; i < this.fragments.length; i++) {
      const marker = `${PREFIX}${i}${SUFFIX}`;
      const at = markup.indexOf(marker, from);
      if (at < 0) return Buffer.from(head + this.inline(markup));
      push(Buffer.from(i === 0 ? head + markup.slice(from, at) : markup.slice(from, at)));
      push(encodedFragment(this.fragments[i]));
      from = at + marker.length;
    }
    push(Buffer.from(markup.slice(from)));
    assembled.pages++;
    assembled.fragments += this.fragments.length;
    return Buffer.concat(parts, length);
  }

  /** The markup with every marker replaced by its fragment (the fallback). */
  inline(markup: string): string {
    return markup.replace(new RegExp(`${PREFIX}(\\d+)${SUFFIX}`, "g"), (whole, i: string) => this.fragments[Number(i)] ?? whole);
  }
}

/** How many pages (and fragments in them) were assembled from remembered bytes (tests, diagnostics). */
export const assembled = { pages: 0, fragments: 0 };

/** Forget the encoded fragments (tests). */
export function clearEncodedFragments(): void {
  encoded.clear();
  encodedBytes = 0;
}

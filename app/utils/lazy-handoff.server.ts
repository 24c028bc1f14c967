/**
 * Loader data is encoded for the browser only when something reads it (decision 074).
 *
 * Remix (v2, single fetch) encodes every document's loader data with turbo-stream as soon as the
 * document is requested, to stream it into the page through `<Scripts>`. Donor pages render no
 * `<Scripts>` (decision 032): Remix skips writing the data then, but the encoding has already been
 * done — on `/needs` about a tenth of the request's CPU (bench/profile.ts), for bytes nobody sends.
 *
 * `lazily` wraps the encoder so the stream it returns does the work on its first read: a page
 * with `<Scripts>` (the staff half) reads it while rendering and gets the same bytes as before;
 * a `.data` answer is read as it is sent; a donor page never reads it, so never pays for it.
 * `installLazyHandoff` puts the wrapper in place of Remix's own encoder, which Remix's server
 * looks up on its module at every call. It is installed once, by app/entry.server.tsx; when a
 * Remix upgrade moves the encoder, it says so on the console and changes nothing.
 */
import { createRequire } from "node:module";

type Encoder = (...args: never[]) => ReadableStream<Uint8Array>;

const LAZY = Symbol.for("tadamon.lazyHandoff");

/** The encoder, deferred to the first read of the stream it returns. */
export function lazily<E extends Encoder>(encode: E): E {
  const wrapped = (...args: Parameters<E>) => {
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          reader ??= encode(...args).getReader();
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel(reason) {
          return reader?.cancel(reason);
        },
      },
      // No read-ahead: nothing is pulled (so nothing encoded) until someone reads.
      { highWaterMark: 0 },
    );
  };
  return Object.assign(wrapped, { [LAZY]: true }) as unknown as E;
}

export function isLazy(encode: unknown): boolean {
  return typeof encode === "function" && (encode as unknown as Record<symbol, unknown>)[LAZY] === true;
}

/** Remix's single-fetch module (CommonJS, where its server calls the encoder from). */
export function remixSingleFetch(): { encodeViaTurboStream?: unknown } | null {
  try {
    return createRequire(import.meta.url)("@remix-run/server-runtime/dist/single-fetch.js");
  } catch {
    return null;
  }
}

/** Install the lazy encoder in Remix's server (idempotent). Whether it is in place. */
export function installLazyHandoff(): boolean {
  const mod = remixSingleFetch();
  const encode = mod?.encodeViaTurboStream;
  if (!mod || typeof encode !== "function") {
    console.warn("lazy-handoff: Remix's encodeViaTurboStream was not found; loader data is encoded eagerly (decision 074)");
    return false;
  }
  if (!isLazy(encode)) mod.encodeViaTurboStream = lazily(encode as Encoder);
  return true;
}

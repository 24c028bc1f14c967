import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import type { i18n as I18n } from "i18next";
import { I18nextProvider } from "react-i18next";
import { getLocale, serverI18n } from "~/utils/i18next.server";
import { boot } from "~/utils/boot.server";
import { installLazyHandoff } from "~/utils/lazy-handoff.server";
import { etagMatches, isPublicCacheable, PRIVATE_CACHE_CONTROL, weakEtag } from "~/utils/http-cache.server";
import { NonceProvider } from "~/components/nonce";
import { FragmentProvider } from "~/components/html-fragment";
import { PageFragments } from "~/utils/html-fragments.server";
import {
  contentSecurityPolicy,
  createNonce,
  enforcePrivateCaching,
  NONCE_PLACEHOLDER,
  withNonce,
} from "~/utils/security-headers.server";

export { boot };

// Loader data is encoded for the browser only when a page's <Scripts> reads it (decision 074).
installLazyHandoff();

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/** The app as Remix renders it on the server: the response's nonce and the language's strings around it. */
function page(request: Request, remixContext: EntryContext, instance: I18n, nonce: string, fragments: PageFragments | null = null) {
  return (
    <NonceProvider value={nonce}>
      <FragmentProvider value={fragments}>
        <I18nextProvider i18n={instance}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </I18nextProvider>
      </FragmentProvider>
    </NonceProvider>
  );
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const instance = await serverI18n(await getLocale(request));
  // Every page gets its own nonce and a policy naming it (docs/decisions/052-…).
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ nonce, dev: import.meta.env.DEV, pathname: new URL(request.url).pathname });

  // A page that a shared cache may keep (an anonymous visitor's public page) is rendered whole,
  // then sent with a weak ETag, or as 304 when the browser already has it
  // (docs/decisions/030-public-http-caching.md). Everything else streams as before.
  if (/^\s*public\b/i.test(responseHeaders.get("Cache-Control") ?? "") && responseHeaders.has("Set-Cookie")) {
    responseHeaders.set("Cache-Control", PRIVATE_CACHE_CONTROL);
  }
  // Error pages are rendered by the root's boundary, whose headers say nothing: never cache them.
  // A server error is never cached, whatever the failed route's own headers said.
  if ((responseStatusCode >= 400 && !responseHeaders.has("Cache-Control")) || responseStatusCode >= 500) {
    responseHeaders.set("Cache-Control", PRIVATE_CACHE_CONTROL);
  }
  // Anyone signed in, and every private area whoever asks, gets `private, no-store` (decision 052).
  enforcePrivateCaching(request, responseHeaders);
  if (isPublicCacheable(request.method, responseStatusCode, responseHeaders)) {
    return renderBuffered(request, responseStatusCode, responseHeaders, remixContext, instance, { nonce, csp });
  }
  responseHeaders.set("Content-Security-Policy", csp);

  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      page(request, remixContext, instance, nonce),
      {
        nonce,
        [callbackName]: () => {
          shellRendered = true;
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY + 1000);
  });
}

/**
 * A page kept whole (see handleRequest) is rendered to one string: no stream, no chunks to gather
 * (decision 077). Donor pages render no <Scripts> and nothing on them suspends, so the string is
 * the page. Remembered fragments (the cards) are left as markers and spliced in as the bytes they
 * were encoded to once (decision 078). Should a page read its loader data for <Scripts>, or fail
 * while rendering, it is rendered again by the streaming path below, which handles both (Suspense,
 * the error page).
 */
function renderBuffered(
  request: Request,
  statusCode: number,
  headers: Headers,
  remixContext: EntryContext,
  instance: I18n,
  { nonce, csp }: { nonce: string; csp: string },
): Promise<Response> {
  // The first render gets a stand-in for the loader data's stream: a page that renders <Scripts>
  // would lock the real one, which the streaming render below must then read.
  const handoff = remixContext.serverHandoffStream;
  if (handoff) remixContext.serverHandoffStream = new ReadableStream<Uint8Array>();
  let markup: string | null = null;
  const fragments = new PageFragments();
  try {
    markup = renderToString(page(request, remixContext, instance, NONCE_PLACEHOLDER, fragments));
  } catch {
    markup = null;
  }
  remixContext.serverHandoffStream = handoff;
  if (markup === null || remixContext.renderMeta?.didRenderScripts) {
    // From the start: forget what the first render read of the stand-in.
    remixContext.renderMeta = {};
    return renderBufferedStream(request, statusCode, headers, remixContext, instance, { nonce, csp });
  }
  return Promise.resolve(bufferedResponse(request, statusCode, headers, fragments.assemble("<!DOCTYPE html>", markup), { nonce, csp }));
}

/** A whole page's bytes as the response: a weak ETag, 304 when the browser has it, the real nonce. */
function bufferedResponse(request: Request, statusCode: number, headers: Headers, html: Buffer<ArrayBuffer>, { nonce, csp }: { nonce: string; csp: string }): Response {
  headers.set("Content-Type", "text/html; charset=utf-8");
  const etag = weakEtag(html);
  headers.set("ETag", etag);
  if (etagMatches(request.headers.get("If-None-Match"), etag)) {
    headers.delete("Content-Type");
    return new Response(null, { headers, status: 304 });
  }
  headers.set("Content-Security-Policy", csp);
  return new Response(withNonce(html, nonce), { headers, status: statusCode });
}

function renderBufferedStream(
  request: Request,
  statusCode: number,
  headers: Headers,
  remixContext: EntryContext,
  instance: I18n,
  { nonce, csp }: { nonce: string; csp: string },
): Promise<Response> {
  // Rendered with a fixed placeholder nonce, so the bytes (and the ETag) are the same for every
  // visitor; the real nonce replaces it in the bytes sent. A 304 carries no policy: the browser
  // keeps the one stored with its cached body, whose nonce that body's scripts carry (decision 052).
  return new Promise((resolve, reject) => {
    let failed = false;
    const { pipe, abort } = renderToPipeableStream(
      page(request, remixContext, instance, NONCE_PLACEHOLDER),
      {
        nonce: NONCE_PLACEHOLDER,
        onAllReady() {
          const chunks: Buffer[] = [];
          const body = new PassThrough();
          body.on("data", (chunk: Buffer) => chunks.push(chunk));
          body.on("error", reject);
          body.on("end", () => {
            const html = Buffer.concat(chunks);
            if (failed) {
              // A render error: never cache it, never answer 304 for it.
              headers.set("Content-Type", "text/html; charset=utf-8");
              headers.set("Cache-Control", PRIVATE_CACHE_CONTROL);
              headers.set("Content-Security-Policy", csp);
              resolve(new Response(withNonce(html, nonce), { headers, status: 500 }));
              return;
            }
            resolve(bufferedResponse(request, statusCode, headers, html, { nonce, csp }));
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          failed = true;
          console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY + 1000);
  });
}

/** Single-fetch `.data` answers (loaders, actions, redirects) follow the same caching rule as pages. */
export function handleDataRequest(response: Response, { request }: { request: Request }): Response {
  try {
    enforcePrivateCaching(request, response.headers);
    return response;
  } catch {
    // A response with immutable headers: copy it.
    const headers = new Headers(response.headers);
    enforcePrivateCaching(request, headers);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (error instanceof Response) return;
  console.error(error);
}

export { shutdown } from "~/utils/boot.server";
export { env as serverConfig } from "~/utils/env.server";
// server.js screens every request's URL and body type with it (decision 051).
export { refusalText, screenRequest } from "~/utils/request-screen.server";
// server.js sets these on every response (decision 052).
export { baselineHeaders, lateHeaders } from "~/utils/security-headers.server";
// server.js puts the anonymous visitors' page cache in front of Remix (decision 060).
export { pageCacheConfig, pageCacheMiddleware } from "~/utils/page-cache.server";

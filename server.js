// Production server: Express serving the Remix build. `npm start` builds, then runs this.
// It validates the environment, migrates (and on an empty embedded database seeds) before listening.
import fs from "node:fs";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const build = await import(path.resolve("build/server/index.js"));
const { boot } = build.entry.module;
const config = build.entry.module.serverConfig();
// Anonymous visitors' donor pages from a few-second in-process cache (decision 060); PAGE_CACHE=off
// leaves it out, an invalid PAGE_CACHE_* setting stops the server here.
let pageCache = null;
try {
  pageCache = build.entry.module.pageCacheMiddleware(build.entry.module.pageCacheConfig(process.env));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

try {
  await boot();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", config.TRUST_PROXY);
app.use(compression());

// Baseline security headers on every response (nosniff, frame denial, Referrer-Policy,
// Permissions-Policy, COOP; HSTS in production), and, just before a response's head goes out,
// `private, no-store` for anyone signed in and every private area plus a script-less CSP for HTML
// built by hand: redirects and resource routes never reach app/entry.server.tsx. Static files keep
// their own caching. See docs/decisions/052-content-security-policy-and-private-caching.md.
const security = { baseline: build.entry.module.baselineHeaders, late: build.entry.module.lateHeaders };
const BASELINE_HEADERS = security.baseline(config.NODE_ENV === "production");
const STATIC_FILES = new Set(
  fs.readdirSync("build/client", { withFileTypes: true }).filter((e) => e.isFile()).map((e) => `/${e.name}`),
);
app.use((req, res, next) => {
  for (const [name, value] of BASELINE_HEADERS) res.setHeader(name, value);
  if (req.path.startsWith("/assets/") || STATIC_FILES.has(req.path)) return next();
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    const late = security.late({
      pathname: req.path,
      cookie: req.headers.cookie,
      cacheControl: res.getHeader("Cache-Control")?.toString(),
      contentType: res.getHeader("Content-Type")?.toString(),
      hasCsp: res.hasHeader("Content-Security-Policy"),
    });
    for (const [name, value] of late) res.setHeader(name, value);
    return writeHead.apply(this, args);
  };
  next();
});

// The client IP as Express resolved it (honouring TRUST_PROXY); a client-sent value is replaced.
app.use((req, _res, next) => {
  req.headers["x-tadamon-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
  next();
});

// Oversized bodies are refused before anything reads them. Browsers always send Content-Length
// with a form; a body without one (chunked) is refused too, so no body escapes the limit.
// Only a multipart POST to an upload route may be larger: household documents (a path ending in
// /documents) and the finance proofs (the payments inbox, a disbursement's page) up to
// MAX_UPLOAD_BYTES, a bank statement up to 20 MB (+ the form around it); each with its single-fetch
// twin (`….data`). Everything else keeps MAX_BODY_BYTES.
// See docs/decisions/020-private-document-storage.md and 057-money-out-and-month-end.md.
const STATEMENT_UPLOAD_BYTES = 20 * 1024 * 1024 + 262_144;
const UPLOAD_ROUTES = [
  [/^\/staff\/[^/]+\/households\/[^/]+\/documents(\.data)?\/?$/, config.MAX_UPLOAD_BYTES],
  [/^\/finance\/[^/]+\/payments(\/_index)?(\.data)?\/?$/, config.MAX_UPLOAD_BYTES],
  [/^\/finance\/[^/]+\/disbursements\/[^/]+(\.data)?\/?$/, config.MAX_UPLOAD_BYTES],
  [/^\/finance\/[^/]+\/statements(\/_index)?(\.data)?\/?$/, STATEMENT_UPLOAD_BYTES],
];
function bodyLimitOf(req) {
  const multipart = /^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "");
  if (req.method !== "POST" || !multipart) return config.MAX_BODY_BYTES;
  const route = UPLOAD_ROUTES.find(([pattern]) => pattern.test(req.path));
  return route ? route[1] : config.MAX_BODY_BYTES;
}
app.use((req, res, next) => {
  const length = req.headers["content-length"];
  if (length === undefined && req.headers["transfer-encoding"]) {
    res.status(411).type("text/plain").send(build.entry.module.refusalText(411, "Length Required", req.headers));
    return;
  }
  if (Number(length ?? 0) > bodyLimitOf(req)) {
    res.status(413).type("text/plain").send(build.entry.module.refusalText(413, "Payload Too Large", req.headers));
    return;
  }
  next();
});

// Cross-site form posts are refused (SameSite=Lax cookies are the first line; this is the second).
// An Origin must be exactly ours: same scheme (req.protocol, honouring TRUST_PROXY), host and port
// (the Host header). `Origin: null` (sandboxed frames, data: pages) and `Sec-Fetch-Site: cross-site`
// are refused too; a request without Origin (old browsers, curl) is let through (decision 051).
function sameOrigin(origin, req) {
  try {
    return new URL(origin).origin === new URL(`${req.protocol}://${req.headers.host}`).origin;
  } catch {
    return false;
  }
}
app.use((req, res, next) => {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method) || req.path.startsWith("/webhooks/")) return next();
  const origin = req.headers.origin;
  const crossSite = req.headers["sec-fetch-site"] === "cross-site";
  if (crossSite || (origin !== undefined && !sameOrigin(origin, req))) {
    res.status(403).type("text/plain").send(build.entry.module.refusalText(403, "Forbidden: cross-origin request", req.headers));
    return;
  }
  next();
});

// Hostile addresses and bodies are refused before Remix: control characters or broken UTF-8 in
// the path or query (400), overlong URLs or query values (414), a POST/PUT/PATCH/DELETE outside
// /webhooks/ that is not a form (415) or is empty (400). See app/utils/request-screen.server.ts.
app.use((req, res, next) => {
  const refusal = build.entry.module.screenRequest(req.method, req.originalUrl, req.headers);
  if (refusal) {
    res.status(refusal.status).type("text/plain").set("Cache-Control", "no-store").send(build.entry.module.refusalText(refusal.status, refusal.message, req.headers));
    return;
  }
  next();
});

// Static files: only the build's hashed assets (immutable, a year) and the few files at the top of
// build/client (public/: favicon…, listed once at start in STATIC_FILES, an hour). Not a catch-all
// before every request: a page or a form post no longer pays a file-system lookup first.
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
const publicFiles = express.static("build/client", { maxAge: "1h", index: false, redirect: false });
app.use((req, res, next) => (STATIC_FILES.has(req.path) ? publicFiles(req, res, next) : next()));

// Last before Remix, so everything above (headers, refusals, static files) still applies to a hit.
if (pageCache) app.use(pageCache);

app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const server = app.listen(config.PORT, config.HOST, () => {
  console.log(`Tadamon listening on http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${config.PORT}`);
});

async function shutdown() {
  server.close();
  try {
    await build.entry.module.shutdown();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

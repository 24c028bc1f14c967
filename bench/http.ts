/**
 * A raw HTTP client for the bench: `node:http`/`node:https` rather than fetch, because fetch
 * (undici) always sends `Accept-Encoding` and decompresses, and the bench must see exactly the
 * bytes and headers the server sent for the headers it chose.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";

export interface RawResponse {
  status: number;
  /** Header pairs as received (names as sent by the server), repeated headers kept. */
  rawHeaders: [string, string][];
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

export function request(url: string | URL, options: RawRequest = {}): Promise<RawResponse> {
  const target = typeof url === "string" ? new URL(url) : url;
  const client = target.protocol === "https:" ? https : http;
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (body) headers["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: options.method ?? "GET", headers, agent: false, timeout: options.timeoutMs ?? 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          resolve({ status: res.statusCode ?? 0, rawHeaders: pairs, headers: res.headers, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: ${options.method ?? "GET"} ${target.href}`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** Polls `url` until it answers 200, or gives up after `timeoutMs` (or when `stop()` says so). */
export async function waitFor200(url: string, timeoutMs: number, stop: () => string | null = () => null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    const why = stop();
    if (why) throw new Error(why);
    try {
      const res = await request(url, { timeoutMs: 2_000 });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}

/** Whether a TCP port on 127.0.0.1 is free to listen on. */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = http.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** The first free port in [from, to], skipping `taken`. */
export async function freePort(from: number, to: number, taken: readonly number[] = []): Promise<number> {
  for (let port = from; port <= to; port += 1) {
    if (taken.includes(port)) continue;
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${from}–${to}`);
}

/** The bench's one identity-hash secret (the bench seed's keyed hashes and the server must share it). */
export const BENCH_IDENTITY_HASH_SECRET = "bench-only-identity-hash-secret-not-for-production-000";

/**
 * The environment of a production server started by a bench script (bench/profile.ts,
 * bench/cost.ts): NODE_ENV=production, no jobs, no demo seed, the page cache off, on `port`.
 */
export function benchServerEnv(options: { port: number; databaseUrl: string; dataDir: string; extra?: Record<string, string> }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(options.port),
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: options.dataDir,
    APP_URL: `http://127.0.0.1:${options.port}`,
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    IDENTITY_HASH_SECRET: BENCH_IDENTITY_HASH_SECRET,
    JOBS: "off",
    SEED_DEMO: "never",
    LOG_LEVEL: "warn",
    PAGE_CACHE: "off",
    ...options.extra,
  };
}

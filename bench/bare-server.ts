/**
 * The bench's yardstick: a bare `node:http` server that answers each benchmarked request with
 * the exact status, headers and body bytes the app sent for it once (captured by bench/run.ts),
 * doing no other work. Run against it with the same autocannon settings, it shows what Node's
 * HTTP layer and the load generator on this machine manage on their own; the app's figure divided
 * by it is the cost of everything the app does (Express, Remix, React rendering, database).
 *
 * Run as its own process, like the app: node --import tsx bench/bare-server.ts <routes.json> <port>
 * It prints "bare-server ready" once listening.
 */
import fs from "node:fs";
import http from "node:http";
import { pathToFileURL } from "node:url";

export interface CannedResponse {
  status: number;
  /** Header pairs as the app sent them (hop-by-hop ones and Date removed; Content-Length recomputed). */
  headers: [string, string][];
  bodyBase64: string;
}

export interface CannedRoutes {
  /** GET responses by request URL (path and query string, as sent). */
  get: Record<string, CannedResponse>;
  /** The answer to any POST (the pledge action's redirect). */
  post: CannedResponse | null;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "date", "content-length"]);

/** The pairs worth replaying from a captured response. */
export function replayableHeaders(pairs: readonly [string, string][]): [string, string][] {
  return pairs.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
}

interface Prepared {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function prepare(canned: CannedResponse): Prepared {
  const body = Buffer.from(canned.bodyBase64, "base64");
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of replayableHeaders(canned.headers)) {
    const prev = headers[name];
    headers[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  headers["Content-Length"] = String(body.length);
  return { status: canned.status, headers, body };
}

export function createBareServer(routes: CannedRoutes): http.Server {
  const get = new Map(Object.entries(routes.get).map(([url, canned]) => [url, prepare(canned)]));
  const post = routes.post ? prepare(routes.post) : null;
  const notFound: Prepared = { status: 404, headers: { "Content-Type": "text/plain", "Content-Length": "9" }, body: Buffer.from("Not Found") };
  return http.createServer((req, res) => {
    const answer = (r: Prepared) => {
      res.writeHead(r.status, r.headers);
      res.end(r.body);
    };
    if (req.method === "POST") {
      // Read the form like the app has to, then answer.
      req.on("data", () => undefined);
      req.on("end", () => answer(post ?? notFound));
      return;
    }
    answer((req.method === "GET" && get.get(req.url ?? "")) || notFound);
  });
}

function main(argv: string[]) {
  const [file, portArg, host = "127.0.0.1"] = argv;
  const port = Number(portArg);
  if (!file || !Number.isInteger(port)) {
    console.error("usage: node --import tsx bench/bare-server.ts <routes.json> <port> [host]");
    process.exit(2);
  }
  const routes = JSON.parse(fs.readFileSync(file, "utf8")) as CannedRoutes;
  const server = createBareServer(routes);
  server.listen(port, host, () => console.log("bare-server ready"));
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));

import fs from "node:fs/promises";
import path from "node:path";

/** Browsers still ask for /favicon.ico; answer with the SVG icon instead of a 404. */
export async function loader() {
  const svg = await fs.readFile(path.resolve("public/favicon.svg"));
  return new Response(svg, {
    headers: { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400" },
  });
}

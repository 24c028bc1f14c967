const ENTITIES: Record<string, string> = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">", "#39": "'", "#x27": "'", "#x2F": "/", "#47": "/" };

/**
 * The http(s) links of an email's HTML, in order and without repeats: what the dev mailbox lists so
 * a developer (or an end-to-end test) can follow them.
 */
export function extractLinks(html: string): string[] {
  const links: string[] = [];
  const pattern = /<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
  for (const match of html.matchAll(pattern)) {
    const raw = (match[1] ?? match[2] ?? "").trim();
    const href = raw.replace(/&(#x2F|#x27|#39|#47|amp|quot|apos|lt|gt);/gi, (_, name: string) => ENTITIES[name] ?? ENTITIES[name.toLowerCase()] ?? _);
    if (!/^https?:\/\//i.test(href)) continue;
    if (!links.includes(href)) links.push(href);
  }
  return links;
}

/**
 * How the bench turns autocannon's runs into the numbers it prints: one target's slices merged
 * into one measurement, and a page's ratio to the trivial page taken round by round.
 */

export interface Measured {
  rps: number;
  /** How long it was measured. */
  seconds: number;
  p50: number;
  p99: number;
  total: number;
  statusCodes: Record<string, number>;
  /** Socket errors, timeouts included (autocannon counts a timeout as an error too). */
  errors: number;
  timeouts: number;
  /** Errors (timeouts included) and unexpected statuses (GET: not 2xx; POST: not 2xx/3xx). */
  bad: number;
}

/** Several measurements of one target as one: requests over time, the median p50, the worst p99. */
export function merge(parts: Measured[]): Measured {
  const seconds = parts.reduce((n, m) => n + m.seconds, 0);
  const total = parts.reduce((n, m) => n + m.total, 0);
  const statusCodes: Record<string, number> = {};
  for (const m of parts) for (const [code, count] of Object.entries(m.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const sum = (key: "errors" | "timeouts" | "bad") => parts.reduce((n, m) => n + m[key], 0);
  return {
    rps: seconds > 0 ? total / seconds : 0,
    seconds,
    p50: median(parts.map((m) => m.p50)),
    p99: Math.max(...parts.map((m) => m.p99)),
    total,
    statusCodes,
    errors: sum("errors"),
    timeouts: sum("timeouts"),
    bad: sum("bad"),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * A page's ratio to the trivial page, robust to the machine's speed drifting during the run:
 * slices T P T P … P T, each page slice compared with the mean of the trivial slices on either
 * side of it, and the median of those rounds reported. With one trivial measurement at the start,
 * a machine whose speed moves by 2× in minutes (shared or throttled CPUs) moved every ratio with it.
 */
export function roundRatios(trivial: number[], page: number[]): { ratios: number[]; ratio: number | null; beside: number } {
  if (trivial.length !== page.length + 1) throw new Error("interleaving needs one more trivial slice than page slices");
  const ratios = page.map((p, i) => {
    const yardstick = (trivial[i] + trivial[i + 1]) / 2;
    return yardstick > 0 ? p / yardstick : 0;
  });
  return { ratios, ratio: ratios.length ? median(ratios) : null, beside: trivial.reduce((a, b) => a + b, 0) / trivial.length };
}


import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PLEDGE_LIMITS, SIGNUP_LIMITS, allowedAt, retryAfterSeconds } from "./rules";

const HOUR = 3600_000;
const t0 = new Date("2030-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("sliding-window limits (pure, clock passed in)", () => {
  it("per email: the 6th pledge within an hour waits until the 1st leaves the window; the window slides open again", () => {
    const hits = [0, 1, 2, 3, 4].map((m) => at(m * 60_000)); // 5 pledges in 5 minutes
    const now = at(10 * 60_000);
    expect(allowedAt(hits, PLEDGE_LIMITS.email, now)?.toISOString()).toBe(at(HOUR).toISOString());
    expect(retryAfterSeconds(allowedAt(hits, PLEDGE_LIMITS.email, now)!, now)).toBe(50 * 60);
    // The clock moved past the hour: the first hit left the window.
    expect(allowedAt(hits, PLEDGE_LIMITS.email, at(HOUR + 1))).toBeNull();
    // Four hits is under the limit at any time.
    expect(allowedAt(hits.slice(1), PLEDGE_LIMITS.email, now)).toBeNull();
  });

  it("per email per day: 15 spread over the day block until the oldest is a day old", () => {
    const hits = Array.from({ length: 15 }, (_, i) => at(i * 90 * 60_000)); // one every 90 minutes
    const now = at(15 * 90 * 60_000);
    expect(allowedAt(hits, PLEDGE_LIMITS.email, now)?.toISOString()).toBe(at(24 * HOUR).toISOString());
    expect(allowedAt(hits, PLEDGE_LIMITS.email, at(24 * HOUR))).toBeNull();
  });

  it("per IP: 30 an hour and 100 a day, generous for a shared office", () => {
    const hour = Array.from({ length: 29 }, (_, i) => at(i * 60_000));
    expect(allowedAt(hour, PLEDGE_LIMITS.ip, at(30 * 60_000))).toBeNull();
    expect(allowedAt([...hour, at(29 * 60_000)], PLEDGE_LIMITS.ip, at(30 * 60_000))).not.toBeNull();
    const day = Array.from({ length: 100 }, (_, i) => at(i * 13 * 60_000)); // ~4.6 an hour
    expect(allowedAt(day, PLEDGE_LIMITS.ip, at(100 * 13 * 60_000))?.toISOString()).toBe(at(24 * HOUR).toISOString());
  });

  it("sign-up: 3 per email and 10 per IP in 15 minutes", () => {
    const three = [0, 1, 2].map((m) => at(m * 60_000));
    expect(allowedAt(three, SIGNUP_LIMITS.email, at(3 * 60_000))?.toISOString()).toBe(at(15 * 60_000).toISOString());
    expect(allowedAt(three, SIGNUP_LIMITS.ip, at(3 * 60_000))).toBeNull();
  });

  it("never allows more than max actions in any window (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 * 24 * 60 }), { maxLength: 200 }), (minutes) => {
        // Replay attempts in time order, accepting only those the rule allows.
        const accepted: Date[] = [];
        for (const m of [...minutes].sort((a, b) => a - b)) {
          const now = at(m * 60_000);
          if (allowedAt(accepted, PLEDGE_LIMITS.email, now) === null) accepted.push(now);
        }
        for (const limit of PLEDGE_LIMITS.email) {
          for (const start of accepted) {
            const inWindow = accepted.filter((d) => d.getTime() >= start.getTime() && d.getTime() < start.getTime() + limit.windowMs);
            expect(inWindow.length).toBeLessThanOrEqual(limit.max);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { startOfDayIn, todayIn } from "./money";

const ZONES = ["Asia/Beirut", "Asia/Damascus", "Africa/Cairo", "UTC", "America/New_York", "Asia/Kolkata"];

describe("startOfDayIn: a day's first instant in a time zone", () => {
  it("is that day there, and the instant before it is the day before (daylight saving included)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2040-12-31T00:00:00Z"), noInvalidDate: true }), (zone, at) => {
        const day = at.toISOString().slice(0, 10);
        const start = startOfDayIn(zone, day);
        expect(todayIn(zone, start)).toBe(day);
        expect(todayIn(zone, new Date(start.getTime() - 1))).not.toBe(day);
        expect(todayIn(zone, new Date(start.getTime() - 1)) < day).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("is midnight local time on ordinary days", () => {
    expect(startOfDayIn("Asia/Beirut", "2026-01-15").toISOString()).toBe("2026-01-14T22:00:00.000Z");
    expect(startOfDayIn("Asia/Beirut", "2026-07-15").toISOString()).toBe("2026-07-14T21:00:00.000Z");
    expect(startOfDayIn("UTC", "2026-07-15").toISOString()).toBe("2026-07-15T00:00:00.000Z");
  });
});

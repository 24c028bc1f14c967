import { describe, expect, it, vi, afterEach } from "vitest";
import * as dbModule from "~/utils/db.server";
import { loader } from "~/routes/healthz";

describe("GET /healthz", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers 200 when the database answers", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "up" });
  });

  it("answers 503 when the database does not", async () => {
    vi.spyOn(dbModule, "getDb").mockRejectedValue(new Error("connection refused"));
    const response = await loader();
    expect(response.status).toBe(503);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

import { describe, expect, it } from "vitest";
import { installLazyHandoff, isLazy, lazily, remixSingleFetch } from "./lazy-handoff.server";

const bytes = (text: string) => new TextEncoder().encode(text);

function countingEncoder() {
  const calls: unknown[][] = [];
  const encode = (...args: unknown[]) => {
    calls.push(args);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes("[1,2]\n"));
        controller.enqueue(bytes("P3:4\n"));
        controller.close();
      },
    });
  };
  return { calls, encode };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return await new Response(stream).text();
}

describe("loader data encoded only when read (decision 074)", () => {
  it("does not encode until the stream is read, even once a reader is taken; then gives the encoder's bytes, in order", async () => {
    const { calls, encode } = countingEncoder();
    const lazy = lazily(encode);
    const stream = lazy({ data: 1 }, "signal");
    const reader = stream.getReader(); // what Remix's server render does whether or not <Scripts> reads it
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual([]);
    const first = await reader.read();
    expect(calls).toEqual([[{ data: 1 }, "signal"]]);
    expect(new TextDecoder().decode(first.value)).toBe("[1,2]\n");
    const second = await reader.read();
    expect(new TextDecoder().decode(second.value)).toBe("P3:4\n");
    expect((await reader.read()).done).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it("a stream nobody reads never encodes", async () => {
    const { calls, encode } = countingEncoder();
    lazily(encode)({ big: "x".repeat(10_000) });
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual([]);
  });

  it("passes a cancel on to the encoder's stream", async () => {
    let cancelled: unknown = null;
    const lazy = lazily(() => new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(bytes("x")), cancel: (r) => void (cancelled = r) }));
    const reader = lazy().getReader();
    await reader.read();
    await reader.cancel("gone");
    expect(cancelled).toBe("gone");
  });

  it("is installed in Remix's single-fetch module by entry.server, once, and Remix's own encoder still produces the same bytes", async () => {
    const mod = remixSingleFetch();
    expect(typeof mod?.encodeViaTurboStream).toBe("function");
    await import("~/entry.server");
    expect(isLazy(mod!.encodeViaTurboStream)).toBe(true);
    const installed = mod!.encodeViaTurboStream;
    expect(installLazyHandoff()).toBe(true);
    expect(mod!.encodeViaTurboStream).toBe(installed); // not wrapped twice
    const encode = installed as (data: unknown, signal: AbortSignal, timeout: number, mode: string) => ReadableStream<Uint8Array>;
    const text = await readAll(encode({ a: "نص", n: [1, 2] }, new AbortController().signal, 1000, "production"));
    expect(text).toContain("نص");
    expect(text.endsWith("\n")).toBe(true);
  });
});

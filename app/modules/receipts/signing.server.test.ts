import { describe, expect, it } from "vitest";
import { receiptPath, receiptSignature, verifyReceiptSignature } from "./signing.server";

const A = "0b1c7f8e-2f6a-4c1e-9d7b-1a2b3c4d5e6f";
const B = "0b1c7f8e-2f6a-4c1e-9d7b-1a2b3c4d5e70";

describe("signed receipt links", () => {
  it("signs one receipt: its own signature passes, another receipt's or a changed one does not", () => {
    const sa = receiptSignature(A);
    expect(sa).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(verifyReceiptSignature(A, sa)).toBe(true);
    expect(verifyReceiptSignature(B, sa)).toBe(false);
    const flipped = (sa[0] === "A" ? "B" : "A") + sa.slice(1);
    expect(verifyReceiptSignature(A, flipped)).toBe(false);
  });

  it("refuses anything malformed", () => {
    for (const bad of [null, undefined, "", "short", `${receiptSignature(A)}x`, "!".repeat(22), "é".repeat(22)]) {
      expect(verifyReceiptSignature(A, bad)).toBe(false);
    }
  });

  it("puts the signature in the path", () => {
    expect(receiptPath(A)).toBe(`/receipts/${A}?s=${receiptSignature(A)}`);
  });
});

import { describe, expect, it } from "vitest";
import { documentKindEnum } from "#db/schema";
import { DOCUMENT_KINDS, cleanFileName, contentDisposition, formatBytes } from "./documents";

describe("document rules shared with the form", () => {
  it("the kinds offered are exactly the database's document_kind values", () => {
    expect([...DOCUMENT_KINDS]).toEqual(documentKindEnum.enumValues);
  });

  it("the stored name keeps its stem and gets the extension of the type found in the bytes", () => {
    expect(cleanFileName("scan.pdf", "image/png")).toBe("scan.png");
    expect(cleanFileName("photo.JPEG", "image/jpeg")).toBe("photo.jpeg");
    expect(cleanFileName("report", "application/pdf")).toBe("report.pdf");
    expect(cleanFileName("تقرير طبي.pdf", "application/pdf")).toBe("تقرير طبي.pdf");
  });

  it("strips folders, control and direction-override characters, and never leaves an empty name", () => {
    expect(cleanFileName("C:\\Users\\x\\..\\secret.pdf", "application/pdf")).toBe("secret.pdf");
    expect(cleanFileName("../../etc/passwd", "application/pdf")).toBe("passwd.pdf");
    expect(cleanFileName("invoice\u202Efdp.exe", "application/pdf")).toBe("invoicefdp.pdf");
    expect(cleanFileName("a\u0000b\nc.png", "image/png")).toBe("abc.png");
    expect(cleanFileName("", "image/png")).toBe("document.png");
    expect(cleanFileName("...", "image/png")).toBe("document.png");
    expect(cleanFileName(`${"x".repeat(500)}.pdf`, "application/pdf")).toHaveLength(144);
  });

  it("Content-Disposition is always an attachment, with an ASCII fallback and the UTF-8 name", () => {
    expect(contentDisposition("report.pdf")).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    const arabic = contentDisposition('تقرير "طبي".pdf');
    expect(arabic.startsWith('attachment; filename="')).toBe(true);
    expect(arabic).not.toMatch(/filename="[^"]*"[^;]*"/);
    expect(arabic).toContain(`filename*=UTF-8''${encodeURIComponent('تقرير "طبي".pdf')}`);
  });

  it("sizes read naturally", () => {
    expect(formatBytes(512, "en")).toBe("512 byte");
    expect(formatBytes(1536, "en")).toBe("1.5 kB");
    expect(formatBytes(10 * 1024 * 1024, "en")).toBe("10 MB");
  });
});

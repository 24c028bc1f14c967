import { describe, expect, it } from "vitest";
import {
  hashGroup,
  keyedHash,
  maskIdentifier,
  normalizeIdNumber,
  normalizeIdentifier,
  normalizePhone,
  phoneSearchDigits,
} from "./identifiers";
import { createHouseholdSchema } from "./schemas";

const SECRET = "a-test-secret-that-is-long-enough-000";

describe("phone normalization", () => {
  it("reads local numbers in the organisation's country and international ones anywhere", () => {
    expect(normalizePhone("03 123 456", "LB")).toEqual({ ok: true, normalized: "+9613123456" });
    expect(normalizePhone("+961 3 123 456", "EG")).toEqual({ ok: true, normalized: "+9613123456" });
    expect(normalizePhone("00961-3-123456", "LB")).toEqual({ ok: true, normalized: "+9613123456" });
    expect(normalizePhone("٠٣ ١٢٣ ٤٥٦", "LB")).toEqual({ ok: true, normalized: "+9613123456" });
    expect(normalizePhone("0944 123 456", "SY")).toEqual({ ok: true, normalized: "+963944123456" });
    expect(normalizePhone("010 1234 5678", "EG")).toEqual({ ok: true, normalized: "+201012345678" });
  });

  it("refuses what is not a valid number with an i18n key", () => {
    for (const bad of ["12", "abc", "03 12", "+961 9 999", "0101234567890123", "call me"]) {
      expect(normalizePhone(bad, "LB")).toEqual({ ok: false, error: "registry:errors.invalidPhone" });
    }
  });
});

describe("ID normalization", () => {
  it("folds digits, separators and case", () => {
    expect(normalizeIdNumber(" 123-456.789 ")).toEqual({ ok: true, normalized: "123456789" });
    expect(normalizeIdNumber("١٢٣ ٤٥٦ ٧٨٩")).toEqual({ ok: true, normalized: "123456789" });
    expect(normalizeIdNumber("lb-123/45")).toEqual({ ok: true, normalized: "LB12345" });
    expect(normalizeIdNumber("۱۲۳۴۵۶")).toEqual({ ok: true, normalized: "123456" });
  });

  it("refuses empty, too short or symbol-laden values", () => {
    expect(normalizeIdNumber("--")).toEqual({ ok: false, error: "registry:errors.invalidId" });
    expect(normalizeIdNumber("12")).toEqual({ ok: false, error: "registry:errors.invalidId" });
    expect(normalizeIdNumber("12#45")).toEqual({ ok: false, error: "registry:errors.invalidId" });
    expect(normalizeIdentifier("unhcr", "ab", "LB")).toEqual({ ok: false, error: "registry:errors.invalidId" });
  });
});

describe("keyed hash", () => {
  it("gives the same hash for the same ID written several ways, across ID kinds", () => {
    const spellings = ["123-456-789", "١٢٣٤٥٦٧٨٩", "123 456 789", "123.456.789"];
    const hashes = spellings.map((s) => {
      const n = normalizeIdNumber(s);
      if (!n.ok) throw new Error(s);
      return keyedHash("national_id", n.normalized, SECRET);
    });
    expect(new Set(hashes).size).toBe(1);
    expect(keyedHash("other_id", "123456789", SECRET)).toBe(hashes[0]);
    expect(keyedHash("unrwa", "123456789", SECRET)).toBe(hashes[0]);
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps phones and IDs apart, and depends on the secret", () => {
    expect(hashGroup("phone")).toBe("phone");
    expect(hashGroup("unhcr")).toBe("id");
    expect(keyedHash("phone", "9613123456", SECRET)).not.toBe(keyedHash("national_id", "9613123456", SECRET));
    expect(keyedHash("phone", "+9613123456", SECRET)).not.toBe(keyedHash("phone", "+9613123456", `${SECRET}x`));
    expect(() => keyedHash("phone", "+9613123456", "")).toThrow();
  });

  it("does not contain the value it hashes", () => {
    const hash = keyedHash("phone", "+9613123456", SECRET);
    expect(hash).not.toContain("3123456");
    expect(hash).not.toContain("961");
    expect(maskIdentifier("+9613123456")).toBe("+961•••456");
    expect(maskIdentifier("1234")).toBe("••••");
  });

  it("offers the digits people search a phone by", () => {
    expect(phoneSearchDigits("+9613123456").sort()).toEqual(["03123456", "3123456", "9613123456"].sort());
  });
});

describe("the new-household form", () => {
  const schema = createHouseholdSchema("LB");
  const base = { headFullName: "فاطمة", headSex: "female" };

  it("drops blank member, phone and ID rows but keeps the index of errors", () => {
    const ok = schema.safeParse({
      ...base,
      members: [{}, { fullName: "Ali", sex: "male", relation: "child", birthYear: 2015 }, {}],
      phones: [undefined, "03 123 456"],
      ids: [{ kind: "national_id" }, { kind: "unrwa", value: "12-34" }],
      tags: ["female_headed"],
    });
    expect(ok.success && ok.data.members.map((m) => m.fullName)).toEqual(["Ali"]);
    expect(ok.success && ok.data.phones).toEqual(["03 123 456"]);
    expect(ok.success && ok.data.ids).toEqual([{ kind: "unrwa", value: "12-34" }]);
    const bad = schema.safeParse({
      headSex: "female",
      headBirthYear: 1800,
      members: [{}, { birthYear: 2030 }],
      phones: ["", "12"],
      tags: ["rich"],
    });
    expect(bad.success).toBe(false);
    const paths = bad.success ? {} : Object.fromEntries(bad.error.issues.map((i) => [i.path.join("."), i.message]));
    expect(paths).toMatchObject({
      headFullName: "errors:required",
      headBirthYear: "registry:errors.birthYear",
      "members.1.fullName": "errors:required",
      "members.1.birthYear": "registry:errors.birthYear",
      "phones.1": "registry:errors.invalidPhone",
      "tags.0": "registry:errors.unknownTag",
    });
    const consent = schema.safeParse({ ...base, consentPublish: true });
    expect(consent.success || consent.error.flatten().fieldErrors).toEqual({ consentGivenOn: ["registry:errors.consentDate"] });
    const future = schema.safeParse({ ...base, consentGivenOn: "2999-01-01", consentPublish: true });
    expect(future.success || future.error.flatten().fieldErrors).toEqual({ consentGivenOn: ["registry:errors.dateInFuture"] });
  });
});

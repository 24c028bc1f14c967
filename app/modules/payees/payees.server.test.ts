import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { auditLog, needs, payeeDetailChanges, payees } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { createNeed, updateNeed } from "~/modules/needs/needs.server";
import { addMember, createUser } from "../../../tests/fixtures/db";
import { actorFor, createHousehold, needFields, needsWorld } from "../../../tests/fixtures/needs";
import { PayeeError } from "./errors";
import {
  createPayee,
  decideDetailChange,
  findOrCreatePayeeForNeed,
  getPayee,
  listPayees,
  payablePayee,
  requestDetailChange,
  updatePayee,
  withdrawDetailChange,
} from "./payees.server";
import { BankDetailsSchema, accountNumberValid, ibanValid, maskAccountNumber, normalizeAccountNumber } from "./schemas";

const IBAN = "LB62099900000001001901229114";
const bank = (accountNumber = IBAN) => ({ collection: "bank_transfer" as const, bankName: "Bank of Beirut", accountHolder: "Al-Amal School", accountNumber, cashCollectionNote: null });

async function refusal(promise: Promise<unknown>): Promise<PayeeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PayeeError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

/** An organisation with two finance officers (four-eyes), a caseworker and a household. */
async function world() {
  const w = await needsWorld();
  const financeA = await createUser({ displayName: "Finance A" });
  const financeB = await createUser({ displayName: "Finance B" });
  await addMember(w.org.id, financeA.id, "finance");
  await addMember(w.org.id, financeB.id, "finance");
  const db = await getDb();
  const payee = await createPayee(db, actorFor(financeA.id), { orgId: w.org.id, kind: "school", name: "مدرسة الأمل" });
  return { ...w, financeA, financeB, payee, db };
}

async function payeeRow(id: string) {
  const [row] = await (await getDb()).select().from(payees).where(eq(payees.id, id));
  return row;
}

describe("bank details: four-eyes", () => {
  it("the requester cannot approve their own change: refused, nothing changed; a second person approves and the payee holds the details", async () => {
    const w = await world();
    const change = await requestDetailChange(w.db, actorFor(w.financeA.id), w.payee.id, { orgId: w.org.id, proposed: bank(), reason: "letter from the school" });
    expect(change.status).toBe("pending");
    // Requested, not in force: the payee cannot be paid by bank transfer yet.
    expect(await refusal(payablePayee(w.db, w.org.id, w.payee.id, "bank_transfer"))).toMatchObject({ code: "details_not_approved" });

    const same = await refusal(decideDetailChange(w.db, actorFor(w.financeA.id), change.id, { orgId: w.org.id, decision: "approve" }));
    expect(same.code).toBe("four_eyes_same_person");
    expect(same.status).toBe(403);
    expect(await payeeRow(w.payee.id)).toMatchObject({ accountNumber: null, collection: null, detailsApprovedAt: null });
    const [still] = await w.db.select().from(payeeDetailChanges).where(eq(payeeDetailChanges.id, change.id));
    expect(still).toMatchObject({ status: "pending", decidedBy: null });

    const { payee } = await decideDetailChange(w.db, actorFor(w.financeB.id), change.id, { orgId: w.org.id, decision: "approve" });
    expect(payee).toMatchObject({ collection: "bank_transfer", bankName: "Bank of Beirut", accountHolder: "Al-Amal School", accountNumber: IBAN });
    expect(payee.detailsApprovedAt).toBeInstanceOf(Date);
    expect((await payablePayee(w.db, w.org.id, w.payee.id, "bank_transfer")).id).toBe(w.payee.id);

    // The audit names fields and shows the account number masked, never whole.
    const audit = await w.db.select().from(auditLog).where(and(eq(auditLog.orgId, w.org.id), eq(auditLog.entityId, w.payee.id)));
    const text = JSON.stringify(audit.map((a) => a.change));
    expect(text).not.toContain(IBAN);
    expect(text).not.toContain("Bank of Beirut");
    expect(text).toContain("••••9114");
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["payee.create", "payee.details_requested", "payee.details_approved"]));
  });

  it("the database refuses a decision by the requester too (CHECK), whatever the code does", async () => {
    const w = await world();
    const change = await requestDetailChange(w.db, actorFor(w.financeA.id), w.payee.id, { orgId: w.org.id, proposed: bank() });
    await expect(
      w.db.update(payeeDetailChanges).set({ status: "approved", decidedBy: w.financeA.id, decidedAt: new Date() }).where(eq(payeeDetailChanges.id, change.id)),
    ).rejects.toThrow();
    const [row] = await w.db.select().from(payeeDetailChanges).where(eq(payeeDetailChanges.id, change.id));
    expect(row.status).toBe("pending");
  });

  it("one pending change per payee; a rejection needs nobody's details to change; the requester may withdraw, not another", async () => {
    const w = await world();
    const first = await requestDetailChange(w.db, actorFor(w.financeA.id), w.payee.id, { orgId: w.org.id, proposed: bank() });
    expect((await refusal(requestDetailChange(w.db, actorFor(w.financeB.id), w.payee.id, { orgId: w.org.id, proposed: bank() }))).code).toBe("change_pending");
    expect((await refusal(withdrawDetailChange(w.db, actorFor(w.financeB.id), first.id, { orgId: w.org.id }))).code).toBe("not_requester");
    const withdrawn = await withdrawDetailChange(w.db, actorFor(w.financeA.id), first.id, { orgId: w.org.id });
    expect(withdrawn.status).toBe("withdrawn");
    const second = await requestDetailChange(w.db, actorFor(w.financeA.id), w.payee.id, { orgId: w.org.id, proposed: bank() });
    const { change } = await decideDetailChange(w.db, actorFor(w.financeB.id), second.id, { orgId: w.org.id, decision: "reject", reason: "wrong branch" });
    expect(change).toMatchObject({ status: "rejected", decidedBy: w.financeB.id, decisionReason: "wrong branch" });
    expect(await payeeRow(w.payee.id)).toMatchObject({ accountNumber: null, detailsApprovedAt: null });
    expect((await refusal(decideDetailChange(w.db, actorFor(w.financeB.id), second.id, { orgId: w.org.id, decision: "approve" }))).code).toBe("change_not_pending");
  });

  it("a caseworker, the system and another organisation's finance may not request or decide", async () => {
    const w = await world();
    const other = await world();
    const change = await requestDetailChange(w.db, actorFor(w.financeA.id), w.payee.id, { orgId: w.org.id, proposed: bank() });
    expect((await refusal(requestDetailChange(w.db, actorFor(w.author.id), w.payee.id, { orgId: w.org.id, proposed: bank() }))).code).toBe("not_allowed");
    expect((await refusal(decideDetailChange(w.db, actorFor(w.author.id), change.id, { orgId: w.org.id, decision: "approve" }))).code).toBe("not_allowed");
    expect((await refusal(decideDetailChange(w.db, SYSTEM_ACTOR, change.id, { orgId: w.org.id, decision: "approve" }))).code).toBe("not_allowed");
    // Their own organisation's role, another organisation's change: not found.
    expect((await refusal(decideDetailChange(w.db, actorFor(other.financeB.id), change.id, { orgId: other.org.id, decision: "approve" }))).code).toBe("change_not_found");
    expect((await refusal(requestDetailChange(w.db, actorFor(other.financeA.id), w.payee.id, { orgId: other.org.id, proposed: bank() }))).code).toBe("payee_not_found");
    expect(await payeeRow(w.payee.id)).toMatchObject({ detailsApprovedAt: null });
  });

  it("an inactive payee is never payable; cash needs no bank details", async () => {
    const w = await world();
    expect((await payablePayee(w.db, w.org.id, w.payee.id, "cash")).id).toBe(w.payee.id);
    await updatePayee(w.db, actorFor(w.financeA.id), w.payee.id, { orgId: w.org.id, status: "inactive" });
    expect((await refusal(payablePayee(w.db, w.org.id, w.payee.id, "cash"))).code).toBe("payee_inactive");
  });
});

describe("payees across organisations", () => {
  it("another organisation's payee id is not found everywhere", async () => {
    const a = await world();
    const b = await world();
    expect((await refusal(getPayee(b.db, b.org.id, a.payee.id))).status).toBe(404);
    expect((await refusal(payablePayee(b.db, b.org.id, a.payee.id, "cash"))).code).toBe("payee_not_found");
    expect((await refusal(updatePayee(b.db, actorFor(b.financeA.id), a.payee.id, { orgId: b.org.id, name: "Stolen" }))).code).toBe("payee_not_found");
    expect((await payeeRow(a.payee.id)).name).toBe("مدرسة الأمل");
    const list = await listPayees(b.db, b.org.id, {});
    expect(list.rows.map((r) => r.id)).not.toContain(a.payee.id);
  });
});

describe("creating, updating and searching payees", () => {
  it("a caseworker may not create a payee directly; finance may; search folds Arabic and filters by kind and status", async () => {
    const w = await world();
    expect((await refusal(createPayee(w.db, actorFor(w.author.id), { orgId: w.org.id, kind: "hospital", name: "Makassed" }))).code).toBe("not_allowed");
    await createPayee(w.db, actorFor(w.financeA.id), { orgId: w.org.id, kind: "hospital", name: "مستشفى المقاصد", phone: "+961 1 636 000" });
    const byFolded = await listPayees(w.db, w.org.id, { q: "مدرسه الامل" });
    expect(byFolded.rows.map((r) => r.name)).toEqual(["مدرسة الأمل"]);
    expect((await listPayees(w.db, w.org.id, { q: "636000" })).rows.map((r) => r.name)).toEqual(["مستشفى المقاصد"]);
    expect((await listPayees(w.db, w.org.id, { kind: "hospital" })).total).toBe(1);
    expect((await listPayees(w.db, w.org.id, { status: "inactive" })).total).toBe(0);
    expect((await listPayees(w.db, w.org.id, { q: "%" })).total).toBe(0);
  });

  it("pages through many payees", async () => {
    const w = await world();
    for (let i = 0; i < 6; i += 1) await createPayee(w.db, actorFor(w.financeA.id), { orgId: w.org.id, kind: "vendor", name: `Vendor ${i}` });
    const first = await listPayees(w.db, w.org.id, { kind: "vendor", pageSize: 4 });
    expect(first).toMatchObject({ total: 6, pages: 2, page: 1 });
    const second = await listPayees(w.db, w.org.id, { kind: "vendor", pageSize: 4, page: 2 });
    expect(second.rows).toHaveLength(2);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(6);
  });
});

describe("the need's payee", () => {
  it("findOrCreatePayeeForNeed dedupes by Arabic-normalized name within organisation and kind", async () => {
    const w = await world();
    const made = await w.db.transaction((tx) => findOrCreatePayeeForNeed(tx, actorFor(w.author.id), { orgId: w.org.id, kind: "school", name: "  مدرسه  الامل " }));
    expect(made.id).toBe(w.payee.id);
    const other = await w.db.transaction((tx) => findOrCreatePayeeForNeed(tx, actorFor(w.author.id), { orgId: w.org.id, kind: "hospital", name: "مدرسة الأمل" }));
    expect(other.id).not.toBe(w.payee.id);
    const household = await w.db.transaction((tx) => findOrCreatePayeeForNeed(tx, actorFor(w.author.id), { orgId: w.org.id, kind: "household", name: null, householdId: w.household.id }));
    expect(household).toMatchObject({ kind: "household", householdId: w.household.id, name: w.household.reference });
    const again = await w.db.transaction((tx) => findOrCreatePayeeForNeed(tx, actorFor(w.author.id), { orgId: w.org.id, kind: "household", name: "x", householdId: w.household.id }));
    expect(again.id).toBe(household.id);
  });

  it("a need created with a new payee name links a payee record; the same name again reuses it; a household need pays its household", async () => {
    const w = await world();
    const need = await createNeed(w.db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      authorId: w.author.id,
      householdId: w.household.id,
      fields: needFields({ payeeKind: "hospital", payeeName: "Makassed Hospital", payeeDetails: "ask for Mr. Karim" }),
      items: [],
    });
    expect(need.payeeId).toBeTruthy();
    const payee = await payeeRow(need.payeeId!);
    expect(payee).toMatchObject({ orgId: w.org.id, kind: "hospital", name: "Makassed Hospital", accountNumber: null });
    // The free text stays as the caseworker's note.
    expect(need).toMatchObject({ payeeName: "Makassed Hospital", payeeDetails: "ask for Mr. Karim" });
    const second = await createNeed(w.db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      authorId: w.author.id,
      householdId: w.household.id,
      fields: needFields({ payeeKind: "hospital", payeeName: "makassed  hospital" }),
      items: [],
    });
    expect(second.payeeId).toBe(need.payeeId);
    const own = await createNeed(w.db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      authorId: w.author.id,
      householdId: w.household.id,
      fields: needFields({ payeeKind: "household", payeeName: null }),
      items: [],
    });
    expect(await payeeRow(own.payeeId!)).toMatchObject({ kind: "household", householdId: w.household.id });
  });

  it("a need may pick an existing payee by id; another organisation's, another kind's or another household's is refused and nothing is written", async () => {
    const w = await world();
    const b = await world();
    const base = { orgId: w.org.id, actor: actorFor(w.author.id), authorId: w.author.id, householdId: w.household.id, items: [] };
    const picked = await createNeed(w.db, { ...base, fields: needFields({ payeeKind: "school", payeeName: null, payeeId: w.payee.id }) });
    expect(picked.payeeId).toBe(w.payee.id);
    const count = async () => (await w.db.select({ id: needs.id }).from(needs).where(eq(needs.orgId, w.org.id))).length;
    const before = await count();
    expect((await refusal(createNeed(w.db, { ...base, fields: needFields({ payeeKind: "school", payeeId: b.payee.id }) }))).code).toBe("payee_not_found");
    expect((await refusal(createNeed(w.db, { ...base, fields: needFields({ payeeKind: "hospital", payeeId: w.payee.id }) }))).code).toBe("kind_mismatch");
    const neighbour = await createHousehold(w.org.id, w.author.id);
    const theirs = await w.db.transaction((tx) => findOrCreatePayeeForNeed(tx, actorFor(w.author.id), { orgId: w.org.id, kind: "household", name: null, householdId: neighbour.id }));
    expect((await refusal(createNeed(w.db, { ...base, fields: needFields({ payeeKind: "household", payeeId: theirs.id }) }))).code).toBe("household_invalid");
    expect(await count()).toBe(before);

    // Editing the need moves it to another payee (a new name).
    const updated = await updateNeed(w.db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      userId: w.author.id,
      roles: ["caseworker"],
      needId: picked.id,
      fields: needFields({ payeeKind: "school", payeeName: "Lycée Abdel Kader" }),
      items: [],
    });
    expect(updated.payeeId).not.toBe(w.payee.id);
    expect((await payeeRow(updated.payeeId!)).name).toBe("Lycée Abdel Kader");
  });
});

describe("bank detail rules (pure)", () => {
  it("a valid IBAN passes; any one changed digit fails (property)", () => {
    expect(ibanValid(IBAN)).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 4, max: IBAN.length - 1 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const digit = Number(IBAN[pos]);
        const changed = IBAN.slice(0, pos) + String((digit + delta) % 10) + IBAN.slice(pos + 1);
        return !accountNumberValid(changed);
      }),
    );
    expect(normalizeAccountNumber("lb62 0999 0000 0001 0019 0122 9114")).toBe(IBAN);
    expect(accountNumberValid("0012345678")).toBe(true);
  });

  it("a mask never shows more than the last four characters (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{5,34}$/), (n) => {
        // Shown: four bullets and the last four characters, nothing of the rest.
        const masked = maskAccountNumber(n)!;
        return masked === `••••${n.slice(-4)}`;
      }),
    );
    expect(maskAccountNumber("1234")).toBe("••••");
  });

  it("the form refuses a bank transfer without an account, a bad IBAN, cash without a note", () => {
    expect(BankDetailsSchema.safeParse({ collection: "bank_transfer", bankName: "B", accountHolder: "H" }).success).toBe(false);
    const bad = BankDetailsSchema.safeParse({ collection: "bank_transfer", bankName: "B", accountHolder: "H", accountNumber: "LB62099900000001001901229115" });
    expect(bad.success).toBe(false);
    expect(bad.error?.flatten().fieldErrors.accountNumber).toEqual(["payees:errors.accountNumberInvalid"]);
    expect(BankDetailsSchema.safeParse({ collection: "cash" }).success).toBe(false);
    const ok = BankDetailsSchema.parse({ collection: "bank_transfer", bankName: "B", accountHolder: "H", accountNumber: "lb62 0999 0000 0001 0019 0122 9114", cashCollectionNote: "ignored" });
    expect(ok.proposed).toEqual({ collection: "bank_transfer", bankName: "B", accountHolder: "H", accountNumber: IBAN, cashCollectionNote: null });
  });
});

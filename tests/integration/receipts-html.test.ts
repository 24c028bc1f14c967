// The receipt pages rendered to real HTML the way the production server answers (root, loaders,
// `headers`, entry.server): both languages, print styles target, no-store, nothing private.
import { describe, expect, it } from "vitest";
import * as root from "~/root";
import { handMadeHandler } from "../fixtures/server-build";
import * as receiptPage from "~/routes/receipts.$receiptId";
import * as myReceipts from "~/routes/account.receipts";
import * as statementPage from "~/routes/account.receipts_.statement";
import { receiptPath } from "~/modules/receipts/receipts.server";
import { createUser } from "../fixtures/db";
import { signIn } from "../fixtures/routes";
import { localeCookie } from "~/utils/i18next.server";

const lngCookie = async (lng: "ar" | "en") => (await localeCookie.serialize(lng)).split(";")[0];
import { creditNoteFor, paymentRow, pledgeFor, receiptFor, receiptsWorld, refundRow } from "./receipts-world";

const routes = {
  root: { id: "root", path: "", module: root },
  "routes/receipts.$receiptId": { id: "routes/receipts.$receiptId", parentId: "root", path: "receipts/:receiptId", module: receiptPage },
  "routes/account.receipts": { id: "routes/account.receipts", parentId: "root", path: "account/receipts", module: myReceipts },
  "routes/account.receipts_.statement": { id: "routes/account.receipts_.statement", parentId: "root", path: "account/receipts/statement", module: statementPage },
};

const handler = handMadeHandler(routes);
const serve = (path: string, headers: Record<string, string> = {}) =>
  handler(new Request(new URL(path, "http://localhost"), { headers: { "x-tadamon-client-ip": "203.0.113.9", "user-agent": "vitest", ...headers } }));

describe("receipt pages as HTML", () => {
  it("a guest opens the signed receipt in Arabic and English: printable, no-store, no referrer, the donor's email never shown", async () => {
    const w = await receiptsWorld();
    const pledge = await pledgeFor(w, { amountMinor: 6_000, locale: "ar" });
    const payment = await paymentRow(w, { pledgeId: pledge.id, amountMinor: 7_000, surplusMinor: 1_000 });
    const { id, number } = await receiptFor(payment.id);

    const ar = await serve(receiptPath(id), { cookie: await lngCookie("ar") });
    expect(ar.status).toBe(200);
    expect(ar.headers.get("Cache-Control")).toBe("private, no-store");
    expect(ar.headers.get("Referrer-Policy")).toBe("no-referrer");
    const arHtml = await ar.text();
    expect(arHtml).toMatch(/<html[^>]*dir="rtl"/);
    expect(arHtml).toContain('id="print-document"');
    expect(arHtml).toContain(number);
    expect(arHtml).toContain("إيصال");
    expect(arHtml).toContain("الصندوق العام غير المقيَّد");
    expect(arHtml).toContain("LB-REG-2291");
    expect(arHtml).not.toContain(pledge.email);

    const en = await (await serve(receiptPath(id), { cookie: await lngCookie("en") })).text();
    expect(en).toContain("Receipt");
    expect(en).toContain("School fees for a ninth-grade student");
    expect(en).toContain("US$70.00");
    expect(en).toContain("this surplus went to the organisation’s unrestricted fund");
    expect(en).toContain("Email it to me again");

    const wrong = await serve(`/receipts/${id}?s=AAAAAAAAAAAAAAAAAAAAAA`);
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).not.toContain(number);
  });

  it("the donor's list, a credit note and the statement render", async () => {
    const w = await receiptsWorld();
    const donor = await createUser({ displayName: "Rania" });
    const pledge = await pledgeFor(w, { amountMinor: 5_000, donorUserId: donor.id, email: donor.email });
    const payment = await paymentRow(w, { pledgeId: pledge.id, amountMinor: 5_000 });
    const receipt = await receiptFor(payment.id);
    const note = await creditNoteFor((await refundRow(payment, 2_000)).id);
    const cookie = await signIn(donor.id);

    const list = await serve("/account/receipts", { cookie: `${cookie}; ${await lngCookie("en")}` });
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain(receipt.number);
    expect(listHtml).toContain(note.number);
    expect(listHtml).toContain(`/account/receipts/statement?org=${w.org.slug}&amp;year=2026`);

    const cn = await (await serve(`/receipts/${note.id}`, { cookie: `${cookie}; ${await lngCookie("en")}` })).text();
    expect(cn).toContain("Credit note");
    expect(cn).toContain(`This credit note corrects receipt`);
    expect(cn).toContain(`href="/receipts/${receipt.id}"`);

    const statement = await serve(`/account/receipts/statement?org=${w.org.slug}&year=2026`, { cookie: `${cookie}; ${await lngCookie("ar")}` });
    expect(statement.status).toBe(200);
    const html = await statement.text();
    expect(html).toContain("كشف التبرّعات لعام 2026");
    expect(html).toContain('id="print-document"');
    expect(html).toContain("Rania");
  });
});

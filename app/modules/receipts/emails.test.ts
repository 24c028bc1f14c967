import { describe, expect, it } from "vitest";
import { renderEmail } from "~/modules/notifications/render.server";
import type { EmailMessage } from "~/modules/notifications/messages";

const common = {
  name: "سميرة",
  number: "R-2026-000012",
  amount: "US$70.00",
  issuedOn: "3 Mar 2026",
  orgName: "جمعية النور",
  registrationNumber: "LB-REG-2291",
  pledgeReference: "TDM-0000-011",
  reissued: false,
  receiptUrl: "https://tadamon.test/receipts/0b1c7f8e-2f6a-4c1e-9d7b-1a2b3c4d5e6f?s=abc_DEF-123",
};

const receipt: EmailMessage = {
  template: "receipt",
  data: { ...common, valueDate: "2 Mar 2026", method: "bank_transfer", needTitle: "School fees", destination: "need", givenAs: "sadaqa", gift: "US$60.00", coverFee: null, surplus: "US$10.00" },
};
const creditNote: EmailMessage = { template: "credit-note", data: { ...common, number: "CN-2026-000003", amount: "US$20.00", receiptNumber: "R-2026-000012" } };

describe("receipt and credit-note emails", () => {
  it.each([receipt, creditNote])("renders $template in Arabic (rtl) and English (ltr) with its signed link", async (message) => {
    const ar = await renderEmail("ar", message);
    const en = await renderEmail("en", message);
    expect(ar.html).toMatch(/<html[^>]*dir="rtl"/);
    expect(en.html).toMatch(/<html[^>]*dir="ltr"/);
    expect(ar.subject).toMatch(/[\u0600-\u06ff]/);
    expect(ar.subject).not.toBe(en.subject);
    for (const email of [ar, en]) {
      expect(email.subject).toContain(message.data.number);
      expect(email.text).toContain(common.receiptUrl);
      expect(email.text).toContain("LB-REG-2291");
    }
  });

  it("the receipt names the need and the surplus's fund; the credit note the receipt it corrects", async () => {
    const en = await renderEmail("en", receipt);
    expect(en.text).toContain("for “School fees”");
    expect(en.text).toContain("You paid US$10.00 more than your pledge: this surplus went to the organisation’s unrestricted fund");
    expect(en.text).toContain("Bank transfer");
    const ar = await renderEmail("ar", receipt);
    expect(ar.text).toContain("الصندوق العام غير المقيَّد");
    const cn = await renderEmail("en", creditNote);
    expect(cn.text).toContain("This credit note corrects receipt R-2026-000012");
    const again = await renderEmail("en", { ...receipt, data: { ...receipt.data, reissued: true } } as EmailMessage);
    expect(again.text).toContain("same number");
  });

  it("says zakat or sadaqa, and a fund gift names the fund rather than a need", async () => {
    const sadaqa = await renderEmail("en", receipt);
    expect(sadaqa.text).toContain("Sadaqa (voluntary charity)");
    expect(sadaqa.text).not.toContain("Zakat");
    const zakat = { template: "receipt", data: { ...receipt.data, givenAs: "zakat", destination: "fund", needTitle: "Amal zakat fund", surplus: null, gift: null } } as EmailMessage;
    const en = await renderEmail("en", zakat);
    expect(en.text).toContain("Given as: Zakat");
    expect(en.text).toContain("for “Amal zakat fund”: it will go to the most urgent verified needs");
    const ar = await renderEmail("ar", zakat);
    expect(ar.text).toContain("نوع العطاء: زكاة");
  });
});

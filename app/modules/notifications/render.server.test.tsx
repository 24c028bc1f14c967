import { describe, expect, it } from "vitest";
import ar from "~/locales/ar/email.json";
import en from "~/locales/en/email.json";
import { renderEmail } from "./render.server";
import type { EmailMessage } from "./messages";

const messages: EmailMessage[] = [
  {
    template: "verify-email",
    data: { name: "Samira", verifyUrl: "https://tadamon.test/verify-email?token=v3r1fy&x=1", expiresInHours: 24 },
  },
  {
    template: "reset-password",
    data: { name: "Samira", resetUrl: "https://tadamon.test/reset-password?token=r3s3t", expiresInHours: 1 },
  },
  {
    template: "password-changed",
    data: { name: "Samira", forgotPasswordUrl: "https://tadamon.test/forgot-password" },
  },
  {
    template: "invite",
    data: {
      orgName: "جمعية النور",
      inviterName: "Huda",
      roleLabel: "مدقّق الحالات",
      inviteUrl: "https://tadamon.test/invites/1nv1t3",
      expiresInHours: 168,
    },
  },
  {
    template: "pledge-instructions",
    data: {
      name: "Samira",
      reference: "TDM-0000-011",
      amount: "$50.00",
      needTitle: "School fees",
      orgName: "جمعية النور",
      method: "bank_transfer",
      expiresOn: "30 Nov 2026",
      bank: { bankName: "Bank", accountName: "Al-Nour", accountNumber: "LB00 1234", swift: "BANKLBBX" },
      instructions: null,
      instructionsUrl: "https://tadamon.test/pledges/TDM-0000-011",
    },
  },
  {
    // A standing order's reminder: the button opens the month's page (how to pay).
    template: "monthly-gift",
    data: {
      event: "reminder",
      name: "Samira",
      amount: "$25.00",
      fundName: "Al-Nour solidarity fund",
      method: "offline",
      manageUrl: "https://tadamon.test/monthly/00000000-0000-4000-8000-000000000000?s=sig",
      reference: "TDM-0000-022",
      payBy: "30 Nov 2026",
      instructionsUrl: "https://tadamon.test/pledges/TDM-0000-022",
    },
  },
];

const linkOf = (m: EmailMessage) =>
  "verifyUrl" in m.data
    ? m.data.verifyUrl
    : "resetUrl" in m.data
      ? m.data.resetUrl
      : "inviteUrl" in m.data
        ? m.data.inviteUrl
        : "instructionsUrl" in m.data
          ? m.data.instructionsUrl!
          : "receiptUrl" in m.data
            ? m.data.receiptUrl
            : "forgotPasswordUrl" in m.data
              ? m.data.forgotPasswordUrl!
              : "";

function keysOf(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k)).sort();
}

describe("email templates", () => {
  it.each(messages)("renders $template in Arabic (rtl) and English (ltr) with its link", async (message) => {
    const arabic = await renderEmail("ar", message);
    const english = await renderEmail("en", message);

    expect(arabic.html).toMatch(/<html[^>]*dir="rtl"/);
    expect(arabic.html).toMatch(/<html[^>]*lang="ar"/);
    expect(english.html).toMatch(/<html[^>]*dir="ltr"/);
    expect(english.html).toMatch(/<html[^>]*lang="en"/);

    const href = linkOf(message).replace(/&/g, "&amp;");
    for (const email of [arabic, english]) {
      expect(email.html).toContain(`href="${href}"`);
      expect(email.text).toContain(linkOf(message));
      expect(email.html).toContain("تضامن");
      expect(email.html).toContain("Tadamon");
      expect(email.text).not.toMatch(/<[a-z]/i); // plain text really is plain
    }

    // Subjects are translated: Arabic letters in one, none in the other (except names).
    expect(arabic.subject).toMatch(/[\u0600-\u06ff]/);
    expect(arabic.subject).not.toBe(english.subject);
    expect(english.subject).toMatch(/Tadamon/);
  });

  it("uses the email namespace's words, e.g. the verification subject", async () => {
    const [verify] = messages;
    expect((await renderEmail("ar", verify)).subject).toBe(ar.verifyEmail.subject);
    expect((await renderEmail("en", verify)).subject).toBe(en.verifyEmail.subject);
    const invite = await renderEmail("en", messages[3]);
    expect(invite.subject).toBe("Invitation to join جمعية النور on Tadamon");
    expect(invite.text).toContain("Huda invited you to join the team of جمعية النور on Tadamon as مدقّق الحالات.");
  });

  it("words an invitation without an inviter's name", async () => {
    const email = await renderEmail("ar", {
      template: "invite",
      data: { orgName: "جمعية النور", inviterName: " ", roleLabel: "مدقّق الحالات", inviteUrl: "https://tadamon.test/invites/x" },
    });
    expect(email.text).toContain("تمت دعوتك للانضمام إلى فريق جمعية النور في منصة تضامن بصفة مدقّق الحالات.");
    expect(email.text).not.toContain("دعاك");
  });

  it("writes Arabic plurals and numbers for the link's lifetime", async () => {
    const oneHour = await renderEmail("ar", messages[1]);
    expect(oneHour.text).toContain("خلال ساعة واحدة");
    const en24 = await renderEmail("en", messages[0]);
    expect(en24.text).toContain("This link expires in 24 hours.");
  });

  it("escapes what people typed and keeps the subject on one line", async () => {
    const email = await renderEmail("en", {
      template: "invite",
      data: {
        orgName: "Evil <script>alert(1)</script>\r\nBcc: x@y.z",
        inviterName: "<b>Mallory</b>",
        roleLabel: "Verifier",
        inviteUrl: "https://tadamon.test/invites/abc",
      },
    });
    expect(email.html).not.toContain("<script>alert(1)");
    expect(email.html).not.toContain("<b>Mallory</b>");
    expect(email.html).toContain("&lt;b&gt;Mallory&lt;/b&gt;");
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it("renders long Arabic text without stray NUL bytes or broken letters", async () => {
    // React 18's stream pads its buffer with NUL where an Arabic letter does not fit; names of
    // every length move that boundary across the whole email.
    for (let n = 0; n < 40; n++) {
      const name = "سميرة".repeat(n % 8) + "ع".repeat(n);
      const email = await renderEmail("ar", {
        template: "verify-email",
        data: { name, verifyUrl: `https://tadamon.test/verify-email?token=${"a".repeat(n)}` },
      });
      for (const body of [email.html, email.text]) {
        expect(body).not.toContain("\0");
        expect(body).not.toContain("\ufffd");
        expect(body).toContain(ar.layout.footer);
        expect(body).toContain(ar.verifyEmail.body);
        expect(body).toContain(ar.greeting.replace("{{name}}", name));
      }
    }
  });

  it("has the same keys in Arabic and English", () => {
    expect(keysOf(ar)).toEqual(keysOf(en));
  });
});

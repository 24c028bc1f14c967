import { describe, expect, it } from "vitest";
import ar from "~/locales/ar/email.json";
import { renderEmail } from "~/modules/notifications/render.server";

const invite = (inviterName: string) => ({
  template: "invite" as const,
  data: { orgName: "جمعية النور", inviterName, roleLabel: "مدقّق الحالات", inviteUrl: "https://tadamon.test/invites/n3utr4l", expiresInHours: 72 },
});

/** A 3rd-person masculine past verb right before a person placeholder («دعاك {{inviterName}}») is wrong for a woman. */
const VERB_BEFORE_PERSON = /(^|[\s«(،.])(دعا|دعاك|أرسل|طلب|طلبه|طلبها|قرّر|قرر|قرّره|سجّل|سجّلها|رفع|رفعها|أقفل|أقفله|أضاف|حذف|وافق|رفض)\s+\{\{\s*(name|inviterName|by|actor|who)\s*\}\}/;

function strings(tree: unknown, out: string[] = []): string[] {
  if (typeof tree === "string") out.push(tree);
  else if (tree && typeof tree === "object") for (const v of Object.values(tree)) strings(v, out);
  return out;
}

describe("the invitation email in Arabic needs no gender agreement with the inviter", () => {
  it("reads «وصلتك دعوة من رنا», the same for a woman or a man", async () => {
    for (const name of ["رنا", "خالد"]) {
      const email = await renderEmail("ar", invite(name));
      expect(email.text).toContain(`وصلتك دعوة من ${name} للانضمام إلى فريق جمعية النور`);
      expect(email.html).toContain(`وصلتك دعوة من ${name}`);
      expect(email.text).not.toMatch(/دعاك|دعتك/);
    }
  });

  it("no Arabic string in the locale files puts a conjugated verb before a person's name", async () => {
    const locales = import.meta.glob("../app/locales/ar/*.json", { eager: true, import: "default" });
    const offenders = Object.entries(locales).flatMap(([file, tree]) =>
      strings(tree)
        .filter((s) => VERB_BEFORE_PERSON.test(s))
        .map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
    expect(strings(ar).some((s) => s.includes("وصلتك دعوة من {{inviterName}}"))).toBe(true);
  });
});

import { data, redirect } from "@remix-run/node";
import type { Db } from "#db/client.server";
import type { Member } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";
import { createNeed, listGovernorates, updateNeed } from "./needs.server";
import { todayIn } from "./money";
import { previewNeed, type PreviewContext } from "./preview";
import { needEditorSchema } from "./schemas";
import { intentOf, runNeedRule, type NeedReply } from "./route-helpers.server";

/** What both editor pages (new, edit) need from the server besides the need itself. */
export async function editorContext(db: Db, member: Member, extra: Partial<PreviewContext> = {}) {
  const { org } = member;
  const governorates = await listGovernorates(db, org.id);
  const today = todayIn(org.timeZone);
  const context: PreviewContext = {
    currency: org.defaultCurrency,
    org: { nameAr: org.nameAr, nameEn: org.nameEn, slug: org.slug },
    governorates,
    today,
    ...extra,
  };
  return { currency: org.defaultCurrency, today, context };
}

/**
 * The editor's action: "preview" answers the page with the card (nothing written); "save" parses,
 * then one domain call (create or update). A bad value is a 400 with localized messages.
 */
export async function editorAction(
  request: Request,
  db: Db,
  member: Member,
  target: { mode: "create"; householdId: string } | { mode: "edit"; needId: string; publicId: string },
) {
  const { currency, today, context } = await editorContext(db, member, target.mode === "edit" ? { publicId: target.publicId } : {});
  const { submission } = await parseForm(request, needEditorSchema({ currency, today }));
  const preview = previewNeed(submission.payload as Record<string, unknown>, context);
  if (intentOf(submission) === "preview") {
    const body: NeedReply = { intent: "preview", result: submission.reply(), preview };
    return data(body, { status: 200 });
  }
  if (submission.status !== "success") {
    const body: NeedReply = { intent: "save", result: submission.reply(), preview };
    return data(body, { status: 400 });
  }
  const { fields, items } = submission.value;
  const base = `/staff/${member.org.slug}/needs`;
  return runNeedRule(
    submission,
    async () => {
      if (target.mode === "create") {
        const need = await createNeed(db, {
          orgId: member.org.id,
          actor: member.actor,
          authorId: member.user.id,
          householdId: target.householdId,
          fields,
          items,
        });
        return redirect(`${base}/${need.id}?notice=created`);
      }
      await updateNeed(db, {
        orgId: member.org.id,
        actor: member.actor,
        userId: member.user.id,
        roles: member.roles,
        needId: target.needId,
        fields,
        items,
      });
      return redirect(`${base}/${target.needId}?notice=saved`);
    },
    () => ({ preview }),
  );
}

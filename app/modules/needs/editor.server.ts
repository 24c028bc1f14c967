import { data, redirect } from "@remix-run/node";
import type { Db } from "#db/client.server";
import type { GuardHit } from "~/modules/anonymization/guard";
import type { Member } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";
import { payeeOptionsForNeed } from "~/modules/payees/payees.server";
import { createNeed, guardHitsOf, keptConfirmations, listGovernorates, reidentificationOf, updateNeed } from "./needs.server";
import type { ReidentificationDecision } from "./k-anonymity";
import { blockingHits } from "~/modules/anonymization/guard";
import { todayIn } from "./money";
import { previewNeed, type PreviewContext } from "./preview";
import { AGE_BANDS, GENDERS, NEED_CATEGORIES, needEditorSchema } from "./schemas";
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

/** The payees the editor offers for a need of this household (the organisation's active ones and the household's own). */
export async function payeeChoices(db: Db, member: Member, householdId: string) {
  return payeeOptionsForNeed(db, member.org.id, householdId);
}

/** The guard's findings shown in the editor: the public fields as written, every hit, the confirmed occurrences. */
export interface EditorGuard {
  fields: Record<string, string | null>;
  hits: GuardHit[];
  confirmed: string[];
  /** Hits that would block submit (not confirmed). */
  blocking: number;
}

const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const oneOf = <T extends string>(values: readonly T[], v: unknown): T | null =>
  typeof v === "string" && (values as readonly string[]).includes(v) ? (v as T) : null;

/**
 * The public fields as the editor has them now (blank item lines dropped, as the save drops them,
 * so an item's field name is the same in the preview and once saved).
 */
export function payloadPublicFields(payload: Record<string, unknown>): Record<string, string | null> {
  const fields: Record<string, string | null> = {
    titleAr: str(payload.titleAr),
    titleEn: str(payload.titleEn),
    storyAr: str(payload.storyAr),
    storyEn: str(payload.storyEn),
  };
  if (payload.category !== "in_kind_item") return fields;
  const rows = (Array.isArray(payload.items) ? payload.items : []).filter(
    (row): row is Record<string, unknown> =>
      Boolean(row) && typeof row === "object" && Object.values(row as object).some((x) => x !== undefined && x !== ""),
  );
  rows.forEach((row, i) => {
    fields[`items[${i}].labelAr`] = str(row.labelAr);
    fields[`items[${i}].labelEn`] = str(row.labelEn);
  });
  return fields;
}

/**
 * The guard and the re-identification check over what the editor holds now (the preview, a
 * refused save). Values that do not parse yet are left out of the count.
 */
export async function editorChecks(
  db: Db,
  member: Member,
  householdId: string,
  payload: Record<string, unknown>,
  governorates: { id: string }[],
): Promise<{ guard: EditorGuard; reid: ReidentificationDecision | null }> {
  const regionId = str(payload.publicRegionId);
  const publicRegionId = governorates.some((g) => g.id === regionId) ? regionId : null;
  const fields = payloadPublicFields(payload);
  const hits = await guardHitsOf(db, member.org.id, householdId, fields, publicRegionId);
  const requested = Array.isArray(payload.confirm) ? payload.confirm : payload.confirm === undefined ? [] : [payload.confirm];
  const confirmed = keptConfirmations(hits, requested.filter((x): x is string => typeof x === "string"));
  const category = oneOf(NEED_CATEGORIES, payload.category);
  const reid = category
    ? await reidentificationOf(db, member.org.id, householdId, {
        category,
        publicRegionId,
        ageBand: oneOf(AGE_BANDS, payload.ageBand),
        gender: oneOf(GENDERS, payload.gender),
      })
    : null;
  return { guard: { fields, hits, confirmed, blocking: blockingHits(hits, confirmed).length }, reid };
}

/**
 * The editor's action. "preview" answers the page with the card, the guard's findings and the
 * re-identification warning (nothing written). "save" parses, then one domain call (create or
 * update) that runs the guard too: the draft is always kept; with findings left to fix, the
 * author lands in the editor again (it shows them), otherwise on the need's page. A bad value is
 * a 400 with localized messages (and the findings).
 */
export async function editorAction(
  request: Request,
  db: Db,
  member: Member,
  target: { mode: "create"; householdId: string } | { mode: "edit"; needId: string; publicId: string; householdId: string },
) {
  const { currency, today, context } = await editorContext(db, member, target.mode === "edit" ? { publicId: target.publicId } : {});
  const { submission } = await parseForm(request, needEditorSchema({ currency, today }));
  const payload = submission.payload as Record<string, unknown>;
  const checks = () => editorChecks(db, member, target.householdId, payload, context.governorates);
  if (intentOf(submission) === "preview" || submission.status !== "success") {
    const { guard, reid } = await checks();
    const preview = previewNeed(payload, { ...context, publicHides: reid?.hides ?? [] });
    const intent = intentOf(submission) === "preview" ? "preview" : "save";
    const body: NeedReply = { intent, result: submission.reply(), preview, guard, reid };
    return data(body, { status: intent === "preview" ? 200 : 400 });
  }
  const { fields, items, onlyLanguage, confirmations } = submission.value;
  const base = `/staff/${member.org.slug}/needs`;
  return runNeedRule(
    submission,
    async () => {
      const saved =
        target.mode === "create"
          ? await createNeed(db, {
              orgId: member.org.id,
              actor: member.actor,
              authorId: member.user.id,
              householdId: target.householdId,
              fields,
              items,
              onlyLanguage,
              confirmations,
            })
          : await updateNeed(db, {
              orgId: member.org.id,
              actor: member.actor,
              userId: member.user.id,
              roles: member.roles,
              needId: target.needId,
              fields,
              items,
              onlyLanguage,
              confirmations,
            });
      // Something to fix or confirm: back to the editor, which shows the findings of the saved draft.
      if (blockingHits(saved.guardHits, saved.guardConfirmations).length > 0) {
        return redirect(`${base}/${saved.id}/edit?notice=savedWithFindings`);
      }
      return redirect(`${base}/${saved.id}?notice=${target.mode === "create" ? "created" : "saved"}`);
    },
    async () => {
      const { guard, reid } = await checks();
      return { preview: previewNeed(payload, { ...context, publicHides: reid?.hides ?? [] }), guard, reid };
    },
  );
}

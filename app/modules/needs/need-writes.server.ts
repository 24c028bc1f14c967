/** Writing a need: create and update, with its payee, items and publication choices. */
import { eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { needs } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { searchTextOf } from "~/modules/marketplace/search-text.server";
import { findOrCreatePayeeForNeed, payeeForNeed } from "~/modules/payees/payees.server";
import { EDITABLE_STATES, mayEditContent } from "./lifecycle";
import { NeedError } from "./errors";
import type { NeedFields, NeedItemInput } from "./schemas";
import { householdOf, orgOf, checkKafalaConsent, checkPublicRegion, checkedTarget, guardHitsOf, publicFieldsOf, keptConfirmations, newPublicId, writeItems, lockNeed, type Role } from "./need-steps.server";

// ---------------------------------------------------------------- create and update

/**
 * The need's payee record (issue 10): the one the editor picked (of this organisation, active, of
 * the need's kind, for a household kind the need's own household), or the one found or created
 * from the kind and the typed name. The fields without `payeeId`, ready to store, and the payee's id.
 */
async function resolvePayee(tx: Tx, actor: Actor, orgId: string, householdId: string, fields: NeedFields) {
  const { payeeId: chosen, ...rest } = fields;
  const payee = chosen
    ? await payeeForNeed(tx, { orgId, payeeId: chosen, kind: fields.payeeKind, householdId })
    : await findOrCreatePayeeForNeed(tx, actor, {
        orgId,
        kind: fields.payeeKind,
        name: fields.payeeName,
        householdId: fields.payeeKind === "household" ? householdId : null,
      });
  return { fields: rest, payeeId: payee.id };
}

/** What the editor says about publishing besides the fields: one language only, and the author's guard confirmations. */
export interface PublicationChoices {
  onlyLanguage?: "ar" | "en" | null;
  confirmations?: readonly string[];
}

export async function createNeed(
  db: Db,
  input: {
    orgId: string;
    actor: Actor;
    authorId: string;
    householdId: string;
    fields: NeedFields;
    items: NeedItemInput[];
  } & PublicationChoices,
) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId);
    const org = await orgOf(tx, input.orgId);
    await checkPublicRegion(tx, input.orgId, input.fields.publicRegionId);
    const items = input.fields.category === "in_kind_item" ? input.items : [];
    const targetMinor = checkedTarget(input.fields, items, org.timeZone);
    checkKafalaConsent(input.fields, household);
    // The guard runs on every save: the draft is kept whatever it finds; confirmations only for current confirm-hits.
    const hits = await guardHitsOf(tx, input.orgId, household.id, publicFieldsOf(input.fields, items), input.fields.publicRegionId);
    const guardConfirmations = keptConfirmations(hits, input.confirmations ?? []);
    const payee = await resolvePayee(tx, input.actor, input.orgId, household.id, input.fields);
    const [need] = await tx
      .insert(needs)
      .values({
        ...payee.fields,
        payeeId: payee.payeeId,
        onlyLanguage: input.onlyLanguage ?? null,
        guardConfirmations,
        targetMinor,
        publicId: newPublicId(),
        searchText: await searchTextOf(tx, input.orgId, input.fields, items),
        orgId: input.orgId,
        householdId: household.id,
        currency: org.defaultCurrency,
        authorId: input.authorId,
      })
      .returning();
    await writeItems(tx, input.orgId, need.id, items);
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "need.create",
      entityType: "need",
      entityId: need.id,
      change: {
        householdId: household.id,
        category: need.category,
        targetMinor,
        currency: need.currency,
        items: items.length,
        payeeId: payee.payeeId,
        ...(need.onlyLanguage ? { onlyLanguage: need.onlyLanguage } : {}),
        ...(guardConfirmations.length > 0 ? { guardConfirmations } : {}),
      },
    });
    return Object.assign(need, { guardHits: hits });
  });
}

export async function updateNeed(
  db: Db,
  input: {
    orgId: string;
    actor: Actor;
    userId: string;
    roles: readonly Role[];
    needId: string;
    fields: NeedFields;
    items: NeedItemInput[];
  } & PublicationChoices,
) {
  return db.transaction(async (tx) => {
    const need = await lockNeed(tx, input.orgId, input.needId);
    if (!EDITABLE_STATES.includes(need.state)) throw new NeedError("not_editable");
    if (!mayEditContent(need.authorId, input.userId, input.roles)) throw new NeedError("not_author");
    await checkPublicRegion(tx, input.orgId, input.fields.publicRegionId);
    const items = input.fields.category === "in_kind_item" ? input.items : [];
    const targetMinor = checkedTarget(input.fields, items, (await orgOf(tx, input.orgId)).timeZone);
    checkKafalaConsent(input.fields, await householdOf(tx, input.orgId, need.householdId));
    const hits = await guardHitsOf(tx, input.orgId, need.householdId, publicFieldsOf(input.fields, items), input.fields.publicRegionId);
    const guardConfirmations = keptConfirmations(hits, input.confirmations ?? need.guardConfirmations);
    const payee = await resolvePayee(tx, input.actor, input.orgId, need.householdId, input.fields);
    const next = {
      ...payee.fields,
      payeeId: payee.payeeId,
      targetMinor,
      onlyLanguage: input.onlyLanguage === undefined ? need.onlyLanguage : input.onlyLanguage,
      sponsorshipMonths: input.fields.sponsorshipMonths === undefined ? need.sponsorshipMonths : input.fields.sponsorshipMonths,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => need[k] !== next[k]);
    const confirmed = guardConfirmations.filter((id) => !need.guardConfirmations.includes(id));
    const unconfirmed = need.guardConfirmations.filter((id) => !guardConfirmations.includes(id));
    const [updated] = await tx
      .update(needs)
      .set({ ...next, guardConfirmations, searchText: await searchTextOf(tx, input.orgId, input.fields, items), updatedAt: new Date() })
      .where(eq(needs.id, need.id))
      .returning();
    await writeItems(tx, input.orgId, need.id, items);
    // Field names only: payee details are private even in the audit view.
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "need.update",
      entityType: "need",
      entityId: need.id,
      change: {
        changed,
        items: items.length,
        // The author's "not the person's name" confirmations are part of the record (decision 055).
        ...(confirmed.length > 0 ? { guardConfirmed: confirmed } : {}),
        ...(unconfirmed.length > 0 ? { guardUnconfirmed: unconfirmed } : {}),
      },
    });
    return Object.assign(updated, { guardHits: hits });
  });
}

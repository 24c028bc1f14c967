import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { kickDonorCredits } from "~/utils/jobs.server";
import { Link } from "@remix-run/react";
import { forbidden, requireMember, type Member } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { needDisbursements } from "~/modules/disbursements/disbursements.server";
import { NeedDisbursements } from "~/components/disbursements";
import { parseForm, readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { resources } from "~/locales";
import { canSeeFinance, orgName } from "~/modules/organizations/roles";
import { noticeFrom, staffTitle } from "~/modules/organizations/route-helpers.server";
import { keepPublicDetails, languagesComplete, needReview, pendingDuplicateCount, privateStringsOf, publicFieldsOf, transitionNeed, type TransitionAction } from "~/modules/needs/needs.server";
import { toPublicNeed } from "~/modules/anonymization/public-need";
import { READ_ROLES } from "~/modules/registry/access";
import { availableActions, canEditNeed } from "~/modules/needs/lifecycle";
import { KeepDetailsSchema, TransitionSchema } from "~/modules/needs/schemas";
import { intentOf, runNeedRule, staffNeedOr404, type NeedReply } from "~/modules/needs/route-helpers.server";
import { listNeedDocuments } from "~/modules/registry/documents.server";
import { PledgeError } from "~/modules/pledging/errors";
import { decideOffer } from "~/modules/pledging/pledges.server";
import { findOrgPledge, listNeedPledges } from "~/modules/pledging/staff.server";
import { OfferDecisionSchema, canDecideOffers } from "~/modules/pledging/staff";
import { FormMessage, Notice } from "~/components/forms";
import { CARD_STRING_KEYS } from "~/components/need-card";
import { GuardHits } from "~/components/guard-hits";
import { PageTitle, linkClass } from "~/components/staff";
import { useNeedPage } from "~/components/needs/need-page-context";
import { NeedActionsSection, NeedFactsSections, NeedPublicCardSection, NeedReidSection } from "~/components/needs/need-review";
import { NeedDocumentsSection, NeedHistorySection, NeedPledgesSection } from "~/components/needs/need-records";

const NOTICES = ["created", "saved", "submit", "return", "verify", "publish", "reject", "cancel", "notEditable", "keepDetails"] as const;
/** States in which the verifier compares the public card with the household's private facts. */
const REVIEW_STATES = ["submitted", "verified"] as const;
/** States before the re-identification outcome is final: the card shows the current count's outcome. */
const COUNTING_STATES = ["draft", "returned", "submitted"] as const;
/** Notices of the pledges section (strings in the staff namespace). */
const PLEDGE_NOTICES = ["offerReceived", "offerReceivedFunded", "offerDeclined"] as const;


export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  const found = await staffNeedOr404(member.org.id, params.needId);
  const db = await getDb();
  const { need } = found;
  const [documents, duplicates, locale, pledges] = await Promise.all([
    listNeedDocuments(db, member.org.id, need.id),
    pendingDuplicateCount(db, member.org.id, need.householdId),
    getLocale(request),
    listNeedPledges(db, member.org.id, need.id),
  ]);
  // The guard and the re-identification check as they stand now (authors see their warnings,
  // verifiers what the public will see in both languages, next to the household's private facts).
  const review = await needReview(db, member.org.id, need, found.items);
  const reviewing = (REVIEW_STATES as readonly string[]).includes(need.state) && member.roles.some((r) => READ_ROLES.includes(r));
  const privateFacts = reviewing ? await privateStringsOf(db, member.org.id, need.householdId) : null;
  const hides = (COUNTING_STATES as readonly string[]).includes(need.state) ? review.reid.hides : need.publicHides;
  const publicNeed = toPublicNeed({ ...need, publicHides: hides }, found.items, member.org, found.governorate);
  const otherLocale: "ar" | "en" = locale === "ar" ? "en" : "ar";
  const otherNeeds = resources[otherLocale].needs as Record<string, unknown>;
  const otherCardStrings = Object.fromEntries(CARD_STRING_KEYS.map((k) => [k, otherNeeds[k]]));
  const roles = member.roles;
  return {
    title: await staffTitle(request, "needs:page.title", orgName(member.org, locale)),
    org: { slug: member.org.slug, timeZone: member.org.timeZone, publishOnVerify: member.org.publishOnVerify },
    need: {
      id: need.id,
      publicId: need.publicId,
      state: need.state,
      category: need.category,
      targetMinor: need.targetMinor,
      currency: need.currency,
      deadline: need.deadline,
      urgency: need.urgency,
      payeeKind: need.payeeKind,
      payeeName: need.payeeName,
      payeeDetails: need.payeeDetails,
      payee: found.payeeRecordId ? { id: found.payeeRecordId, name: found.payeeRecordName ?? "" } : null,
      householdId: need.householdId,
      lastReason: need.lastReason,
      createdAt: need.createdAt,
      submittedAt: need.submittedAt,
      verifiedAt: need.verifiedAt,
      publishedAt: need.publishedAt,
      onlyLanguage: need.onlyLanguage,
      ageBand: need.ageBand,
      gender: need.gender,
      keptDetails: need.keptDetails,
      keptReason: need.keptReason,
    },
    guard: { fields: review.fields, hits: review.hits, confirmed: review.confirmed, blocking: review.blocking.length },
    reid: review.reid,
    languagesComplete: languagesComplete(need),
    privateFacts,
    otherLocale,
    otherCardStrings,
    canKeepDetails:
      roles.includes("verifier") && need.authorId !== member.user.id && ["submitted", "verified", "published"].includes(need.state),
    householdReference: found.householdReference,
    consentPublish: found.consentPublish,
    authorName: found.authorName,
    verifierName: found.verifierName,
    isAuthor: need.authorId === member.user.id,
    items: found.items,
    transitions: found.transitions,
    publicNeed,
    documents,
    duplicates,
    actions: availableActions(need.state, member.user.id, member.roles, need.authorId),
    canEdit: canEditNeed(need.state, need.authorId, member.user.id, member.roles),
    notice: noticeFrom(new URL(request.url), NOTICES),
    pledges: pledges.pledges,
    pledgeTotal: pledges.total,
    canDecideOffers: canDecideOffers(member.roles),
    canSeeFinance: canSeeFinance(member.roles),
    pledgeNotice: noticeFrom(new URL(request.url), PLEDGE_NOTICES),
    disbursements: await needDisbursements(db, member.org.id, need.id),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  const found = await staffNeedOr404(member.org.id, params.needId);
  const intent = (await readForm(request)).get("intent");
  if (intent === "decideOffer") return offerAction(request, member, found.need.id);
  if (intent === "keepDetails") return keepAction(request, member, found.need.id);
  const { submission } = await parseForm(request, TransitionSchema);
  if (submission.status !== "success") {
    const body: NeedReply = { intent: intentOf(submission), result: submission.reply() };
    return data(body, { status: 400 });
  }
  const action = submission.value.intent as TransitionAction;
  return runNeedRule(
    submission,
    async () => {
      await transitionNeed(await getDb(), member.actor, {
        orgId: member.org.id,
        needId: found.need.id,
        action,
        reason: submission.value.reason,
      });
      // A cancelled need's donors are offered credit at once (the hourly sweep would, later).
      if (action === "cancel") kickDonorCredits();
      return redirect(`/staff/${member.org.slug}/needs/${found.need.id}?notice=${action}`);
    },
    (error) => (error.code === "guard" ? { fields: publicFieldsOf(found.need, found.items) } : {}),
  );
}

/**
 * The verifier keeps public details the re-identification check would drop (decision 055), with
 * a reason; the rule (verifier, not the author, state) lives in the domain and is audited there.
 */
async function keepAction(request: Request, member: Member, needId: string) {
  const { submission } = await parseForm(request, KeepDetailsSchema);
  if (submission.status !== "success") {
    const body: NeedReply = { intent: "keepDetails", result: submission.reply() };
    return data(body, { status: 400 });
  }
  return runNeedRule(submission, async () => {
    await keepPublicDetails(await getDb(), member.actor, {
      orgId: member.org.id,
      needId,
      keep: submission.value.keep ?? [],
      reason: submission.value.reason,
    });
    return redirect(`/staff/${member.org.slug}/needs/${needId}?notice=keepDetails#need-reid`);
  });
}

/**
 * An in-kind delivery offer of this need is received or declined (decideOffer). Caseworkers,
 * finance and org admins only (403 for anyone else); a pledge of another need or organisation is
 * answered 404. A refusal comes back as the form's message; nothing changes.
 */
async function offerAction(request: Request, member: Member, needId: string) {
  if (!canDecideOffers(member.roles)) forbidden();
  const { submission } = await parseForm(request, OfferDecisionSchema);
  const reply = (status: number, messageKey: string) => {
    const body: NeedReply = { intent: "decideOffer", result: submission.reply({ formErrors: [messageKey] }) };
    return data(body, { status });
  };
  if (submission.status !== "success") {
    const pledgeIdBad = Boolean(submission.error?.pledgeId?.length);
    return pledgeIdBad ? reply(404, "staff:pledges.errors.notFound") : reply(400, "errors:invalidChoice");
  }
  const db = await getDb();
  const pledge = await findOrgPledge(db, member.org.id, submission.value.pledgeId);
  if (!pledge || pledge.needId !== needId) return reply(404, "staff:pledges.errors.notFound");
  try {
    const { funded } = await decideOffer(db, member.actor, pledge.id, submission.value.decision);
    const notice = submission.value.decision === "declined" ? "offerDeclined" : funded ? "offerReceivedFunded" : "offerReceived";
    return redirect(`/staff/${member.org.slug}/needs/${needId}?notice=${notice}#need-pledges`);
  } catch (error) {
    if (error instanceof PledgeError) {
      const key = error.code === "not_allowed" ? "staff:pledges.errors.notAllowed" : error.code === "pledge_not_found" ? "staff:pledges.errors.notFound" : "staff:pledges.errors.invalidState";
      return reply(error.status, key);
    }
    throw error;
  }
}

/** The page's frame; its sections are in app/components. `t` comes from the page's hook. @i18n-namespace needs */
export default function NeedPage() {
  const { d, reply, t, ts, need, org, base } = useNeedPage();

  return (
    <div className="space-y-6">
      <PageTitle title={t("page.heading", { id: need.publicId })}>
        <p>
          <span className="rounded bg-brand-50 px-2 py-1 font-bold text-brand-800" data-testid="need-state">
            {t(`states.${need.state}`)}
          </span>{" "}
          <Link to={`${base}/needs/${need.id}/updates`} className={linkClass} data-testid="need-updates-link">
            {t("updates.link")}
          </Link>
        </p>
      </PageTitle>

      {d.notice && !reply && <Notice tone="success">{t(`page.notice.${d.notice}`)}</Notice>}
      {reply?.hits && reply.hits.length > 0 && reply.fields && (
        <div className="space-y-2">
          <GuardHits fields={reply.fields} hits={reply.hits} confirmed={d.guard.confirmed} />
          {d.canEdit && (
            <p>
              <Link to={`${base}/needs/${need.id}/edit`} className={linkClass} data-testid="guard-edit">
                {t("page.fixInEditor")}
              </Link>
            </p>
          )}
        </div>
      )}
      {d.pledgeNotice && !reply && <Notice tone="success">{ts(`needPledges.notice.${d.pledgeNotice}`)}</Notice>}
      {reply && reply.intent !== "decideOffer" && reply.intent !== "keepDetails" && !reply.hits?.length && reply.result.error?.[""] && (
        <FormMessage id="need-action-error" errors={reply.result.error[""]} />
      )}
      {d.duplicates > 0 && (
        <Notice tone="warning">
          <span data-testid="duplicate-warning">{t("page.duplicates", { count: d.duplicates })}</span>{" "}
          <Link to={`${base}/households/${need.householdId}`} className={linkClass}>
            {t("page.openHousehold")}
          </Link>
        </Notice>
      )}
      {need.state === "returned" && need.lastReason && (
        <Notice tone="warning">
          <strong>{t("page.returnedBecause")}</strong> {need.lastReason}
        </Notice>
      )}
      {!d.consentPublish && <Notice tone="warning">{t("page.noConsent")}</Notice>}

      <NeedActionsSection />
      <NeedFactsSections />
      <NeedPublicCardSection />
      <NeedReidSection />

      {d.disbursements.length > 0 && <NeedDisbursements rows={d.disbursements} orgSlug={org.slug} linkToFinance={d.canSeeFinance} timeZone={org.timeZone} />}

      <NeedPledgesSection />
      <NeedDocumentsSection />
      <NeedHistorySection />
    </div>
  );
}

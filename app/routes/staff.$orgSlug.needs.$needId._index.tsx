import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { forbidden, requireMember, type Member } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { needDisbursements } from "~/modules/disbursements/disbursements.server";
import { NeedDisbursements } from "~/components/disbursements";
import { parseForm, readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { resources } from "~/locales";
import { canSeeFinance, orgName } from "~/modules/organizations/roles";
import { noticeFrom, staffTitle } from "~/modules/organizations/route-helpers.server";
import { OrgNotFoundError } from "~/modules/organizations/errors";
import {
  getNeedForStaff,
  keepPublicDetails,
  languagesComplete,
  needReview,
  pendingDuplicateCount,
  privateStringsOf,
  publicFieldsOf,
  transitionNeed,
  type TransitionAction,
} from "~/modules/needs/needs.server";
import { toPublicNeed } from "~/modules/anonymization/public-need";
import type { ReidentificationDecision } from "~/modules/needs/k-anonymity";
import { READ_ROLES } from "~/modules/registry/access";
import { TRANSITIONS, availableActions, canEditNeed } from "~/modules/needs/lifecycle";
import { KeepDetailsSchema, TransitionSchema } from "~/modules/needs/schemas";
import { intentOf, runNeedRule, type NeedReply } from "~/modules/needs/route-helpers.server";
import { listNeedDocuments } from "~/modules/registry/documents.server";
import type { GuardHit } from "~/modules/anonymization/guard";
import { PledgeError } from "~/modules/pledging/errors";
import { decideOffer } from "~/modules/pledging/pledges.server";
import { findOrgPledge, listNeedPledges } from "~/modules/pledging/staff.server";
import { OfferDecisionSchema, canDecideOffers } from "~/modules/pledging/staff";
import { ErrorList, FormMessage, Notice } from "~/components/forms";
import { CARD_STRING_KEYS, NeedCard, useCardT } from "~/components/need-card";
import { ReidentificationWarning } from "~/components/need-editor";
import { GuardHits } from "~/components/guard-hits";
import { NeedPledgesTable } from "~/components/pledges-staff";
import {
  PageTitle,
  Section,
  buttonClass,
  dangerButtonClass,
  inputClass,
  linkClass,
  secondaryButtonClass,
  tableClass,
  tdClass,
  thClass,
  useLocale,
} from "~/components/staff";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "~/utils/format";

const NOTICES = ["created", "saved", "submit", "return", "verify", "publish", "reject", "cancel", "notEditable", "keepDetails"] as const;
/** States in which the verifier compares the public card with the household's private facts. */
const REVIEW_STATES = ["submitted", "verified"] as const;
/** States before the re-identification outcome is final: the card shows the current count's outcome. */
const COUNTING_STATES = ["draft", "returned", "submitted"] as const;
/** Notices of the pledges section (strings in the staff namespace). */
const PLEDGE_NOTICES = ["offerReceived", "offerReceivedFunded", "offerDeclined"] as const;

async function needOr404(orgId: string, needId: string | undefined) {
  try {
    return await getNeedForStaff(await getDb(), orgId, needId ?? "");
  } catch (error) {
    if (error instanceof OrgNotFoundError) throw new Response("Not Found", { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  const found = await needOr404(member.org.id, params.needId);
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
  const found = await needOr404(member.org.id, params.needId);
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

type Reply = (NeedReply & { fields?: Record<string, string | null>; hits?: GuardHit[] }) | undefined;

const REASONED = ["return", "reject", "cancel"] as const;

export default function NeedPage() {
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  const { t } = useTranslation("needs");
  const { t: ts } = useTranslation("staff");
  const locale = useLocale();
  const { need, org } = d;
  const base = `/staff/${org.slug}`;
  const simple = d.actions.filter((a) => !TRANSITIONS[a].reasonRequired);
  const reasoned = d.actions.filter((a) => TRANSITIONS[a].reasonRequired);
  const replyFor = (a: string) => (reply?.intent === a ? reply : undefined);
  const otherT = useCardT(d.otherLocale, d.otherCardStrings);
  const keepErrors = replyFor("keepDetails")?.result.error?.reason ?? undefined;

  return (
    <div className="space-y-6">
      <PageTitle title={t("page.heading", { id: need.publicId })}>
        <p>
          <span className="rounded bg-brand-50 px-2 py-1 font-bold text-brand-800" data-testid="need-state">
            {t(`states.${need.state}`)}
          </span>
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

      <Section id="need-actions" title={t("page.actions")}>
        {d.actions.length === 0 && !d.canEdit ? (
          <p>{d.isAuthor && need.state === "submitted" ? t("page.waitingForVerifier") : t("page.noActions")}</p>
        ) : (
          <div className="space-y-4">
            <div className="flex flex-wrap gap-3">
              {d.canEdit && (
                <Link to={`${base}/needs/${need.id}/edit`} className={secondaryButtonClass} data-testid="need-edit">
                  {t("page.edit")}
                </Link>
              )}
              {simple.map((a) => (
                <Form method="post" key={a}>
                  <input type="hidden" name="intent" value={a} />
                  <button type="submit" className={buttonClass} data-testid={`need-action-${a}`}>
                    {a === "verify" && org.publishOnVerify ? t("actions.verifyAndPublish") : t(`actions.${a}`)}
                  </button>
                </Form>
              ))}
            </div>
            {d.isAuthor && need.state === "submitted" && <p className="text-sm">{t("page.waitingForVerifier")}</p>}
            {REASONED.filter((a) => reasoned.includes(a)).map((a) => {
              const r = replyFor(a);
              const errors = r?.result.error?.reason ?? undefined;
              return (
                <details key={a} open={Boolean(r)} className="rounded border border-stone-200 p-3">
                  <summary className="cursor-pointer font-bold">{t(`actions.${a}`)}</summary>
                  <Form method="post" className="mt-3 space-y-2" id={`need-${a}-form`}>
                    <input type="hidden" name="intent" value={a} />
                    <label htmlFor={`need-${a}-reason`} className="block font-bold">
                      {t("page.reason")}
                    </label>
                    <textarea
                      id={`need-${a}-reason`}
                      name="reason"
                      required
                      rows={3}
                      maxLength={1000}
                      aria-invalid={errors?.length ? true : undefined}
                      aria-describedby={errors?.length ? `need-${a}-reason-error` : undefined}
                      className={inputClass}
                    />
                    <ErrorList id={`need-${a}-reason-error`} errors={errors} />
                    <button type="submit" className={a === "return" ? secondaryButtonClass : dangerButtonClass} data-testid={`need-action-${a}`}>
                      {t(`actions.${a}`)}
                    </button>
                  </Form>
                </details>
              );
            })}
          </div>
        )}
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section id="need-details" title={t("page.details")}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="font-bold">{t("fields.category")}</dt>
            <dd>{t(`categories.${need.category}`)}</dd>
            <dt className="font-bold">{t("card.target")}</dt>
            <dd className="tabular-nums">{formatMoney(need.targetMinor, need.currency, locale)}</dd>
            <dt className="font-bold">{t("fields.deadline")}</dt>
            <dd>{formatDate(`${need.deadline}T12:00:00Z`, locale)}</dd>
            <dt className="font-bold">{t("fields.urgency")}</dt>
            <dd>{t(`urgency.${need.urgency}`)}</dd>
            <dt className="font-bold">{t("page.household")}</dt>
            <dd>
              <Link to={`${base}/households/${need.householdId}`} className={linkClass}>
                {d.householdReference}
              </Link>
            </dd>
            <dt className="font-bold">{t("page.author")}</dt>
            <dd>{d.authorName}</dd>
            {d.verifierName && need.verifiedAt && (
              <>
                <dt className="font-bold">{t("states.verified")}</dt>
                <dd>{t("page.verifiedBy", { date: formatDate(need.verifiedAt, locale, org.timeZone), name: d.verifierName })}</dd>
              </>
            )}
          </dl>
          <h3 className="mt-5 font-bold">{t("page.payeePrivate")}</h3>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" data-testid="need-payee">
            <dt className="font-bold">{t("fields.payeeKind")}</dt>
            <dd>{t(`payeeKinds.${need.payeeKind}`)}</dd>
            <dt className="font-bold">{t("payees:editor.payee")}</dt>
            <dd data-testid="need-payee-record">
              {need.payee && d.canSeeFinance ? (
                <Link to={`/finance/${org.slug}/payees/${need.payee.id}`} className={linkClass}>
                  {need.payee.name}
                </Link>
              ) : (
                (need.payee?.name ?? "—")
              )}
            </dd>
            <dt className="font-bold">{t("fields.payeeName")}</dt>
            <dd>{need.payeeName ?? "—"}</dd>
            <dt className="font-bold">{t("fields.payeeDetails")}</dt>
            <dd className="whitespace-pre-line">{need.payeeDetails ?? "—"}</dd>
          </dl>
          {d.items.length > 0 && (
            <table className={`${tableClass} mt-5`}>
              <caption className="text-start font-bold">{t("editor.items")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("fields.itemLabel")}</th>
                  <th scope="col" className={thClass}>{t("fields.quantity")}</th>
                  <th scope="col" className={thClass}>{t("fields.unitCostShort")}</th>
                  <th scope="col" className={thClass}>{t("page.lineTotal")}</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((item) => (
                  <tr key={item.id}>
                    <td className={tdClass}>{[item.labelAr, item.labelEn].filter(Boolean).join(" / ")}</td>
                    <td className={tdClass}>{formatNumber(item.quantity, locale)}</td>
                    <td className={tdClass}>{formatMoney(item.unitCostMinor, need.currency, locale)}</td>
                    <td className={tdClass}>{formatMoney(item.unitCostMinor * item.quantity, need.currency, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>

        {d.privateFacts ? (
          <Section id="need-private-facts" title={t("review.privateTitle")} description={t("review.privateHelp")}>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" data-testid="need-private-facts">
              {(
                [
                  ["names", d.privateFacts.names],
                  ["phones", d.privateFacts.phones],
                  ["idNumbers", d.privateFacts.idNumbers],
                  ["addresses", d.privateFacts.addresses],
                ] as const
              ).map(([key, values]) => (
                <Fragment key={key}>
                  <dt className="font-bold">{t(`review.facts.${key}`)}</dt>
                  <dd>
                    {values.length === 0 ? (
                      "—"
                    ) : (
                      <ul>
                        {values.map((v, i) => (
                          <li key={i} dir="auto">
                            {v}
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                </Fragment>
              ))}
            </dl>
          </Section>
        ) : (
          <Section id="need-checks" title={t("review.checksTitle")}>
            {d.guard.hits.length === 0 ? <p data-testid="guard-clean">{t("guard.clean")}</p> : <p>{t("review.seeBelow")}</p>}
          </Section>
        )}
      </div>

      <Section id="need-public-card" title={t("review.cardsTitle")} description={t("review.cardsHelp")}>
        {!d.languagesComplete && (
          <Notice tone="warning">
            <span data-testid="language-missing">{t("review.languageMissing")}</span>
          </Notice>
        )}
        {need.onlyLanguage && <p className="mb-3 text-sm font-bold">{t("review.onlyLanguage", { language: t(`editor.onlyLanguageOption.${need.onlyLanguage}`) })}</p>}
        <div className="grid gap-4 lg:grid-cols-2" data-testid="need-cards-both">
          {(["ar", "en"] as const).map((lng) => (
            <div key={lng} data-testid={`need-card-${lng}`}>
              <h3 className="mb-2 font-bold">{t(`review.cardIn.${lng}`)}</h3>
              <NeedCard
                need={d.publicNeed}
                locale={lng}
                t={lng === locale ? undefined : otherT}
                strict
                hits={d.guard.hits}
                confirmed={d.guard.confirmed}
              />
            </div>
          ))}
        </div>
        {d.guard.hits.length > 0 && (
          <div className="mt-4">
            <GuardHits fields={d.guard.fields} hits={d.guard.hits} confirmed={d.guard.confirmed} mode="findings" />
          </div>
        )}
      </Section>

      <Section id="need-reid" title={t("reid.title")} description={t("reid.help", { k: d.reid.k })}>
        {d.reid.warn ? <ReidentificationWarning reid={d.reid as ReidentificationDecision} /> : <p data-testid="reid-ok">{t("reid.ok", { count: d.reid.shared, k: d.reid.k })}</p>}
        {need.keptDetails.length > 0 && (
          <p className="mt-2 text-sm" data-testid="reid-kept">
            {t("reid.keptLine", {
              details: need.keptDetails.map((k) => t(`reid.details.${k}`)).join(t("card.separator")),
              reason: need.keptReason ?? "",
            })}
          </p>
        )}
        {d.canKeepDetails && (d.reid.warn || need.keptDetails.length > 0) && (need.ageBand || need.gender) && (
          <Form method="post" className="mt-3 space-y-2 rounded border border-stone-200 p-3" id="need-keep-form">
            <input type="hidden" name="intent" value="keepDetails" />
            <fieldset>
              <legend className="font-bold">{t("reid.keepLegend")}</legend>
              {(
                [
                  ["age_band", need.ageBand],
                  ["gender", need.gender],
                ] as const
              )
                .filter(([, value]) => value)
                .map(([detail]) => (
                  <label key={detail} className="mt-1 flex items-center gap-2">
                    <input type="checkbox" name="keep" value={detail} defaultChecked={need.keptDetails.includes(detail)} className="h-5 w-5" />
                    {t(`reid.keep.${detail}`)}
                  </label>
                ))}
            </fieldset>
            <label htmlFor="need-keep-reason" className="block font-bold">
              {t("reid.keepReason")}
            </label>
            <textarea
              id="need-keep-reason"
              name="reason"
              rows={2}
              maxLength={1000}
              defaultValue={need.keptReason ?? ""}
              aria-invalid={keepErrors?.length ? true : undefined}
              aria-describedby={keepErrors?.length ? "need-keep-reason-error" : undefined}
              className={inputClass}
            />
            <ErrorList id="need-keep-reason-error" errors={keepErrors} />
            <FormMessage id="need-keep-error" errors={replyFor("keepDetails")?.result.error?.[""] ?? undefined} />
            <button type="submit" className={secondaryButtonClass} data-testid="need-keep-details">
              {t("reid.keepButton")}
            </button>
          </Form>
        )}
      </Section>

      {d.disbursements.length > 0 && <NeedDisbursements rows={d.disbursements} orgSlug={org.slug} linkToFinance={d.canSeeFinance} timeZone={org.timeZone} />}

      {d.pledges.length > 0 && (
        <Section id="need-pledges" title={ts("needPledges.title")} description={ts("needPledges.intro")}>
          <NeedPledgesTable
            rows={d.pledges}
            total={d.pledgeTotal}
            timeZone={org.timeZone}
            canDecide={d.canDecideOffers}
            financeHref={d.canSeeFinance ? `/finance/${org.slug}/pledges` : null}
            error={reply?.intent === "decideOffer" ? reply.result.error?.[""] : null}
          />
        </Section>
      )}

      <Section id="need-documents" title={t("page.documents")}>
        {d.documents.length === 0 ? (
          <p>
            {t("page.noDocuments")}{" "}
            <Link to={`${base}/households/${need.householdId}`} className={linkClass}>
              {t("page.openHousehold")}
            </Link>
          </p>
        ) : (
          <ul className="space-y-1" data-testid="need-documents">
            {d.documents.map((doc) => (
              <li key={doc.id}>
                <a href={`${base}/documents/${doc.id}`} className={linkClass}>
                  {doc.fileName}
                </a>{" "}
                <span className="text-sm text-stone-700">
                  {t("page.documentMeta", { by: doc.uploadedByName, date: formatDate(doc.createdAt, locale, org.timeZone) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="need-history" title={t("page.history")}>
        {d.transitions.length === 0 ? (
          <p>{t("page.noHistory", { date: formatDateTime(need.createdAt, locale, org.timeZone) })}</p>
        ) : (
          <ol className="space-y-2" data-testid="need-history">
            {d.transitions.map((tr) => (
              <li key={tr.id} className="border-b border-stone-200 pb-2 text-sm">
                <span className="font-bold">{t(`actions.${tr.action}`)}</span>{" "}
                {tr.actorId
                  ? t("page.historyLine", {
                      from: t(`states.${tr.fromState}`),
                      to: t(`states.${tr.toState}`),
                      name: tr.actorName,
                      date: formatDateTime(tr.createdAt, locale, org.timeZone),
                    })
                  : t("page.historyLineSystem", {
                      from: t(`states.${tr.fromState}`),
                      to: t(`states.${tr.toState}`),
                      date: formatDateTime(tr.createdAt, locale, org.timeZone),
                    })}
                {tr.reason && <p className="mt-1 whitespace-pre-line text-stone-800">{t("page.reasonLine", { reason: tr.reason })}</p>}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </div>
  );
}

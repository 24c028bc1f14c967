import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { listRegions } from "~/modules/organizations/regions.server";
import { orgName } from "~/modules/organizations/roles";
import { formMeta, invalid, noticeFrom, runRule, staffTitle, type FormReply } from "~/modules/organizations/route-helpers.server";
import {
  addIdentifier,
  changeStatus,
  getHousehold,
  recordConsent,
  removeIdentifier,
  type HouseholdEventView,
} from "~/modules/registry/households.server";
import { decideDuplicate, listDuplicateWarnings } from "~/modules/registry/duplicates.server";
import { createReferral, listReferrals, updateReferralStatus } from "~/modules/registry/referrals.server";
import { REFERRAL_TRANSITIONS } from "~/modules/registry/referrals";
import { READ_ROLES, WRITE_ROLES, canWriteHouseholds, householdIdParam, notFoundAs404 } from "~/modules/registry/access";
import { IDENTIFIER_KINDS } from "~/modules/registry/identifiers";
import {
  DUPLICATE_DECISIONS,
  HOUSEHOLD_STATUSES,
  REFERRAL_PROGRAMMES,
  householdActionSchemaFor,
} from "~/modules/registry/schemas";
import { listDocuments } from "~/modules/registry/documents.server";
import { listHouseholdNeeds } from "~/modules/needs/needs.server";
import { DocumentsPanel } from "~/components/documents-panel";
import { HouseholdNeedsPanel } from "~/components/household-needs";
import { ErrorList, Notice } from "~/components/forms";
import { PlainField, PlainSelect, StatusBadge, regionPaths } from "~/components/registry";
import { errorsAt, formErrors, stringAt, type ReplyResult } from "~/components/form-reply";
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
import { formatDate, formatDateTime } from "~/utils/format";

const NOTICES = [
  "created",
  "createdDuplicates",
  "statusChanged",
  "consentRecorded",
  "identifierAdded",
  "identifierAddedDuplicates",
  "identifierRemoved",
  "duplicateDecided",
  "referralCreated",
  "referralUpdated",
] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, READ_ROLES);
  const db = await getDb();
  const orgId = member.org.id;
  const householdId = householdIdParam(params.householdId);
  const view = await getHousehold(db, orgId, householdId).catch(notFoundAs404);
  const [warnings, referrals, documents, needs, regionRows, locale] = await Promise.all([
    listDuplicateWarnings(db, orgId, householdId),
    listReferrals(db, orgId, householdId),
    listDocuments(db, orgId, householdId),
    listHouseholdNeeds(db, orgId, householdId),
    listRegions(db, orgId),
    getLocale(request),
  ]);
  const canWrite = canWriteHouseholds(member.roles);
  return {
    title: await staffTitle(request, "registry:household.title", `${view.household.reference} · ${orgName(member.org, locale)}`),
    org: { slug: member.org.slug, timeZone: member.org.timeZone },
    canWrite,
    // The household's money account (reports module): finance, admins and caseworkers.
    canSeeAccount: member.roles.some((r) => r === "finance" || r === "org_admin" || r === "caseworker"),
    household: {
      id: view.household.id,
      reference: view.household.reference,
      status: view.household.status,
      regionId: view.household.regionId,
      address: view.household.address,
      vulnerabilityTags: view.household.vulnerabilityTags,
      consentGivenOn: view.household.consentGivenOn,
      consentPublish: view.household.consentPublish,
      consentSharePartners: view.household.consentSharePartners,
      createdAt: view.household.createdAt,
    },
    members: view.members,
    identifiers: view.identifiers,
    events: view.events,
    consentRecordedByName: view.consentRecordedByName,
    warnings,
    referrals,
    documents,
    needs,
    regionRows,
    today: new Date().toISOString().slice(0, 10),
    notice: noticeFrom(new URL(request.url), NOTICES),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, WRITE_ROLES);
  householdIdParam(params.householdId);
  const formData = await readForm(request);
  const schema = householdActionSchemaFor(formData.get("intent"), member.org.country);
  if (!schema) throw new Response("Bad Request", { status: 400 });
  const submission = parseWithZod(formData, { schema });
  const meta = formMeta(submission, ["matchId", "referralId", "identifierId"]);
  if (submission.status !== "success") return invalid(submission, meta);
  const db = await getDb();
  const householdId = householdIdParam(params.householdId);
  const here = `/staff/${member.org.slug}/households/${householdId}`;
  const base = { orgId: member.org.id, actor: member.actor, householdId };
  const value = submission.value;

  return runRule(submission, meta, async () => {
    switch (value.intent) {
      case "status":
        await changeStatus(db, { ...base, status: value.status, note: value.note });
        return redirect(`${here}?notice=statusChanged#status`);
      case "consent":
        await recordConsent(db, {
          ...base,
          givenOn: value.consentGivenOn,
          publish: value.consentPublish,
          sharePartners: value.consentSharePartners,
        });
        return redirect(`${here}?notice=consentRecorded#consent`);
      case "addIdentifier": {
        const { duplicates } = await addIdentifier(db, { ...base, kind: value.kind, value: value.value, memberId: value.memberId });
        return redirect(duplicates > 0 ? `${here}?notice=identifierAddedDuplicates#duplicates` : `${here}?notice=identifierAdded#identifiers`);
      }
      case "removeIdentifier":
        await removeIdentifier(db, { ...base, identifierId: value.identifierId });
        return redirect(`${here}?notice=identifierRemoved#identifiers`);
      case "decideDuplicate":
        await decideDuplicate(db, { ...base, matchId: value.matchId, decision: value.decision, note: value.note });
        return redirect(`${here}?notice=duplicateDecided#duplicates`);
      case "createReferral":
        await createReferral(db, { ...base, programme: value.programme, partner: value.partner, memberId: value.memberId, notes: value.notes });
        return redirect(`${here}?notice=referralCreated#referrals`);
      case "referralStatus":
        await updateReferralStatus(db, { ...base, referralId: value.referralId, status: value.status });
        return redirect(`${here}?notice=referralUpdated#referrals`);
    }
  });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function replyFor(reply: FormReply | undefined, intent: string, target: string | null = null): ReplyResult | undefined {
  return reply && reply.intent === intent && reply.target === target ? (reply.result as ReplyResult) : undefined;
}

function fieldErrors(result: ReplyResult | undefined, name: string) {
  const list = [...(errorsAt(result, name) ?? []), ...(formErrors(result) ?? [])];
  return list.length ? list : undefined;
}

function EventLine({ event, paths, members }: { event: HouseholdEventView; paths: Map<string, string>; members: Map<string, string> }) {
  const { t } = useTranslation("registry");
  const locale = useLocale();
  const sep = locale === "ar" ? "، " : ", ";
  const d = event.details as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v ? v : "—");
  const place = (p: unknown) => {
    const o = (p ?? {}) as { regionId?: string | null; address?: string | null };
    return [o.regionId ? paths.get(o.regionId) : null, o.address].filter(Boolean).join(sep) || t("timeline.nowhere");
  };
  const name = str(d.fullName ?? (typeof d.memberId === "string" ? members.get(d.memberId) : undefined));
  switch (event.kind) {
    case "registered":
      return <>{t("timeline.events.registered", { reference: str(d.reference) })}</>;
    case "moved":
      return <>{t("timeline.events.moved", { from: place(d.from), to: place(d.to) })}</>;
    case "member_added":
    case "member_born":
    case "member_left":
    case "member_died":
    case "member_updated":
      return <>{t(`timeline.events.${event.kind}`, { name })}</>;
    case "status_changed":
      return <>{t("timeline.events.status_changed", { before: t(`status.${str(d.before)}`), after: t(`status.${str(d.after)}`) })}</>;
    case "consent_recorded":
      return <>{t("timeline.events.consent_recorded", { date: typeof d.givenOn === "string" ? formatDate(d.givenOn, locale) : "—" })}</>;
    case "identifier_added":
    case "identifier_removed":
      return <>{t(`timeline.events.${event.kind}`, { kind: t(`kinds.${str(d.kind)}`), masked: str(d.masked) })}</>;
    case "referral_created":
      return <>{t("timeline.events.referral_created", { partner: str(d.partner), programme: t(`programme.${str(d.programme)}`) })}</>;
    case "referral_updated":
      return <>{t("timeline.events.referral_updated", { partner: str(d.partner), before: t(`referralStatus.${str(d.before)}`), after: t(`referralStatus.${str(d.after)}`) })}</>;
    case "duplicate_decided":
      return <>{t("timeline.events.duplicate_decided", { reference: str(d.otherReference), decision: t(`decision.${str(d.decision)}`) })}</>;
    default:
      return <>{t(`timeline.events.${event.kind}`, { defaultValue: event.kind })}</>;
  }
}

function MemberOptions({ members, label }: { members: LoaderData["members"]; label: string }) {
  return (
    <>
      <option value="">{label}</option>
      {members.map((m) => (
        <option key={m.id} value={m.id}>
          {m.fullName}
        </option>
      ))}
    </>
  );
}

export default function HouseholdPage() {
  const loaderData = useLoaderData<typeof loader>();
  const { org, canWrite, canSeeAccount, household, members, identifiers, events, warnings, referrals, documents, needs, regionRows, notice, today } =
    loaderData;
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const location = useLocation();
  const { t } = useTranslation("registry");
  const { t: tr } = useTranslation("reports");
  const locale = useLocale();
  const paths = regionPaths(regionRows, locale);
  const memberNames = new Map(members.map((m) => [m.id, m.fullName]));
  const base = `/staff/${org.slug}/households/${household.id}`;
  const pendingWarnings = warnings.filter((w) => w.decision === "pending");

  const statusResult = replyFor(reply, "status");
  const consentResult = replyFor(reply, "consent");
  const addIdResult = replyFor(reply, "addIdentifier");
  const referralResult = replyFor(reply, "createReferral");

  return (
    <div className="space-y-6">
      <PageTitle title={t("household.heading", { reference: household.reference })}>
        {canSeeAccount && (
          <Link to={`${base}/account`} className={secondaryButtonClass} data-testid="household-account-link">
            {tr("household.link")}
          </Link>
        )}
        {canWrite && (
          <Link to={`${base}/edit`} className={secondaryButtonClass}>
            {t("household.edit")}
          </Link>
        )}
      </PageTitle>
      <p>
        <Link to={`/staff/${org.slug}/households`} className={linkClass}>
          {t("household.back")}
        </Link>
      </p>
      {notice && !reply && (
        <Notice tone={notice.endsWith("Duplicates") ? "warning" : "success"}>{t(`household.notice.${notice}`)}</Notice>
      )}

      {pendingWarnings.length > 0 && (
        <div role="alert" className="rounded border border-amber-400 bg-amber-50 p-4 text-amber-950" data-testid="duplicate-alert">
          <p className="font-bold">{t("duplicates.alertTitle")}</p>
          <ul className="mt-1 list-disc ps-6">
            {pendingWarnings.map((w) => (
              <li key={w.id}>
                {t("duplicates.warning", { org: locale === "ar" ? w.otherOrg.nameAr : w.otherOrg.nameEn, reference: w.otherReference })}
              </li>
            ))}
          </ul>
        </div>
      )}

      <Section id="summary" title={t("household.summary")}>
        <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
          <div>
            <dt className="text-sm text-stone-700">{t("household.reference")}</dt>
            <dd className="font-bold" dir="ltr">
              {household.reference}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-stone-700">{t("fields.status")}</dt>
            <dd>
              <StatusBadge tone={household.status} label={t(`status.${household.status}`)} />
            </dd>
          </div>
          <div>
            <dt className="text-sm text-stone-700">{t("fields.region")}</dt>
            <dd>{(household.regionId && paths.get(household.regionId)) || t("fields.noRegion")}</dd>
          </div>
          <div>
            <dt className="text-sm text-stone-700">{t("fields.address")}</dt>
            <dd>{household.address || "—"}</dd>
          </div>
          <div>
            <dt className="text-sm text-stone-700">{t("household.registeredOn")}</dt>
            <dd>{formatDate(household.createdAt, locale, org.timeZone)}</dd>
          </div>
          <div>
            <dt className="text-sm text-stone-700">{t("new.tags.title")}</dt>
            <dd>
              {household.vulnerabilityTags.length === 0 ? (
                "—"
              ) : (
                <ul className="flex flex-wrap gap-1">
                  {household.vulnerabilityTags.map((tag) => (
                    <li key={tag} className="rounded bg-stone-100 px-2 py-0.5 text-xs font-bold">
                      {t(`tags.${tag}`, { defaultValue: tag })}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
      </Section>

      {warnings.length > 0 && (
        <Section id="duplicates" title={t("duplicates.title")} description={t("duplicates.help")}>
          <ul className="space-y-4">
            {warnings.map((w) => {
              const result = replyFor(reply, "decideDuplicate", w.id);
              return (
                <li key={w.id} className="rounded border border-stone-200 p-3" data-testid="duplicate-warning">
                  <p className="font-bold">
                    {t("duplicates.warning", { org: locale === "ar" ? w.otherOrg.nameAr : w.otherOrg.nameEn, reference: w.otherReference })}
                  </p>
                  <p className="text-sm text-stone-700">
                    {t("duplicates.matchedOn", { kinds: w.matchedOn.map((k) => t(`kinds.${k}`, { defaultValue: k })).join(locale === "ar" ? "، " : ", ") })}
                  </p>
                  <p className="mt-1">
                    <StatusBadge tone={w.decision === "pending" ? "pending" : "graduated"} label={t(`decision.${w.decision}`)} />
                    {w.decidedAt && (
                      <span className="ms-2 text-sm text-stone-700">
                        {t("duplicates.decidedBy", { name: w.decidedByName ?? "—", date: formatDateTime(w.decidedAt, locale, org.timeZone) })}
                      </span>
                    )}
                  </p>
                  {w.note && <p className="mt-1 text-sm">{w.note}</p>}
                  {canWrite && (
                    <Form method="post" className="mt-3 space-y-2" key={`${w.id}-${location.key}`}>
                      <input type="hidden" name="intent" value="decideDuplicate" />
                      <input type="hidden" name="matchId" value={w.id} />
                      <fieldset>
                        <legend className="font-bold">{t("duplicates.decide")}</legend>
                        <div className="mt-1 flex flex-wrap gap-4">
                          {DUPLICATE_DECISIONS.map((d) => (
                            <label key={d} className="inline-flex items-center gap-1.5">
                              <input type="radio" name="decision" value={d} defaultChecked={w.decision === d} className="h-4 w-4" />
                              {t(`decision.${d}`)}
                            </label>
                          ))}
                        </div>
                      </fieldset>
                      <ErrorList errors={fieldErrors(result, "decision")} />
                      <PlainField id={`note-${w.id}`} name="note" label={t("fields.note")} defaultValue={w.note} errors={errorsAt(result, "note")} />
                      <button type="submit" className={secondaryButtonClass}>
                        {t("duplicates.submit")}
                      </button>
                    </Form>
                  )}
                </li>
              );
            })}
          </ul>
        </Section>
      )}

      <Section id="members" title={t("household.members.title")}>
        <div className="overflow-x-auto">
          <table className={tableClass} data-testid="members-table">
            <caption className="sr-only">{t("household.members.title")}</caption>
            <thead>
              <tr>
                {(["fullName", "relation", "sex", "birthYear", "schoolEnrolment", "disability", "memberStatus"] as const).map((c) => (
                  <th key={c} scope="col" className={thClass}>
                    {t(`fields.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <th scope="row" className={`${tdClass} text-start`}>
                    {m.fullName}
                    {m.isHead && (
                      <span className="ms-2 rounded bg-brand-50 px-2 py-0.5 text-xs font-bold text-brand-800">
                        {t(m.sex === "female" ? "household.headFemale" : "household.headMale")}
                      </span>
                    )}
                  </th>
                  <td className={tdClass}>{t(`relation.${m.relation}`)}</td>
                  <td className={tdClass}>{t(`sex.${m.sex}`)}</td>
                  <td className={tdClass}>{m.birthYear ?? "—"}</td>
                  <td className={tdClass}>{t(`school.${m.schoolEnrolment}`)}</td>
                  <td className={tdClass}>{m.disability || "—"}</td>
                  <td className={tdClass}>{t(`memberStatus.${m.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {canWrite && (
          <p className="mt-3">
            <Link to={`${base}/edit#members`} className={linkClass}>
              {t("household.members.manage")}
            </Link>
          </p>
        )}
      </Section>

      <Section id="identifiers" title={t("household.identifiers.title")} description={t("household.identifiers.help")}>
        {identifiers.length === 0 ? (
          <p>{t("household.identifiers.empty")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableClass}>
              <caption className="sr-only">{t("household.identifiers.title")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("fields.kind")}</th>
                  <th scope="col" className={thClass}>{t("fields.value")}</th>
                  <th scope="col" className={thClass}>{t("fields.member")}</th>
                  {canWrite && <th scope="col" className={thClass}>{t("household.actions")}</th>}
                </tr>
              </thead>
              <tbody>
                {identifiers.map((i) => (
                  <tr key={i.id}>
                    <th scope="row" className={`${tdClass} text-start font-normal`}>{t(`kinds.${i.kind}`)}</th>
                    <td className={tdClass}>
                      <span dir="ltr">{i.kind === "phone" ? i.normalized : i.value}</span>
                    </td>
                    <td className={tdClass}>{(i.memberId && memberNames.get(i.memberId)) || "—"}</td>
                    {canWrite && (
                      <td className={tdClass}>
                        <Form method="post">
                          <input type="hidden" name="intent" value="removeIdentifier" />
                          <input type="hidden" name="identifierId" value={i.id} />
                          <button type="submit" className={dangerButtonClass} aria-label={t("household.identifiers.removeLabel", { kind: t(`kinds.${i.kind}`) })}>
                            {t("household.identifiers.remove")}
                          </button>
                        </Form>
                        <ErrorList errors={formErrors(replyFor(reply, "removeIdentifier", i.id))} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canWrite && (
          <Form method="post" className="mt-4 grid gap-3 sm:grid-cols-4 sm:items-end" key={`id-${location.key}`}>
            <input type="hidden" name="intent" value="addIdentifier" />
            <PlainSelect
              id="add-id-kind"
              name="kind"
              label={t("fields.kind")}
              defaultValue={stringAt(addIdResult, "kind") ?? "phone"}
              errors={errorsAt(addIdResult, "kind")}
              options={IDENTIFIER_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
            />
            <PlainField id="add-id-value" name="value" dir="ltr" label={t("fields.value")} defaultValue={stringAt(addIdResult, "value")} errors={fieldErrors(addIdResult, "value")} />
            <div className="space-y-1">
              <label htmlFor="add-id-member" className="block font-bold">
                {t("fields.member")}
              </label>
              <select id="add-id-member" name="memberId" defaultValue={stringAt(addIdResult, "memberId") ?? ""} className={inputClass}>
                <MemberOptions members={members} label={t("household.identifiers.wholeHousehold")} />
              </select>
            </div>
            <div>
              <button type="submit" className={buttonClass}>
                {t("household.identifiers.add")}
              </button>
            </div>
          </Form>
        )}
      </Section>

      <Section id="consent" title={t("consent.title")} description={t("consent.help")}>
        {household.consentGivenOn ? (
          <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-2" data-testid="consent">
            <div>
              <dt className="text-sm text-stone-700">{t("consent.givenOn")}</dt>
              <dd>{formatDate(household.consentGivenOn, locale)}</dd>
            </div>
            <div>
              <dt className="text-sm text-stone-700">{t("consent.recordedBy")}</dt>
              <dd>{loaderData.consentRecordedByName ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-sm text-stone-700">{t("consent.publish")}</dt>
              <dd>{t(household.consentPublish ? "consent.yes" : "consent.no")}</dd>
            </div>
            <div>
              <dt className="text-sm text-stone-700">{t("consent.sharePartners")}</dt>
              <dd>{t(household.consentSharePartners ? "consent.yes" : "consent.no")}</dd>
            </div>
          </dl>
        ) : (
          <Notice tone="warning">{t("consent.none")}</Notice>
        )}
        {canWrite && (
          <details className="mt-4" open={Boolean(consentResult)}>
            <summary className="cursor-pointer text-brand-700 underline">{t("consent.record")}</summary>
            <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-2" key={`consent-${location.key}`}>
              <input type="hidden" name="intent" value="consent" />
              <PlainField id="consent-date" name="consentGivenOn" type="date" max={today} label={t("consent.givenOn")} defaultValue={stringAt(consentResult, "consentGivenOn") ?? today} errors={fieldErrors(consentResult, "consentGivenOn")} />
              <fieldset className="space-y-2">
                <legend className="font-bold">{t("consent.scope")}</legend>
                <label className="flex items-center gap-2">
                  <input type="checkbox" name="consentPublish" defaultChecked={household.consentPublish} className="h-4 w-4" />
                  {t("consent.publish")}
                </label>
                <label className="flex items-center gap-2">
                  <input type="checkbox" name="consentSharePartners" defaultChecked={household.consentSharePartners} className="h-4 w-4" />
                  {t("consent.sharePartners")}
                </label>
              </fieldset>
              <div className="sm:col-span-2">
                <button type="submit" className={buttonClass}>
                  {t("consent.submit")}
                </button>
              </div>
            </Form>
          </details>
        )}
      </Section>

      {canWrite && (
        <Section id="status" title={t("household.status.title")} description={t("household.status.help")}>
          <Form method="post" className="grid gap-3 sm:grid-cols-3 sm:items-end" key={`status-${location.key}`}>
            <input type="hidden" name="intent" value="status" />
            <PlainSelect
              id="status-select"
              name="status"
              label={t("fields.status")}
              defaultValue={stringAt(statusResult, "status") ?? household.status}
              errors={fieldErrors(statusResult, "status")}
              options={HOUSEHOLD_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            />
            <PlainField id="status-note" name="note" label={t("fields.note")} defaultValue={stringAt(statusResult, "note")} errors={errorsAt(statusResult, "note")} />
            <div>
              <button type="submit" className={buttonClass}>
                {t("household.status.submit")}
              </button>
            </div>
          </Form>
        </Section>
      )}

      <Section id="referrals" title={t("referrals.title")} description={t("referrals.help")}>
        {referrals.length === 0 ? (
          <p>{t("referrals.empty")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableClass} data-testid="referrals-table">
              <caption className="sr-only">{t("referrals.title")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("referrals.programme")}</th>
                  <th scope="col" className={thClass}>{t("referrals.partner")}</th>
                  <th scope="col" className={thClass}>{t("fields.member")}</th>
                  <th scope="col" className={thClass}>{t("fields.status")}</th>
                  <th scope="col" className={thClass}>{t("referrals.date")}</th>
                </tr>
              </thead>
              <tbody>
                {referrals.map((r) => {
                  const next = REFERRAL_TRANSITIONS[r.status];
                  const result = replyFor(reply, "referralStatus", r.id);
                  return (
                    <tr key={r.id}>
                      <th scope="row" className={`${tdClass} text-start font-normal`}>
                        {t(`programme.${r.programme}`)}
                        {r.notes && <span className="block text-xs text-stone-700">{r.notes}</span>}
                      </th>
                      <td className={tdClass}>{r.partner}</td>
                      <td className={tdClass}>{(r.memberId && memberNames.get(r.memberId)) || "—"}</td>
                      <td className={tdClass}>
                        <StatusBadge tone={r.status === "declined" ? "closed" : r.status === "referred" ? "pending" : "active"} label={t(`referralStatus.${r.status}`)} />
                        {canWrite && next.length > 0 && (
                          <Form method="post" className="mt-2 flex flex-wrap gap-2">
                            <input type="hidden" name="intent" value="referralStatus" />
                            <input type="hidden" name="referralId" value={r.id} />
                            {next.map((s) => (
                              <button key={s} type="submit" name="status" value={s} className={secondaryButtonClass}>
                                {t(`referrals.to.${s}`)}
                              </button>
                            ))}
                          </Form>
                        )}
                        <ErrorList errors={fieldErrors(result, "status")} />
                      </td>
                      <td className={`${tdClass} whitespace-nowrap`}>{formatDate(r.createdAt, locale, org.timeZone)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {canWrite && (
          <details className="mt-4" open={Boolean(referralResult)}>
            <summary className="cursor-pointer text-brand-700 underline">{t("referrals.new")}</summary>
            <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-2" key={`referral-${location.key}`}>
              <input type="hidden" name="intent" value="createReferral" />
              <PlainSelect
                id="referral-programme"
                name="programme"
                label={t("referrals.programme")}
                defaultValue={stringAt(referralResult, "programme")}
                errors={errorsAt(referralResult, "programme")}
                options={[{ value: "", label: t("new.choose") }, ...REFERRAL_PROGRAMMES.map((p) => ({ value: p, label: t(`programme.${p}`) }))]}
              />
              <PlainField id="referral-partner" name="partner" label={t("referrals.partner")} defaultValue={stringAt(referralResult, "partner")} errors={errorsAt(referralResult, "partner")} />
              <div className="space-y-1">
                <label htmlFor="referral-member" className="block font-bold">
                  {t("fields.member")}
                </label>
                <select id="referral-member" name="memberId" defaultValue={stringAt(referralResult, "memberId") ?? ""} className={inputClass}>
                  <MemberOptions members={members} label={t("household.identifiers.wholeHousehold")} />
                </select>
              </div>
              <PlainField id="referral-notes" name="notes" label={t("fields.note")} defaultValue={stringAt(referralResult, "notes")} errors={errorsAt(referralResult, "notes")} />
              <ErrorList errors={formErrors(referralResult)} />
              <div className="sm:col-span-2">
                <button type="submit" className={buttonClass}>
                  {t("referrals.submit")}
                </button>
              </div>
            </Form>
          </details>
        )}
      </Section>

      <DocumentsPanel orgSlug={org.slug} householdId={household.id} documents={documents} canUpload={canWrite} />
      <HouseholdNeedsPanel orgSlug={org.slug} householdId={household.id} needs={needs} canCreate={canWrite} />

      <Section id="timeline" title={t("timeline.title")} description={t("timeline.help")}>
        <ol className="space-y-3" data-testid="timeline">
          {events.map((e) => (
            <li key={e.id} className="border-s-4 border-brand-600 ps-3">
              <p className="font-bold">
                <EventLine event={e as HouseholdEventView} paths={paths} members={memberNames} />
              </p>
              {typeof (e.details as Record<string, unknown>).note === "string" && (
                <p className="text-sm">{String((e.details as Record<string, unknown>).note)}</p>
              )}
              <p className="text-sm text-stone-700">
                {e.occurredOn && <>{t("timeline.occurred", { date: formatDate(e.occurredOn, locale) })} · </>}
                {t("timeline.recorded", { date: formatDateTime(e.createdAt, locale, org.timeZone), name: e.actorName ?? "—" })}
              </p>
            </li>
          ))}
        </ol>
      </Section>
    </div>
  );
}

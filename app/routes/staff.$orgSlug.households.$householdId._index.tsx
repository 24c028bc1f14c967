import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod";
import { readForm } from "~/utils/forms.server";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { listRegions } from "~/modules/organizations/regions.server";
import { orgName } from "~/modules/organizations/roles";
import { formMeta, invalid, noticeFrom, runRule, staffTitle } from "~/modules/organizations/route-helpers.server";
import { addIdentifier, changeStatus, getHousehold, recordConsent, removeIdentifier } from "~/modules/registry/households.server";
import { decideDuplicate, listDuplicateWarnings } from "~/modules/registry/duplicates.server";
import { createReferral, listReferrals, updateReferralStatus } from "~/modules/registry/referrals.server";
import { READ_ROLES, WRITE_ROLES, canWriteHouseholds, householdIdParam, notFoundAs404 } from "~/modules/registry/access";
import { householdActionSchemaFor } from "~/modules/registry/schemas";
import { listDocuments } from "~/modules/registry/documents.server";
import { listHouseholdNeeds } from "~/modules/needs/needs.server";
import { DocumentsPanel } from "~/components/documents-panel";
import { HouseholdNeedsPanel } from "~/components/household-needs";
import { Notice } from "~/components/forms";
import { PageTitle, linkClass, secondaryButtonClass } from "~/components/staff";
import { useHouseholdPage } from "~/components/households/page-context";
import { DuplicatesSection, IdentifiersSection, MembersSection, SummarySection } from "~/components/households/household-records";
import { ConsentSection, ReferralsSection, StatusSection, TimelineSection } from "~/components/households/household-care";

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

/** The page's frame; its sections are in app/components. `t` comes from the page's hook. @i18n-namespace registry */
export default function HouseholdPage() {
  const { org, canWrite, canSeeAccount, household, documents, needs, notice, reply, t, tr, locale, base, pendingWarnings } = useHouseholdPage();

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

      <SummarySection />
      <DuplicatesSection />
      <MembersSection />
      <IdentifiersSection />
      <ConsentSection />
      <StatusSection />
      <ReferralsSection />

      <DocumentsPanel orgSlug={org.slug} householdId={household.id} documents={documents} canUpload={canWrite} />
      <HouseholdNeedsPanel orgSlug={org.slug} householdId={household.id} needs={needs} canCreate={canWrite} />

      <TimelineSection />
    </div>
  );
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { updateOrganizationProfile } from "~/modules/organizations/organizations.server";
import { moneyFor, moneySettingsAction } from "~/modules/organizations/money-settings.server";
import { addRegion, listRegions, removeRegion, renameRegion } from "~/modules/organizations/regions.server";
import { buildRegionTree } from "~/modules/organizations/regions";
import { SettingsActionSchema } from "~/modules/organizations/schemas";
import { orgName } from "~/modules/organizations/roles";
import { formMeta, invalid, noticeFrom, runRule, staffTitle } from "~/modules/organizations/route-helpers.server";
import { Notice } from "~/components/forms";
import { PaymentDetailsForm } from "~/components/payment-details-form";
import { OrgProfileForm } from "~/components/org-profile-form";
import { orgChoices } from "~/modules/organizations/country-defaults";
import { MoneySettingsForm } from "~/components/org-money-settings";
import { AddRegionForm, RegionItem, replyFor, type Reply } from "~/components/org-regions";
import { isPaymentDetailsPost, paymentDetailsAction, paymentDetailsFor } from "~/modules/pledging/settings.server";
import { PageTitle, Section } from "~/components/staff";

/**
 * An organisation admin's settings: the profile (with its public part and the country's
 * defaults), places, payment details and money rules. This route only loads and dispatches; the
 * sections live in components/org-*.tsx and the money action in organizations/money-settings.server.
 */
const NOTICES = ["saved", "regionAdded", "regionRenamed", "regionRemoved"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["org_admin"]);
  const db = await getDb();
  const locale = await getLocale(request);
  const { org } = member;
  return {
    title: await staffTitle(request, "staff:settings.title", orgName(org, locale)),
    org: {
      slug: org.slug,
      nameAr: org.nameAr,
      nameEn: org.nameEn,
      country: org.country,
      timeZone: org.timeZone,
      defaultCurrency: org.defaultCurrency,
      publishOnVerify: org.publishOnVerify,
      missionAr: org.missionAr ?? "",
      missionEn: org.missionEn ?? "",
      registeredWithAr: org.registeredWithAr ?? "",
      registeredWithEn: org.registeredWithEn ?? "",
      foundedYear: org.foundedYear === null ? "" : String(org.foundedYear),
    },
    choices: orgChoices(locale, { country: org.country, currentZone: org.timeZone }),
    regions: buildRegionTree(await listRegions(db, org.id)),
    notice: noticeFrom(new URL(request.url), NOTICES),
    paymentDetails: await paymentDetailsFor(org.id),
    paymentDetailsSaved: new URL(request.url).searchParams.get("notice") === "paymentDetailsSaved",
    money: await moneyFor(request, org.id),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["org_admin"]);
  if (await isPaymentDetailsPost(request)) return paymentDetailsAction(request, member);
  if ((await readForm(request)).get("intent") === "moneySettings") return moneySettingsAction(request, member);
  const { submission } = await parseForm(request, SettingsActionSchema);
  const meta = formMeta(submission, ["regionId", "parentId"]);
  if (submission.status !== "success") return invalid(submission, meta);
  const db = await getDb();
  const value = submission.value;
  const here = `/staff/${member.org.slug}/settings`;
  const base = { orgId: member.org.id, actor: member.actor };

  return runRule(submission, meta, async () => {
    switch (value.intent) {
      case "profile": {
        const { intent: _intent, ...profile } = value;
        // Empty currency or time zone: the module applies the organisation's country defaults.
        await updateOrganizationProfile(db, { ...base, profile });
        return redirect(`${here}?notice=saved`);
      }
      case "addRegion":
        await addRegion(db, { ...base, parentId: value.parentId, nameAr: value.nameAr, nameEn: value.nameEn });
        return redirect(`${here}?notice=regionAdded#regions`);
      case "renameRegion":
        await renameRegion(db, { ...base, regionId: value.regionId, nameAr: value.nameAr, nameEn: value.nameEn });
        return redirect(`${here}?notice=regionRenamed#regions`);
      case "removeRegion":
        await removeRegion(db, { ...base, regionId: value.regionId });
        return redirect(`${here}?notice=regionRemoved#regions`);
    }
  });
}

export default function SettingsPage() {
  const { org, choices, regions, notice, paymentDetails, paymentDetailsSaved, money } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  const location = useLocation();
  const { t } = useTranslation("staff");
  const { t: tp } = useTranslation("pledging");
  return (
    <div className="space-y-6">
      <PageTitle title={t("settings.title")} intro={t("settings.intro")} />
      {notice && !reply && <Notice tone="success">{t(`settings.notice.${notice}`)}</Notice>}

      <Section id="org-profile" title={t("settings.profile")}>
        <OrgProfileForm key={location.key} org={org} choices={choices} lastResult={replyFor(reply, "profile", null)} />
      </Section>

      <Section id="regions" title={t("settings.regions.title")} description={t("settings.regions.help")}>
        {regions.length === 0 ? (
          <p className="mb-4">{t("settings.regions.empty")}</p>
        ) : (
          <ul className="mb-6 space-y-2" key={`regions-${location.key}`}>
            {regions.map((node) => (
              <RegionItem key={node.id} node={node} reply={reply} />
            ))}
          </ul>
        )}
        <h3 className="mb-2 font-bold">{t("settings.regions.add.governorate")}</h3>
        <AddRegionForm key={`add-${location.key}`} parentId={null} level="governorate" reply={reply} />
      </Section>

      <Section id="payment-details" title={tp("settings.title")} description={tp("settings.help")}>
        {paymentDetailsSaved && !reply && <Notice tone="success">{tp("settings.saved")}</Notice>}
        <PaymentDetailsForm key={`pay-${location.key}`} details={paymentDetails} result={replyFor(reply, "paymentDetails", null)} />
      </Section>

      <Section id="money" title={t("moneySettings.title")} description={t("moneySettings.help")}>
        {money.notice && !reply && <Notice tone="success">{money.notice}</Notice>}
        <MoneySettingsForm key={`money-${location.key}`} money={money} result={replyFor(reply, "moneySettings", null)} />
      </Section>
    </div>
  );
}

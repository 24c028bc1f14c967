import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember, type Member } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { OrgNotFoundError } from "~/modules/organizations/errors";
import { getNeedForStaff, needReview } from "~/modules/needs/needs.server";
import { noticeFrom } from "~/modules/organizations/route-helpers.server";
import { EDITABLE_STATES, mayEditContent } from "~/modules/needs/lifecycle";
import { minorToInput } from "~/modules/needs/money";
import { editorAction, editorContext, payeeChoices, type EditorGuard } from "~/modules/needs/editor.server";
import type { ReidentificationDecision } from "~/modules/needs/k-anonymity";
import type { NeedReply } from "~/modules/needs/route-helpers.server";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import { NeedEditor } from "~/components/need-editor";
import { Notice } from "~/components/forms";
import { PageTitle, linkClass } from "~/components/staff";

const AUTHORS = ["caseworker", "org_admin"] as const;

/** The need (404 outside the organisation); only its author or an org admin, only while editable. */
async function editableNeed(member: Member, needId: string | undefined) {
  let found;
  try {
    found = await getNeedForStaff(await getDb(), member.org.id, needId ?? "");
  } catch (error) {
    if (error instanceof OrgNotFoundError) throw new Response("Not Found", { status: 404 });
    throw error;
  }
  if (!mayEditContent(found.need.authorId, member.user.id, member.roles)) {
    throw new Response("Forbidden", { status: 403 });
  }
  if (!EDITABLE_STATES.includes(found.need.state)) {
    throw redirect(`/staff/${member.org.slug}/needs/${found.need.id}?notice=notEditable`);
  }
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, AUTHORS);
  const found = await editableNeed(member, params.needId);
  const { need, items } = found;
  const locale = await getLocale(request);
  const text = (v: string | null) => v ?? "";
  // The guard and the re-identification check on the saved draft: shown as soon as the editor opens.
  const review = await needReview(await getDb(), member.org.id, need, items);
  const guard: EditorGuard = { fields: review.fields, hits: review.hits, confirmed: review.confirmed, blocking: review.blocking.length };
  return {
    title: await staffTitle(request, "needs:editor.editTitle", orgName(member.org, locale)),
    slug: member.org.slug,
    needId: need.id,
    householdId: need.householdId,
    householdReference: found.householdReference,
    lastReason: need.state === "returned" ? need.lastReason : null,
    notice: noticeFrom(new URL(request.url), ["savedWithFindings"] as const),
    guard,
    reid: review.reid,
    payeeOptions: await payeeChoices(await getDb(), member, need.householdId),
    defaults: {
      category: need.category,
      target: minorToInput(need.targetMinor, need.currency),
      deadline: need.deadline,
      urgency: need.urgency,
      payeeKind: need.payeeKind,
      payeeId: need.payeeId ?? "",
      payeeName: text(need.payeeName),
      payeeDetails: text(need.payeeDetails),
      titleAr: text(need.titleAr),
      titleEn: text(need.titleEn),
      storyAr: text(need.storyAr),
      storyEn: text(need.storyEn),
      publicRegionId: need.publicRegionId ?? "",
      ageBand: need.ageBand ?? "",
      gender: need.gender ?? "",
      zakatCategory: need.zakatCategory ?? "",
      sponsorshipMonths: need.sponsorshipMonths ? String(need.sponsorshipMonths) : "",
      onlyLanguage: need.onlyLanguage ?? "",
      items: items.map((i) => ({
        labelAr: text(i.labelAr),
        labelEn: text(i.labelEn),
        quantity: String(i.quantity),
        unitCost: minorToInput(i.unitCostMinor, need.currency),
      })),
    },
    ...(await editorContext(await getDb(), member, { publicId: need.publicId, publicHides: review.reid.hides })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, AUTHORS);
  const found = await editableNeed(member, params.needId);
  return editorAction(request, await getDb(), member, {
    mode: "edit",
    needId: found.need.id,
    publicId: found.need.publicId,
    householdId: found.need.householdId,
  });
}

export default function EditNeedPage() {
  const { slug, needId, householdId, householdReference, lastReason, defaults, currency, today, context, notice, guard, reid, payeeOptions } =
    useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as
    | (NeedReply & { preview?: PublicNeed; guard?: EditorGuard; reid?: ReidentificationDecision | null })
    | undefined;
  const { t } = useTranslation("needs");
  return (
    <div className="space-y-4">
      <PageTitle title={t("editor.editTitle")} intro={t("editor.intro")}>
        <div className="flex flex-col gap-1 text-sm">
          <Link to={`/staff/${slug}/needs/${needId}`} className={linkClass}>
            {t("editor.backToNeed")}
          </Link>
          <Link to={`/staff/${slug}/households/${householdId}`} className={linkClass}>
            {t("editor.forHousehold", { reference: householdReference })}
          </Link>
        </div>
      </PageTitle>
      {notice && !reply && (
        <Notice tone="warning">
          <span data-testid="saved-with-findings">{t("editor.savedWithFindings")}</span>
        </Notice>
      )}
      {lastReason && (
        <Notice tone="warning">
          <strong>{t("page.returnedBecause")}</strong> {lastReason}
        </Notice>
      )}
      <NeedEditor
        lastResult={reply?.result}
        defaults={defaults}
        currency={currency}
        today={today}
        context={context}
        serverPreview={reply?.preview ?? null}
        payeeOptions={payeeOptions}
        submitLabel={t("editor.save")}
        guard={reply?.guard ?? guard}
        reid={reply?.reid !== undefined ? reply.reid : reid}
      />
    </div>
  );
}

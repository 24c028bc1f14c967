import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { OrgNotFoundError } from "~/modules/organizations/errors";
import { householdForNeed } from "~/modules/needs/needs.server";
import { editorAction, editorContext, payeeChoices, type EditorGuard } from "~/modules/needs/editor.server";
import type { ReidentificationDecision } from "~/modules/needs/k-anonymity";
import type { NeedReply } from "~/modules/needs/route-helpers.server";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import { NeedEditor } from "~/components/need-editor";
import { Notice } from "~/components/forms";
import { PageTitle, linkClass } from "~/components/staff";

const AUTHORS = ["caseworker", "org_admin"] as const;

/** The household of `?household=`: required, and of this organisation (else 404). */
async function householdFrom(request: Request, orgId: string) {
  const id = new URL(request.url).searchParams.get("household");
  if (!id) throw new Response("Bad Request", { status: 400 });
  try {
    return await householdForNeed(await getDb(), orgId, id);
  } catch (error) {
    if (error instanceof OrgNotFoundError) throw new Response("Not Found", { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, AUTHORS);
  const household = await householdFrom(request, member.org.id);
  const db = await getDb();
  const locale = await getLocale(request);
  return {
    title: await staffTitle(request, "needs:editor.newTitle", orgName(member.org, locale)),
    slug: member.org.slug,
    household,
    payeeOptions: await payeeChoices(db, member, household.id),
    ...(await editorContext(db, member)),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, AUTHORS);
  const household = await householdFrom(request, member.org.id);
  return editorAction(request, await getDb(), member, { mode: "create", householdId: household.id });
}

export default function NewNeedPage() {
  const { slug, household, currency, today, context, payeeOptions } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as
    | (NeedReply & { preview?: PublicNeed; guard?: EditorGuard; reid?: ReidentificationDecision | null })
    | undefined;
  const { t } = useTranslation("needs");
  return (
    <div className="space-y-4">
      <PageTitle title={t("editor.newTitle")} intro={t("editor.intro")}>
        <Link to={`/staff/${slug}/households/${household.id}`} className={linkClass}>
          {t("editor.forHousehold", { reference: household.reference })}
        </Link>
      </PageTitle>
      {!household.consentPublish && <Notice tone="warning">{t("editor.noConsentWarning")}</Notice>}
      <NeedEditor
        lastResult={reply?.result}
        defaults={{ urgency: "normal", category: "school_fees", payeeKind: "school" }}
        currency={currency}
        today={today}
        context={context}
        serverPreview={reply?.preview ?? null}
        householdId={household.id}
        payeeOptions={payeeOptions}
        submitLabel={t("editor.create")}
        guard={reply?.guard ?? null}
        reid={reply?.reid ?? null}
      />
    </div>
  );
}

import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { parseWithZod } from "@conform-to/zod";
import { GuardHits } from "~/components/guard-hits";
import { Notice } from "~/components/forms";
import { PageTitle, Section, buttonClass, dangerButtonClass, inputClass, linkClass } from "~/components/staff";
import type { GuardHit } from "~/modules/anonymization/guard";
import { staffNeedOr404 } from "~/modules/needs/route-helpers.server";
import { publicTitleIn } from "~/modules/needs/titles";
import { needUpdatesForStaff, reviewNeedUpdate, writeNeedUpdate } from "~/modules/needs/updates.server";
import { NeedUpdateError, NeedUpdateFormSchema, NeedUpdateReviewSchema, UPDATABLE_STATES, UPDATE_MAX_LENGTH } from "~/modules/needs/updates";
import { orgName } from "~/modules/organizations/roles";
import { noticeFrom, staffTitle } from "~/modules/organizations/route-helpers.server";
import { actorOf, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { appOrigin } from "~/utils/request.server";

/**
 * /staff/:orgSlug/needs/:needId/updates — written updates for a need's donors and kafala sponsor
 * (decision 070). A caseworker or org admin writes one (the anonymization guard checks it as it
 * checks the need's public text, with "this is not the person's name" confirmations); a verifier
 * who did not write it publishes it (then it is emailed and shown on the public need page) or
 * rejects it with a reason. Every member of the organisation may read the list. Plain forms.
 */

const NOTICES = ["written", "published", "rejected"] as const;
const NO_STORE = { "Cache-Control": "private, no-store" };


export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  const { need } = await staffNeedOr404(member.org.id, params.needId);
  const locale = await getLocale(request);
  const rows = await needUpdatesForStaff(await getDb(), member.org.id, need.id);
  const roles = member.roles;
  return data(
    {
      title: await staffTitle(request, "needs:updates.title", orgName(member.org, locale)),
      orgSlug: member.org.slug,
      need: { id: need.id, publicId: need.publicId, title: publicTitleIn(need, locale), state: need.state },
      open: (UPDATABLE_STATES as readonly string[]).includes(need.state),
      canWrite: roles.includes("caseworker") || roles.includes("org_admin"),
      canReview: roles.includes("verifier"),
      userId: member.user.id,
      notice: noticeFrom(new URL(request.url), NOTICES),
      updates: rows.map((u) => ({
        ...u,
        createdAt: formatDate(u.createdAt, locale, member.org.timeZone),
        reviewedAt: u.reviewedAt ? formatDate(u.reviewedAt, locale, member.org.timeZone) : null,
      })),
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

type Reply = {
  intent: "write" | "review";
  errors: Record<string, string[]>;
  values?: { bodyAr: string; bodyEn: string };
  hits?: GuardHit[];
  confirmed?: string[];
  updateId?: string;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug);
  const { need } = await staffNeedOr404(member.org.id, params.needId);
  const formData = await readForm(request);
  const t = await getFixedT(request, ["needs", "errors"]);
  const tr = (errors: Record<string, string[] | null | undefined>) =>
    Object.fromEntries(Object.entries(errors).map(([k, v]) => [k || "form", (v ?? []).map((m) => (m.includes(":") ? t(m) : t("errors:invalidChoice")))]));
  const db = await getDb();
  const actor = actorOf(request, member.user);
  const base = `/staff/${member.org.slug}/needs/${need.id}/updates`;

  if (formData.get("intent") === "write") {
    const values = { bodyAr: String(formData.get("bodyAr") ?? ""), bodyEn: String(formData.get("bodyEn") ?? "") };
    const submission = parseWithZod(formData, { schema: NeedUpdateFormSchema });
    if (submission.status !== "success") {
      return data({ intent: "write", errors: tr(submission.reply().error ?? {}), values } satisfies Reply, { status: 400, headers: NO_STORE });
    }
    try {
      await writeNeedUpdate(db, actor, { orgId: member.org.id, needId: need.id, bodyAr: submission.value.bodyAr, bodyEn: submission.value.bodyEn, confirmed: submission.value.confirm });
      return redirect(`${base}?notice=written`);
    } catch (error) {
      if (!(error instanceof NeedUpdateError)) throw error;
      const body: Reply = { intent: "write", errors: { form: [t(`needs:updates.errors.${error.code}`)] }, values, hits: error.hits, confirmed: submission.value.confirm };
      return data(body, { status: error.status, headers: NO_STORE });
    }
  }

  const submission = parseWithZod(formData, { schema: NeedUpdateReviewSchema });
  if (submission.status !== "success") {
    const bad = submission.reply().error ?? {};
    const status = bad.updateId ? 404 : 400;
    return data({ intent: "review", errors: { form: status === 404 ? [t("needs:updates.errors.not_found")] : [t("errors:invalidChoice")] } } satisfies Reply, { status, headers: NO_STORE });
  }
  try {
    const { update } = await reviewNeedUpdate(db, actor, {
      orgId: member.org.id,
      updateId: submission.value.updateId,
      decision: submission.value.intent,
      reason: submission.value.reason,
      origin: appOrigin(request),
    });
    if (update.needId !== need.id) throw new NeedUpdateError("not_found");
    return redirect(`${base}?notice=${submission.value.intent === "publish" ? "published" : "rejected"}`);
  } catch (error) {
    if (!(error instanceof NeedUpdateError)) throw error;
    const body: Reply = { intent: "review", updateId: submission.value.updateId, errors: { form: [t(`needs:updates.errors.${error.code}`)] }, hits: error.hits };
    return data(body, { status: error.status, headers: NO_STORE });
  }
}

const STATE_CLASS = { pending: "bg-amber-100 text-amber-900", published: "bg-emerald-100 text-emerald-900", rejected: "bg-stone-200 text-stone-800" } as const;

export default function NeedUpdatesPage() {
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const { t } = useTranslation(["needs", "common"]);
  const formErrors = (intent: Reply["intent"], updateId?: string) =>
    reply?.intent === intent && (!updateId || reply.updateId === updateId)
      ? Object.values(reply.errors)
          .flat()
          .map((e) => (
            <p key={e} role="alert" className="font-bold text-red-800" data-testid="update-error">
              {e}
            </p>
          ))
      : null;
  const writeReply = reply?.intent === "write" ? reply : undefined;
  return (
    <div className="space-y-6">
      <PageTitle title={t("needs:updates.heading", { id: d.need.publicId })} intro={t("needs:updates.intro")}>
        <p>
          <Link to={`/staff/${d.orgSlug}/needs/${d.need.id}`} className={linkClass}>
            {d.need.title || d.need.publicId}
          </Link>
          {d.open && (
            <>
              {" · "}
              <Link to={`/needs/${d.need.publicId}`} className={linkClass} data-testid="update-public-link">
                {t("needs:updates.publicPage")}
              </Link>
            </>
          )}
        </p>
      </PageTitle>
      {d.notice && !reply && <Notice tone="success">{t(`needs:updates.notice.${d.notice}`)}</Notice>}

      {d.canWrite && (
        <Section id="write-update" title={t("needs:updates.write")}>
          {!d.open ? (
            <p data-testid="updates-closed">{t("needs:updates.closed")}</p>
          ) : (
            <Form method="post" className="space-y-3" data-testid="update-form">
              <input type="hidden" name="intent" value="write" />
              {formErrors("write")}
              {writeReply?.hits && writeReply.hits.length > 0 && (
                <GuardHits
                  fields={{ updateAr: writeReply.values?.bodyAr ?? null, updateEn: writeReply.values?.bodyEn ?? null }}
                  hits={writeReply.hits}
                  confirmed={writeReply.confirmed ?? []}
                  confirmable
                />
              )}
              <p className="text-sm">{t("needs:updates.privacy")}</p>
              <label className="block">
                <span className="font-bold">{t("needs:fields.updateAr")}</span>
                <textarea name="bodyAr" dir="rtl" lang="ar" rows={4} maxLength={UPDATE_MAX_LENGTH} defaultValue={writeReply?.values?.bodyAr} className={inputClass} data-testid="update-ar" />
              </label>
              <label className="block">
                <span className="font-bold">{t("needs:fields.updateEn")}</span>
                <textarea name="bodyEn" dir="ltr" lang="en" rows={4} maxLength={UPDATE_MAX_LENGTH} defaultValue={writeReply?.values?.bodyEn} className={inputClass} data-testid="update-en" />
              </label>
              <button type="submit" className={buttonClass} data-testid="update-submit">
                {t("needs:updates.submit")}
              </button>
            </Form>
          )}
        </Section>
      )}

      <Section id="update-list" title={t("needs:updates.list")}>
        {d.updates.length === 0 ? (
          <p data-testid="updates-empty">{t("needs:updates.none")}</p>
        ) : (
          <ol className="space-y-4" data-testid="update-list">
            {d.updates.map((u) => (
              <li key={u.id} className="rounded border border-stone-200 bg-white p-3" data-testid="update-item" data-state={u.state}>
                <p className="flex flex-wrap items-center gap-2 text-sm">
                  <span className={`rounded px-2 py-0.5 font-bold ${STATE_CLASS[u.state]}`}>{t(`needs:updates.states.${u.state}`)}</span>
                  <span>{t("needs:updates.writtenBy", { name: u.authorName, date: u.createdAt })}</span>
                  {u.reviewerName && u.reviewedAt && <span>{t("needs:updates.reviewedBy", { name: u.reviewerName, date: u.reviewedAt })}</span>}
                </p>
                {u.bodyAr && (
                  <p dir="rtl" lang="ar" className="mt-2 whitespace-pre-line">
                    {u.bodyAr}
                  </p>
                )}
                {u.bodyEn && (
                  <p dir="ltr" lang="en" className="mt-2 whitespace-pre-line">
                    {u.bodyEn}
                  </p>
                )}
                {u.state === "rejected" && u.rejectReason && (
                  <p className="mt-2 text-sm">
                    <strong>{t("needs:updates.rejectedBecause")}</strong> {u.rejectReason}
                  </p>
                )}
                {u.state === "pending" && d.canReview && u.authorId !== d.userId && (
                  <Form method="post" className="mt-3 flex flex-wrap items-end gap-2" data-testid="update-review">
                    {formErrors("review", u.id)}
                    <input type="hidden" name="updateId" value={u.id} />
                    <button type="submit" name="intent" value="publish" className={buttonClass} data-testid="update-publish">
                      {t("needs:updates.publish")}
                    </button>
                    <label className="block">
                      <span className="text-sm">{t("needs:updates.reason")}</span>
                      <input name="reason" maxLength={500} className={inputClass} data-testid="update-reason" />
                    </label>
                    <button type="submit" name="intent" value="reject" className={dangerButtonClass} data-testid="update-reject">
                      {t("needs:updates.reject")}
                    </button>
                  </Form>
                )}
                {u.state === "pending" && u.authorId === d.userId && <p className="mt-2 text-sm">{t("needs:updates.waitsForVerifier")}</p>}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </div>
  );
}

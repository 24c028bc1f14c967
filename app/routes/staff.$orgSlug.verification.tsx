import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { verificationQueue } from "~/modules/needs/needs.server";
import { pendingUpdates } from "~/modules/needs/updates.server";
import { publicTitleIn } from "~/modules/needs/titles";
import { formatDate } from "~/utils/format";
import { NEED_STATES } from "~/modules/needs/lifecycle";
import { NeedTable } from "~/components/need-table";
import { BarChart, PageTitle, Section, linkClass } from "~/components/staff";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["verifier", "org_admin"]);
  const locale = await getLocale(request);
  const db = await getDb();
  const [queue, updates] = await Promise.all([verificationQueue(db, member.org.id, member.user.id), pendingUpdates(db, member.org.id, member.user.id)]);
  return {
    title: await staffTitle(request, "needs:queue.title", orgName(member.org, locale)),
    org: { slug: member.org.slug, timeZone: member.org.timeZone },
    ...queue,
    updates: updates.map((u) => ({ id: u.id, needId: u.needId, publicId: u.publicId, title: publicTitleIn(u, locale), mine: u.mine, date: formatDate(u.createdAt, locale, member.org.timeZone) })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function VerificationQueue() {
  const { org, rows, counts, updates } = useLoaderData<typeof loader>();
  const { t } = useTranslation("needs");
  const toVerify = rows.filter((r) => !r.mine);
  const mine = rows.filter((r) => r.mine);
  return (
    <div className="space-y-6">
      <PageTitle title={t("queue.title")} intro={t("queue.intro")} />
      <Section id="queue-waiting" title={t("queue.waiting", { count: toVerify.length })}>
        {toVerify.length === 0 ? (
          <p>{t("queue.empty")}</p>
        ) : (
          <>
            {toVerify.some((r) => r.emergency) && (
              <p className="mb-2 rounded bg-red-50 p-2 font-bold text-red-900" data-testid="queue-emergency">
                {t("queue.emergencyFirst", { count: toVerify.filter((r) => r.emergency).length })}
              </p>
            )}
            <NeedTable slug={org.slug} rows={toVerify} caption={t("queue.waiting", { count: toVerify.length })} timeZone={org.timeZone} showSubmitted />
          </>
        )}
      </Section>
      {updates.length > 0 && (
        <Section id="queue-updates" title={t("updates.queue", { count: updates.length })}>
          <ul className="space-y-1" data-testid="queue-updates">
            {updates.map((u) => (
              <li key={u.id}>
                <Link to={`/staff/${org.slug}/needs/${u.needId}/updates`} className={linkClass}>
                  {u.title || u.publicId}
                </Link>{" "}
                <span className="text-sm text-stone-700">
                  {u.date}
                  {u.mine && ` — ${t("updates.yours")}`}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {mine.length > 0 && (
        <Section id="queue-mine" title={t("queue.mine")} description={t("queue.mineHelp")}>
          <NeedTable slug={org.slug} rows={mine} caption={t("queue.mine")} timeZone={org.timeZone} showSubmitted />
        </Section>
      )}
      <Section id="queue-counts" title={t("queue.counts")}>
        <BarChart
          label={t("queue.counts")}
          items={NEED_STATES.map((s) => ({ key: s, label: t(`states.${s}`), value: counts[s] }))}
        />
      </Section>
    </div>
  );
}

import { Link } from "@remix-run/react";
import { NeedPledgesTable } from "~/components/pledges-staff";
import { Section, linkClass } from "~/components/staff";
import { formatDate, formatDateTime } from "~/utils/format";
import { useNeedPage } from "./need-page-context";

/** Sections of the need page; `t` comes from the page's hook. @i18n-namespace needs */

export function NeedPledgesSection() {
  const { d, reply, ts, org } = useNeedPage();
  if (!(d.pledges.length > 0)) return null;
  return (
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
  );
}

export function NeedDocumentsSection() {
  const { d, t, locale, need, org, base } = useNeedPage();
  return (
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
  );
}

export function NeedHistorySection() {
  const { d, t, locale, need, org } = useNeedPage();
  return (
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
  );
}

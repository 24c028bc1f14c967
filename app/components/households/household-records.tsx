import { Form, Link } from "@remix-run/react";
import { IDENTIFIER_KINDS } from "~/modules/registry/identifiers";
import { DUPLICATE_DECISIONS } from "~/modules/registry/schemas";
import { ErrorList } from "~/components/forms";
import { PlainField, PlainSelect, StatusBadge } from "~/components/registry";
import { errorsAt, formErrors, stringAt } from "~/components/form-reply";
import { Section, buttonClass, dangerButtonClass, inputClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass } from "~/components/staff";
import { formatDate, formatDateTime } from "~/utils/format";
import { useHouseholdPage, MemberOptions, fieldErrors, replyFor } from "./page-context";

/** Sections of the household page; `t` comes from the page's hook. @i18n-namespace registry */

export function SummarySection() {
  const { org, household, t, locale, paths } = useHouseholdPage();
  return (
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
  );
}

export function DuplicatesSection() {
  const { org, canWrite, warnings, reply, location, t, locale } = useHouseholdPage();
  if (!(warnings.length > 0)) return null;
  return (
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
  );
}

export function MembersSection() {
  const { canWrite, members, t, base } = useHouseholdPage();
  return (
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
  );
}

export function IdentifiersSection() {
  const { canWrite, members, identifiers, reply, location, t, memberNames, addIdResult } = useHouseholdPage();
  return (
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
  );
}

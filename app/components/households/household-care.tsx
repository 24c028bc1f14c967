import { Form } from "@remix-run/react";
import type { HouseholdEventView } from "~/modules/registry/households.server";
import { REFERRAL_TRANSITIONS } from "~/modules/registry/referrals";
import { HOUSEHOLD_STATUSES, REFERRAL_PROGRAMMES } from "~/modules/registry/schemas";
import { ErrorList, Notice } from "~/components/forms";
import { PlainField, PlainSelect, StatusBadge } from "~/components/registry";
import { errorsAt, formErrors, stringAt } from "~/components/form-reply";
import { Section, buttonClass, inputClass, secondaryButtonClass, tableClass, tdClass, thClass } from "~/components/staff";
import { formatDate, formatDateTime } from "~/utils/format";
import { useHouseholdPage, EventLine, MemberOptions, fieldErrors, replyFor } from "./page-context";

/** Sections of the household page; `t` comes from the page's hook. @i18n-namespace registry */

export function ConsentSection() {
  const { consentRecordedByName, canWrite, household, today, location, t, locale, consentResult } = useHouseholdPage();
  return (
      <Section id="consent" title={t("consent.title")} description={t("consent.help")}>
        {household.consentGivenOn ? (
          <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-2" data-testid="consent">
            <div>
              <dt className="text-sm text-stone-700">{t("consent.givenOn")}</dt>
              <dd>{formatDate(household.consentGivenOn, locale)}</dd>
            </div>
            <div>
              <dt className="text-sm text-stone-700">{t("consent.recordedBy")}</dt>
              <dd>{consentRecordedByName ?? "—"}</dd>
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
  );
}

export function StatusSection() {
  const { canWrite, household, location, t, statusResult } = useHouseholdPage();
  if (!(canWrite)) return null;
  return (
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
  );
}

export function ReferralsSection() {
  const { org, canWrite, members, referrals, reply, location, t, locale, memberNames, referralResult } = useHouseholdPage();
  return (
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
  );
}

export function TimelineSection() {
  const { org, events, t, locale, paths, memberNames } = useHouseholdPage();
  return (
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
  );
}

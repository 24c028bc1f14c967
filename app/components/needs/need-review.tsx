import { Form, Link } from "@remix-run/react";
import { Fragment } from "react";
import type { ReidentificationDecision } from "~/modules/needs/k-anonymity";
import { ErrorList, FormMessage, Notice } from "~/components/forms";
import { NeedCard } from "~/components/need-card";
import { ReidentificationWarning } from "~/components/need-editor";
import { GuardHits } from "~/components/guard-hits";
import { Section, buttonClass, dangerButtonClass, inputClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass } from "~/components/staff";
import { formatDate, formatMoney, formatNumber } from "~/utils/format";
import { useNeedPage, REASONED } from "./need-page-context";

/** Sections of the need page; `t` comes from the page's hook. @i18n-namespace needs */

export function NeedActionsSection() {
  const { d, t, need, org, base, simple, reasoned, replyFor } = useNeedPage();
  return (
      <Section id="need-actions" title={t("page.actions")}>
        {d.actions.length === 0 && !d.canEdit ? (
          <p>{d.isAuthor && need.state === "submitted" ? t("page.waitingForVerifier") : t("page.noActions")}</p>
        ) : (
          <div className="space-y-4">
            <div className="flex flex-wrap gap-3">
              {d.canEdit && (
                <Link to={`${base}/needs/${need.id}/edit`} className={secondaryButtonClass} data-testid="need-edit">
                  {t("page.edit")}
                </Link>
              )}
              {simple.map((a) => (
                <Form method="post" key={a}>
                  <input type="hidden" name="intent" value={a} />
                  <button type="submit" className={buttonClass} data-testid={`need-action-${a}`}>
                    {a === "verify" && org.publishOnVerify ? t("actions.verifyAndPublish") : t(`actions.${a}`)}
                  </button>
                </Form>
              ))}
            </div>
            {d.isAuthor && need.state === "submitted" && <p className="text-sm">{t("page.waitingForVerifier")}</p>}
            {REASONED.filter((a) => reasoned.includes(a)).map((a) => {
              const r = replyFor(a);
              const errors = r?.result.error?.reason ?? undefined;
              return (
                <details key={a} open={Boolean(r)} className="rounded border border-stone-200 p-3">
                  <summary className="cursor-pointer font-bold">{t(`actions.${a}`)}</summary>
                  <Form method="post" className="mt-3 space-y-2" id={`need-${a}-form`}>
                    <input type="hidden" name="intent" value={a} />
                    <label htmlFor={`need-${a}-reason`} className="block font-bold">
                      {t("page.reason")}
                    </label>
                    <textarea
                      id={`need-${a}-reason`}
                      name="reason"
                      required
                      rows={3}
                      maxLength={1000}
                      aria-invalid={errors?.length ? true : undefined}
                      aria-describedby={errors?.length ? `need-${a}-reason-error` : undefined}
                      className={inputClass}
                    />
                    <ErrorList id={`need-${a}-reason-error`} errors={errors} />
                    <button type="submit" className={a === "return" ? secondaryButtonClass : dangerButtonClass} data-testid={`need-action-${a}`}>
                      {t(`actions.${a}`)}
                    </button>
                  </Form>
                </details>
              );
            })}
          </div>
        )}
      </Section>
  );
}

export function NeedFactsSections() {
  const { d, t, locale, need, org, base } = useNeedPage();
  return (
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Section id="need-details" title={t("page.details")}>
          <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 [overflow-wrap:anywhere] gap-y-2 text-sm">
            <dt className="font-bold">{t("fields.category")}</dt>
            <dd>{t(`categories.${need.category}`)}</dd>
            <dt className="font-bold">{t("card.target")}</dt>
            <dd className="tabular-nums">{formatMoney(need.targetMinor, need.currency, locale)}</dd>
            <dt className="font-bold">{t("fields.deadline")}</dt>
            <dd>{formatDate(`${need.deadline}T12:00:00Z`, locale)}</dd>
            <dt className="font-bold">{t("fields.urgency")}</dt>
            <dd>{t(`urgency.${need.urgency}`)}</dd>
            <dt className="font-bold">{t("page.household")}</dt>
            <dd>
              <Link to={`${base}/households/${need.householdId}`} className={linkClass}>
                {d.householdReference}
              </Link>
            </dd>
            <dt className="font-bold">{t("page.author")}</dt>
            <dd>{d.authorName}</dd>
            {d.verifierName && need.verifiedAt && (
              <>
                <dt className="font-bold">{t("states.verified")}</dt>
                <dd>{t("page.verifiedBy", { date: formatDate(need.verifiedAt, locale, org.timeZone), name: d.verifierName })}</dd>
              </>
            )}
          </dl>
          <h3 className="mt-5 font-bold">{t("page.payeePrivate")}</h3>
          <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 [overflow-wrap:anywhere] gap-y-2 text-sm" data-testid="need-payee">
            <dt className="font-bold">{t("fields.payeeKind")}</dt>
            <dd>{t(`payeeKinds.${need.payeeKind}`)}</dd>
            <dt className="font-bold">{t("payees:editor.payee")}</dt>
            <dd data-testid="need-payee-record">
              {need.payee && d.canSeeFinance ? (
                <Link to={`/finance/${org.slug}/payees/${need.payee.id}`} className={linkClass}>
                  {need.payee.name}
                </Link>
              ) : (
                (need.payee?.name ?? "—")
              )}
            </dd>
            <dt className="font-bold">{t("fields.payeeName")}</dt>
            <dd>{need.payeeName ?? "—"}</dd>
            <dt className="font-bold">{t("fields.payeeDetails")}</dt>
            <dd className="whitespace-pre-line">{need.payeeDetails ?? "—"}</dd>
          </dl>
          {d.items.length > 0 && (
            <div className="relative mt-5 min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass}>
              <caption className="text-start font-bold">{t("editor.items")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("fields.itemLabel")}</th>
                  <th scope="col" className={thClass}>{t("fields.quantity")}</th>
                  <th scope="col" className={thClass}>{t("fields.unitCostShort")}</th>
                  <th scope="col" className={thClass}>{t("page.lineTotal")}</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((item) => (
                  <tr key={item.id}>
                    <td className={tdClass}>{[item.labelAr, item.labelEn].filter(Boolean).join(" / ")}</td>
                    <td className={tdClass}>{formatNumber(item.quantity, locale)}</td>
                    <td className={tdClass}>{formatMoney(item.unitCostMinor, need.currency, locale)}</td>
                    <td className={tdClass}>{formatMoney(item.unitCostMinor * item.quantity, need.currency, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
        </Section>

        {d.privateFacts ? (
          <Section id="need-private-facts" title={t("review.privateTitle")} description={t("review.privateHelp")}>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 [overflow-wrap:anywhere] gap-y-2 text-sm" data-testid="need-private-facts">
              {(
                [
                  ["names", d.privateFacts.names],
                  ["phones", d.privateFacts.phones],
                  ["idNumbers", d.privateFacts.idNumbers],
                  ["addresses", d.privateFacts.addresses],
                ] as const
              ).map(([key, values]) => (
                <Fragment key={key}>
                  <dt className="font-bold">{t(`review.facts.${key}`)}</dt>
                  <dd>
                    {values.length === 0 ? (
                      "—"
                    ) : (
                      <ul>
                        {values.map((v, i) => (
                          <li key={i} dir="auto">
                            {v}
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                </Fragment>
              ))}
            </dl>
          </Section>
        ) : (
          <Section id="need-checks" title={t("review.checksTitle")}>
            {d.guard.hits.length === 0 ? <p data-testid="guard-clean">{t("guard.clean")}</p> : <p>{t("review.seeBelow")}</p>}
          </Section>
        )}
      </div>
  );
}

export function NeedPublicCardSection() {
  const { d, t, locale, need, otherT } = useNeedPage();
  return (
      <Section id="need-public-card" title={t("review.cardsTitle")} description={t("review.cardsHelp")}>
        {!d.languagesComplete && (
          <Notice tone="warning">
            <span data-testid="language-missing">{t("review.languageMissing")}</span>
          </Notice>
        )}
        {need.onlyLanguage && <p className="mb-3 text-sm font-bold">{t("review.onlyLanguage", { language: t(`editor.onlyLanguageOption.${need.onlyLanguage}`) })}</p>}
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2" data-testid="need-cards-both">
          {(["ar", "en"] as const).map((lng) => (
            <div key={lng} data-testid={`need-card-${lng}`}>
              <h3 className="mb-2 font-bold">{t(`review.cardIn.${lng}`)}</h3>
              <NeedCard
                need={d.publicNeed}
                locale={lng}
                t={lng === locale ? undefined : otherT}
                strict
                hits={d.guard.hits}
                confirmed={d.guard.confirmed}
              />
            </div>
          ))}
        </div>
        {d.guard.hits.length > 0 && (
          <div className="mt-4">
            <GuardHits fields={d.guard.fields} hits={d.guard.hits} confirmed={d.guard.confirmed} mode="findings" />
          </div>
        )}
      </Section>
  );
}

export function NeedReidSection() {
  const { d, t, need, replyFor, keepErrors } = useNeedPage();
  return (
      <Section id="need-reid" title={t("reid.title")} description={t("reid.help", { k: d.reid.k })}>
        {d.reid.warn ? <ReidentificationWarning reid={d.reid as ReidentificationDecision} /> : <p data-testid="reid-ok">{t("reid.ok", { count: d.reid.shared, k: d.reid.k })}</p>}
        {need.keptDetails.length > 0 && (
          <p className="mt-2 text-sm" data-testid="reid-kept">
            {t("reid.keptLine", {
              details: need.keptDetails.map((k) => t(`reid.details.${k}`)).join(t("card.separator")),
              reason: need.keptReason ?? "",
            })}
          </p>
        )}
        {d.canKeepDetails && (d.reid.warn || need.keptDetails.length > 0) && (need.ageBand || need.gender) && (
          <Form method="post" className="mt-3 space-y-2 rounded border border-stone-200 p-3" id="need-keep-form">
            <input type="hidden" name="intent" value="keepDetails" />
            <fieldset>
              <legend className="font-bold">{t("reid.keepLegend")}</legend>
              {(
                [
                  ["age_band", need.ageBand],
                  ["gender", need.gender],
                ] as const
              )
                .filter(([, value]) => value)
                .map(([detail]) => (
                  <label key={detail} className="mt-1 flex items-center gap-2">
                    <input type="checkbox" name="keep" value={detail} defaultChecked={need.keptDetails.includes(detail)} className="h-5 w-5" />
                    {t(`reid.keep.${detail}`)}
                  </label>
                ))}
            </fieldset>
            <label htmlFor="need-keep-reason" className="block font-bold">
              {t("reid.keepReason")}
            </label>
            <textarea
              id="need-keep-reason"
              name="reason"
              rows={2}
              maxLength={1000}
              defaultValue={need.keptReason ?? ""}
              aria-invalid={keepErrors?.length ? true : undefined}
              aria-describedby={keepErrors?.length ? "need-keep-reason-error" : undefined}
              className={inputClass}
            />
            <ErrorList id="need-keep-reason-error" errors={keepErrors} />
            <FormMessage id="need-keep-error" errors={replyFor("keepDetails")?.result.error?.[""] ?? undefined} />
            <button type="submit" className={secondaryButtonClass} data-testid="need-keep-details">
              {t("reid.keepButton")}
            </button>
          </Form>
        )}
      </Section>
  );
}

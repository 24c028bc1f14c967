import { useEffect, useState } from "react";
import { Form } from "@remix-run/react";
import { getTextareaProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { ErrorList, Field, FormMessage, Notice, SelectField } from "~/components/forms";
import { GuardHits } from "~/components/guard-hits";
import { NeedCard } from "~/components/need-card";
import { Section, buttonClass, inputClass, secondaryButtonClass, useLocale } from "~/components/staff";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import { previewNeed, type PreviewContext } from "~/modules/needs/preview";
import type { EditorGuard } from "~/modules/needs/editor.server";
import type { ReidentificationDecision } from "~/modules/needs/k-anonymity";
import {
  AGE_BANDS,
  GENDERS,
  MAX_ITEMS,
  NEED_CATEGORIES,
  ONLY_LANGUAGES,
  PAYEE_KINDS,
  URGENCIES,
  ZAKAT_CATEGORIES,
  needEditorSchema,
} from "~/modules/needs/schemas";

/** A payee the editor offers (payees module: payeeOptionsForNeed). */
export interface PayeeOption {
  id: string;
  kind: string;
  name: string;
  /** This household's own payee. */
  own: boolean;
}

export interface NeedEditorDefaults {
  category?: string;
  target?: string;
  deadline?: string;
  urgency?: string;
  payeeKind?: string;
  payeeId?: string;
  payeeName?: string;
  payeeDetails?: string;
  titleAr?: string;
  titleEn?: string;
  storyAr?: string;
  storyEn?: string;
  publicRegionId?: string;
  ageBand?: string;
  gender?: string;
  zakatCategory?: string;
  sponsorshipMonths?: string;
  onlyLanguage?: string;
  items?: { labelAr?: string; labelEn?: string; quantity?: string; unitCost?: string }[];
}

function TextArea({ label, meta, hint, dir, rows = 4 }: { label: string; meta: FieldMetadata<string | undefined>; hint?: string; dir?: "rtl" | "ltr"; rows?: number }) {
  const errorId = meta.errors?.length ? meta.errorId : undefined;
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getTextareaProps(meta, { ariaAttributes: true });
  return (
    <div className="space-y-1">
      <label htmlFor={meta.id} className="block font-bold">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-stone-700">
          {hint}
        </p>
      )}
      <textarea
        {...props}
        key={props.key}
        rows={rows}
        dir={dir}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className={inputClass}
      />
      <ErrorList id={errorId} errors={meta.errors} />
    </div>
  );
}

/** Fewer than k households share the need's public details: what the card leaves out, and why. */
export function ReidentificationWarning({ reid }: { reid: ReidentificationDecision }) {
  const { t } = useTranslation("needs");
  return (
    <Notice tone="warning">
      <span data-testid="reid-warning">
        {t("reid.warning", { count: reid.shared, k: reid.k })}{" "}
        {reid.hides.length > 0
          ? t("reid.hides", { details: reid.hides.map((d) => t(`reid.details.${d}`)).join(t("card.separator")) })
          : t("reid.nothingToHide")}
      </span>
    </Notice>
  );
}

/**
 * The need editor (new and edit) with the live preview of the public card. With JavaScript the
 * preview follows every keystroke; without it, the "preview" button posts and the page comes back
 * with the card rendered by the server.
 */
export function NeedEditor({
  lastResult,
  defaults,
  currency,
  today,
  context,
  serverPreview,
  householdId,
  submitLabel,
  guard,
  reid,
  payeeOptions = [],
}: {
  /** The organisation's active payees the need may be paid to (and this household's own). */
  payeeOptions?: PayeeOption[];
  lastResult?: SubmissionResult<string[]> | null;
  defaults: NeedEditorDefaults;
  currency: string;
  today: string;
  context: PreviewContext;
  serverPreview?: PublicNeed | null;
  householdId?: string;
  submitLabel: string;
  /** The guard's findings on the text as last previewed or saved (null: not checked yet). */
  guard?: EditorGuard | null;
  /** The re-identification check as last previewed or saved. */
  reid?: ReidentificationDecision | null;
}) {
  const { t } = useTranslation("needs");
  const locale = useLocale();
  const schema = needEditorSchema({ currency, today });
  const [form, fields] = useForm({
    id: "need-editor",
    lastResult,
    defaultValue: defaults,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const [livePreview, setLivePreview] = useState<PublicNeed | null>(null);
  // With JavaScript the payee list shows only the kind chosen; without it, every kind in its group.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [payeeKind, setPayeeKind] = useState<string>(String(form.initialValue?.payeeKind ?? defaults.payeeKind ?? ""));
  const initialPreview = serverPreview ?? previewNeed(defaults as Record<string, unknown>, context);
  const preview = livePreview ?? initialPreview;
  const onChange = (event: React.FormEvent<HTMLFormElement>) => {
    const data = new FormData(event.currentTarget);
    setPayeeKind(String(data.get("payeeKind") ?? ""));
    const submission = parseWithZod(data, { schema });
    setLivePreview(previewNeed(submission.payload as Record<string, unknown>, context));
  };

  const initialItems = (form.initialValue?.items as NeedEditorDefaults["items"]) ?? defaults.items ?? [];
  const rowCount = Math.min(MAX_ITEMS, Math.max(3, initialItems.length + 2));
  const itemError = (i: number, field: string) => form.allErrors[`items[${i}].${field}`];
  const optional = [{ value: "", label: t("editor.notSaid") }];

  return (
    <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
      <Form method="post" id={form.id} onSubmit={form.onSubmit} onChange={onChange} noValidate className="space-y-6">
        {householdId && <input type="hidden" name="householdId" value={householdId} />}
        <FormMessage id={form.errorId} errors={form.errors} />

        <Section id="need-basics" title={t("editor.basics")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label={t("fields.category")}
              meta={fields.category}
              options={NEED_CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))}
            />
            <SelectField
              label={t("fields.urgency")}
              meta={fields.urgency}
              options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))}
            />
            <Field
              label={t("fields.target", { currency })}
              meta={fields.target}
              dir="ltr"
              hint={t("editor.targetHint", { currency })}
            />
            <Field label={t("fields.deadline")} meta={fields.deadline} type="date" dir="ltr" hint={t("editor.deadlineHint")} />
            <SelectField
              label={t("fields.zakatCategory")}
              meta={fields.zakatCategory}
              options={[{ value: "", label: t("editor.zakatNone") }, ...ZAKAT_CATEGORIES.map((z) => ({ value: z, label: t(`giving:zakatCategories.${z}`) }))]}
            />
            <Field label={t("fields.sponsorshipMonths")} meta={fields.sponsorshipMonths} dir="ltr" hint={t("editor.sponsorshipHint")} />
          </div>
        </Section>

        <Section id="need-items" title={t("editor.items")} description={t("editor.itemsHelp")}>
          <ErrorList errors={fields.items.errors} />
          <div className="relative min-w-0 max-w-full overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{t("editor.items")}</caption>
            <thead>
              <tr>
                <th scope="col" className="px-1 text-start">{t("fields.itemLabelAr")}</th>
                <th scope="col" className="px-1 text-start">{t("fields.itemLabelEn")}</th>
                <th scope="col" className="px-1 text-start">{t("fields.quantity")}</th>
                <th scope="col" className="px-1 text-start">{t("fields.unitCost", { currency })}</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: rowCount }, (_, i) => {
                const row = initialItems[i] ?? {};
                const cell = (name: "labelAr" | "labelEn" | "quantity" | "unitCost", dir: "rtl" | "ltr", label: string) => {
                  const errors = itemError(i, name);
                  const id = `need-item-${i}-${name}`;
                  return (
                    <td className="px-1 py-1 align-top">
                      <input
                        id={id}
                        name={`items[${i}].${name}`}
                        defaultValue={row[name] ?? ""}
                        dir={dir}
                        inputMode={name === "quantity" ? "numeric" : name === "unitCost" ? "decimal" : undefined}
                        aria-label={t("editor.itemCell", { n: i + 1, field: label })}
                        aria-invalid={errors?.length ? true : undefined}
                        aria-describedby={errors?.length ? `${id}-error` : undefined}
                        className={inputClass}
                      />
                      <ErrorList id={`${id}-error`} errors={errors} />
                    </td>
                  );
                };
                return (
                  <tr key={i}>
                    {cell("labelAr", "rtl", t("fields.itemLabelAr"))}
                    {cell("labelEn", "ltr", t("fields.itemLabelEn"))}
                    {cell("quantity", "ltr", t("fields.quantity"))}
                    {cell("unitCost", "ltr", t("fields.unitCost", { currency }))}
                  </tr>
                );
              })}
            </tbody>
          </table>
          </div>
        </Section>

        <Section id="need-payee" title={t("editor.payee")} description={t("editor.payeeHelp")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label={t("fields.payeeKind")}
              meta={fields.payeeKind}
              options={PAYEE_KINDS.map((p) => ({ value: p, label: t(`payeeKinds.${p}`) }))}
            />
            <PayeeSelect meta={fields.payeeId} options={payeeOptions} kind={hydrated ? payeeKind : null} />
            <Field label={t("fields.payeeName")} meta={fields.payeeName} />
            <div className="sm:col-span-2">
              <TextArea label={t("fields.payeeDetails")} meta={fields.payeeDetails} rows={3} />
            </div>
          </div>
        </Section>

        <Section id="need-public" title={t("editor.public")} description={t("editor.publicHelp")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t("fields.titleAr")} meta={fields.titleAr} dir="rtl" />
            <Field label={t("fields.titleEn")} meta={fields.titleEn} dir="ltr" />
            <TextArea label={t("fields.storyAr")} meta={fields.storyAr} dir="rtl" rows={6} />
            <TextArea label={t("fields.storyEn")} meta={fields.storyEn} dir="ltr" rows={6} />
            <SelectField
              label={t("fields.publicRegion")}
              meta={fields.publicRegionId}
              options={[
                { value: "", label: t("editor.noRegion") },
                ...context.governorates.map((g) => ({ value: g.id, label: locale === "ar" ? g.nameAr : g.nameEn })),
              ]}
            />
            <SelectField
              label={t("fields.ageBand")}
              meta={fields.ageBand}
              options={[...optional, ...AGE_BANDS.map((a) => ({ value: a, label: t(`ageBands.${a}`) }))]}
            />
            <SelectField
              label={t("fields.gender")}
              meta={fields.gender}
              options={[...optional, ...GENDERS.map((g) => ({ value: g, label: t(`genders.${g}`) }))]}
            />
            <SelectField
              label={t("fields.onlyLanguage")}
              meta={fields.onlyLanguage}
              options={[
                { value: "", label: t("editor.bothLanguages") },
                ...ONLY_LANGUAGES.map((l) => ({ value: l, label: t(`editor.onlyLanguageOption.${l}`) })),
              ]}
            />
          </div>
          <p className="mt-2 text-sm text-stone-700">{t("editor.onlyLanguageHelp")}</p>
        </Section>

        <section id="need-guard" aria-labelledby="need-guard-title" className="space-y-3">
          <h2 id="need-guard-title" className="text-lg font-bold">
            {t("editor.checksTitle")}
          </h2>
          {!guard ? (
            <p className="text-sm text-stone-700">{t("editor.checksNotYet")}</p>
          ) : guard.hits.length === 0 ? (
            <Notice tone="success">
              <span data-testid="guard-clean">{t("guard.clean")}</span>
            </Notice>
          ) : (
            <GuardHits fields={guard.fields} hits={guard.hits} confirmed={guard.confirmed} confirmable mode="findings" />
          )}
          {reid?.warn && <ReidentificationWarning reid={reid} />}
          {guard && <p className="text-sm text-stone-700">{t("editor.checksAsOf")}</p>}
        </section>

        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="save" className={buttonClass} data-testid="need-save">
            {submitLabel}
          </button>
          <button type="submit" name="intent" value="preview" formNoValidate className={secondaryButtonClass} data-testid="need-preview">
            {t("editor.previewButton")}
          </button>
        </div>
      </Form>

      <aside aria-labelledby="need-preview-title" className="lg:sticky lg:top-4 lg:self-start">
        <h2 id="need-preview-title" className="mb-1 text-lg font-bold">
          {t("editor.previewTitle")}
        </h2>
        <p className="mb-3 text-sm text-stone-700">{t("editor.previewHelp")}</p>
        <div aria-live="polite" data-testid="need-preview-card">
          <NeedCard need={preview} locale={locale} />
        </div>
      </aside>
    </div>
  );
}

/**
 * The payee record: one of the organisation's payees (grouped by kind; with JavaScript only the
 * chosen kind's), or a new one named in the next field (found or created by the server).
 */
function PayeeSelect({ meta, options, kind }: { meta: FieldMetadata<string | undefined>; options: PayeeOption[]; kind: string | null }) {
  const { t } = useTranslation("needs");
  const { t: tp } = useTranslation("payees");
  const errorId = meta.errors?.length ? meta.errorId : undefined;
  const hintId = `${meta.id}-hint`;
  const kinds = PAYEE_KINDS.filter((k) => (kind === null || k === kind) && options.some((o) => o.kind === k));
  return (
    <div className="space-y-1 sm:col-span-2">
      <label htmlFor={meta.id} className="block font-bold">
        {tp("editor.payee")}
      </label>
      <p id={hintId} className="text-sm text-stone-700">
        {tp("editor.pickHelp")}
      </p>
      <select
        id={meta.id}
        name={meta.name}
        defaultValue={(meta.initialValue as string | undefined) ?? ""}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ")}
        className={inputClass}
        data-testid="need-payee-select"
      >
        <option value="">{tp("editor.newPayee")}</option>
        {kinds.map((k) => (
          <optgroup key={k} label={t(`payeeKinds.${k}`)}>
            {options
              .filter((o) => o.kind === k)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.own ? `${o.name} (${tp("editor.ownHousehold")})` : o.name}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <ErrorList id={errorId} errors={meta.errors} />
    </div>
  );
}

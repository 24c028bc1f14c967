import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { inputClass } from "~/components/staff";
import { CheckboxGroup } from "~/components/giving/checkbox-group";
import { NEED_CATEGORIES } from "~/modules/needs/schemas";

/** A field's messages on an appeal form (`errors` as the action answers them, already translated). */
export function appealErrs(errors: Record<string, string[]> | undefined) {
  return (name: string) =>
    (errors?.[name] ?? []).map((e) => (
      <p key={e} className="text-sm font-bold text-red-800" data-testid={`appeal-error-${name}`}>
        {e}
      </p>
    ));
}

/**
 * The fields every new appeal has, an organisation's (/staff/:org/appeals) or the platform's
 * (/admin/appeals): its address, kind, titles, stories and window. `errs(name)` shows a field's
 * messages; `kinds` are the kinds offered, first one chosen.
 */
export function AppealCommonFields({ errs, kinds }: { errs: (name: string) => ReactNode; kinds: { value: "matched" | "emergency"; label: string }[] }) {
  const { t } = useTranslation("giving");
  return (
    <>
      <label className="block">
        <span className="block font-bold">{t("appeals.fields.slug")}</span>
        <input name="slug" dir="ltr" required className={inputClass} data-testid="appeal-slug" />
        {errs("slug")}
      </label>
      <fieldset>
        <legend className="font-bold">{t("appeals.fields.kind")}</legend>
        {kinds.map((k, i) => (
          <label key={k.value} className="me-4 inline-flex items-center gap-2">
            <input type="radio" name="kind" value={k.value} defaultChecked={i === 0} />
            {k.label}
          </label>
        ))}
        {errs("kind")}
      </fieldset>
      <label className="block">
        <span className="block font-bold">{t("appeals.fields.titleAr")}</span>
        <input name="titleAr" dir="rtl" lang="ar" className={inputClass} data-testid="appeal-title-ar" />
        {errs("titleAr")}
      </label>
      <label className="block">
        <span className="block font-bold">{t("appeals.fields.titleEn")}</span>
        <input name="titleEn" dir="ltr" lang="en" className={inputClass} />
        {errs("titleEn")}
      </label>
      <label className="block">
        <span className="block font-bold">{t("appeals.fields.storyAr")}</span>
        <textarea name="storyAr" dir="rtl" lang="ar" rows={3} className={inputClass} />
        {errs("storyAr")}
      </label>
      <label className="block">
        <span className="block font-bold">{t("appeals.fields.storyEn")}</span>
        <textarea name="storyEn" dir="ltr" lang="en" rows={3} className={inputClass} />
        {errs("storyEn")}
      </label>
      <div className="flex flex-wrap gap-3">
        <label className="block">
          <span className="block font-bold">{t("appeals.fields.startsOn")}</span>
          <input name="startsOn" type="date" dir="ltr" required className={inputClass} data-testid="appeal-starts" />
          {errs("startsOn")}
        </label>
        <label className="block">
          <span className="block font-bold">{t("appeals.fields.endsOn")}</span>
          <input name="endsOn" type="date" dir="ltr" required className={inputClass} data-testid="appeal-ends" />
          {errs("endsOn")}
        </label>
      </div>
    </>
  );
}

/** The kinds of need an appeal gathers (none ticked: every kind), on both appeal forms. */
export function AppealCategories({ errors }: { errors: string[] | undefined }) {
  const { t } = useTranslation(["giving", "needs"]);
  return (
    <CheckboxGroup
      legend={t("giving:appeals.fields.categories")}
      name="categories"
      options={NEED_CATEGORIES.map((c) => ({ value: c, label: t(`needs:categories.${c}`) }))}
      checked={[]}
      errors={errors}
    />
  );
}

import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import type { GuardHit } from "~/modules/anonymization/guard";

/**
 * A refusal of the anonymization guard: each public field that offends, with the offending words
 * marked, and the list of words with why each one was refused.
 */
export function GuardHits({ fields, hits }: { fields: Record<string, string | null>; hits: GuardHit[] }) {
  const { t } = useTranslation("needs");
  const byField = new Map<string, GuardHit[]>();
  for (const hit of hits) byField.set(hit.field, [...(byField.get(hit.field) ?? []), hit]);
  const label = (field: string) => {
    const item = /^items\[(\d+)\]\.(labelAr|labelEn)$/.exec(field);
    if (item) return t("guard.itemField", { n: Number(item[1]) + 1, field: t(`fields.itemLabel${item[2] === "labelAr" ? "Ar" : "En"}`) });
    return t(`fields.${field}`);
  };
  return (
    <div className="space-y-3 rounded border border-red-300 bg-red-50 p-4" data-testid="guard-hits">
      <p className="font-bold text-red-900">{t("guard.title")}</p>
      <p className="text-sm">{t("guard.help")}</p>
      {[...byField.entries()].map(([field, fieldHits]) => {
        const text = fields[field] ?? "";
        const sorted = [...fieldHits].sort((a, b) => a.start - b.start);
        const parts: React.ReactNode[] = [];
        let at = 0;
        sorted.forEach((hit, i) => {
          if (hit.start < at) return;
          parts.push(<Fragment key={`t${i}`}>{text.slice(at, hit.start)}</Fragment>);
          parts.push(
            <mark key={`m${i}`} className="rounded bg-yellow-200 px-0.5 font-bold text-stone-950" data-testid="guard-mark">
              {text.slice(hit.start, hit.end)}
            </mark>,
          );
          at = hit.end;
        });
        parts.push(<Fragment key="rest">{text.slice(at)}</Fragment>);
        const isAr = field.endsWith("Ar");
        return (
          <div key={field}>
            <p className="text-sm font-bold">{label(field)}</p>
            <p className="mt-1 whitespace-pre-line rounded bg-white p-2" dir={isAr ? "rtl" : "ltr"} lang={isAr ? "ar" : "en"}>
              {parts}
            </p>
          </div>
        );
      })}
      <ul className="list-inside list-disc text-sm">
        {hits.map((hit, i) => (
          <li key={i}>
            {t("guard.hitLine", { word: hit.text, field: label(hit.field), reason: t(`guard.reasons.${hit.reason}`) })}
          </li>
        ))}
      </ul>
    </div>
  );
}

import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import type { GuardHit } from "~/modules/anonymization/guard";

/** How a hit stands: blocks, may be confirmed by the author, or was confirmed by the author. */
export type HitTone = "block" | "confirm" | "confirmed";

export function toneOf(hit: GuardHit, confirmed: readonly string[]): HitTone {
  if (hit.severity !== "confirm") return "block";
  return confirmed.includes(hit.occurrence) ? "confirmed" : "confirm";
}

const MARK_CLASS: Record<HitTone, string> = {
  block: "rounded bg-red-200 px-0.5 font-bold text-stone-950 underline decoration-red-700 decoration-2",
  confirm: "rounded bg-yellow-200 px-0.5 font-bold text-stone-950 underline decoration-dotted decoration-2",
  confirmed: "rounded bg-amber-100 px-0.5 text-stone-950 outline outline-1 outline-amber-500",
};

/** A text with the guard's hits marked (red: blocks; yellow: to confirm; amber outline: confirmed by the author). */
export function HighlightedText({ text, hits, confirmed = [] }: { text: string; hits: readonly GuardHit[]; confirmed?: readonly string[] }) {
  const { t } = useTranslation("needs");
  const sorted = [...hits].sort((a, b) => a.start - b.start);
  const parts: React.ReactNode[] = [];
  let at = 0;
  sorted.forEach((hit, i) => {
    if (hit.start < at || hit.end > text.length) return;
    const tone = toneOf(hit, confirmed);
    parts.push(<Fragment key={`t${i}`}>{text.slice(at, hit.start)}</Fragment>);
    parts.push(
      <mark key={`m${i}`} className={MARK_CLASS[tone]} title={t(`guard.tones.${tone}`)} data-testid="guard-mark" data-tone={tone}>
        {text.slice(hit.start, hit.end)}
      </mark>,
    );
    at = hit.end;
  });
  parts.push(<Fragment key="rest">{text.slice(at)}</Fragment>);
  return <>{parts}</>;
}

/**
 * The anonymization guard's findings: each public field that has some, with the words marked,
 * and the list of words with why each one was found. In the editor (`confirmable`), each
 * possible name that is also an ordinary word gets a checkbox "this is not the person's name"
 * (posted with the form as `confirm`); elsewhere a confirmed occurrence is shown as confirmed.
 */
export function GuardHits({
  fields,
  hits,
  confirmed = [],
  confirmable = false,
  mode = "refusal",
}: {
  fields: Record<string, string | null>;
  hits: GuardHit[];
  confirmed?: readonly string[];
  confirmable?: boolean;
  /** refusal: a step was refused; findings: the editor or the verifier's view. */
  mode?: "refusal" | "findings";
}) {
  const { t } = useTranslation("needs");
  const byField = new Map<string, GuardHit[]>();
  for (const hit of hits) byField.set(hit.field, [...(byField.get(hit.field) ?? []), hit]);
  const label = (field: string) => {
    const item = /^items\[(\d+)\]\.(labelAr|labelEn)$/.exec(field);
    if (item) return t("guard.itemField", { n: Number(item[1]) + 1, field: t(`fields.itemLabel${item[2] === "labelAr" ? "Ar" : "En"}`) });
    return t(`fields.${field}`);
  };
  const blocking = hits.filter((h) => toneOf(h, confirmed) !== "confirmed").length;
  const tone = blocking > 0 ? "border-red-300 bg-red-50" : "border-amber-300 bg-amber-50";
  return (
    <div className={`space-y-3 rounded border p-4 ${tone}`} data-testid="guard-hits" role={mode === "refusal" ? "alert" : undefined}>
      <p className="font-bold text-red-900">{mode === "refusal" ? t("guard.title") : t("guard.findingsTitle", { count: hits.length })}</p>
      <p className="text-sm">{mode === "refusal" ? t("guard.help") : t("guard.findingsHelp")}</p>
      {[...byField.entries()].map(([field, fieldHits]) => {
        const isAr = field.endsWith("Ar");
        return (
          <div key={field}>
            <p className="text-sm font-bold">{label(field)}</p>
            <p className="mt-1 whitespace-pre-line rounded bg-white p-2" dir={isAr ? "rtl" : "ltr"} lang={isAr ? "ar" : "en"}>
              <HighlightedText text={fields[field] ?? ""} hits={fieldHits} confirmed={confirmed} />
            </p>
          </div>
        );
      })}
      <ul className="space-y-1 text-sm" data-testid="guard-hit-list">
        {hits.map((hit, i) => {
          const hitTone = toneOf(hit, confirmed);
          const line = t("guard.hitLine", { word: hit.text, field: label(hit.field), reason: t(`guard.reasons.${hit.reason}`) });
          if (hit.severity === "confirm" && confirmable) {
            const id = `guard-confirm-${i}`;
            return (
              <li key={`${hit.occurrence}-${hitTone}`} className="rounded bg-white p-2">
                <p>{line}</p>
                <label htmlFor={id} className="mt-1 flex items-start gap-2 font-bold">
                  <input
                    id={id}
                    type="checkbox"
                    name="confirm"
                    value={hit.occurrence}
                    defaultChecked={hitTone === "confirmed"}
                    className="mt-1 h-5 w-5"
                    data-testid="guard-confirm"
                  />
                  <span>{t("guard.confirmLabel", { word: hit.text })}</span>
                </label>
              </li>
            );
          }
          return (
            <li key={i} data-tone={hitTone}>
              {line}
              {hitTone === "confirmed" && <span className="ms-2 rounded bg-amber-100 px-1 font-bold text-amber-900">{t("guard.tones.confirmed")}</span>}
              {hitTone === "confirm" && <span className="ms-2 rounded bg-yellow-100 px-1 font-bold">{t("guard.tones.confirm")}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

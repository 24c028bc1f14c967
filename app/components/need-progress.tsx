import type { PublicNeed, PublicProgress } from "~/modules/anonymization/public-need";
import { formatNumber } from "~/utils/format";
import { tNodes, useFastT } from "~/utils/fast-t";
import { Money } from "./bidi";
import type { Locale } from "~/utils/i18n";

/**
 * Where a need stands, the same on every donor page (the card, the need page, the pledge form):
 * received / target as an accessible bar (role="progressbar"; pledged money a lighter stretch
 * after it), then the three figures of `needFigures` — received, pledged but not yet received,
 * remaining — the donors whose money arrived and, when over, the status.
 */
export function NeedProgress({
  need,
  progress,
  locale,
}: {
  need: Pick<PublicNeed, "publicId" | "targetMinor" | "currency">;
  progress: PublicProgress;
  locale: Locale;
}) {
  const t = useFastT("public");
  const money = (minor: number) => <Money minor={minor} currency={need.currency} locale={locale} />;
  const raisedOf = tNodes(t, "progress.raisedOf", { raised: money(progress.raisedMinor), target: money(need.targetMinor) });
  const labelId = `need-${need.publicId}-progress`;
  const pledgedPercent =
    need.targetMinor > 0 ? Math.min(100 - progress.percent, Math.floor((progress.reservedMinor * 100) / need.targetMinor)) : 0;
  const figures = [
    ["received", progress.raisedMinor],
    ["pledged", progress.reservedMinor],
    ["remaining", progress.remainingMinor],
  ] as const;
  return (
    <div className="space-y-1 text-sm" data-testid="need-progress">
      <p id={labelId} className="font-bold tabular-nums">
        {raisedOf}
      </p>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress.percent}
        aria-valuetext={t("progress.percent", { percent: formatNumber(progress.percent, locale) })}
        className="h-2.5 w-full overflow-hidden rounded-full bg-stone-200"
      >
        {/* SVG widths, not a style attribute: the CSP allows no inline styles (decision 052). */}
        <svg aria-hidden="true" focusable="false" className="block h-full w-full rtl:-scale-x-100" preserveAspectRatio="none">
          {pledgedPercent > 0 && (
            <rect x={`${progress.percent}%`} width={`${pledgedPercent}%`} height="100%" className="fill-emerald-300" />
          )}
          <rect width={`${progress.percent}%`} height="100%" rx="5" className="fill-brand-700" />
        </svg>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 tabular-nums" data-testid="need-figures">
        {figures.map(([key, minor]) => (
          <div key={key} className="contents">
            <dt className="text-stone-700">{t(`progress.figures.${key}`)}</dt>
            <dd className="font-bold" data-testid={`need-figure-${key}`}>
              {money(minor)}
            </dd>
          </div>
        ))}
      </dl>
      <p className="flex flex-wrap justify-between gap-2 text-stone-700">
        <span>{t("progress.percent", { percent: formatNumber(progress.percent, locale) })}</span>
        <span data-testid="need-donors">
          {t("progress.donors", { count: progress.donorCount, n: formatNumber(progress.donorCount, locale) })}
        </span>
      </p>
      {progress.status !== "open" && (
        <p className="font-bold text-emerald-900" data-testid="need-status">
          {t(`progress.status.${progress.status}`)}
        </p>
      )}
    </div>
  );
}

import { useTranslation } from "react-i18next";
import type { PublicNeed, PublicProgress } from "~/modules/anonymization/public-need";
import { formatMoney, formatNumber } from "~/utils/format";
import type { Locale } from "~/utils/i18n";

/** Raised / target as an accessible bar (role="progressbar"), the donors and, when over, the status. */
export function NeedProgress({
  need,
  progress,
  locale,
  showPending = false,
}: {
  need: Pick<PublicNeed, "publicId" | "targetMinor" | "currency">;
  progress: PublicProgress;
  locale: Locale;
  showPending?: boolean;
}) {
  const { t } = useTranslation("public");
  const raisedOf = t("progress.raisedOf", {
    raised: formatMoney(progress.raisedMinor, need.currency, locale),
    target: formatMoney(need.targetMinor, need.currency, locale),
  });
  const labelId = `need-${need.publicId}-progress`;
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
        {/* An SVG width, not a style attribute: the CSP allows no inline styles (decision 052). */}
        <svg aria-hidden="true" focusable="false" className="block h-full w-full rtl:-scale-x-100" preserveAspectRatio="none">
          <rect width={`${progress.percent}%`} height="100%" rx="5" className="fill-brand-700" />
        </svg>
      </div>
      <p className="flex flex-wrap justify-between gap-2 text-stone-700">
        <span>{t("progress.percent", { percent: formatNumber(progress.percent, locale) })}</span>
        <span data-testid="need-donors">
          {t("progress.donors", { count: progress.donorCount, n: formatNumber(progress.donorCount, locale) })}
        </span>
      </p>
      {showPending && progress.reservedMinor > 0 && (
        <p className="text-stone-700">{t("progress.pending", { amount: formatMoney(progress.reservedMinor, need.currency, locale) })}</p>
      )}
      {progress.status !== "open" && (
        <p className="font-bold text-emerald-900" data-testid="need-status">
          {t(`progress.status.${progress.status}`)}
        </p>
      )}
    </div>
  );
}

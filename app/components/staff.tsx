import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "~/utils/format";
import { isLocale, type Locale } from "~/utils/i18n";

/** UI pieces shared by the staff, finance and platform pages. */

export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return isLocale(i18n.language) ? i18n.language : "ar";
}

export function PageTitle({ title, intro, children }: { title: string; intro?: ReactNode; children?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{title}</h1>
        {intro && <p className="mt-1 max-w-3xl leading-relaxed text-stone-700">{intro}</p>}
      </div>
      {children}
    </div>
  );
}

export function Section({
  id,
  title,
  children,
  description,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-4 rounded-lg border border-stone-200 bg-white p-5 shadow-sm">
      <h2 id={`${id}-title`} className="text-lg font-bold">
        {title}
      </h2>
      {description && <p className="mt-1 text-sm text-stone-700">{description}</p>}
      <div className="mt-4">{children}</div>
    </section>
  );
}

export const tableClass = "w-full border-collapse text-start text-sm";
export const thClass = "border-b border-stone-300 px-2 py-2 text-start font-bold";
export const tdClass = "border-b border-stone-200 px-2 py-2 align-top";
export const buttonClass =
  "rounded bg-brand-700 px-3 py-1.5 text-sm font-bold text-white hover:bg-brand-800";
export const secondaryButtonClass =
  "rounded border border-stone-400 bg-white px-3 py-1.5 text-sm font-bold text-stone-900 hover:bg-stone-100";
export const dangerButtonClass =
  "rounded border border-red-700 bg-white px-3 py-1.5 text-sm font-bold text-red-800 hover:bg-red-50";
export const inputClass =
  "block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700";
export const linkClass = "text-brand-700 underline underline-offset-2 hover:text-brand-800";

/**
 * A horizontal bar chart in plain HTML and SVG: each bar is a labelled row, the numbers are text
 * (screen readers read the list; the bars themselves are decoration).
 */
export function BarChart({
  label,
  items,
}: {
  label: string;
  items: { key: string; label: string; value: number }[];
}) {
  const locale = useLocale();
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <figure>
      <figcaption className="sr-only">{label}</figcaption>
      <ul className="space-y-2">
        {items.map((item) => (
          <li key={item.key} className="grid grid-cols-[minmax(7rem,12rem)_1fr_auto] items-center gap-3">
            <span className="text-sm">{item.label}</span>
            {/* An SVG width, not a style attribute: the CSP allows no inline styles (decision 052). */}
            <svg aria-hidden="true" focusable="false" className="block h-4 w-full rounded bg-stone-100 rtl:-scale-x-100" preserveAspectRatio="none">
              {item.value > 0 && <rect width={`${Math.max(2, (item.value / max) * 100)}%`} height="100%" rx="4" className="fill-brand-600" />}
            </svg>
            <span className="min-w-8 text-end font-bold tabular-nums">{formatNumber(item.value, locale)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** A person's roles as small labels. */
export function RoleBadges({ roles }: { roles: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <ul className="flex flex-wrap gap-1">
      {roles.map((role) => (
        <li key={role} className="rounded bg-brand-50 px-2 py-0.5 text-xs font-bold text-brand-800">
          {t(`common:roles.${role}`)}
        </li>
      ))}
    </ul>
  );
}

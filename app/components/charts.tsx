/**
 * Server-rendered charts in plain SVG (no JavaScript, no chart library): each bar has a <title>
 * (a tooltip and an accessible name), the figure has a caption, and the numbers are also in the
 * table beside it. Right-to-left aware: in Arabic the months run from the right and horizontal
 * bars grow from the right, with their labels on the right. Colours are classes (the CSP allows
 * no inline styles).
 */
import { useDigits } from "./bidi";

export interface SeriesPoint {
  key: string;
  /** Axis label (already translated / formatted). */
  label: string;
  values: number[];
  /** The tooltip per value (already formatted, e.g. "Donations: $12.00"). */
  titles: string[];
}

const SERIES_CLASSES = ["fill-brand-600", "fill-amber-500", "fill-stone-500"];

/** Vertical grouped bars, one group per month. */
export function MonthBarChart({
  caption,
  points,
  legend,
  dir,
  height = 220,
}: {
  caption: string;
  points: SeriesPoint[];
  legend: string[];
  dir: "rtl" | "ltr";
  height?: number;
}) {
  const groupWidth = 56;
  const pad = 24;
  const labelSpace = 28;
  const width = Math.max(240, points.length * groupWidth + pad * 2);
  const max = Math.max(1, ...points.flatMap((p) => p.values));
  const plot = height - labelSpace - 8;
  const series = Math.max(1, legend.length);
  const barWidth = Math.floor((groupWidth - 12) / series);
  const ordered = dir === "rtl" ? [...points].reverse() : points;
  return (
    <figure className="overflow-x-auto">
      <figcaption className="mb-2 text-sm font-bold">{caption}</figcaption>
      <svg role="img" aria-label={caption} viewBox={`0 0 ${width} ${height}`} width={width} height={height} className="max-w-full">
        <title>{caption}</title>
        <line x1={pad} x2={width - pad} y1={plot + 4} y2={plot + 4} className="stroke-stone-400" strokeWidth={1} />
        {ordered.map((p, i) => {
          const x0 = pad + i * groupWidth + 6;
          return (
            <g key={p.key}>
              {p.values.map((v, s) => {
                const h = v > 0 ? Math.max(2, Math.round((v / max) * (plot - 8))) : 0;
                const sx = dir === "rtl" ? x0 + (series - 1 - s) * barWidth : x0 + s * barWidth;
                return (
                  <rect key={s} x={sx} y={plot + 4 - h} width={barWidth - 2} height={h} className={SERIES_CLASSES[s % SERIES_CLASSES.length]}>
                    <title>{`${p.label} — ${p.titles[s] ?? ""}`}</title>
                  </rect>
                );
              })}
              <text x={x0 + (groupWidth - 12) / 2} y={height - 10} textAnchor="middle" className="fill-stone-700 text-[11px]" direction="ltr">
                {p.label}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="mt-2 flex flex-wrap gap-4 text-sm" aria-hidden="true">
        {legend.map((name, s) => (
          <li key={name} className="flex items-center gap-1">
            <svg width="12" height="12" aria-hidden="true" focusable="false">
              <rect width="12" height="12" className={SERIES_CLASSES[s % SERIES_CLASSES.length]} />
            </svg>
            {name}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Horizontal bars, one per item (e.g. per category), the label and the formatted value beside it. */
export function HorizontalBarChart({
  caption,
  items,
  dir,
}: {
  caption: string;
  items: { key: string; label: string; value: number; valueLabel: string }[];
  dir: "rtl" | "ltr";
}) {
  const digits = useDigits();
  const rowHeight = 26;
  const labelWidth = 150;
  const valueWidth = 110;
  const barSpace = 260;
  const width = labelWidth + barSpace + valueWidth;
  const height = Math.max(rowHeight, items.length * rowHeight);
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <figure className="overflow-x-auto">
      <figcaption className="mb-2 text-sm font-bold">{caption}</figcaption>
      <svg role="img" aria-label={caption} viewBox={`0 0 ${width} ${height}`} width={width} height={height} className="max-w-full" direction={dir}>
        <title>{caption}</title>
        {items.map((item, i) => {
          const y = i * rowHeight;
          const w = item.value > 0 ? Math.max(2, Math.round((item.value / max) * barSpace)) : 0;
          const rtl = dir === "rtl";
          const labelX = rtl ? width - 4 : 4;
          const barX = rtl ? width - labelWidth - w : labelWidth;
          const valueX = rtl ? width - labelWidth - w - 6 : labelWidth + w + 6;
          return (
            <g key={item.key}>
              <text x={labelX} y={y + 17} textAnchor="start" className="fill-stone-800 text-[12px]">
                {item.label}
              </text>
              <rect x={barX} y={y + 5} width={w} height={rowHeight - 10} rx={3} className="fill-brand-600">
                <title>{`${item.label}: ${item.valueLabel}`}</title>
              </rect>
              {/* The value (money, a count) is a left-to-right run in either language, ending at the bar in RTL. */}
              <text x={valueX} y={y + 17} textAnchor={rtl ? "end" : "start"} direction="ltr" unicodeBidi="isolate" className="fill-stone-700 text-[12px]">
                {digits(item.valueLabel)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** A month picker (YYYY-MM) that works without JavaScript (a text box where `month` inputs are missing). */
export function MonthField({ id, name, label, defaultValue }: { id: string; name: string; label: string; defaultValue?: string }) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block font-bold">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="month"
        defaultValue={defaultValue}
        pattern="\d{4}-\d{2}"
        placeholder="YYYY-MM"
        dir="ltr"
        className="block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base"
      />
    </div>
  );
}

import { useTranslation } from "react-i18next";
import type { RegionNode, RegionRow } from "~/modules/organizations/regions";
import { ErrorList } from "./forms";
import { inputClass } from "./staff";

/** UI pieces of the household registry pages. */

/** "South › Tyre › Camp" for every region of the organisation, in the reader's language. */
export function regionPaths(rows: readonly RegionRow[], locale: string): Map<string, string> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, string>();
  for (const row of rows) {
    const names: string[] = [];
    let cursor: RegionRow | undefined = row;
    for (let depth = 0; cursor && depth < 5; depth++) {
      names.unshift(locale === "ar" ? cursor.nameAr : cursor.nameEn);
      cursor = cursor.parentId ? byId.get(cursor.parentId) : undefined;
    }
    out.set(row.id, names.join(" › "));
  }
  return out;
}

function flatten(nodes: RegionNode[], depth = 0): { node: RegionNode; depth: number }[] {
  return nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);
}

/** A select of the organisation's own regions, indented by level; the first option is "none". */
export function RegionSelect({
  id,
  name = "regionId",
  label,
  tree,
  defaultValue,
  errors,
  emptyLabel,
}: {
  id: string;
  name?: string;
  label: string;
  tree: RegionNode[];
  defaultValue?: string | null;
  errors?: string[] | null;
  emptyLabel: string;
}) {
  const { i18n } = useTranslation();
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-bold">
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className={inputClass}
      >
        <option value="">{emptyLabel}</option>
        {flatten(tree).map(({ node, depth }) => (
          <option key={node.id} value={node.id}>
            {`${"\u00a0\u00a0".repeat(depth)}${depth > 0 ? "– " : ""}${i18n.language === "ar" ? node.nameAr : node.nameEn}`}
          </option>
        ))}
      </select>
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

const statusTones: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-900",
  moved: "bg-sky-50 text-sky-900",
  graduated: "bg-brand-50 text-brand-800",
  closed: "bg-stone-100 text-stone-800",
  pending: "bg-amber-50 text-amber-950",
};

export function StatusBadge({ label, tone }: { label: string; tone: string }) {
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-bold ${statusTones[tone] ?? statusTones.closed}`}>{label}</span>;
}

/** A labelled plain input (uncontrolled) with its errors, for forms that are not conform-managed. */
export function PlainField({
  id,
  name,
  label,
  errors,
  type = "text",
  defaultValue,
  hint,
  dir,
  required,
  min,
  max,
}: {
  id: string;
  name: string;
  label: string;
  errors?: string[] | null;
  type?: "text" | "number" | "date" | "tel";
  defaultValue?: string | number | null;
  hint?: string;
  dir?: "ltr" | "rtl" | "auto";
  required?: boolean;
  min?: number | string;
  max?: number | string;
}) {
  const errorId = errors?.length ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-bold">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-stone-700">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        type={type}
        dir={dir}
        required={required}
        min={min}
        max={max}
        defaultValue={defaultValue ?? ""}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className={inputClass}
      />
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

export function PlainSelect({
  id,
  name,
  label,
  options,
  errors,
  defaultValue,
}: {
  id: string;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  errors?: string[] | null;
  defaultValue?: string | null;
}) {
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-bold">
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className={inputClass}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

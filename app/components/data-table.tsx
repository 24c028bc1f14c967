import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { Section, buttonClass, secondaryButtonClass, tableClass, thClass } from "~/components/staff";

/**
 * The staff, finance and platform tables: a filter form (a plain GET form, works without
 * JavaScript), the table in a box of its own that scrolls sideways on a phone instead of widening
 * the page, the empty state and the pagination footer.
 *
 * The scroll box is `relative`: a visually hidden label (`sr-only` is position:absolute) inside a
 * cell is then laid out against the box, not against the page, so it cannot stretch the document
 * past the screen. It is `max-w-full` and `min-w-0` so it also shrinks inside flex and grid parents.
 */
export const scrollBoxClass = "relative min-w-0 max-w-full overflow-x-auto";

/** A table's box: scrolls sideways on its own; focusable and named when it does (keyboard users scroll it). */
export function TableBox({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    // tabIndex: a region that scrolls must be reachable by keyboard (axe: scrollable-region-focusable)
    <div role="region" aria-label={label} tabIndex={0} className={className ? `${scrollBoxClass} ${className}` : scrollBoxClass}>
      {children}
    </div>
  );
}

export interface Column {
  /** The header text (also when hidden: a screen reader reads it). */
  label: ReactNode;
  /** Visually hidden header (an actions column). */
  hidden?: boolean;
  className?: string;
}

export interface DataTableProps<T> {
  /** The table's caption (read by screen readers) and the scroll box's name. */
  caption: string;
  columns: readonly (Column | string)[];
  rows: readonly T[];
  /** One `<tr>` per row (its first cell a `<th scope="row">` where the row has a name). */
  renderRow: (row: T, index: number) => ReactNode;
  /** What shows instead of the table when there are no rows. */
  empty: ReactNode;
  testId?: string;
  /** The pagination footer: shown when there is more than one page. */
  page?: number;
  pages?: number;
  /** Extra rows under the body (totals). */
  footer?: ReactNode;
}

/** A contained table with its empty state and pagination footer. */
export function DataTable<T>({ caption, columns, rows, renderRow, empty, testId, page, pages, footer }: DataTableProps<T>) {
  return (
    <>
      {rows.length === 0 ? (
        typeof empty === "string" ? <p data-testid={testId ? `${testId}-empty` : undefined}>{empty}</p> : empty
      ) : (
        <TableBox label={caption}>
          <table className={tableClass} data-testid={testId}>
            <caption className="sr-only">{caption}</caption>
            <thead>
              <tr>
                {columns.map((c, i) => {
                  const col: Column = typeof c === "string" ? { label: c } : c;
                  return (
                    <th key={i} scope="col" className={col.className ? `${thClass} ${col.className}` : thClass}>
                      {col.hidden ? <span className="sr-only">{col.label}</span> : col.label}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>{rows.map((row, i) => renderRow(row, i))}</tbody>
            {footer}
          </table>
        </TableBox>
      )}
      {page !== undefined && pages !== undefined && <Pagination page={page} pages={pages} />}
    </>
  );
}

export interface FilterFormProps {
  children: ReactNode;
  submitLabel: string;
  resetLabel: string;
  /** Where "reset" goes (the list without filters); the link shows only while a filter is on. */
  resetTo: string;
  active: boolean;
  /** Grid columns of the form at large widths (default 4). */
  columns?: 2 | 3 | 4;
  /** Hidden fields kept across a filter change (e.g. a queue chosen elsewhere). */
  hidden?: Record<string, string | undefined>;
}

const GRID: Record<2 | 3 | 4, string> = {
  2: "grid gap-4 sm:grid-cols-2 sm:items-end",
  3: "grid gap-4 sm:grid-cols-2 lg:grid-cols-3 lg:items-end",
  4: "grid gap-4 sm:grid-cols-2 lg:grid-cols-4 lg:items-end",
};

/** The filters: a GET form (the URL holds the filters, so a filtered list can be shared and works without JavaScript). */
export function FilterForm({ children, submitLabel, resetLabel, resetTo, active, columns = 4, hidden }: FilterFormProps) {
  return (
    <Form method="get" className={GRID[columns]} role="search">
      {hidden &&
        Object.entries(hidden).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      {children}
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={buttonClass}>
          {submitLabel}
        </button>
        {active && (
          <Link to={resetTo} className={secondaryButtonClass}>
            {resetLabel}
          </Link>
        )}
      </div>
    </Form>
  );
}

/**
 * The whole filtered list: the filter form (in its own section when `filters.title` is given, else
 * above the table), anything between (`children`: a queue heading), then the table, its empty
 * state and the pagination footer in the results section.
 */
export function FilteredTable<T>({
  id,
  title,
  filters,
  children,
  ...table
}: DataTableProps<T> & {
  /** The results section's id and heading. */
  id: string;
  title: string;
  filters?: Omit<FilterFormProps, "children"> & { id?: string; title?: string; fields: ReactNode };
  children?: ReactNode;
}) {
  const form = filters && (
    <FilterForm {...filters}>
      {filters.fields}
    </FilterForm>
  );
  const separate = Boolean(filters?.title);
  return (
    <>
      {separate && filters && (
        <Section id={filters.id ?? `${id}-filters`} title={filters.title!}>
          {form}
        </Section>
      )}
      <Section id={id} title={title}>
        {!separate && form}
        {children}
        <div className={!separate && form ? "mt-4" : undefined}>
          <DataTable {...table} />
        </div>
      </Section>
    </>
  );
}

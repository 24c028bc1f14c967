import { ErrorList } from "~/components/forms";

/** A fieldset of checkboxes sending one name many times (conform reads it as a list); works without JavaScript. */
export function CheckboxGroup({
  legend,
  name,
  hint,
  options,
  checked,
  errors,
  testId,
}: {
  legend: string;
  name: string;
  hint?: string;
  options: { value: string; label: string; note?: string }[];
  checked: readonly string[];
  errors?: string[] | null;
  testId?: string;
}) {
  const errorId = errors?.length ? `${name}-error` : undefined;
  const hintId = hint ? `${name}-hint` : undefined;
  return (
    <fieldset className="space-y-2" aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined} data-testid={testId}>
      <legend className="font-bold">{legend}</legend>
      {hint && (
        <p id={hintId} className="text-sm text-stone-700">
          {hint}
        </p>
      )}
      <div className="grid gap-2 sm:grid-cols-2">
        {options.map((o) => (
          <label key={o.value} className="flex items-start gap-2">
            <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} className="mt-1 h-4 w-4 shrink-0" />
            <span>
              {o.label}
              {o.note && <span className="block text-sm text-stone-700">{o.note}</span>}
            </span>
          </label>
        ))}
      </div>
      <ErrorList id={errorId} errors={errors} />
    </fieldset>
  );
}

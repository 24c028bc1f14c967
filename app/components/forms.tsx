import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * Error messages from zod schemas are i18n keys (`errors:required`); they are translated here,
 * so the server and the browser speak the user's language with one schema.
 */
export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const { t } = useTranslation();
  if (!errors || errors.length === 0) return null;
  return (
    <ul id={id} className="mt-1 space-y-1 text-sm font-bold text-red-800" role="alert">
      {errors.map((error) => (
        <li key={error}>{t(error)}</li>
      ))}
    </ul>
  );
}

export function Field({
  label,
  meta,
  type = "text",
  hint,
  autoComplete,
  dir,
  defaultValue,
}: {
  label: string;
  meta: FieldMetadata<string | undefined | null> | FieldMetadata<string>;
  type?: "text" | "email" | "password" | "tel" | "number" | "date" | "url" | "hidden";
  hint?: ReactNode;
  autoComplete?: string;
  dir?: "ltr" | "rtl" | "auto";
  defaultValue?: string;
}) {
  const errorId = meta.errors?.length ? meta.errorId : undefined;
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta as FieldMetadata<string>, { type, ariaAttributes: true });
  return (
    <div className="space-y-1">
      <label htmlFor={meta.id} className="block font-bold">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-stone-700">
          {hint}
        </p>
      )}
      <input
        {...props}
        key={props.key}
        defaultValue={defaultValue ?? props.defaultValue}
        autoComplete={autoComplete}
        dir={dir}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className="block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700"
      />
      <ErrorList id={errorId} errors={meta.errors} />
    </div>
  );
}

export function SelectField({
  label,
  meta,
  options,
  defaultValue,
}: {
  label: string;
  meta: FieldMetadata<string | undefined | null> | FieldMetadata<string>;
  options: { value: string; label: string }[];
  defaultValue?: string;
}) {
  const errorId = meta.errors?.length ? meta.errorId : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={meta.id} className="block font-bold">
        {label}
      </label>
      <select
        id={meta.id}
        name={meta.name}
        defaultValue={defaultValue ?? (meta.initialValue as string | undefined)}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className="block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorList id={errorId} errors={meta.errors} />
    </div>
  );
}

/** Form-level message (not tied to one field), e.g. "wrong email or password". */
export function FormMessage({ id, errors }: { id?: string; errors?: string[] | null }) {
  const { t } = useTranslation();
  if (!errors || errors.length === 0) return null;
  return (
    <div id={id} role="alert" className="rounded border border-red-300 bg-red-50 p-3 font-bold text-red-900">
      {errors.map((e) => (
        <p key={e}>{t(e)}</p>
      ))}
    </div>
  );
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" | "warning" }) {
  const tones = {
    info: "border-sky-300 bg-sky-50 text-sky-950",
    success: "border-emerald-300 bg-emerald-50 text-emerald-950",
    warning: "border-amber-300 bg-amber-50 text-amber-950",
  };
  return (
    <div role="status" className={`rounded border p-3 ${tones[tone]}`}>
      {children}
    </div>
  );
}

export function SubmitButton({ children, name, value }: { children: ReactNode; name?: string; value?: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <button
      type="submit"
      name={name}
      value={value}
      aria-disabled={busy || undefined}
      className="rounded bg-brand-700 px-4 py-2 font-bold text-white hover:bg-brand-800 disabled:opacity-60"
    >
      {children}
    </button>
  );
}

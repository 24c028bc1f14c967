import type { UpdateView } from "~/modules/needs/updates";

/**
 * The organisation's published updates on a need (decision 070), newest first: on the need's
 * public page and on its sponsor's monthly-gift page. The text and the day only.
 */
export function NeedUpdatesList({ updates, title, testId }: { updates: UpdateView[]; title: string; testId: string }) {
  if (updates.length === 0) return null;
  return (
    <section aria-labelledby={`${testId}-title`} className="rounded-lg border border-stone-200 bg-white p-4" data-testid={testId}>
      <h2 id={`${testId}-title`} className="text-xl font-bold">
        {title}
      </h2>
      <ol className="mt-2 space-y-3">
        {updates.map((u, i) => (
          <li key={i} className="border-s-4 border-brand-700 ps-3">
            <p className="text-sm text-stone-700">{u.date}</p>
            <p lang={u.lang} dir={u.lang === "ar" ? "rtl" : "ltr"} className="whitespace-pre-line">
              {u.text}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

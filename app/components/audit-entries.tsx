import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Bdi, Digits, Ltr, Money, Ref } from "~/components/bidi";
import type { DescribedEntry, ValueView } from "~/modules/audit/describe.server";

/** A value as the describer typed it: codes and money as unbroken LTR runs, names isolated, links to the record. */
function Value({ value }: { value: ValueView }) {
  const inner =
    value.kind === "ref" ? (
      <Ref>{value.text}</Ref>
    ) : value.kind === "money" ? (
      <Money text={value.text} />
    ) : value.kind === "email" ? (
      <Ltr>{value.text}</Ltr>
    ) : value.kind === "name" ? (
      <Bdi>{value.text}</Bdi>
    ) : (
      <Digits>{value.text}</Digits>
    );
  return value.href ? (
    <Link to={value.href} className="text-brand-700 underline">
      {inner}
    </Link>
  ) : (
    inner
  );
}

/**
 * The audit log as a list of entries (fits a phone: no wide table): when, who, what, the record
 * it is about (linked), and each change as "field: before → after" in words.
 */
export function AuditEntries({ entries, showIp = true }: { entries: DescribedEntry[]; showIp?: boolean }) {
  const { t } = useTranslation("staff");
  return (
    <ol className="divide-y divide-stone-200 rounded border border-stone-200 bg-white" data-testid="audit-entries">
      {entries.map((entry) => (
        <li key={entry.id} className="space-y-1 p-3" data-testid="audit-row" data-action={entry.action}>
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <span className="font-bold">{entry.actionLabel}</span>
            {(entry.subject.text || entry.subject.type) && (
              <span data-testid="audit-subject">
                <span className="text-stone-700">{entry.subject.type}</span>
                {entry.subject.text && (
                  <>
                    {" "}
                    <Value value={{ text: entry.subject.text, kind: entry.subject.kind, href: entry.subject.href }} />
                  </>
                )}
              </span>
            )}
          </div>
          <p className="text-sm text-stone-700">
            <time dateTime={entry.at}>
              <Digits>{entry.atText}</Digits>
            </time>
            {" · "}
            {entry.actor ? (
              <>
                <Bdi>{entry.actor.displayName}</Bdi> (<Ltr>{entry.actor.email}</Ltr>)
              </>
            ) : (
              t("audit.system")
            )}
            {showIp && entry.ip && (
              <>
                {" · "}
                {t("audit.columns.ip")}: <Ltr>{entry.ip}</Ltr>
              </>
            )}
          </p>
          {entry.changes.length > 0 && (
            <dl className="grid gap-x-3 gap-y-1 text-sm sm:grid-cols-[minmax(8rem,auto)_1fr]" data-testid="audit-changes">
              {entry.changes.map((line, i) => (
                <div key={i} className="contents">
                  <dt className="font-bold">{line.field}</dt>
                  <dd className="break-words">
                    {line.before && (
                      <>
                        <del className="text-stone-600">
                          <Value value={line.before} />
                        </del>{" "}
                        <span aria-hidden="true" className="inline-block rtl:rotate-180">
                          →
                        </span>
                        <span className="sr-only">{t("audit.becomes")}</span>{" "}
                      </>
                    )}
                    {line.after ? <Value value={line.after} /> : t("audit.removed")}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </li>
      ))}
    </ol>
  );
}

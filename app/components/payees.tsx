import { useTranslation } from "react-i18next";
import { ErrorList } from "~/components/forms";
import { inputClass } from "~/components/staff";

/** A plain textarea with its label and translated errors (the payees forms work without JavaScript). */
export function PayeeTextArea({
  id,
  name,
  label,
  errors,
  defaultValue,
  rows = 3,
}: {
  id: string;
  name: string;
  label: string;
  errors?: string[] | null;
  defaultValue?: string | null;
  rows?: number;
}) {
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-bold">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue ?? ""}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className={inputClass}
      />
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

/** Bank or cash-collection details as a definition list; the account number in full (finance only). */
export function BankDetailsList({
  details,
}: {
  details: { collection: string; bankName?: string | null; accountHolder?: string | null; accountNumber?: string | null; cashCollectionNote?: string | null };
}) {
  const { t } = useTranslation("payees");
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="font-bold">{t("fields.collection")}</dt>
      <dd>{t(`collections.${details.collection}`)}</dd>
      {details.collection === "bank_transfer" ? (
        <>
          <dt className="font-bold">{t("fields.bankName")}</dt>
          <dd>{details.bankName ?? "—"}</dd>
          <dt className="font-bold">{t("fields.accountHolder")}</dt>
          <dd>{details.accountHolder ?? "—"}</dd>
          <dt className="font-bold">{t("fields.accountNumber")}</dt>
          <dd>
            <code dir="ltr" className="break-all" data-testid="account-number">
              {details.accountNumber ?? "—"}
            </code>
          </dd>
        </>
      ) : (
        <>
          <dt className="font-bold">{t("fields.cashCollectionNote")}</dt>
          <dd>{details.cashCollectionNote ?? "—"}</dd>
        </>
      )}
    </dl>
  );
}

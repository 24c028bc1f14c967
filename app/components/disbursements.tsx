import { useTranslation } from "react-i18next";

const TONE: Record<string, string> = {
  requested: "bg-amber-100 text-amber-950",
  approved: "bg-sky-100 text-sky-950",
  paid: "bg-emerald-100 text-emerald-950",
  rejected: "bg-red-100 text-red-950",
  cancelled: "bg-stone-200 text-stone-800",
};

/** A disbursement batch's status as a small coloured label (text, not colour alone). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("disbursements");
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-bold ${TONE[status] ?? ""}`}>{t(`status.${status}`)}</span>;
}

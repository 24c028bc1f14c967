import { useTranslation } from "react-i18next";

export type MailboxMessages = Record<string, unknown>;
export type OutboxStatus = "pending" | "sent" | "kept" | "failed";

/**
 * The browser loads only the client namespaces (see ~/utils/i18n); the dev mailbox pages bring
 * their own strings (`email:mailbox`) in their loader data and add them before translating with
 * `useTranslation("email")`. On the server every namespace is loaded already.
 */
export function useMailboxStrings(messages: MailboxMessages) {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  if (!i18n.hasResourceBundle(lng, "email")) {
    i18n.addResourceBundle(lng, "email", { mailbox: messages }, true, false);
  }
}

const statusStyles: Record<OutboxStatus, string> = {
  pending: "bg-amber-100 text-amber-900",
  sent: "bg-brand-100 text-brand-800",
  kept: "bg-stone-200 text-stone-900",
  failed: "bg-red-100 text-red-900",
};

export function OutboxStatusBadge({ status, label }: { status: OutboxStatus; label: string }) {
  return (
    <span data-testid="mail-status" data-status={status} className={`inline-block rounded px-2 py-0.5 text-sm font-bold ${statusStyles[status]}`}>
      {label}
    </span>
  );
}

import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"monthly-gift">;

export const subject = (t: Translate, data: Data) => t(`email:monthlyGift.${data.event}.subject`, { fund: data.fundName, amount: data.amount });

/**
 * Monthly giving (issue 12): the gift started, a card payment failed, a standing order's month was
 * missed, or the gift was cancelled. Always the signed link to the gift's page, where the donor
 * sees every month, updates the card and cancels without signing in. Nothing of any household.
 */
export default function MonthlyGift({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  const key = `email:monthlyGift.${data.event}`;
  return (
    <EmailLayout locale={locale} t={t} preview={t(`${key}.preview`, { fund: data.fundName, amount: data.amount })}>
      <Heading>{t(`${key}.heading`)}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      <Paragraph>{t(`${key}.body`, { fund: data.fundName, amount: data.amount, reference: data.reference ?? "", payBy: data.payBy ?? "" })}</Paragraph>
      {data.event === "started" && <Paragraph>{t(`email:monthlyGift.started.${data.method}`)}</Paragraph>}
      <CallToAction href={data.event === "reminder" && data.instructionsUrl ? data.instructionsUrl : data.manageUrl} label={t(`${key}.button`)} t={t} />
      {data.event !== "cancelled" && <Paragraph>{t("email:monthlyGift.cancelAnyTime")}</Paragraph>}
      <Paragraph>{t("email:monthlyGift.thanks")}</Paragraph>
    </EmailLayout>
  );
}

import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"gift-delivered">;

export const subject = (t: Translate, data: Data) => t("email:giftDelivered.subject", { orgName: data.orgName });

/**
 * The organisation paid a need's money to whoever provides what it was for: "your gift reached a
 * school / a hospital / a pharmacy / a vendor / a landlord / the family". The payee's KIND only —
 * never its name, never anything private; the need's public title and the amount paid out.
 */
export default function GiftDelivered({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  const reached = t(`email:giftDelivered.reached.${data.payeeKind}`);
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:giftDelivered.preview", { reached, orgName: data.orgName })}>
      <Heading>{t("email:giftDelivered.heading", { reached })}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      <Paragraph>{t("email:giftDelivered.body", { need: data.needTitle, orgName: data.orgName, amount: data.amount, reached })}</Paragraph>
      <Paragraph>{t("email:giftDelivered.nothingToDo")}</Paragraph>
      <Paragraph>{t("email:giftDelivered.thanks")}</Paragraph>
    </EmailLayout>
  );
}

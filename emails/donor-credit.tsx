import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"donor-credit">;

export const subject = (t: Translate, data: Data) => t("email:donorCredit.subject", { need: data.needTitle });

/**
 * Donor credit (issue 12): the need the donor gave to was cancelled or expired unfunded. The
 * amount, the need's public title, the signed one-click link to choose another need, and what
 * happens if they do nothing. Nothing of the household.
 */
export default function DonorCredit({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:donorCredit.preview", { amount: data.amount })}>
      <Heading>{t("email:donorCredit.heading")}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      <Paragraph>{t("email:donorCredit.body", { need: data.needTitle, orgName: data.orgName, amount: data.amount })}</Paragraph>
      <Paragraph>{t("email:donorCredit.choose", { until: data.until })}</Paragraph>
      <CallToAction href={data.chooseUrl} label={t("email:donorCredit.button")} t={t} />
      {data.zakat && <Paragraph>{t("email:donorCredit.zakat")}</Paragraph>}
      <Paragraph>{t("email:donorCredit.after", { until: data.until })}</Paragraph>
      <Paragraph>{t("email:donorCredit.thanks")}</Paragraph>
    </EmailLayout>
  );
}

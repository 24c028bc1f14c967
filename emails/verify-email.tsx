import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, ExpiryNote, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"verify-email">;

export const subject = (t: Translate, _data: Data) => t("email:verifyEmail.subject");

/** Sent after sign-up (and on "send the link again"): confirms the address belongs to the person. */
export default function VerifyEmail({ locale, t, data }: TemplateProps<Data>) {
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:verifyEmail.preview")}>
      <Heading>{t("email:verifyEmail.heading")}</Heading>
      <Paragraph>{t("email:greeting", { name: data.name })}</Paragraph>
      <Paragraph>{t("email:verifyEmail.body")}</Paragraph>
      <CallToAction href={data.verifyUrl} label={t("email:verifyEmail.button")} t={t} />
      <ExpiryNote hours={data.expiresInHours} locale={locale} t={t} />
      <Paragraph>{t("email:verifyEmail.ignore")}</Paragraph>
    </EmailLayout>
  );
}

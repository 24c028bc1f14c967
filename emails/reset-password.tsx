import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, ExpiryNote, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"reset-password">;

export const subject = (t: Translate, _data: Data) => t("email:resetPassword.subject");

/** Sent on "forgot password" to an address that has an account (the page answers the same either way). */
export default function ResetPassword({ locale, t, data }: TemplateProps<Data>) {
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:resetPassword.preview")}>
      <Heading>{t("email:resetPassword.heading")}</Heading>
      <Paragraph>{t("email:greeting", { name: data.name })}</Paragraph>
      <Paragraph>{t("email:resetPassword.body")}</Paragraph>
      <CallToAction href={data.resetUrl} label={t("email:resetPassword.button")} t={t} />
      <ExpiryNote hours={data.expiresInHours} locale={locale} t={t} />
      <Paragraph>{t("email:resetPassword.ignore")}</Paragraph>
    </EmailLayout>
  );
}

import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"password-changed">;

export const subject = (t: Translate, _data: Data) => t("email:passwordChanged.subject");

/**
 * A security notice after the password changed (by the person or through a reset link). It says
 * nothing about where or from which device, so it reveals nothing to someone reading the inbox.
 */
export default function PasswordChanged({ locale, t, data }: TemplateProps<Data>) {
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:passwordChanged.preview")}>
      <Heading>{t("email:passwordChanged.heading")}</Heading>
      <Paragraph>{t("email:greeting", { name: data.name })}</Paragraph>
      <Paragraph>{t("email:passwordChanged.body")}</Paragraph>
      <Paragraph>{t("email:passwordChanged.notYou")}</Paragraph>
      {data.forgotPasswordUrl ? (
        <CallToAction href={data.forgotPasswordUrl} label={t("email:passwordChanged.button")} t={t} />
      ) : null}
    </EmailLayout>
  );
}

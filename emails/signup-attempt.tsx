import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"signup-attempt">;

export const subject = (t: Translate, _data: Data) => t("email:signupAttempt.subject");

/**
 * Someone used this address on the sign-up form although it already has an account. The sign-up
 * page answered exactly as for a new address (no account enumeration); the owner learns of it here,
 * with a way to sign in and to reset the password. Says nothing about who tried or from where.
 */
export default function SignupAttempt({ locale, t, data }: TemplateProps<Data>) {
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:signupAttempt.preview")}>
      <Heading>{t("email:signupAttempt.heading")}</Heading>
      <Paragraph>{t("email:greeting", { name: data.name })}</Paragraph>
      <Paragraph>{t("email:signupAttempt.body")}</Paragraph>
      <CallToAction href={data.loginUrl} label={t("email:signupAttempt.login")} t={t} />
      <Paragraph>{t("email:signupAttempt.forgot")}</Paragraph>
      <CallToAction href={data.forgotPasswordUrl} label={t("email:signupAttempt.reset")} t={t} />
      <Paragraph>{t("email:signupAttempt.ignore")}</Paragraph>
    </EmailLayout>
  );
}

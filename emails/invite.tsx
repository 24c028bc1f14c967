import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, ExpiryNote, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"invite">;

export const subject = (t: Translate, data: Data) => t("email:invite.subject", { orgName: data.orgName });

/** An organisation admin invites a staff member; the link opens /invites/:token. */
export default function Invite({ locale, t, data }: TemplateProps<Data>) {
  const vars = { orgName: data.orgName, inviterName: data.inviterName.trim(), role: data.roleLabel };
  const byName = vars.inviterName !== "";
  return (
    <EmailLayout
      locale={locale}
      t={t}
      preview={byName ? t("email:invite.preview", vars) : t("email:invite.previewNoInviter", vars)}
    >
      <Heading>{t("email:invite.heading", vars)}</Heading>
      <Paragraph>{t("email:greetingNoName")}</Paragraph>
      <Paragraph>{byName ? t("email:invite.body", vars) : t("email:invite.bodyNoInviter", vars)}</Paragraph>
      <CallToAction href={data.inviteUrl} label={t("email:invite.button")} t={t} />
      <ExpiryNote hours={data.expiresInHours} locale={locale} t={t} />
      <Paragraph>{t("email:invite.ignore")}</Paragraph>
    </EmailLayout>
  );
}

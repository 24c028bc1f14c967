import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"need-update">;

export const subject = (t: Translate, data: Data) => t("email:needUpdate.subject", { orgName: data.orgName });

/**
 * A written update on a need the donor gave to or sponsors (decision 070): the text a verifier
 * published (checked by the anonymization guard), the need's public title and its public page.
 * Never the household's name, place or anything private.
 */
export default function NeedUpdate({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:needUpdate.preview", { need: data.needTitle })}>
      <Heading>{t("email:needUpdate.heading", { need: data.needTitle })}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      <Paragraph>{t("email:needUpdate.lead", { orgName: data.orgName })}</Paragraph>
      <div style={{ borderInlineStart: "4px solid #0f766e", paddingInlineStart: "12px", margin: "12px 0", whiteSpace: "pre-line" }}>{data.body}</div>
      <CallToAction href={data.needUrl} label={t("email:needUpdate.cta")} t={t} />
      <Paragraph>{t("email:needUpdate.thanks")}</Paragraph>
    </EmailLayout>
  );
}

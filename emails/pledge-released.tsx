import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"pledge-released">;

export const subject = (t: Translate, data: Data) => t("email:pledgeReleased.subject", { reference: data.reference });

/**
 * A pledge released with its need: staff cancelled the need, or its deadline passed (the
 * need-expiry job). The reference, the need's public title, the organisation, that nothing more is
 * expected; when part was already paid, that the organisation's finance team will move that money
 * to another need or refund it. No reason from staff and nothing of the household.
 */
export default function PledgeReleased({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  const why = data.reason === "expired" ? "expired" : "cancelled";
  return (
    <EmailLayout locale={locale} t={t} preview={t(`email:pledgeReleased.preview.${why}`, { reference: data.reference, need: data.needTitle })}>
      <Heading>{t("email:pledgeReleased.heading")}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      <Paragraph>{t(`email:pledgeReleased.body.${why}`, { need: data.needTitle, orgName: data.orgName })}</Paragraph>
      <Paragraph>
        {t("email:pledgeReleased.referenceLabel")}{" "}
        <strong style={{ fontFamily: "monospace", letterSpacing: "1px" }} dir="ltr">
          {data.reference}
        </strong>
        {data.amount ? ` (${data.amount})` : ""}
      </Paragraph>
      <Paragraph>{t("email:pledgeReleased.nothingMore")}</Paragraph>
      {data.paid && <Paragraph>{t("email:pledgeReleased.paidPart", { paid: data.paid, orgName: data.orgName })}</Paragraph>}
      <Paragraph>{t("email:pledgeReleased.thanks")}</Paragraph>
    </EmailLayout>
  );
}

import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"pledge-instructions">;

export const subject = (t: Translate, data: Data) => t("email:pledgeInstructions.subject", { reference: data.reference });

/**
 * After an offline pledge: the reference code to quote, the amount, how to pay (the organisation's
 * bank details, office or transfer-shop instructions) and until when. A guest's pledge also carries
 * the single-use link that confirms it within 24 hours (decision 053). Only the need's public title.
 */
export default function PledgeInstructions({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  const bank = data.bank;
  const bankLines = bank
    ? ([
        ["bankName", bank.bankName],
        ["accountName", bank.accountName],
        ["accountNumber", bank.accountNumber],
        ["swift", bank.swift],
      ] as const).filter(([, v]) => v)
    : [];
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:pledgeInstructions.preview", { reference: data.reference, amount: data.amount })}>
      <Heading>{t("email:pledgeInstructions.heading")}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      <Paragraph>{t("email:pledgeInstructions.body", { amount: data.amount, need: data.needTitle, orgName: data.orgName })}</Paragraph>
      {data.confirmUrl && (
        <>
          <Paragraph>
            <strong>{t("email:pledgeInstructions.confirm.body", { date: data.confirmBy ?? "", until: data.holdsUntil ?? "" })}</strong>
          </Paragraph>
          <CallToAction href={data.confirmUrl} label={t("email:pledgeInstructions.confirm.button")} t={t} />
        </>
      )}
      <Paragraph>
        {t("email:pledgeInstructions.referenceLabel")}{" "}
        <strong style={{ fontSize: "22px", letterSpacing: "2px", fontFamily: "monospace" }} dir="ltr">
          {data.reference}
        </strong>
      </Paragraph>
      <Paragraph>{t(`email:pledgeInstructions.method.${data.method}`)}</Paragraph>
      {data.method === "bank_transfer" &&
        bankLines.map(([key, value]) => (
          <Paragraph key={key}>
            {t(`email:pledgeInstructions.bank.${key}`)}: <span dir="ltr">{value}</span>
          </Paragraph>
        ))}
      {data.instructions && <Paragraph>{data.instructions}</Paragraph>}
      {data.expiresOn && !data.confirmUrl && <Paragraph>{t("email:pledgeInstructions.expires", { date: data.expiresOn })}</Paragraph>}
      <CallToAction href={data.instructionsUrl} label={t("email:pledgeInstructions.button")} t={t} />
    </EmailLayout>
  );
}

import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"receipt">;

export const subject = (t: Translate, data: Data) => t("email:receipt.subject", { number: data.number, orgName: data.orgName });

/**
 * The receipt of a payment: its number, the amount, when it arrived and how, what it was for (the
 * need's public title only), the organisation's legal name and registration, and the signed link to
 * the printable receipt. An over-payment says where the surplus went.
 */
export default function ReceiptEmail({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  const rows: [string, string][] = [
    [t("email:receipt.number"), data.number],
    [t("email:receipt.amount"), data.amount],
    [t("email:receipt.valueDate"), data.valueDate],
    [t("email:receipt.method"), t(`email:receipt.methods.${data.method}`)],
    [t("email:receipt.givenAs"), t(`email:receipt.givenAsKinds.${data.givenAs}`)],
    ...(data.pledgeReference ? [[t("email:receipt.pledgeReference"), data.pledgeReference] as [string, string]] : []),
    [t("email:receipt.org"), data.orgName],
    ...(data.registrationNumber ? [[t("email:receipt.registration"), data.registrationNumber] as [string, string]] : []),
  ];
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:receipt.preview", { number: data.number, amount: data.amount })}>
      <Heading>{t("email:receipt.heading")}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      {data.reissued && <Paragraph>{t("email:receipt.reissued")}</Paragraph>}
      <Paragraph>
        {data.destination === "need" && data.needTitle
          ? t("email:receipt.bodyNeed", { amount: data.amount, need: data.needTitle, orgName: data.orgName })
          : data.destination === "fund" && data.needTitle
            ? t("email:receipt.bodyFund", { amount: data.amount, fund: data.needTitle, orgName: data.orgName })
          : data.destination === "unassigned"
            ? t("email:receipt.bodyUnassigned", { amount: data.amount, orgName: data.orgName })
            : t("email:receipt.bodyUnrestricted", { amount: data.amount, orgName: data.orgName })}
      </Paragraph>
      {rows.map(([label, value]) => (
        <Paragraph key={label}>
          {label}: <strong>{value}</strong>
        </Paragraph>
      ))}
      {data.gift && <Paragraph>{t("email:receipt.gift", { amount: data.gift })}</Paragraph>}
      {data.coverFee && <Paragraph>{t("email:receipt.coverFee", { amount: data.coverFee })}</Paragraph>}
      {data.surplus && <Paragraph>{t("email:receipt.surplus", { amount: data.surplus })}</Paragraph>}
      <CallToAction href={data.receiptUrl} label={t("email:receipt.button")} t={t} />
      <Paragraph>{t("email:receipt.keep")}</Paragraph>
    </EmailLayout>
  );
}

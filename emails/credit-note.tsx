import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"credit-note">;

export const subject = (t: Translate, data: Data) => t("email:creditNote.subject", { number: data.number, orgName: data.orgName });

/** A refund's credit note: its number, the amount refunded and the receipt it corrects. */
export default function CreditNoteEmail({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:creditNote.preview", { number: data.number, amount: data.amount })}>
      <Heading>{t("email:creditNote.heading")}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      {data.reissued && <Paragraph>{t("email:receipt.reissued")}</Paragraph>}
      <Paragraph>{t("email:creditNote.body", { amount: data.amount, receipt: data.receiptNumber, orgName: data.orgName })}</Paragraph>
      <Paragraph>
        {t("email:creditNote.number")}: <strong>{data.number}</strong>
      </Paragraph>
      <Paragraph>
        {t("email:creditNote.refersTo")}: <strong>{data.receiptNumber}</strong>
      </Paragraph>
      <Paragraph>
        {t("email:creditNote.amount")}: <strong>{data.amount}</strong>
      </Paragraph>
      <Paragraph>
        {t("email:creditNote.issuedOn")}: <strong>{data.issuedOn}</strong>
      </Paragraph>
      <Paragraph>
        {t("email:receipt.org")}: <strong>{data.orgName}</strong>
      </Paragraph>
      {data.registrationNumber && (
        <Paragraph>
          {t("email:receipt.registration")}: <strong>{data.registrationNumber}</strong>
        </Paragraph>
      )}
      <CallToAction href={data.receiptUrl} label={t("email:creditNote.button")} t={t} />
    </EmailLayout>
  );
}

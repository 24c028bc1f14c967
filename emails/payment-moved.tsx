import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"payment-moved">;

export const subject = (t: Translate, data: Data) =>
  data.reference
    ? t("email:paymentMoved.subject", { reference: data.reference })
    : t("email:paymentMoved.subjectNoReference", { orgName: data.orgName });

/**
 * Finance moved a donor's paid money (a cancelled or expired need's payment moved to another need
 * of the organisation or to its general fund), or matched money that arrived without a usable
 * reference to the donor's pledge: the reference, the amount, the needs' public titles and where
 * the money went. Nothing of the household, no payee, nothing from the staff area.
 */
export default function PaymentMoved({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  const fund = { orgName: data.orgName };
  const where =
    data.kind === "attached"
      ? t("email:paymentMoved.body.attached", { amount: data.amount, need: data.toNeedTitle ?? "", orgName: data.orgName })
      : data.toNeedTitle
        ? t("email:paymentMoved.to.need", { need: data.toNeedTitle, orgName: data.orgName })
        : t("email:paymentMoved.to.unrestricted", fund);
  return (
    <EmailLayout locale={locale} t={t} preview={t("email:paymentMoved.preview", { amount: data.amount, orgName: data.orgName })}>
      <Heading>{t("email:paymentMoved.heading")}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      {data.kind === "moved" && (
        <Paragraph>
          {data.fromNeedTitle
            ? t("email:paymentMoved.body.moved", { amount: data.amount, need: data.fromNeedTitle, orgName: data.orgName })
            : t("email:paymentMoved.body.movedNoNeed", { amount: data.amount, orgName: data.orgName })}
        </Paragraph>
      )}
      <Paragraph>{where}</Paragraph>
      {data.unrestricted && <Paragraph>{t("email:paymentMoved.rest", { amount: data.unrestricted, orgName: data.orgName })}</Paragraph>}
      {data.reference && (
        <Paragraph>
          {t("email:paymentMoved.referenceLabel")}{" "}
          <strong style={{ fontFamily: "monospace", letterSpacing: "1px" }} dir="ltr">
            {data.reference}
          </strong>
        </Paragraph>
      )}
      <Paragraph>{t("email:paymentMoved.nothingToDo")}</Paragraph>
      <Paragraph>{t("email:paymentMoved.thanks")}</Paragraph>
    </EmailLayout>
  );
}

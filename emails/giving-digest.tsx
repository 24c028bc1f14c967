import { Link, Section, Text } from "@react-email/components";
import type { EmailData } from "~/modules/notifications/messages";
import type { TemplateProps, Translate } from "./types";
import { CallToAction, EmailLayout, Heading, Paragraph } from "./components/layout";

type Data = EmailData<"giving-digest">;

export const subject = (t: Translate, data: Data) => t("giving:digest.subject", { count: data.needs.length });

/**
 * New needs that match a donor's giving preferences (weekly or monthly, opt-in). Public text only:
 * each need's public title, its organisation, the amount still needed and its public page. The
 * unsubscribe link works without signing in.
 */
export default function GivingDigest({ locale, t, data }: TemplateProps<Data>) {
  const name = data.name.trim();
  return (
    <EmailLayout locale={locale} t={t} preview={t("giving:digest.preview", { count: data.needs.length })}>
      <Heading>{t("giving:digest.heading")}</Heading>
      <Paragraph>{name ? t("email:greeting", { name }) : t("email:greetingNoName")}</Paragraph>
      <Paragraph>{t("giving:digest.intro", { count: data.needs.length })}</Paragraph>
      {data.needs.map((need) => (
        <Section key={need.url} style={{ borderTop: "1px solid #e7e5e4", padding: "8px 0" }}>
          <Text style={{ fontSize: "16px", fontWeight: 700, margin: "4px 0" }}>
            <Link href={need.url} style={{ color: "#175740" }}>
              {need.title}
            </Link>
          </Text>
          <Text style={{ fontSize: "14px", margin: "4px 0", color: "#44403c" }}>
            {need.orgName} · {t("giving:digest.remaining")} <span dir="ltr">{need.remaining}</span>
          </Text>
        </Section>
      ))}
      {data.more && <Paragraph>{t("giving:digest.more")}</Paragraph>}
      <CallToAction href={data.matchesUrl} label={t("giving:digest.seeAll")} t={t} />
      <Text style={{ fontSize: "13px", color: "#57534e" }}>
        {t("giving:digest.why")}{" "}
        <Link href={data.preferencesUrl} style={{ color: "#175740" }}>
          {t("giving:digest.changePreferences")}
        </Link>
        {" · "}
        <Link href={data.unsubscribeUrl} style={{ color: "#175740" }}>
          {t("giving:digest.unsubscribe")}
        </Link>
      </Text>
    </EmailLayout>
  );
}

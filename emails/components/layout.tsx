import type { CSSProperties, ReactNode } from "react";
import { Body, Button, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import { dirOf, type Locale } from "~/utils/i18n";
import { formatNumber } from "~/utils/format";
import type { Translate } from "../types";

/**
 * The frame every email shares: the Tadamon word mark, the content, and a footer.
 * Direction is set on <html>, the body and the container, because several mail clients drop the
 * <html> attributes.
 */
export function EmailLayout({
  locale,
  t,
  preview,
  children,
}: {
  locale: Locale;
  t: Translate;
  preview: string;
  children: ReactNode;
}) {
  const dir = dirOf(locale);
  const align = dir === "rtl" ? "right" : "left";
  return (
    <Html lang={locale} dir={dir}>
      <Head>
        <meta name="color-scheme" content="light" />
      </Head>
      <Preview>{preview}</Preview>
      <Body style={{ ...body, fontFamily: fontFor(locale) }} dir={dir}>
        <Container dir={dir} style={{ ...container, direction: dir, textAlign: align }}>
          <Section style={header}>
            <Text style={logo}>
              <span lang="ar">تضامن</span>
              {" / "}
              <span lang="en">Tadamon</span>
            </Text>
          </Section>
          <Section style={content}>{children}</Section>
          <Hr style={rule} />
          <Section style={content}>
            <Text style={footer}>{t("email:layout.footer")}</Text>
            <Text style={footer}>{t("email:layout.automated")}</Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export function Heading({ children }: { children: ReactNode }) {
  return (
    <Text role="heading" aria-level={1} style={heading}>
      {children}
    </Text>
  );
}

export function Paragraph({ children }: { children: ReactNode }) {
  return <Text style={paragraph}>{children}</Text>;
}

/** The main button, with the same link written out for clients that do not show buttons. */
export function CallToAction({ href, label, t }: { href: string; label: string; t: Translate }) {
  return (
    <>
      <Section style={{ margin: "24px 0" }}>
        <Button href={href} style={button}>
          {label}
        </Button>
      </Section>
      <Text style={small}>{t("email:layout.linkFallback")}</Text>
      <Text style={{ ...small, direction: "ltr", textAlign: "left", wordBreak: "break-all" }} dir="ltr">
        <Link href={href} style={{ color: BRAND }}>
          {href}
        </Link>
      </Text>
    </>
  );
}

function fontFor(locale: Locale): string {
  return locale === "ar"
    ? "'Noto Naskh Arabic', Tahoma, 'Segoe UI', Arial, sans-serif"
    : "system-ui, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
}

const BRAND = "#175740";
const body: CSSProperties = { backgroundColor: "#f5f5f4", margin: 0, padding: "24px 0", color: "#1c1917" };
const container: CSSProperties = {
  backgroundColor: "#ffffff",
  maxWidth: "560px",
  margin: "0 auto",
  borderRadius: "8px",
  overflow: "hidden",
};
const header: CSSProperties = { backgroundColor: BRAND, padding: "16px 24px" };
const logo: CSSProperties = { color: "#ffffff", fontSize: "22px", fontWeight: 700, margin: 0 };
const content: CSSProperties = { padding: "8px 24px" };
const heading: CSSProperties = { fontSize: "22px", fontWeight: 700, lineHeight: "1.4", margin: "16px 0 8px" };
const paragraph: CSSProperties = { fontSize: "16px", lineHeight: "1.7", margin: "12px 0" };
const small: CSSProperties = { fontSize: "14px", lineHeight: "1.6", color: "#44403c", margin: "8px 0" };
const button: CSSProperties = {
  backgroundColor: BRAND,
  color: "#ffffff",
  fontSize: "16px",
  fontWeight: 700,
  borderRadius: "6px",
  padding: "12px 20px",
  textDecoration: "none",
  display: "inline-block",
};
const rule: CSSProperties = { borderColor: "#e7e5e4", margin: "16px 0 0" };
const footer: CSSProperties = { fontSize: "13px", lineHeight: "1.6", color: "#57534e", margin: "8px 0" };

/** "This link expires in N hours", with the number written the way the locale writes numbers. */
export function ExpiryNote({ hours, locale, t }: { hours?: number; locale: Locale; t: Translate }) {
  if (hours === undefined || !Number.isFinite(hours) || hours <= 0) return null;
  const count = Math.round(hours);
  return <Text style={small}>{t("email:layout.expiresIn", { count, hours: formatNumber(count, locale) })}</Text>;
}

import type { Locale } from "~/utils/i18n";

/**
 * A translation function bound to the email's locale. Templates write keys with their namespace,
 * `t("email:verifyEmail.subject")`, so the key checker (app/locales/locales.test.ts) finds them.
 */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface TemplateProps<Data> {
  locale: Locale;
  t: Translate;
  data: Data;
}

import { createContext, useContext } from "react";
import { I18nContext } from "react-i18next";
import type { i18n as I18n } from "i18next";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import type { Locale } from "~/utils/i18n";
import { useNumerals, type Numerals } from "./bidi";
import { NeedCard } from "./need-card";

export type PublicCardProps = { need: PublicNeed; locale: Locale; href: string };

/**
 * Renders a public list card to HTML on the server (app/utils/card-html.server.tsx, given by
 * entry.server.tsx); absent in the browser. A card's HTML is a pure function of these arguments.
 */
export type CardRenderer = (props: PublicCardProps, i18n: I18n, numerals: Numerals) => string;
export const CardRendererContext = createContext<CardRenderer | null>(null);

/**
 * One card of a public list (the needs listing, the home page, an organisation's and an appeal's
 * page), as its <li>. On the server the card's HTML comes from the renderer, which remembers the
 * HTML of each card it rendered (the same need, language and digits give the same HTML), so a
 * listing does not render twenty cards again on every request; in the browser it is the card
 * component itself. Donor pages are never hydrated (decision 032), so the two never meet.
 */
export function PublicNeedCardItem({ need, locale, href }: PublicCardProps) {
  const render = useContext(CardRendererContext);
  const i18n = useContext(I18nContext)?.i18n;
  const numerals = useNumerals();
  if (render && i18n) return <li dangerouslySetInnerHTML={{ __html: render({ need, locale, href }, i18n, numerals) }} />;
  return (
    <li>
      <NeedCard need={need} locale={locale} href={href} compact />
    </li>
  );
}

import type { i18n as I18n } from "i18next";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import type { Locale } from "~/utils/i18n";
import type { Numerals } from "./bidi";
import { RawHtml } from "./html-fragment";

export type PublicCardProps = { need: PublicNeed; locale: Locale; href: string };

/** Renders a public list card to HTML (app/utils/card-html.server.tsx). A pure function of its arguments. */
export type CardRenderer = (props: PublicCardProps, i18n: I18n, numerals: Numerals) => string;

/** A public list card as the loader rendered it (`publicCards`, decision 074). */
export type PublicCardHtml = { publicId: string; html: string };

/**
 * The cards of a public list (the needs listing, the home page, an organisation's and an appeal's
 * page), each as its <li>. Their HTML comes from the loader, which renders each card once and
 * remembers it (the same need, language and digits give the same HTML); the same markup serves a
 * navigation in the browser, so nothing here needs the card component.
 */
export function PublicNeedCardList({ cards, className, testId }: { cards: readonly PublicCardHtml[]; className: string; testId: string }) {
  return (
    <ul className={className} data-testid={testId}>
      {cards.map((card) => (
        <RawHtml key={card.publicId} as="li" html={card.html} />
      ))}
    </ul>
  );
}

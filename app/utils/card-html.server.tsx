/**
 * The server's renderer of public list cards (app/components/public-need-card.tsx): the card
 * component rendered on its own (outside the router: a plain link, the digits given), its HTML
 * remembered by everything it depends on — the need's public projection as it is now (counters,
 * progress and all), the language, the digits, the link — least recently used out first, bounded
 * by entries and bytes. Nothing can go stale: a card is reused only when the projection it was
 * rendered from equals the need's now, field by field (dequal). Kept under a short key (language,
 * digits, link) with that projection beside the HTML: comparing two objects costs less, and
 * allocates nothing, where a key made of the projection's JSON was built and hashed on every
 * lookup. The projections kept are the loaders' own, never changed after they are made.
 */
import { dequal } from "dequal";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { NumeralsContext } from "~/components/bidi";
import { NeedCard } from "~/components/need-card";
import type { CardRenderer, PublicCardHtml } from "~/components/public-need-card";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import { getUser } from "~/utils/auth.server";
import { getLocale, serverI18n } from "~/utils/i18next.server";

const MAX_ENTRIES = 4_000;
const MAX_BYTES = 24 * 1024 * 1024;
const remembered = new Map<string, { need: PublicNeed; html: string }>();
/** What a kept projection is counted as (its JSON's length would cost a stringify to know). */
const NEED_BYTES = 2048;
let bytes = 0;

export const renderCardHtml: CardRenderer = (props, i18n, numerals) => {
  const key = `${i18n.language}|${props.locale}|${numerals}|${props.href}`;
  const need = props.need;
  const found = remembered.get(key);
  if (found !== undefined && dequal(found.need, need)) {
    // Most recently used goes last.
    remembered.delete(key);
    remembered.set(key, found);
    return found.html;
  }
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <NumeralsContext.Provider value={numerals}>
        <NeedCard need={props.need} locale={props.locale} href={props.href} compact plainLink />
      </NumeralsContext.Provider>
    </I18nextProvider>,
  );
  if (found !== undefined) {
    remembered.delete(key);
    bytes -= key.length + NEED_BYTES + found.html.length;
  }
  remembered.set(key, { need, html });
  bytes += key.length + NEED_BYTES + html.length;
  for (const [oldKey, old] of remembered) {
    if (remembered.size <= MAX_ENTRIES && bytes <= MAX_BYTES) break;
    remembered.delete(oldKey);
    bytes -= oldKey.length + NEED_BYTES + old.html.length;
  }
  return html;
};

/**
 * The cards of a public list as HTML, rendered in the loader (decision 074): a donor page ships no
 * loader data to the browser (decision 032), yet Remix encodes whatever a loader returns, so a list
 * of twenty needs' projections cost more to encode than their remembered HTML costs to send. In
 * the request's language and in the digits the signed-in person chose (Latin for anyone else);
 * each card links to its need's page.
 */
export async function publicCards(request: Request, needs: readonly PublicNeed[]): Promise<PublicCardHtml[]> {
  if (needs.length === 0) return [];
  const [locale, user] = await Promise.all([getLocale(request), getUser(request)]);
  const i18n = await serverI18n(locale);
  const numerals = user?.numerals === "arab" ? "arab" : "latn";
  return needs.map((need) => {
    const href = `/needs/${need.publicId}`;
    return { publicId: need.publicId, html: renderCardHtml({ need, locale, href }, i18n, numerals) };
  });
}

/** For tests: how many cards are remembered, and forgetting them all. */
export const cardHtmlMemo = {
  size: () => remembered.size,
  clear: () => {
    remembered.clear();
    bytes = 0;
  },
};

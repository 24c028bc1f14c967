/**
 * The needs listing's filters as HTML (decision 082): the form is the same for everyone asking
 * with the same filters, in the same language and digits, while the organisations and
 * governorates stay the same, yet rendering it (six selects, one option per governorate, each
 * label translated) cost about as much as the page's twenty remembered cards. So it is rendered
 * on its own, like a card (card-html.server.tsx), and its HTML remembered by all it depends on:
 * the filters, the choices' version (publicFilterChoices), the language and the digits. Least
 * recently used out first, bounded: a search's words are anyone's input.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { NumeralsContext } from "~/components/bidi";
import { NeedFilters, type NeedFiltersProps } from "~/components/need-filters";
import type { FilterChoices } from "~/modules/marketplace/listing.server";
import { getUser } from "~/utils/auth.server";
import { getLocale, serverI18n } from "~/utils/i18next.server";

const MAX_ENTRIES = 1_000;
const remembered = new Map<string, string>();

export async function needFiltersHtml(
  request: Request,
  filters: NeedFiltersProps["filters"],
  choices: FilterChoices,
  currencies: readonly string[],
): Promise<string> {
  const [locale, user] = await Promise.all([getLocale(request), getUser(request)]);
  const numerals = user?.numerals === "arab" ? "arab" : "latn";
  const { category, region, urgency, org, currency, match, sort, q } = filters;
  const key = [locale, numerals, choices.version, category, region, urgency, org, currency, match, sort, q].join("\u0000");
  const found = remembered.get(key);
  if (found !== undefined) {
    remembered.delete(key);
    remembered.set(key, found);
    return found;
  }
  const i18n = await serverI18n(locale);
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <NumeralsContext.Provider value={numerals}>
        <NeedFilters filters={filters} orgs={choices.orgs} governorates={choices.governorates} currencies={currencies} />
      </NumeralsContext.Provider>
    </I18nextProvider>,
  );
  remembered.set(key, html);
  if (remembered.size > MAX_ENTRIES) remembered.delete(remembered.keys().next().value as string);
  return html;
}

/** For tests: how many forms are remembered, and forgetting them. */
export const filtersHtmlMemo = {
  size: () => remembered.size,
  clear: () => remembered.clear(),
};

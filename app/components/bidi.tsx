/**
 * Bidirectional text: runs that must read left-to-right inside Arabic (money, reference codes,
 * emails, phone numbers, ids) and runs whose direction is their own (a person's name) are isolated
 * here, so "US$ 2,400" never becomes "$US 2,400" and "Sara H." never ".Sara H" on an RTL page.
 *
 * Numbers follow one rule per person: Latin digits, also with Arabic text, unless the signed-in
 * person chose Arabic-Indic digits in their profile (users.numerals). Anonymous visitors get Latin.
 * Components here read that choice from the root loader; strings for CSV, emails and meta tags stay
 * with app/utils/format.ts (Latin digits).
 */
import { createContext, useContext, type ReactNode } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { formatMoney, formatNumber } from "~/utils/format";
import type { Locale } from "~/utils/i18n";
import { withNumerals, type Numerals } from "~/utils/numerals";

export { withNumerals, type Numerals };

/**
 * The digits for a tree rendered outside the router (a public card rendered on its own, see
 * app/components/public-need-card.tsx); null inside the app, which reads the root loader.
 */
export const NumeralsContext = createContext<Numerals | null>(null);

/** The signed-in person's digits ("latn" when anonymous or unset). */
export function useNumerals(): Numerals {
  const fixed = useContext(NumeralsContext);
  if (fixed) return fixed;
  // eslint-disable-next-line react-hooks/rules-of-hooks -- a tree has the context (rendered on its own) or not (in the app) on every render
  const root = useRouteLoaderData("root") as { user?: { numerals?: Numerals } | null } | undefined;
  return root?.user?.numerals === "arab" ? "arab" : "latn";
}

/** A function that writes formatted text in the person's digits (for strings built in a loader). */
export function useDigits(): (text: string) => string {
  const numerals = useNumerals();
  return (text) => withNumerals(text, numerals);
}

const nowrap = "whitespace-nowrap";

type MoneyProps =
  | { minor: number; currency: string; locale: Locale; text?: undefined; className?: string; testId?: string }
  | { text: string; minor?: undefined; currency?: undefined; locale?: undefined; className?: string; testId?: string };

/**
 * An amount of money: a left-to-right run that never breaks ("US$ 2,400.00"). Either the amount
 * (minor units, currency, locale) or `text` a loader already formatted with formatMoney.
 */
export function Money(props: MoneyProps) {
  const numerals = useNumerals();
  const text = props.text ?? formatMoney(props.minor, props.currency, props.locale);
  return (
    <bdi dir="ltr" className={props.className ? `${nowrap} ${props.className}` : nowrap} data-money="" data-testid={props.testId}>
      {withNumerals(text, numerals)}
    </bdi>
  );
}

/** A date or other formatted figure from a loader, in the person's digits, isolated. */
export function Digits({ children, className }: { children: string; className?: string }) {
  const numerals = useNumerals();
  return <bdi className={className}>{withNumerals(children, numerals)}</bdi>;
}

/** A plain number (a count) in the person's digits; isolated so it sits right next to Arabic words. */
export function Num({ value, locale, className }: { value: number; locale: Locale; className?: string }) {
  const numerals = useNumerals();
  return (
    <bdi dir="ltr" className={className}>
      {withNumerals(formatNumber(value, locale), numerals)}
    </bdi>
  );
}

/** A reference code (TDM-H9G5-XQ9, a household reference, a receipt number): one unbroken LTR run. */
export function Ref({ children, className, testId }: { children: ReactNode; className?: string; testId?: string }) {
  return (
    <bdi dir="ltr" translate="no" className={className ? `${nowrap} font-mono ${className}` : `${nowrap} font-mono`} data-ref="" data-testid={testId}>
      {children}
    </bdi>
  );
}

/** Email addresses, phone numbers, ids, IBANs, URLs: always left to right, isolated. */
export function Ltr({ children, className, testId }: { children: ReactNode; className?: string; testId?: string }) {
  return (
    <bdi dir="ltr" className={className} data-testid={testId}>
      {children}
    </bdi>
  );
}

/** Text whose direction is its own (a name a person typed, in any script): isolated, direction from its first strong letter. */
export function Bdi({ children, className, testId }: { children: ReactNode; className?: string; testId?: string }) {
  return (
    <bdi className={className} data-testid={testId} data-name="">
      {children}
    </bdi>
  );
}

/**
 * For a value put into a translated sentence (t() gives plain text, no elements): the same
 * isolation as the components above, by Unicode isolate marks. `ltrRun` for money, codes and
 * emails (LRI … PDI); `ownRun` for names, whose direction is their own (FSI … PDI).
 */
export const ltrRun = (text: string) => `\u2066${text}\u2069`;
export const ownRun = (text: string) => `\u2068${text}\u2069`;

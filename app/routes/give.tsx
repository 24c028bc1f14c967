import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Bdi, Money } from "~/components/bidi";
import { CheckboxGroup } from "~/components/giving/checkbox-group";
import { platformChoices, platformGiftOptions } from "~/modules/matching/platform.server";
import { runningPlatformAppeals } from "~/modules/giving/appeals.server";
import { parseMoney } from "~/modules/needs/money";
import { NEED_CATEGORIES } from "~/modules/needs/schemas";
import { publicTitleIn } from "~/modules/needs/titles";
import { getDb } from "~/utils/db.server";
import { formatMoney } from "~/utils/format";
import { getFixedT, getLocale } from "~/utils/i18next.server";

/**
 * /give — "give to the most urgent needs anywhere" (issue 12, decision 071). The donor says what
 * (kinds of need, a country, zakat), how much and in which currency; Tadamon names the
 * organisation whose verified need matching that scores highest by the allocator's own score, says
 * why, and lists the next ones. "Give" continues on that organisation's fund form with the choices
 * filled in (once or monthly): its fund then gives the money to its most urgent matching needs.
 * A GET form: works without JavaScript, and the same choices always show the same answer.
 */

const NO_STORE = { "Cache-Control": "private, no-store" };
const PARTS = ["urgency", "deadline", "waiting", "received", "closeToDone"] as const;

const asList = (v: string[]) => [...new Set(v)];

const QuerySchema = z.object({
  currency: z.string().max(3),
  amount: z.string().trim().max(40, "pledging:errors.tooLong"),
  frequency: z.enum(["once", "monthly"], { errorMap: () => ({ message: "giving:give.errors.frequency" }) }),
  zakat: z.boolean(),
  country: z.string().max(2),
  categories: z.array(z.enum(NEED_CATEGORIES, { errorMap: () => ({ message: "pledging:errors.category_invalid" }) })).max(NEED_CATEGORIES.length),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const url = new URL(request.url);
  const q = url.searchParams;
  const [locale, t, options, running] = await Promise.all([getLocale(request), getFixedT(request, ["giving", "pledging", "needs", "common"]), platformGiftOptions(db), runningPlatformAppeals(db)]);
  const asked = q.has("currency");
  const raw = {
    currency: (q.get("currency") ?? options.currencies[0]?.code ?? "USD").toUpperCase(),
    amount: q.get("amount") ?? "",
    frequency: q.get("frequency") || "once",
    zakat: q.get("zakat") === "on",
    country: (q.get("country") ?? "").toUpperCase(),
    categories: asList(q.getAll("categories")),
  };
  const errors: Record<string, string> = {};
  const parsed = QuerySchema.safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message.includes(":") ? t(issue.message) : t("errors:invalidChoice");
  const currency = options.currencies.find((c) => c.code === raw.currency);
  if (asked && !currency) errors.currency = t("giving:platform.errors.currency");
  if (asked && raw.country && !options.countries.includes(raw.country)) errors.country = t("giving:platform.errors.country");
  let amountMinor = 0;
  if (asked && currency && !errors.amount) {
    const money = parseMoney(raw.amount, currency.code);
    if (!money.ok) errors.amount = t(money.error);
    else if (money.minor < currency.minimumMinor) errors.amount = t("giving:platform.errors.minimum", { minimum: formatMoney(currency.minimumMinor, currency.code, locale) });
    else amountMinor = money.minor;
  }
  const valid = asked && Object.keys(errors).length === 0 && parsed.success;
  const choices = valid ? await platformChoices(db, { currency: raw.currency, amountMinor, categories: parsed.data.categories, country: raw.country || null, zakat: raw.zakat }) : [];
  const regionName = (code: string) => {
    try {
      return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
    } catch {
      return code;
    }
  };
  // The organisation's form, filled in: the amount, how often, zakat and the kinds of need.
  const onward = (slug: string) => {
    const next = new URLSearchParams({ amount: raw.amount, frequency: raw.frequency, via: "platform" });
    if (raw.zakat) next.set("zakat", "on");
    for (const c of raw.categories) next.append("categories", c);
    return `/orgs/${slug}/give?${next.toString()}`;
  };
  return data(
    {
      title: `${t("giving:platform.title")} — ${t("common:appName")}`,
      currencies: options.currencies.map((c) => ({ code: c.code, minimum: formatMoney(c.minimumMinor, c.code, locale) })),
      countries: options.countries.map((code) => ({ code, name: regionName(code) })),
      values: raw,
      asked,
      errors,
      // Appeals across organisations running now (decision 072).
      appeals: running.map((a) => ({ slug: a.slug, emergency: a.kind === "emergency", title: (locale === "ar" ? a.titleAr || a.titleEn : a.titleEn || a.titleAr) ?? a.slug })),
      choices: choices.map((c) => ({
        slug: c.org.slug,
        orgName: locale === "ar" ? c.org.nameAr : c.org.nameEn,
        country: regionName(c.org.country),
        needPublicId: c.need.publicId,
        needTitle: publicTitleIn(c.need, locale),
        score: c.best.score,
        why: PARTS.filter((p) => c.best.parts[p] > 0).map((p) => t(`giving:funds.parts.${p}`, { points: c.best.parts[p] })),
        matchingNeeds: c.matchingNeeds,
        room: formatMoney(c.roomMinor, raw.currency, locale),
        href: onward(c.org.slug),
      })),
    },
    { status: Object.keys(errors).length > 0 ? 400 : 200, headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

const inputClass = "w-full rounded border border-stone-400 px-3 py-2";

export default function GiveAnywhere() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation(["giving", "needs", "pledging"]);
  const err = (name: string) =>
    d.errors[name] ? (
      <p id={`platform-${name}-error`} className="text-sm font-bold text-red-800" data-testid={`platform-error-${name}`}>
        {d.errors[name]}
      </p>
    ) : null;
  const [first, ...others] = d.choices;
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold text-brand-800">{t("giving:platform.heading")}</h1>
      <p>{t("giving:platform.intro")}</p>
      {d.appeals.length > 0 && (
        <section aria-labelledby="platform-appeals" className="rounded border border-red-200 bg-red-50 p-3" data-testid="platform-running-appeals">
          <h2 id="platform-appeals" className="font-bold">
            {t("giving:appeals.running")}
          </h2>
          <ul className="mt-1 space-y-1">
            {d.appeals.map((a) => (
              <li key={a.slug}>
                <Link to={`/appeals/${a.slug}`} className="text-brand-700 underline">
                  {a.title}
                </Link>
                {a.emergency && <span className="ms-2 rounded bg-red-100 px-1 text-xs font-bold text-red-900">{t("giving:appeals.emergency")}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Form method="get" className="space-y-4 rounded-lg bg-white p-4 shadow-sm" data-testid="platform-form">
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor="platform-amount" className="block font-bold">
              {t("giving:platform.amount")}
            </label>
            <input id="platform-amount" name="amount" inputMode="decimal" required defaultValue={d.values.amount} className={inputClass} aria-describedby="platform-amount-error" aria-invalid={d.errors.amount ? true : undefined} data-testid="platform-amount" />
            {err("amount")}
          </div>
          <div className="space-y-1">
            <label htmlFor="platform-currency" className="block font-bold">
              {t("giving:platform.currency")}
            </label>
            <select id="platform-currency" name="currency" defaultValue={d.values.currency} className={inputClass} data-testid="platform-currency">
              {d.currencies.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code} — {t("giving:platform.atLeast", { minimum: c.minimum })}
                </option>
              ))}
            </select>
            {err("currency")}
          </div>
        </div>
        <fieldset className="space-y-1">
          <legend className="font-bold">{t("giving:give.frequency")}</legend>
          {(["once", "monthly"] as const).map((f) => (
            <label key={f} className="flex items-center gap-2">
              <input type="radio" name="frequency" value={f} defaultChecked={d.values.frequency === f} className="h-4 w-4" />
              <span>{t(`giving:give.frequencies.${f}`)}</span>
            </label>
          ))}
          {err("frequency")}
        </fieldset>
        <div className="space-y-1">
          <label htmlFor="platform-country" className="block font-bold">
            {t("giving:platform.country")}
          </label>
          <select id="platform-country" name="country" defaultValue={d.values.country} className={inputClass} data-testid="platform-country">
            <option value="">{t("giving:platform.anyCountry")}</option>
            {d.countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
          {err("country")}
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="zakat" defaultChecked={d.values.zakat} className="h-4 w-4" data-testid="platform-zakat" />
          <span>{t("giving:give.zakat")}</span>
        </label>
        <CheckboxGroup
          legend={t("giving:give.categories")}
          hint={t("giving:give.categoriesHint")}
          name="categories"
          options={NEED_CATEGORIES.map((c) => ({ value: c, label: t(`needs:categories.${c}`) }))}
          checked={d.values.categories}
          errors={d.errors.categories ? [d.errors.categories] : null}
          testId="platform-categories"
        />
        <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-bold text-white" data-testid="platform-submit">
          {t("giving:platform.find")}
        </button>
      </Form>

      {d.asked && Object.keys(d.errors).length === 0 && !first && (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3" data-testid="platform-none">
          {t("giving:platform.none")}
        </p>
      )}
      {first && (
        <section aria-labelledby="platform-result" className="space-y-2 rounded-lg border-2 border-brand-700 bg-white p-4" data-testid="platform-result">
          <h2 id="platform-result" className="text-xl font-bold">
            {t("giving:platform.goesTo")} <Bdi>{first.orgName}</Bdi>
          </h2>
          <p className="text-sm text-stone-700">{first.country}</p>
          <p>
            {t("giving:platform.because")}{" "}
            <Link to={`/needs/${first.needPublicId}`} className="text-brand-700 underline" data-testid="platform-need">
              {first.needTitle}
            </Link>{" "}
            ({t("giving:platform.score", { score: first.score })}: {first.why.join(" · ")})
          </p>
          <p className="text-sm text-stone-700">
            {t("giving:platform.matching", { count: first.matchingNeeds })} <Money text={first.room} />
          </p>
          <p className="text-sm text-stone-700">{t("giving:platform.then")}</p>
          <Link to={first.href} className="inline-block rounded bg-brand-700 px-5 py-3 text-lg font-bold text-white" data-testid="platform-give">
            {t("giving:platform.give", { org: first.orgName })}
          </Link>
        </section>
      )}
      {others.length > 0 && (
        <section aria-labelledby="platform-others" className="space-y-2">
          <h2 id="platform-others" className="text-lg font-bold">
            {t("giving:platform.others")}
          </h2>
          <ul className="space-y-2" data-testid="platform-others">
            {others.map((c) => (
              <li key={c.slug} className="rounded border border-stone-200 bg-white p-3">
                <p className="font-bold">
                  <Bdi>{c.orgName}</Bdi> <span className="text-sm font-normal text-stone-700">— {c.country}</span>
                </p>
                <p className="text-sm">
                  {c.needTitle} ({t("giving:platform.score", { score: c.score })})
                </p>
                <Link to={c.href} className="text-brand-700 underline">
                  {t("giving:platform.give", { org: c.orgName })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

import type { FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorList } from "~/components/forms";
import { COUNTRY_DEFAULTS, defaultsForCountry, type OrgChoices } from "~/modules/organizations/country-defaults";

type Meta = FieldMetadata<string | undefined | null> | FieldMetadata<string>;

const selectClass =
  "block w-full rounded border border-stone-400 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700";

/**
 * An organisation's currency (ISO 4217 select) and time zone (IANA select, the country's zones
 * first). The first choice of each is "the country's default": left there, the server applies the
 * country's currency and zone (works without JavaScript). With JavaScript, `fillCountryDefaults`
 * sets both when the country changes.
 */
export function OrgDefaultsFields({
  choices,
  currency,
  timeZone,
}: {
  /** The lists, from the loader (`orgChoices`): never built in the browser, whose ICU differs from the server's. */
  choices: OrgChoices;
  currency: Meta;
  timeZone: Meta;
}) {
  const { t } = useTranslation("staff");
  const { defaults, zones } = choices;
  const select = (meta: Meta, label: string, hint: string, children: ReactNode) => {
    const errorId = meta.errors?.length ? meta.errorId : undefined;
    const hintId = `${meta.id}-hint`;
    return (
      <div className="space-y-1">
        <label htmlFor={meta.id} className="block font-bold">
          {label}
        </label>
        <p id={hintId} className="text-sm text-stone-700">
          {hint}
        </p>
        <select
          id={meta.id}
          name={meta.name}
          key={meta.key}
          defaultValue={(meta.initialValue as string | undefined) ?? ""}
          aria-invalid={errorId ? true : undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(" ")}
          dir="ltr"
          className={selectClass}
        >
          {children}
        </select>
        <ErrorList id={errorId} errors={meta.errors} />
      </div>
    );
  };
  return (
    <>
      {select(
        currency,
        t("orgDefaults.currency"),
        t("orgDefaults.currencyHint"),
        <>
          <option value="">{defaults ? t("orgDefaults.countryDefault", { value: defaults.currency }) : t("orgDefaults.byCountry")}</option>
          {choices.currencies.map(({ code, label }) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </>,
      )}
      {select(
        timeZone,
        t("orgDefaults.timeZone"),
        t("orgDefaults.timeZoneHint"),
        <>
          <option value="">{defaults ? t("orgDefaults.countryDefault", { value: defaults.timeZone }) : t("orgDefaults.byCountry")}</option>
          {zones.lead.length > 0 && (
            <optgroup label={t("orgDefaults.countryZones")}>
              {zones.lead.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label={t("orgDefaults.allZones")}>
            {zones.rest.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </optgroup>
        </>,
      )}
    </>
  );
}

/**
 * With JavaScript: choosing a country in the new-organisation form fills its currency and time
 * zone. The zone is set only when the select has it (every zone in the table is listed).
 */
export function fillCountryDefaults(form: HTMLFormElement | null, country: string) {
  if (!form) return;
  const defaults = COUNTRY_DEFAULTS[country.toUpperCase()] ?? (country.length === 2 ? defaultsForCountry(country) : null);
  if (!defaults) return;
  const set = (name: string, value: string) => {
    const el = form.elements.namedItem(name);
    if (el instanceof HTMLSelectElement && [...el.options].some((o) => o.value === value)) el.value = value;
  };
  set("defaultCurrency", defaults.currency);
  set("timeZone", defaults.timeZone);
}

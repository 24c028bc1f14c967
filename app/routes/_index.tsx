import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { asc } from "drizzle-orm";
import { organizations } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { getFixedT } from "~/utils/i18next.server";
import type { LoaderFunctionArgs } from "@remix-run/node";

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const t = await getFixedT(request);
  const orgs = await db
    .select({
      slug: organizations.slug,
      nameAr: organizations.nameAr,
      nameEn: organizations.nameEn,
      country: organizations.country,
      defaultCurrency: organizations.defaultCurrency,
    })
    .from(organizations)
    .orderBy(asc(organizations.createdAt));
  return { orgs, title: `${t("appName")} — ${t("tagline")}` };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Tadamon" },
  { name: "description", content: data?.title ?? "" },
];

export default function Home() {
  const { orgs } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <div className="space-y-10">
      <section className="rounded-lg bg-white p-6 shadow-sm">
        <h1 className="text-3xl font-bold text-brand-800">{t("home.title")}</h1>
        <p className="mt-3 max-w-3xl text-lg leading-relaxed">{t("home.lead")}</p>
      </section>
      <section aria-labelledby="how">
        <h2 id="how" className="text-2xl font-bold">
          {t("home.howTitle")}
        </h2>
        <ol className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {(["how1", "how2", "how3", "how4"] as const).map((key, i) => (
            <li key={key} className="rounded-lg border border-stone-200 bg-white p-4">
              <span className="block text-2xl font-bold text-brand-700">{(i + 1).toLocaleString(i18n.language)}</span>
              <span className="mt-2 block">{t(`home.${key}`)}</span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="orgs">
        <h2 id="orgs" className="text-2xl font-bold">
          {t("home.orgsTitle")}
        </h2>
        {orgs.length === 0 ? (
          <p className="mt-4">{t("home.orgsEmpty")}</p>
        ) : (
          <ul className="mt-4 grid gap-4 sm:grid-cols-3" data-testid="org-list">
            {orgs.map((org) => (
              <li key={org.slug} className="rounded-lg border border-stone-200 bg-white p-4">
                <p className="font-bold">{i18n.language === "ar" ? org.nameAr : org.nameEn}</p>
                <p className="mt-1 text-sm text-stone-700">
                  {t(`home.country.${org.country}`, { defaultValue: org.country })} ·{" "}
                  {t("home.currency", { currency: org.defaultCurrency })}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

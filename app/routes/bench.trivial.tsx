import type { MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";

/**
 * /bench/trivial — the bench's yardstick page (bench/run.ts): one route, one translated string, no
 * loader, served by the same server and build as the donor pages, inside the same document (root
 * loader, <html>, stylesheet, the donor half's one inline script) but without the site's header and
 * footer (`handle.bare`). A donor page's req/s divided by this page's is what its own data and
 * markup cost. Never indexed; harmless to anyone who finds it.
 */
export const handle = { bare: true };

export const meta: MetaFunction = () => [{ title: "Tadamon" }, { name: "robots", content: "noindex" }];

export default function BenchTrivial() {
  const { t } = useTranslation();
  return <p data-testid="bench-trivial">{t("appName")}</p>;
}

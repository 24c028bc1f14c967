import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Offset pagination links that keep the current filters (plain links: work without JavaScript). */
export function Pagination({ page, pages }: { page: number; pages: number }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  if (pages <= 1) return null;
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(p));
    return `${location.pathname}?${params.toString()}`;
  };
  const fmt = (n: number) => n.toLocaleString(i18n.language);
  return (
    <nav aria-label={t("pagination.label")} className="mt-4 flex items-center gap-3">
      {page > 1 ? (
        <Link to={hrefFor(page - 1)} className="rounded border border-stone-400 px-3 py-1" rel="prev">
          {t("pagination.previous")}
        </Link>
      ) : null}
      <span>{t("pagination.pageOf", { page: fmt(page), pages: fmt(pages) })}</span>
      {page < pages ? (
        <Link to={hrefFor(page + 1)} className="rounded border border-stone-400 px-3 py-1" rel="next">
          {t("pagination.next")}
        </Link>
      ) : null}
    </nav>
  );
}

/** Reads `?page=` safely: a positive integer, else 1. */
export function pageFrom(url: URL): number {
  const n = Number(url.searchParams.get("page"));
  return Number.isInteger(n) && n > 0 && n < 100_000 ? n : 1;
}

import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useDigits } from "~/components/bidi";
import { formatNumber } from "~/utils/format";
import { isLocale } from "~/utils/i18n";

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

/**
 * Keyset pagination for long public lists (decision 059): "previous" and "next" carry an opaque
 * cursor (`?cursor=`) that the loader validated; the page number is a label. Plain links that keep
 * the current filters (work without JavaScript); arrows point the reading direction (mirrored in RTL).
 */
export function KeysetPagination({
  page,
  pages,
  capped,
  next,
  prev,
}: {
  page: number;
  pages: number;
  /** The count stopped at a cap: "page 3 of more than 50". */
  capped: boolean;
  next: string | null;
  prev: string | null;
}) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const digits = useDigits();
  if (!next && !prev && page <= 1) return null;
  const locale = isLocale(i18n.language) ? i18n.language : "ar";
  const hrefFor = (cursor: string | null) => {
    const params = new URLSearchParams(location.search);
    params.delete("page");
    params.delete("cursor");
    if (cursor) params.set("cursor", cursor);
    const query = params.toString();
    return query ? `${location.pathname}?${query}` : location.pathname;
  };
  const fmt = (n: number) => digits(formatNumber(n, locale));
  const link = "inline-flex items-center gap-1 rounded border border-stone-400 px-3 py-1";
  return (
    <nav aria-label={t("pagination.label")} className="mt-4 flex flex-wrap items-center gap-3" data-testid="keyset-pagination">
      {page > 2 ? (
        <Link to={hrefFor(null)} className={link}>
          {t("pagination.first")}
        </Link>
      ) : null}
      {prev ? (
        <Link to={hrefFor(prev)} className={link} rel="prev">
          <span aria-hidden="true" className="inline-block rtl:rotate-180">
            ←
          </span>
          {t("pagination.previous")}
        </Link>
      ) : null}
      <span>
        {capped
          ? t("pagination.pageOfMore", { page: fmt(page), pages: fmt(pages) })
          : t("pagination.pageOf", { page: fmt(page), pages: fmt(Math.max(pages, page)) })}
      </span>
      {next ? (
        <Link to={hrefFor(next)} className={link} rel="next">
          {t("pagination.next")}
          <span aria-hidden="true" className="inline-block rtl:rotate-180">
            →
          </span>
        </Link>
      ) : null}
    </nav>
  );
}

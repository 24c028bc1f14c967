import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Bdi, Money } from "~/components/bidi";
import { linkClass } from "~/components/auth-page";
import { monthlyGiftsOf } from "~/modules/giving/monthly.server";
import { pageTitle } from "~/modules/identity/route-helpers.server";
import { requireAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { getLocale } from "~/utils/i18next.server";

/**
 * /account/monthly — a signed-in donor's monthly gifts (made signed in, or to their verified
 * address): each with its fund, amount, status and months received, linking to its page, where
 * the donor updates the card or cancels.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireAuth(request);
  const locale = await getLocale(request);
  const gifts = await monthlyGiftsOf(await getDb(), { userId: user.id, verifiedEmail: user.emailVerifiedAt ? user.email.trim().toLowerCase() : null }, locale);
  return {
    title: await pageTitle(request, "giving:monthly.accountTitle"),
    gifts: gifts.map((g) => ({
      id: g.gift.id,
      path: g.path,
      fundName: g.fundName,
      amount: formatMoney(g.gift.amountMinor, g.gift.currency, locale),
      status: g.gift.status,
      method: g.gift.method,
      since: formatDate(g.gift.createdAt, locale),
      paidMonths: g.paidMonths,
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function AccountMonthly() {
  const { gifts } = useLoaderData<typeof loader>();
  const { t } = useTranslation(["giving", "auth"]);
  return (
    <div className="mx-auto w-full max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold text-brand-800">{t("giving:monthly.accountHeading")}</h1>
      {gifts.length === 0 ? (
        <p data-testid="monthly-none">{t("giving:monthly.none")}</p>
      ) : (
        <ul className="space-y-2" data-testid="monthly-gifts">
          {gifts.map((g) => (
            <li key={g.id} className="rounded border border-stone-200 bg-white p-3">
              <Link to={g.path} className={linkClass}>
                <Bdi>{g.fundName}</Bdi>
              </Link>
              <span className="block text-sm text-stone-700">
                <Money text={g.amount} /> {t("giving:monthly.perMonth")} · {t(`giving:monthly.methods.${g.method}`)} · {t(`giving:monthly.status.${g.status}`)} ·{" "}
                {t("giving:monthly.monthsReceived", { count: g.paidMonths })} · {t("giving:monthly.sinceDate", { date: g.since })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/account" className={linkClass}>
          {t("auth:password.backLink")}
        </Link>
      </p>
    </div>
  );
}

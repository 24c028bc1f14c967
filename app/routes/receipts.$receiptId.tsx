import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "~/components/forms";
import { JsButton } from "~/components/enhance";
import { Bdi, Digits, Ltr, Money, Ref, ltrRun, useDigits } from "~/components/bidi";
import {
  canViewReceipt,
  isDonorOf,
  isFinanceOf,
  isReceiptId,
  receiptDetails,
  receiptLines,
  receiptPath,
  reissueReceipt,
  verifyReceiptSignature,
} from "~/modules/receipts/receipts.server";
import { getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { appOrigin } from "~/utils/request.server";
import { env } from "~/utils/env.server";

/**
 * /receipts/:receiptId — a printable receipt or credit note (print styles, no JavaScript needed).
 * Who sees it: whoever holds the signed link from the email (`?s=`), the signed-in donor whose
 * receipt it is, and finance officers and org admins of its organisation. Anyone else gets the
 * same 404 as for a receipt that does not exist. The donor or finance can have it emailed again
 * (same number). Never cached; the signed link is not passed on as a referrer.
 */

const HEADERS = { "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" };

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const out = new Headers(HEADERS);
  for (const source of [loaderHeaders, actionHeaders]) source?.forEach((value, key) => out.set(key, value));
  return out;
};

function notFound(): never {
  throw new Response("Not Found", { status: 404, headers: HEADERS });
}

/** The receipt if this request may see it, with who is looking; 404 otherwise. */
async function access(request: Request, receiptId: string | undefined, signature: string | null) {
  if (!isReceiptId(receiptId)) notFound();
  const db = await getDb();
  const [details, auth] = await Promise.all([receiptDetails(db, receiptId), getAuth(request)]);
  if (!details) notFound();
  const signed = verifyReceiptSignature(receiptId, signature);
  const user = auth?.user ?? null;
  if (!(await canViewReceipt(db, details.receipt, { user, signed }))) notFound();
  const donor = Boolean(user && isDonorOf(details.receipt, user));
  const finance = Boolean(user && !donor && (await isFinanceOf(db, details.receipt.orgId, user.id)));
  return { details, signed, donor, finance, signedIn: Boolean(user) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const signature = url.searchParams.get("s");
  const { details, signed, donor, finance, signedIn } = await access(request, params.receiptId, signature);
  const locale = await getLocale(request);
  const t = await getFixedT(request, ["receipts", "common"]);
  const lines = receiptLines(details, locale);
  const refersTo = details.receipt.refersToReceiptId;
  return data(
    {
      title: `${t("receipts:page.title", { kind: t(`receipts:kind.${lines.kind}`), number: lines.number })} — ${t("common:appName")}`,
      receipt: lines,
      // The corrected receipt: the same signature rules (the holder of one link is the same donor).
      refersToHref: refersTo ? (signed ? receiptPath(refersTo) : `/receipts/${refersTo}`) : null,
      signature: signed ? signature : null,
      canReissue: Boolean(details.receipt.donorEmail) && (signed || donor || finance),
      finance,
      signedIn,
      notice: (["sent", "too_soon", "no_email"] as const).find((n) => url.searchParams.get("reissued") === n) ?? null,
    },
    { headers: HEADERS },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }, { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const url = new URL(request.url);
  const signature = (typeof form.get("s") === "string" ? (form.get("s") as string) : null) || url.searchParams.get("s");
  const { details, signed } = await access(request, params.receiptId, signature);
  if (form.get("intent") !== "reissue") throw new Response("Bad Request", { status: 400, headers: HEADERS });
  const result = await reissueReceipt(await getDb(), { receiptId: details.receipt.id, origin: appOrigin(request, env().APP_URL) });
  const back = signed ? receiptPath(details.receipt.id) : `/receipts/${details.receipt.id}`;
  return redirect(`${back}${back.includes("?") ? "&" : "?"}reissued=${result}`, { headers: HEADERS });
}

export default function ReceiptPage() {
  const { receipt: r, refersToHref, signature, canReissue, finance, signedIn, notice } = useLoaderData<typeof loader>();
  const { t } = useTranslation("receipts");
  const digits = useDigits();
  const isReceipt = r.kind === "receipt";
  return (
    <div className="mx-auto w-full max-w-2xl space-y-6">
      {notice === "sent" && <Notice tone="success">{t("page.reissuedNotice")}</Notice>}
      {notice === "too_soon" && <Notice tone="info">{t("page.tooSoon")}</Notice>}
      {notice === "no_email" && <Notice tone="info">{t("page.noEmail")}</Notice>}
      <article id="print-document" className="space-y-4 rounded-lg border border-stone-200 bg-white p-5" data-testid="receipt">
        <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-stone-300 pb-3">
          <div>
            <p className="text-lg font-bold">
              <Bdi>{r.orgName}</Bdi>
            </p>
            {r.registrationNumber && (
              <p className="text-sm">
                {t("page.registration")}: <Ltr>{r.registrationNumber}</Ltr>
              </p>
            )}
          </div>
          <h1 className="text-2xl font-bold text-brand-800">
            {t(`kind.${r.kind}`)}{" "}
            <Ref testId="receipt-number">{r.number}</Ref>
          </h1>
        </header>
        {r.reissuedOn && <p className="text-sm">{t("page.reissued", { date: digits(r.reissuedOn) })}</p>}
        {!isReceipt && r.refersToNumber && (
          <p className="font-bold">
            {t("page.refersTo")}{" "}
            {refersToHref ? (
              <Link to={refersToHref} className="underline">
                <Ref>{r.refersToNumber}</Ref>
              </Link>
            ) : (
              <Ref>{r.refersToNumber}</Ref>
            )}
          </p>
        )}
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
          <dt className="font-bold">{t("page.issuedOn")}</dt>
          <dd>
            <Digits>{r.issuedOn}</Digits>
          </dd>
          {r.donorName && (
            <>
              <dt className="font-bold">{t("page.from")}</dt>
              <dd>
                <Bdi testId="receipt-donor">{r.donorName}</Bdi>
              </dd>
            </>
          )}
          <dt className="font-bold">{isReceipt ? t("page.amount") : t("page.refunded")}</dt>
          <dd className="text-xl font-bold tabular-nums" data-testid="receipt-amount">
            <Money text={r.amount} />
          </dd>
          {isReceipt && (
            <>
              <dt className="font-bold">{t("page.valueDate")}</dt>
              <dd>
                <Digits>{r.valueDate}</Digits>
              </dd>
              <dt className="font-bold">{t("page.method")}</dt>
              <dd>{t(`methods.${r.method}`)}</dd>
              <dt className="font-bold">{t("page.givenAs")}</dt>
              <dd data-testid="receipt-given-as">{t(`page.givenAsKinds.${r.givenAs}`)}</dd>
            </>
          )}
          <dt className="font-bold">{t("page.for")}</dt>
          <dd>
            {r.destination === "need" && r.needTitle ? (
              r.needPublicId ? (
                <Link to={`/needs/${r.needPublicId}`} className="underline">
                  <Bdi>{r.needTitle}</Bdi>
                </Link>
              ) : (
                <Bdi>{r.needTitle}</Bdi>
              )
            ) : r.destination === "fund" && r.needTitle ? (
              <>
                <Bdi>{r.needTitle}</Bdi>
                <span className="block text-sm text-stone-700">{t("page.fundHint")}</span>
              </>
            ) : r.destination === "unassigned" ? (
              t("page.unassigned")
            ) : (
              t("page.unrestricted")
            )}
          </dd>
          {r.pledgeReference && (
            <>
              <dt className="font-bold">{t("page.pledgeReference")}</dt>
              <dd>
                <Ref>{r.pledgeReference}</Ref>
              </dd>
            </>
          )}
          <dt className="font-bold">{t("page.issuer")}</dt>
          <dd>
            <Bdi>{r.orgName}</Bdi>
          </dd>
        </dl>
        {(r.gift || r.coverFee) && (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {r.gift && (
              <>
                <dt>{t("page.gift")}</dt>
                <dd className="tabular-nums">
                  <Money text={r.gift} />
                </dd>
              </>
            )}
            {r.coverFee && (
              <>
                <dt>{t("page.coverFee")}</dt>
                <dd className="tabular-nums">
                  <Money text={r.coverFee} />
                </dd>
              </>
            )}
          </dl>
        )}
        {r.surplus && (
          <p className="rounded border border-stone-300 p-3" data-testid="receipt-surplus">
            {t("page.surplus", { amount: ltrRun(digits(r.surplus)) })}
          </p>
        )}
        {isReceipt && <p>{t("page.thanks")}</p>}
      </article>

      <div className="no-print space-y-3">
        <p>{t("page.printHint")}</p>
        <p className="flex flex-wrap items-center gap-4">
          <JsButton action="print" label={t("page.print")} className="rounded border border-stone-400 px-3 py-1" testId="print" />
          {signedIn && !finance && (
            <Link to="/account/receipts" className="text-brand-700 underline">
              {t("page.myReceipts")}
            </Link>
          )}
        </p>
        {canReissue && (
          <Form method="post">
            <input type="hidden" name="intent" value="reissue" />
            {signature && <input type="hidden" name="s" value={signature} />}
            <button type="submit" className="rounded border border-brand-700 px-3 py-1 text-brand-700">
              {finance ? t("page.reissueFinance") : t("page.reissue")}
            </button>
          </Form>
        )}
      </div>
    </div>
  );
}

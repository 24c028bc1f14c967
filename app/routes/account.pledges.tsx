import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod";
import { readForm } from "~/utils/forms.server";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { FormMessage, Notice } from "~/components/forms";
import { PledgeError } from "~/modules/pledging/errors";
import { cancelPledge, listDonorPledges } from "~/modules/pledging/pledges.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { actorOf, requireUser } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { getFixedT, getLocale } from "~/utils/i18next.server";

/** /account/pledges — the donor's pledges with status, reference and instructions; cancel a pending one. */

const CancelSchema = z.object({
  intent: z.literal("cancel"),
  reference: z.string().max(40).refine((v) => normalizeReference(v) !== null, "pledging:errors.referenceInvalid"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [rows, locale, t] = await Promise.all([listDonorPledges(await getDb(), user.id), getLocale(request), getFixedT(request, ["pledging", "common"])]);
  const cancelled = normalizeReference(new URL(request.url).searchParams.get("cancelled"));
  return data(
    {
      title: `${t("pledging:account.title")} — ${t("common:appName")}`,
      cancelled,
      pledges: rows.map((p) => ({
        reference: p.reference,
        status: p.status,
        amount: formatMoney(p.amountMinor, p.currency, locale),
        date: formatDate(p.createdAt, locale),
        needPublicId: p.needPublicId,
        needTitle: (locale === "ar" ? p.needTitleAr ?? p.needTitleEn : p.needTitleEn ?? p.needTitleAr) ?? "",
        cancellable: p.status === "pending" || p.status === "awaiting_payment",
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: CancelSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const reference = normalizeReference(submission.value.reference)!;
  try {
    await cancelPledge(await getDb(), { reference, userId: user.id, actor: actorOf(request, user) });
  } catch (error) {
    if (!(error instanceof PledgeError)) throw error;
    return data({ result: submission.reply({ formErrors: [error.messageKey] }) }, { status: error.status });
  }
  return redirect(`/account/pledges?cancelled=${reference}`);
}

export default function MyPledges() {
  const { pledges, cancelled } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("pledging");
  return (
    <div className="mx-auto w-full max-w-4xl space-y-4">
      <h1 className="text-2xl font-bold text-brand-800">{t("account.title")}</h1>
      <p>{t("account.intro")}</p>
      {cancelled && <Notice tone="success">{t("account.cancelled", { reference: cancelled })}</Notice>}
      <FormMessage errors={actionData?.result?.error?.[""] ?? actionData?.result?.error?.reference} />
      {pledges.length === 0 ? (
        <p>
          {t("account.empty")}{" "}
          <Link to="/needs" className="text-brand-700 underline">
            {t("account.browse")}
          </Link>
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-start" data-testid="my-pledges">
            <thead>
              <tr className="border-b border-stone-300 text-start">
                <th scope="col" className="p-2 text-start">{t("account.columns.date")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.need")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.amount")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.reference")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.status")}</th>
                <th scope="col" className="p-2 text-start">{t("account.columns.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {pledges.map((p) => (
                <tr key={p.reference} className="border-b border-stone-200">
                  <td className="p-2">{p.date}</td>
                  <td className="p-2">
                    <Link to={`/needs/${p.needPublicId}`} className="underline">
                      {p.needTitle}
                    </Link>
                  </td>
                  <td className="p-2 tabular-nums">{p.amount}</td>
                  <td className="p-2 font-mono" dir="ltr">
                    {p.reference}
                  </td>
                  <td className="p-2">{t(`status.${p.status}`)}</td>
                  <td className="space-x-2 p-2 rtl:space-x-reverse">
                    <Link to={`/pledges/${p.reference}`} className="text-brand-700 underline">
                      {t("account.instructions")}
                    </Link>
                    {p.cancellable && (
                      <Form method="post" className="inline">
                        <input type="hidden" name="intent" value="cancel" />
                        <input type="hidden" name="reference" value={p.reference} />
                        <button type="submit" className="text-red-800 underline" aria-label={`${t("account.cancel")} ${p.reference}`}>
                          {t("account.cancel")}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

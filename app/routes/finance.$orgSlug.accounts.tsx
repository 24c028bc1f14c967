import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { staffTitle } from "~/modules/organizations/route-helpers.server";
import { FINANCE_ROLES } from "~/modules/pledging/staff";
import {
  MoneyAccountError,
  createMoneyAccount,
  listMoneyAccounts,
  setMoneyAccountActive,
  updateMoneyAccount,
} from "~/modules/payments/inbox.server";
import { MONEY_ACCOUNT_KINDS, MoneyAccountActionSchema, knownCurrency } from "~/modules/payments/schemas";
import { FormMessage, Notice } from "~/components/forms";
import { PlainField, PlainSelect } from "~/components/registry";
import { PageTitle, Section, buttonClass, dangerButtonClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass } from "~/components/staff";

/**
 * /finance/:orgSlug/accounts — where the organisation keeps money: each bank account with its
 * currency, the cash box, money-transfer agents. Finance and org admins add, rename, deactivate
 * and reactivate them; an account's currency is fixed once money has used it.
 */

type Errors = Record<string, string[] | undefined>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const locale = await getLocale(request);
  const accounts = await listMoneyAccounts(await getDb(), org.id);
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    title: await staffTitle(request, "finance:accounts.title", orgName(org, locale)),
    org: { slug: org.slug, defaultCurrency: org.defaultCurrency },
    accounts,
    notice: notice && /^[a-z]{1,20}$/.test(notice) ? notice : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export interface AccountReply {
  intent: string;
  accountId: string | null;
  errors: Errors;
  formErrors: string[];
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, FINANCE_ROLES);
  const { org } = member;
  const form = await readForm(request);
  const intent = typeof form.get("intent") === "string" ? String(form.get("intent")).slice(0, 20) : "";
  const accountId = typeof form.get("accountId") === "string" ? String(form.get("accountId")).slice(0, 64) : null;
  const reply = (status: number, body: Partial<AccountReply>) =>
    data<AccountReply>({ intent, accountId, errors: {}, formErrors: [], ...body }, { status });
  const parsed = MoneyAccountActionSchema.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    const flat = parsed.error.flatten();
    return reply(400, { errors: flat.fieldErrors as Errors, formErrors: flat.formErrors });
  }
  const input = parsed.data;
  if ((input.intent === "create" || input.intent === "update") && input.currency && !knownCurrency(input.currency)) {
    return reply(400, { errors: { currency: ["finance:errors.currencyInvalid"] } });
  }
  const db = await getDb();
  const back = (notice: string) => redirect(`/finance/${org.slug}/accounts?notice=${notice}`);
  try {
    switch (input.intent) {
      case "create":
        await createMoneyAccount(db, member.actor, { orgId: org.id, ...input });
        return back("created");
      case "update":
        await updateMoneyAccount(db, member.actor, { orgId: org.id, ...input });
        return back("updated");
      case "deactivate":
      case "activate":
        await setMoneyAccountActive(db, member.actor, { orgId: org.id, accountId: input.accountId, active: input.intent === "activate" });
        return back(input.intent === "activate" ? "activated" : "deactivated");
    }
  } catch (error) {
    if (error instanceof MoneyAccountError) return reply(error.status, { formErrors: [error.messageKey] });
    throw error;
  }
}

export default function MoneyAccountsPage() {
  const { org, accounts, notice } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const { t } = useTranslation("finance");
  const createErrors = reply?.intent === "create" ? reply.errors : {};

  return (
    <div className="space-y-6">
      <PageTitle title={t("accounts.title")} intro={t("accounts.intro")}>
        <Link to={`/finance/${org.slug}`} className={linkClass}>
          {t("nav.home")}
        </Link>
      </PageTitle>
      {notice && (
        <div data-testid="accounts-notice">
          <Notice tone="success">{t(`accounts.notices.${notice}`, { defaultValue: t("accounts.notices.updated") })}</Notice>
        </div>
      )}
      {reply?.formErrors?.length ? <FormMessage id="accounts-error" errors={reply.formErrors} /> : null}

      <Section id="list" title={t("accounts.list")}>
        {accounts.length === 0 ? (
          <p>{t("accounts.empty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="accounts-table">
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("accounts.name")}</th>
                  <th scope="col" className={thClass}>{t("accounts.kind")}</th>
                  <th scope="col" className={thClass}>{t("accounts.currency")}</th>
                  <th scope="col" className={thClass}>{t("accounts.state")}</th>
                  <th scope="col" className={thClass}>{t("columns.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((a) => {
                  const errors = reply?.intent === "update" && reply.accountId === a.id ? reply.errors : {};
                  return (
                    <tr key={a.id} data-testid="account-row" data-name={a.name} className={a.active ? undefined : "text-stone-500"}>
                      <th scope="row" className={`${tdClass} text-start`}>
                        {a.name}
                        {a.bankName && <span className="block text-xs font-normal">{a.bankName}</span>}
                        {a.accountNumber && (
                          <span className="block text-xs font-normal" dir="ltr">
                            {a.accountNumber}
                          </span>
                        )}
                      </th>
                      <td className={tdClass}>{t(`accountKinds.${a.kind}`)}</td>
                      <td className={tdClass}>
                        <span dir="ltr">{a.currency}</span>
                        {a.used && <span className="block text-xs">{t("accounts.currencyFixed")}</span>}
                      </td>
                      <td className={tdClass}>{a.active ? t("accounts.active") : t("accounts.inactive")}</td>
                      <td className={tdClass}>
                        <details className="min-w-[14rem]" open={Object.keys(errors).length > 0}>
                          <summary className="cursor-pointer font-bold text-brand-700 underline">
                            {t("accounts.edit")}
                            <span className="sr-only"> {a.name}</span>
                          </summary>
                          <Form method="post" className="mt-2 space-y-2">
                            <input type="hidden" name="intent" value="update" />
                            <input type="hidden" name="accountId" value={a.id} />
                            <PlainField id={`name-${a.id}`} name="name" label={t("accounts.name")} defaultValue={a.name} errors={errors.name} required />
                            {a.kind !== "cash" && (
                              <>
                                <PlainField id={`bank-${a.id}`} name="bankName" label={t("accounts.bankName")} defaultValue={a.bankName} errors={errors.bankName} />
                                <PlainField id={`number-${a.id}`} name="accountNumber" label={t("accounts.accountNumber")} defaultValue={a.accountNumber} errors={errors.accountNumber} dir="ltr" />
                              </>
                            )}
                            {a.used ? (
                              <input type="hidden" name="currency" value={a.currency} />
                            ) : (
                              <PlainField id={`currency-${a.id}`} name="currency" label={t("accounts.currency")} defaultValue={a.currency} errors={errors.currency} dir="ltr" />
                            )}
                            <button type="submit" className={buttonClass}>
                              {t("accounts.save")}
                            </button>
                          </Form>
                        </details>
                        <Form method="post" className="mt-2">
                          <input type="hidden" name="intent" value={a.active ? "deactivate" : "activate"} />
                          <input type="hidden" name="accountId" value={a.id} />
                          <button type="submit" className={a.active ? dangerButtonClass : secondaryButtonClass}>
                            {a.active ? t("accounts.deactivate") : t("accounts.activate")}
                            <span className="sr-only"> {a.name}</span>
                          </button>
                        </Form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="add" title={t("accounts.add")}>
        <Form method="post" className="grid gap-4 sm:grid-cols-2">
          <input type="hidden" name="intent" value="create" />
          <PlainSelect
            id="account-kind"
            name="kind"
            label={t("accounts.kind")}
            errors={createErrors.kind}
            defaultValue="bank"
            options={MONEY_ACCOUNT_KINDS.map((k) => ({ value: k, label: t(`accountKinds.${k}`) }))}
          />
          <PlainField id="account-name" name="name" label={t("accounts.name")} hint={t("accounts.nameHint")} errors={createErrors.name} required />
          <PlainField id="account-currency" name="currency" label={t("accounts.currency")} defaultValue={org.defaultCurrency} errors={createErrors.currency} dir="ltr" required />
          <PlainField id="account-bank" name="bankName" label={t("accounts.bankName")} errors={createErrors.bankName} />
          <PlainField id="account-number" name="accountNumber" label={t("accounts.accountNumber")} errors={createErrors.accountNumber} dir="ltr" />
          <div className="sm:col-span-2">
            <button type="submit" className={buttonClass}>
              {t("accounts.create")}
            </button>
          </div>
        </Form>
      </Section>
    </div>
  );
}

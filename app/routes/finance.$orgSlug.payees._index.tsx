import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { queryParam } from "~/utils/request-screen.server";
import { getLocale } from "~/utils/i18next.server";
import { orgName } from "~/modules/organizations/roles";
import { noticeFrom, staffTitle } from "~/modules/organizations/route-helpers.server";
import { createPayee, listPayees } from "~/modules/payees/payees.server";
import { PayeeError } from "~/modules/payees/errors";
import { CreatePayeeSchema, PAYEE_KINDS, PAYEE_ROLES, PAYEE_STATUSES, PayeeListFilterSchema } from "~/modules/payees/schemas";
import { pageFrom, Pagination } from "~/components/pagination";
import { FormMessage, Notice } from "~/components/forms";
import { PlainField, PlainSelect } from "~/components/registry";
import { PayeeTextArea } from "~/components/payees";
import { PageTitle, Section, buttonClass, linkClass, secondaryButtonClass, tableClass, tdClass, thClass, useLocale } from "~/components/staff";
import { formatNumber } from "~/utils/format";

/**
 * /finance/:orgSlug/payees — the organisation's payees: search (Arabic-normalized name, contact,
 * phone digits), filter by kind and status, pages; and a form to add one (name and contact only:
 * bank details are requested on the payee's page and approved by a second finance person).
 */

type Errors = Record<string, string[] | undefined>;
const CREATE_FIELDS = ["kind", "name", "contactName", "phone", "email", "address", "notes"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, PAYEE_ROLES);
  const { org } = member;
  const url = new URL(request.url);
  const get = (name: string) => queryParam(url, name) || undefined;
  const raw = { q: (get("q") ?? "").slice(0, 120) || undefined, kind: get("kind"), status: get("status") };
  const parsed = PayeeListFilterSchema.safeParse(raw);
  const filters = parsed.success ? parsed.data : { q: raw.q };
  const db = await getDb();
  const locale = await getLocale(request);
  const list = await listPayees(db, org.id, { ...filters, page: pageFrom(url) });
  return data(
    {
      title: await staffTitle(request, "payees:title", orgName(org, locale)),
      slug: org.slug,
      filters: { q: raw.q ?? "", kind: parsed.success ? (raw.kind ?? "") : "", status: parsed.success ? (raw.status ?? "") : "" },
      notice: noticeFrom(url, ["created"] as const),
      ...list,
    },
    { status: parsed.success ? 200 : 400 },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export interface CreateReply {
  errors: Errors;
  formErrors: string[];
  values: Record<string, string>;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, PAYEE_ROLES);
  const form = await readForm(request);
  const values = Object.fromEntries(CREATE_FIELDS.map((k) => [k, String(form.get(k) ?? "").slice(0, 2000)]));
  const reply = (status: number, body: Partial<CreateReply>) => data<CreateReply>({ errors: {}, formErrors: [], values, ...body }, { status });
  const parsed = CreatePayeeSchema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) {
    const flat = parsed.error.flatten();
    return reply(400, { errors: flat.fieldErrors as Errors, formErrors: flat.formErrors });
  }
  try {
    const payee = await createPayee(await getDb(), member.actor, { orgId: member.org.id, ...parsed.data });
    return redirect(`/finance/${member.org.slug}/payees/${payee.id}?notice=created`);
  } catch (error) {
    if (error instanceof PayeeError) {
      return reply(error.status, error.field ? { errors: { [error.field]: [error.messageKey] } } : { formErrors: [error.messageKey] });
    }
    throw error;
  }
}

export default function PayeesPage() {
  const { slug, rows, total, page, pages, filters, notice } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as CreateReply | undefined;
  const { t } = useTranslation("payees");
  const locale = useLocale();
  const values = reply?.values ?? {};
  const errors = reply?.errors ?? {};
  return (
    <div className="space-y-6">
      <PageTitle title={t("title")} intro={t("intro")}>
        <Link to={`/finance/${slug}`} className={linkClass}>
          {t("finance:nav.home")}
        </Link>
      </PageTitle>
      {notice && <Notice tone="success">{t(`notices.${notice}`)}</Notice>}

      <Section id="payees" title={t("title")}>
        <Form method="get" className="mb-4 grid gap-3 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end" data-testid="payee-filters">
          <PlainField id="payee-q" name="q" label={t("list.search")} defaultValue={filters.q} />
          <PlainSelect
            id="payee-kind"
            name="kind"
            label={t("fields.kind")}
            defaultValue={filters.kind}
            options={[{ value: "", label: t("list.anyKind") }, ...PAYEE_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))]}
          />
          <PlainSelect
            id="payee-status"
            name="status"
            label={t("fields.status")}
            defaultValue={filters.status}
            options={[{ value: "", label: t("list.anyStatus") }, ...PAYEE_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))]}
          />
          <button type="submit" className={secondaryButtonClass}>
            {t("list.filter")}
          </button>
        </Form>
        <p className="mb-2 text-sm text-stone-700" data-testid="payee-count">
          {t("list.count", { count: total, n: formatNumber(total, locale) })}
        </p>
        {rows.length === 0 ? (
          <p data-testid="payees-empty">{t("list.empty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto" data-testid="payees-table">
            <table className={tableClass}>
              <caption className="sr-only">{t("list.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>{t("list.columns.name")}</th>
                  <th scope="col" className={thClass}>{t("list.columns.kind")}</th>
                  <th scope="col" className={thClass}>{t("list.columns.contact")}</th>
                  <th scope="col" className={thClass}>{t("list.columns.details")}</th>
                  <th scope="col" className={thClass}>{t("list.columns.needs")}</th>
                  <th scope="col" className={thClass}>{t("list.columns.status")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} data-testid="payee-row">
                    <td className={tdClass}>
                      <Link to={`/finance/${slug}/payees/${row.id}`} className={linkClass}>
                        {row.name}
                      </Link>
                    </td>
                    <td className={tdClass}>{t(`kinds.${row.kind}`)}</td>
                    <td className={tdClass}>
                      {row.contactName && <span className="block">{row.contactName}</span>}
                      {row.phone && (
                        <span className="block text-xs" dir="ltr">
                          {row.phone}
                        </span>
                      )}
                    </td>
                    <td className={`${tdClass} whitespace-nowrap`}>
                      {row.detailsApprovedAt && row.collection === "bank_transfer" ? (
                        <span dir="ltr">{row.accountMasked}</span>
                      ) : row.detailsApprovedAt && row.collection === "cash" ? (
                        t("list.cash")
                      ) : (
                        <span className="text-stone-700">{t("list.noDetails")}</span>
                      )}
                      {row.pendingChange && (
                        <span className="ms-2 rounded bg-amber-100 px-2 py-0.5 text-xs font-bold text-amber-950">{t("list.pending")}</span>
                      )}
                    </td>
                    <td className={`${tdClass} tabular-nums`}>{formatNumber(row.needCount, locale)}</td>
                    <td className={tdClass}>{t(`statuses.${row.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={page} pages={pages} />
      </Section>

      <Section id="new-payee" title={t("create.title")} description={t("create.intro")}>
        <Form method="post" className="space-y-4" data-testid="payee-create">
          <FormMessage errors={reply?.formErrors} />
          <div className="grid gap-4 sm:grid-cols-2">
            <PlainSelect
              id="new-kind"
              name="kind"
              label={t("fields.kind")}
              errors={errors.kind}
              defaultValue={values.kind || "school"}
              options={PAYEE_KINDS.filter((k) => k !== "household").map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
            />
            <PlainField id="new-name" name="name" label={t("fields.name")} errors={errors.name} defaultValue={values.name} required />
            <PlainField id="new-contact" name="contactName" label={t("fields.contactName")} errors={errors.contactName} defaultValue={values.contactName} />
            <PlainField id="new-phone" name="phone" type="tel" dir="ltr" label={t("fields.phone")} errors={errors.phone} defaultValue={values.phone} />
            <PlainField id="new-email" name="email" dir="ltr" label={t("fields.email")} errors={errors.email} defaultValue={values.email} />
            <PlainField id="new-address" name="address" label={t("fields.address")} errors={errors.address} defaultValue={values.address} />
            <div className="sm:col-span-2">
              <PayeeTextArea id="new-notes" name="notes" label={t("fields.notes")} errors={errors.notes} defaultValue={values.notes} />
            </div>
          </div>
          <button type="submit" className={buttonClass}>
            {t("create.submit")}
          </button>
        </Form>
      </Section>
    </div>
  );
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { kickOutbox } from "~/utils/jobs.server";
import { appOrigin } from "~/utils/request.server";
import { changeMemberRoles, listMembersPage, removeMember } from "~/modules/organizations/members.server";
import { Pagination, pageFrom } from "~/components/pagination";
import {
  inviteMember,
  listPendingInvitations,
  revokeInvitation,
} from "~/modules/organizations/invitations.server";
import { InviteSchema, MembersActionSchema } from "~/modules/organizations/schemas";
import { ROLES, orgName } from "~/modules/organizations/roles";
import {
  formMeta,
  invalid,
  noticeFrom,
  runRule,
  staffTitle,
  type FormReply,
} from "~/modules/organizations/route-helpers.server";
import { ErrorList, Field, FormMessage, Notice, SelectField, SubmitButton } from "~/components/forms";
import {
  PageTitle,
  RoleBadges,
  Section,
  dangerButtonClass,
  secondaryButtonClass,
  tableClass,
  tdClass,
  thClass,
  useLocale,
} from "~/components/staff";
import { formatDate, formatDateTime } from "~/utils/format";

const NOTICES = ["invited", "revoked", "rolesChanged", "removed"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["org_admin"]);
  const db = await getDb();
  const [{ members, page, pages }, invitations, locale] = await Promise.all([
    listMembersPage(db, member.org.id, pageFrom(new URL(request.url))),
    listPendingInvitations(db, member.org.id),
    getLocale(request),
  ]);
  return {
    title: await staffTitle(request, "staff:members.title", orgName(member.org, locale)),
    org: { slug: member.org.slug, timeZone: member.org.timeZone },
    me: member.user.id,
    members,
    page,
    pages,
    invitations,
    notice: noticeFrom(new URL(request.url), NOTICES),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["org_admin"]);
  const { submission } = await parseForm(request, MembersActionSchema);
  const meta = formMeta(submission, ["membershipId", "invitationId"]);
  if (submission.status !== "success") return invalid(submission, meta);
  const db = await getDb();
  const value = submission.value;
  const here = `/staff/${member.org.slug}/members`;
  const base = { orgId: member.org.id, actor: member.actor };

  return runRule(submission, meta, async () => {
    switch (value.intent) {
      case "invite": {
        await inviteMember(db, {
          ...base,
          inviterId: member.user.id,
          email: value.email,
          role: value.role,
          origin: appOrigin(request, env().APP_URL),
          locale: await getLocale(request),
        });
        kickOutbox();
        return redirect(`${here}?notice=invited`);
      }
      case "revoke":
        await revokeInvitation(db, { ...base, invitationId: value.invitationId });
        return redirect(`${here}?notice=revoked`);
      case "roles": {
        const result = await changeMemberRoles(db, { ...base, membershipId: value.membershipId, roles: value.roles });
        // An admin who gave up their own admin role can no longer see this page.
        if (result.userId === member.user.id && !result.after.includes("org_admin")) {
          return redirect(`/staff/${member.org.slug}`);
        }
        return redirect(`${here}?notice=rolesChanged`);
      }
      case "remove": {
        const result = await removeMember(db, { ...base, membershipId: value.membershipId });
        if (result.userId === member.user.id) return redirect("/staff");
        return redirect(`${here}?notice=removed`);
      }
    }
  });
}

type Reply = FormReply | undefined;

function errorsOf(reply: Reply, intent: string, target: string | null, field: string): string[] | undefined {
  if (!reply || reply.intent !== intent || reply.target !== target) return undefined;
  const errors = reply.result.error ?? {};
  return [...(errors[field] ?? []), ...(errors[""] ?? [])];
}

function InviteForm({ lastResult }: { lastResult: FormReply["result"] | undefined }) {
  const { t } = useTranslation("staff");
  const [form, fields] = useForm({
    id: "invite",
    lastResult,
    constraint: getZodConstraint(InviteSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
  });
  return (
    <Form method="post" id={form.id} onSubmit={form.onSubmit} noValidate className="grid gap-4 sm:grid-cols-[2fr_1fr_auto] sm:items-start">
      <input type="hidden" name="intent" value="invite" />
      <FormMessage id={form.errorId} errors={form.errors} />
      <Field label={t("members.invite.email")} meta={fields.email} type="email" autoComplete="off" dir="ltr" />
      <SelectField
        label={t("members.invite.role")}
        meta={fields.role}
        options={ROLES.map((role) => ({ value: role, label: t(`common:roles.${role}`) }))}
      />
      <div className="sm:pt-7">
        <SubmitButton>{t("members.invite.submit")}</SubmitButton>
      </div>
    </Form>
  );
}

export default function MembersPage() {
  const { members, invitations, me, org, notice, page, pages } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  const location = useLocation();
  const { t } = useTranslation("staff");
  const locale = useLocale();

  return (
    <div className="space-y-6">
      <PageTitle title={t("members.title")} intro={t("members.intro")} />
      {notice && !reply && <Notice tone="success">{t(`members.notice.${notice}`)}</Notice>}

      <Section id="invite-member" title={t("members.invite.title")} description={t("members.invite.help")}>
        <InviteForm key={location.key} lastResult={reply?.intent === "invite" ? reply.result : undefined} />
      </Section>

      <Section id="people" title={t("members.list.title")}>
        <div className="relative min-w-0 max-w-full overflow-x-auto">
          <table className={tableClass} data-testid="members-table">
            <caption className="sr-only">{t("members.list.title")}</caption>
            <thead>
              <tr>
                <th scope="col" className={thClass}>
                  {t("members.list.name")}
                </th>
                <th scope="col" className={thClass}>
                  {t("members.list.email")}
                </th>
                <th scope="col" className={thClass}>
                  {t("members.list.roles")}
                </th>
                <th scope="col" className={thClass}>
                  {t("members.list.actions")}
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const roleErrors = errorsOf(reply, "roles", m.membershipId, "roles");
                const removeErrors = errorsOf(reply, "remove", m.membershipId, "membershipId");
                const legendId = `roles-${m.membershipId}`;
                return (
                  <tr key={m.userId}>
                    <th scope="row" className={`${tdClass} text-start font-bold`}>
                      {m.displayName}
                      {m.userId === me && <span className="ms-1 font-normal text-stone-700">{t("members.list.you")}</span>}
                      <span className="block text-xs font-normal text-stone-700">
                        {t("members.list.since", { date: formatDate(m.since, locale, org.timeZone) })}
                      </span>
                    </th>
                    <td className={tdClass}>
                      <span dir="ltr">{m.email}</span>
                    </td>
                    <td className={tdClass}>
                      <Form method="post" key={location.key} className="space-y-2">
                        <input type="hidden" name="intent" value="roles" />
                        <input type="hidden" name="membershipId" value={m.membershipId} />
                        <fieldset aria-describedby={roleErrors?.length ? `${legendId}-error` : undefined}>
                          <legend id={legendId} className="sr-only">
                            {t("members.list.rolesOf", { name: m.displayName })}
                          </legend>
                          <div className="flex flex-wrap gap-x-4 gap-y-1">
                            {ROLES.map((role) => (
                              <label key={role} className="inline-flex items-center gap-1.5">
                                <input
                                  type="checkbox"
                                  name="roles"
                                  value={role}
                                  defaultChecked={m.roles.includes(role)}
                                  className="h-4 w-4"
                                />
                                {t(`common:roles.${role}`)}
                              </label>
                            ))}
                          </div>
                        </fieldset>
                        <ErrorList id={`${legendId}-error`} errors={roleErrors} />
                        <button type="submit" className={secondaryButtonClass}>
                          {t("members.list.saveRoles")}
                        </button>
                      </Form>
                    </td>
                    <td className={tdClass}>
                      <details>
                        <summary className="cursor-pointer text-red-800 underline">{t("members.remove.open")}</summary>
                        <Form method="post" className="mt-2 space-y-2">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="membershipId" value={m.membershipId} />
                          <p className="text-sm">{t("members.remove.confirm", { name: m.displayName })}</p>
                          <button type="submit" className={dangerButtonClass}>
                            {t("members.remove.submit")}
                          </button>
                        </Form>
                      </details>
                      <ErrorList errors={removeErrors} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <Pagination page={page} pages={pages} />
        <div className="mt-3">
          <p className="text-sm text-stone-700">{t("members.list.rolesHelp")}</p>
        </div>
      </Section>

      <Section id="pending" title={t("members.pending.title")} description={t("members.pending.help")}>
        {invitations.length === 0 ? (
          <p>{t("members.pending.empty")}</p>
        ) : (
          <div className="relative min-w-0 max-w-full overflow-x-auto">
            <table className={tableClass} data-testid="invitations-table">
              <caption className="sr-only">{t("members.pending.title")}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>
                    {t("members.list.email")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("members.pending.role")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("members.pending.invitedBy")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("members.pending.expires")}
                  </th>
                  <th scope="col" className={thClass}>
                    {t("members.list.actions")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((inv) => (
                  <tr key={inv.id}>
                    <th scope="row" className={`${tdClass} text-start font-normal`}>
                      <span dir="ltr">{inv.email}</span>
                    </th>
                    <td className={tdClass}>
                      <RoleBadges roles={[inv.role]} />
                    </td>
                    <td className={tdClass}>{inv.invitedByName ?? "—"}</td>
                    <td className={tdClass}>{formatDateTime(inv.expiresAt, locale, org.timeZone)}</td>
                    <td className={tdClass}>
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="invitationId" value={inv.id} />
                        <button
                          type="submit"
                          className={dangerButtonClass}
                          aria-label={t("members.pending.revokeFor", { email: inv.email })}
                        >
                          {t("members.pending.revoke")}
                        </button>
                      </Form>
                      <ErrorList errors={errorsOf(reply, "revoke", inv.id, "invitationId")} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}

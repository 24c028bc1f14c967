import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { actorOf, getAuth, requireAuth, sessionCookieHeader } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { normalizeEmail } from "~/modules/identity/tokens";
import { InvitationUnavailableError, type InvitationState } from "~/modules/organizations/errors";
import {
  acceptInvitation,
  acceptInvitationWithNewAccount,
  findInvitationByToken,
} from "~/modules/organizations/invitations.server";
import { CreateAccountSchema, InvitationActionSchema } from "~/modules/organizations/schemas";
import { orgName, type OrgRole } from "~/modules/organizations/roles";
import { formMeta, invalid, runRule, staffTitle, type FormReply } from "~/modules/organizations/route-helpers.server";
import { Field, FormMessage, SubmitButton } from "~/components/forms";
import { linkClass, secondaryButtonClass, useLocale } from "~/components/staff";
import { formatDateTime } from "~/utils/format";

/** What the link leads to: a dead link (404 unknown, 410 used/revoked/expired) or one of four ways in. */
type PageState = Exclude<InvitationState, "pending"> | "unknown" | "accept" | "wrongAccount" | "signIn" | "create";

const PASSWORD = ["password"];

interface InvitePageData {
  state: PageState;
  title: string;
  invite: {
    email: string;
    role: OrgRole;
    org: { slug: string; nameAr: string; nameEn: string };
    expiresAt: Date;
    timeZone: string;
  } | null;
  signedInAs: string | null;
  loginUrl: string;
}

const STATUS: Partial<Record<PageState, number>> = {
  unknown: 404,
  accepted: 410,
  revoked: 410,
  expired: 410,
  wrongAccount: 403,
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const db = await getDb();
  const [found, auth, locale] = await Promise.all([
    findInvitationByToken(db, token),
    getAuth(request),
    getLocale(request),
  ]);
  let state: PageState;
  if (!found) state = "unknown";
  else if (found.state !== "pending") state = found.state;
  else if (auth) state = normalizeEmail(auth.user.email) === found.invitation.email ? "accept" : "wrongAccount";
  else state = found.accountExists ? "signIn" : "create";

  const body: InvitePageData = {
    state,
    title: await staffTitle(
      request,
      "staff:invites.title",
      found && found.state === "pending" ? orgName(found.org, locale) : undefined,
    ),
    // A dead link shows nothing about the invitation beyond its state.
    invite:
      found && found.state === "pending"
        ? {
            email: found.invitation.email,
            role: found.invitation.role,
            org: { slug: found.org.slug, nameAr: found.org.nameAr, nameEn: found.org.nameEn },
            expiresAt: found.invitation.expiresAt,
            timeZone: found.org.timeZone,
          }
        : null,
    signedInAs: auth?.user.email ?? null,
    loginUrl: `/login?redirectTo=${encodeURIComponent(`/invites/${token}`)}`,
  };
  return data(body, { status: STATUS[state] ?? 200 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Tadamon" },
  { name: "robots", content: "noindex" },
];

type ActionReply = FormReply & { unavailable?: InvitationUnavailableError["state"] };

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const { submission } = await parseForm(request, InvitationActionSchema);
  const meta = formMeta(submission);
  if (submission.status !== "success") return invalid(submission, meta, PASSWORD);
  const db = await getDb();
  const value = submission.value;
  try {
    if (value.intent === "accept") {
      const auth = await requireAuth(request);
      return await runRule(submission, meta, async () => {
        const { org } = await acceptInvitation(db, {
          token,
          userId: auth.user.id,
          sessionId: auth.session.id,
          actor: actorOf(request, auth.user),
        });
        return redirect(`/staff/${org.slug}`);
      });
    }
    if (await getAuth(request)) {
      const reply: ActionReply = { ...meta, result: submission.reply({ formErrors: ["staff:errors.signOutFirst"], hideFields: PASSWORD }) };
      return data(reply, { status: 409 });
    }
    return await runRule(
      submission,
      meta,
      async () => {
        const { org, sessionToken } = await acceptInvitationWithNewAccount(db, {
          token,
          displayName: value.displayName,
          password: value.password,
          locale: await getLocale(request),
          actor: actorOf(request, null),
        });
        return redirect(`/staff/${org.slug}`, {
          headers: { "Set-Cookie": await sessionCookieHeader(sessionToken) },
        });
      },
      PASSWORD,
    );
  } catch (error) {
    if (error instanceof InvitationUnavailableError) {
      const reply: ActionReply = {
        ...meta,
        unavailable: error.state,
        result: submission.reply({ hideFields: PASSWORD }),
      };
      return data(reply, { status: error.status });
    }
    throw error;
  }
}

function CreateAccountForm({ lastResult }: { lastResult: FormReply["result"] | undefined }) {
  const { t } = useTranslation("staff");
  const [form, fields] = useForm({
    id: "create-account",
    lastResult,
    constraint: getZodConstraint(CreateAccountSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateAccountSchema }),
  });
  return (
    <Form method="post" id={form.id} onSubmit={form.onSubmit} noValidate className="space-y-4">
      <input type="hidden" name="intent" value="create" />
      <FormMessage id={form.errorId} errors={form.errors} />
      <Field label={t("invites.create.displayName")} meta={fields.displayName} autoComplete="name" />
      <Field
        label={t("invites.create.password")}
        meta={fields.password}
        type="password"
        autoComplete="new-password"
        hint={t("invites.create.passwordHint")}
      />
      <SubmitButton>{t("invites.create.submit")}</SubmitButton>
    </Form>
  );
}

export default function InvitationPage() {
  const loaded = useLoaderData<typeof loader>() as unknown as InvitePageData;
  const reply = useActionData<typeof action>() as ActionReply | undefined;
  const { t, i18n } = useTranslation("staff");
  const locale = useLocale();
  const location = useLocation();
  const state: PageState = reply?.unavailable ?? loaded.state;
  const invite = reply?.unavailable ? null : loaded.invite;

  const dead = state === "unknown" || state === "accepted" || state === "revoked" || state === "expired";
  return (
    <div className="mx-auto w-full max-w-lg">
      <h1 className="text-2xl font-bold text-brand-800">
        {dead ? t(`invites.dead.${state}.title`) : t("invites.title")}
      </h1>
      <div className="mt-6 space-y-5 rounded-lg border border-stone-200 bg-white p-5 shadow-sm" data-testid="invite-state" data-state={state}>
        {dead && (
          <>
            <p>{t(`invites.dead.${state}.body`)}</p>
            <p>
              <Link to="/" className={linkClass}>
                {t("common:errorPage.home")}
              </Link>
            </p>
          </>
        )}

        {invite && (
          <div className="space-y-2">
            <p className="text-lg">
              {t("invites.lead", {
                org: orgName(invite.org, i18n.language),
                role: t(`common:roles.${invite.role}`),
              })}
            </p>
            <p className="text-sm text-stone-700">
              {t("invites.sentTo")}{" "}
              <span dir="ltr" className="font-bold">
                {invite.email}
              </span>
            </p>
            <p className="text-sm text-stone-700">
              {t("invites.expires", { date: formatDateTime(invite.expiresAt, locale, invite.timeZone) })}
            </p>
          </div>
        )}

        {invite && state === "accept" && (
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="accept" />
            <FormMessage errors={reply?.intent === "accept" ? reply.result.error?.[""] : undefined} />
            <SubmitButton>{t("invites.accept")}</SubmitButton>
          </Form>
        )}

        {invite && state === "wrongAccount" && (
          <div className="space-y-3" role="alert">
            <p className="font-bold">
              {t("invites.wrongAccount", { email: invite.email, current: loaded.signedInAs ?? "" })}
            </p>
            <Form method="post" action="/logout">
              <input type="hidden" name="intent" value="signOut" />
              <input type="hidden" name="redirectTo" value={location.pathname} />
              <button type="submit" className={secondaryButtonClass}>
                {t("invites.signOut")}
              </button>
            </Form>
          </div>
        )}

        {invite && state === "signIn" && (
          <div className="space-y-3">
            <p>{t("invites.haveAccount")}</p>
            <p>
              <Link to={loaded.loginUrl} className={`${linkClass} font-bold`}>
                {t("invites.signIn")}
              </Link>
            </p>
          </div>
        )}

        {invite && state === "create" && (
          <div className="space-y-4">
            <p>{t("invites.create.intro")}</p>
            <CreateAccountForm lastResult={reply?.intent === "create" ? reply.result : undefined} />
            <p className="text-sm">
              {t("invites.create.haveAccount")}{" "}
              <Link to={loaded.loginUrl} className={linkClass}>
                {t("invites.signIn")}
              </Link>
            </p>
          </div>
        )}
      </div>
    </div>
  );
}

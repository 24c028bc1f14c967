import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FormReply } from "~/modules/organizations/route-helpers.server";
import type { HouseholdEventView } from "~/modules/registry/households.server";
import { regionPaths } from "~/components/registry";
import { errorsAt, formErrors, type ReplyResult } from "~/components/form-reply";
import { useLocale } from "~/components/staff";
import { formatDate } from "~/utils/format";
import type { action, loader } from "~/routes/staff.$orgSlug.households.$householdId._index";

/**
 * What every section of a household's page reads: the route's loader data and action reply, the
 * translators, and what the page derives from them once (region paths, member names, each form's
 * last reply). Sections call it themselves (they render inside the route, so the hooks see its data).
 */
type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export function useHouseholdPage() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const location = useLocation();
  const { t } = useTranslation("registry");
  const { t: tr } = useTranslation("reports");
  const locale = useLocale();
  return {
    ...data,
    reply,
    location,
    t,
    tr,
    locale,
    paths: regionPaths(data.regionRows, locale),
    memberNames: new Map(data.members.map((m) => [m.id, m.fullName])),
    base: `/staff/${data.org.slug}/households/${data.household.id}`,
    pendingWarnings: data.warnings.filter((w) => w.decision === "pending"),
    statusResult: replyFor(reply, "status"),
    consentResult: replyFor(reply, "consent"),
    addIdResult: replyFor(reply, "addIdentifier"),
    referralResult: replyFor(reply, "createReferral"),
  };
}

export function replyFor(reply: FormReply | undefined, intent: string, target: string | null = null): ReplyResult | undefined {
  return reply && reply.intent === intent && reply.target === target ? (reply.result as ReplyResult) : undefined;
}

export function fieldErrors(result: ReplyResult | undefined, name: string) {
  const list = [...(errorsAt(result, name) ?? []), ...(formErrors(result) ?? [])];
  return list.length ? list : undefined;
}

export function EventLine({ event, paths, members }: { event: HouseholdEventView; paths: Map<string, string>; members: Map<string, string> }) {
  const { t } = useTranslation("registry");
  const locale = useLocale();
  const sep = locale === "ar" ? "، " : ", ";
  const d = event.details as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v ? v : "—");
  const place = (p: unknown) => {
    const o = (p ?? {}) as { regionId?: string | null; address?: string | null };
    return [o.regionId ? paths.get(o.regionId) : null, o.address].filter(Boolean).join(sep) || t("timeline.nowhere");
  };
  const name = str(d.fullName ?? (typeof d.memberId === "string" ? members.get(d.memberId) : undefined));
  switch (event.kind) {
    case "registered":
      return <>{t("timeline.events.registered", { reference: str(d.reference) })}</>;
    case "moved":
      return <>{t("timeline.events.moved", { from: place(d.from), to: place(d.to) })}</>;
    case "member_added":
    case "member_born":
    case "member_left":
    case "member_died":
    case "member_updated":
      return <>{t(`timeline.events.${event.kind}`, { name })}</>;
    case "status_changed":
      return <>{t("timeline.events.status_changed", { before: t(`status.${str(d.before)}`), after: t(`status.${str(d.after)}`) })}</>;
    case "consent_recorded":
      return <>{t("timeline.events.consent_recorded", { date: typeof d.givenOn === "string" ? formatDate(d.givenOn, locale) : "—" })}</>;
    case "identifier_added":
    case "identifier_removed":
      return <>{t(`timeline.events.${event.kind}`, { kind: t(`kinds.${str(d.kind)}`), masked: str(d.masked) })}</>;
    case "referral_created":
      return <>{t("timeline.events.referral_created", { partner: str(d.partner), programme: t(`programme.${str(d.programme)}`) })}</>;
    case "referral_updated":
      return <>{t("timeline.events.referral_updated", { partner: str(d.partner), before: t(`referralStatus.${str(d.before)}`), after: t(`referralStatus.${str(d.after)}`) })}</>;
    case "duplicate_decided":
      return <>{t("timeline.events.duplicate_decided", { reference: str(d.otherReference), decision: t(`decision.${str(d.decision)}`) })}</>;
    default:
      return <>{t(`timeline.events.${event.kind}`, { defaultValue: event.kind })}</>;
  }
}

export function MemberOptions({ members, label }: { members: LoaderData["members"]; label: string }) {
  return (
    <>
      <option value="">{label}</option>
      {members.map((m) => (
        <option key={m.id} value={m.id}>
          {m.fullName}
        </option>
      ))}
    </>
  );
}

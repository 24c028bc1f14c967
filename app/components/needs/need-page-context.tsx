import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { GuardHit } from "~/modules/anonymization/guard";
import { TRANSITIONS } from "~/modules/needs/lifecycle";
import type { NeedReply } from "~/modules/needs/route-helpers.server";
import { useCardT } from "~/components/need-card";
import { useLocale } from "~/components/staff";
import type { action, loader } from "~/routes/staff.$orgSlug.needs.$needId._index";

/**
 * What every section of a need's staff page reads: the route's loader data (`d`) and action
 * reply, the translators, and what the page derives once (the actions with and without a reason,
 * the other language's card strings). Sections call it themselves: they render inside the route.
 */
type Reply = (NeedReply & { fields?: Record<string, string | null>; hits?: GuardHit[] }) | undefined;

/** The transitions that ask for a reason (return, reject, cancel), in the order the page offers them. */
export const REASONED = ["return", "reject", "cancel"] as const;

export function useNeedPage() {
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  const { t } = useTranslation("needs");
  const { t: ts } = useTranslation("staff");
  const locale = useLocale();
  const { need, org } = d;
  const replyFor = (a: string) => (reply?.intent === a ? reply : undefined);
  const otherT = useCardT(d.otherLocale, d.otherCardStrings);
  return {
    d,
    reply,
    t,
    ts,
    locale,
    need,
    org,
    base: `/staff/${org.slug}`,
    simple: d.actions.filter((a) => !TRANSITIONS[a].reasonRequired),
    reasoned: d.actions.filter((a) => TRANSITIONS[a].reasonRequired),
    replyFor,
    otherT,
    keepErrors: replyFor("keepDetails")?.result.error?.reason ?? undefined,
  };
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { listRegions } from "~/modules/organizations/regions.server";
import { buildRegionTree } from "~/modules/organizations/regions";
import { orgName } from "~/modules/organizations/roles";
import { formMeta, invalid, runRule, staffTitle, type FormReply } from "~/modules/organizations/route-helpers.server";
import {
  addMember,
  getHousehold,
  moveHousehold,
  recordMemberExit,
  updateHousehold,
  updateMember,
} from "~/modules/registry/households.server";
import { WRITE_ROLES, householdIdParam, notFoundAs404 } from "~/modules/registry/access";
import { EditHouseholdActionSchema, RELATIONS, SCHOOL_ENROLMENTS, SEXES, VULNERABILITY_TAGS } from "~/modules/registry/schemas";
import { ErrorList, FormMessage, Notice } from "~/components/forms";
import { PlainField, PlainSelect, RegionSelect } from "~/components/registry";
import { errorsAt, formErrors, stringAt, valueAt, type ReplyResult } from "~/components/form-reply";
import { PageTitle, Section, buttonClass, dangerButtonClass, linkClass, secondaryButtonClass } from "~/components/staff";

const NOTICES = { details: "saved", move: "moved", addMember: "memberAdded", updateMember: "memberUpdated", memberExit: "memberExit" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, WRITE_ROLES);
  const householdId = householdIdParam(params.householdId);
  const db = await getDb();
  const view = await getHousehold(db, member.org.id, householdId).catch(notFoundAs404);
  const locale = await getLocale(request);
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    title: await staffTitle(request, "registry:edit.title", `${view.household.reference} · ${orgName(member.org, locale)}`),
    org: { slug: member.org.slug },
    household: {
      id: view.household.id,
      reference: view.household.reference,
      regionId: view.household.regionId,
      address: view.household.address,
      tags: view.household.vulnerabilityTags,
    },
    members: view.members,
    regions: buildRegionTree(await listRegions(db, member.org.id)),
    today: new Date().toISOString().slice(0, 10),
    notice: notice && (Object.values(NOTICES) as string[]).includes(notice) ? notice : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, WRITE_ROLES);
  const householdId = householdIdParam(params.householdId);
  const { submission } = await parseForm(request, EditHouseholdActionSchema);
  const meta = formMeta(submission, ["memberId"]);
  if (submission.status !== "success") return invalid(submission, meta);
  const db = await getDb();
  const value = submission.value;
  const base = { orgId: member.org.id, actor: member.actor, householdId };
  const done = (anchor: string) =>
    redirect(`/staff/${member.org.slug}/households/${householdId}/edit?notice=${NOTICES[value.intent]}#${anchor}`);
  return runRule(submission, meta, async () => {
    switch (value.intent) {
      case "details":
        await updateHousehold(db, { ...base, regionId: value.regionId, address: value.address, tags: value.tags });
        return done("details");
      case "move":
        await moveHousehold(db, { ...base, regionId: value.regionId, address: value.address, occurredOn: value.occurredOn, note: value.note });
        return done("move");
      case "addMember": {
        const { intent: _i, born, occurredOn, ...memberInput } = value;
        await addMember(db, { ...base, member: memberInput, born, occurredOn });
        return done("members");
      }
      case "updateMember": {
        const { intent: _i, memberId, ...memberInput } = value;
        await updateMember(db, { ...base, memberId, member: memberInput });
        return done("members");
      }
      case "memberExit":
        await recordMemberExit(db, { ...base, memberId: value.memberId, reason: value.reason, occurredOn: value.occurredOn, note: value.note });
        return done("members");
    }
  });
}

function replyFor(reply: FormReply | undefined, intent: string, target: string | null = null): ReplyResult | undefined {
  return reply && reply.intent === intent && reply.target === target ? (reply.result as ReplyResult) : undefined;
}

type MemberRow = ReturnType<typeof useLoaderData<typeof loader>>["members"][number];

function MemberFields({ idPrefix, result, member, headLocked }: { idPrefix: string; result?: ReplyResult; member?: MemberRow; headLocked?: boolean }) {
  const { t } = useTranslation("registry");
  const choose = { value: "", label: t("new.choose") };
  const v = (name: string, fallback?: string | number | null) => stringAt(result, name) ?? (fallback == null ? undefined : String(fallback));
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <PlainField id={`${idPrefix}-fullName`} name="fullName" label={t("fields.fullName")} required defaultValue={v("fullName", member?.fullName)} errors={errorsAt(result, "fullName")} />
      {headLocked ? (
        <input type="hidden" name="relation" value="other" />
      ) : (
        <PlainSelect
          id={`${idPrefix}-relation`}
          name="relation"
          label={t("fields.relation")}
          defaultValue={v("relation", member?.relation)}
          errors={errorsAt(result, "relation")}
          options={[choose, ...RELATIONS.map((r) => ({ value: r, label: t(`relation.${r}`) }))]}
        />
      )}
      <PlainSelect
        id={`${idPrefix}-sex`}
        name="sex"
        label={t("fields.sex")}
        defaultValue={v("sex", member?.sex)}
        errors={errorsAt(result, "sex")}
        options={[choose, ...SEXES.map((s) => ({ value: s, label: t(`sex.${s}`) }))]}
      />
      <PlainField id={`${idPrefix}-birthYear`} name="birthYear" type="number" min={1900} dir="ltr" label={t("fields.birthYear")} defaultValue={v("birthYear", member?.birthYear)} errors={errorsAt(result, "birthYear")} />
      <PlainSelect
        id={`${idPrefix}-school`}
        name="schoolEnrolment"
        label={t("fields.schoolEnrolment")}
        defaultValue={v("schoolEnrolment", member?.schoolEnrolment)}
        errors={errorsAt(result, "schoolEnrolment")}
        options={SCHOOL_ENROLMENTS.map((s) => ({ value: s, label: t(`school.${s}`) }))}
      />
      <PlainField id={`${idPrefix}-disability`} name="disability" label={t("fields.disability")} defaultValue={v("disability", member?.disability)} errors={errorsAt(result, "disability")} />
    </div>
  );
}

export default function EditHouseholdPage() {
  const { org, household, members, regions, today, notice } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const location = useLocation();
  const { t } = useTranslation("registry");
  const back = `/staff/${org.slug}/households/${household.id}`;
  const details = replyFor(reply, "details");
  const move = replyFor(reply, "move");
  const add = replyFor(reply, "addMember");
  const postedTags = valueAt(details, "tags");
  const tags = new Set(details ? (Array.isArray(postedTags) ? postedTags : typeof postedTags === "string" ? [postedTags] : []) : household.tags);

  return (
    <div className="space-y-6">
      <PageTitle title={t("edit.heading", { reference: household.reference })} intro={t("edit.intro")} />
      <p>
        <Link to={back} className={linkClass}>
          {t("edit.back")}
        </Link>
      </p>
      {notice && !reply && <Notice tone="success">{t(`edit.notice.${notice}`)}</Notice>}

      <Section id="details" title={t("edit.details.title")} description={t("edit.details.help")}>
        <Form method="post" className="space-y-4" key={`details-${location.key}`}>
          <input type="hidden" name="intent" value="details" />
          <FormMessage errors={formErrors(details)} />
          <div className="grid gap-4 sm:grid-cols-2">
            <RegionSelect id="details-region" label={t("fields.region")} tree={regions} defaultValue={details ? stringAt(details, "regionId") : household.regionId} errors={errorsAt(details, "regionId")} emptyLabel={t("fields.noRegion")} />
            <PlainField id="details-address" name="address" label={t("fields.address")} defaultValue={details ? stringAt(details, "address") : household.address} errors={errorsAt(details, "address")} />
          </div>
          <fieldset>
            <legend className="font-bold">{t("new.tags.title")}</legend>
            <div className="mt-1 grid gap-2 sm:grid-cols-3">
              {VULNERABILITY_TAGS.map((tag) => (
                <label key={tag} className="inline-flex items-center gap-2">
                  <input type="checkbox" name="tags" value={tag} defaultChecked={tags.has(tag)} className="h-4 w-4" />
                  {t(`tags.${tag}`)}
                </label>
              ))}
            </div>
            <ErrorList errors={Object.entries(details?.error ?? {}).find(([k]) => k.startsWith("tags"))?.[1]} />
          </fieldset>
          <button type="submit" className={buttonClass}>
            {t("edit.details.submit")}
          </button>
        </Form>
      </Section>

      <Section id="move" title={t("edit.move.title")} description={t("edit.move.help")}>
        <Form method="post" className="grid gap-4 sm:grid-cols-2" key={`move-${location.key}`}>
          <input type="hidden" name="intent" value="move" />
          <div className="sm:col-span-2">
            <FormMessage errors={formErrors(move)} />
          </div>
          <RegionSelect id="move-region" label={t("edit.move.region")} tree={regions} defaultValue={stringAt(move, "regionId")} errors={errorsAt(move, "regionId")} emptyLabel={t("fields.noRegion")} />
          <PlainField id="move-address" name="address" label={t("edit.move.address")} defaultValue={stringAt(move, "address")} errors={errorsAt(move, "address")} />
          <PlainField id="move-date" name="occurredOn" type="date" max={today} required label={t("edit.move.date")} defaultValue={stringAt(move, "occurredOn")} errors={errorsAt(move, "occurredOn")} />
          <PlainField id="move-note" name="note" label={t("fields.note")} defaultValue={stringAt(move, "note")} errors={errorsAt(move, "note")} />
          <div className="sm:col-span-2">
            <button type="submit" className={buttonClass}>
              {t("edit.move.submit")}
            </button>
          </div>
        </Form>
      </Section>

      <Section id="members" title={t("edit.members.title")} description={t("edit.members.help")}>
        <ul className="space-y-3">
          {members.map((m) => {
            const update = replyFor(reply, "updateMember", m.id);
            const exit = replyFor(reply, "memberExit", m.id);
            return (
              <li key={m.id} className="rounded border border-stone-200 p-3">
                <p className="font-bold">
                  {m.fullName} <span className="font-normal text-stone-700">({t(`relation.${m.relation}`)} · {t(`memberStatus.${m.status}`)})</span>
                </p>
                <div className="mt-2 flex flex-wrap gap-4 text-sm">
                  <details open={Boolean(update)}>
                    <summary className="cursor-pointer text-brand-700 underline">{t("edit.members.correct")}</summary>
                    <Form method="post" className="mt-2 space-y-3" key={`u-${m.id}-${location.key}`}>
                      <input type="hidden" name="intent" value="updateMember" />
                      <input type="hidden" name="memberId" value={m.id} />
                      <FormMessage errors={formErrors(update)} />
                      <MemberFields idPrefix={`u-${m.id}`} result={update} member={m} headLocked={m.isHead} />
                      <button type="submit" className={secondaryButtonClass}>
                        {t("edit.members.save")}
                      </button>
                    </Form>
                  </details>
                  {m.status === "present" && (
                    <details open={Boolean(exit)}>
                      <summary className="cursor-pointer text-red-800 underline">{t("edit.members.exit")}</summary>
                      <Form method="post" className="mt-2 grid gap-3 sm:grid-cols-3" key={`x-${m.id}-${location.key}`}>
                        <input type="hidden" name="intent" value="memberExit" />
                        <input type="hidden" name="memberId" value={m.id} />
                        <div className="sm:col-span-3">
                          <FormMessage errors={formErrors(exit)} />
                          <ErrorList errors={errorsAt(exit, "memberId")} />
                        </div>
                        <PlainSelect
                          id={`x-${m.id}-reason`}
                          name="reason"
                          label={t("edit.members.reason")}
                          defaultValue={stringAt(exit, "reason") ?? "left"}
                          errors={errorsAt(exit, "reason")}
                          options={[
                            { value: "left", label: t("edit.members.left") },
                            { value: "died", label: t("edit.members.died") },
                          ]}
                        />
                        <PlainField id={`x-${m.id}-date`} name="occurredOn" type="date" max={today} required label={t("edit.members.date")} defaultValue={stringAt(exit, "occurredOn")} errors={errorsAt(exit, "occurredOn")} />
                        <PlainField id={`x-${m.id}-note`} name="note" label={t("fields.note")} defaultValue={stringAt(exit, "note")} errors={errorsAt(exit, "note")} />
                        <div className="sm:col-span-3">
                          <button type="submit" className={dangerButtonClass}>
                            {t("edit.members.exitSubmit")}
                          </button>
                        </div>
                      </Form>
                    </details>
                  )}
                </div>
              </li>
            );
          })}
        </ul>

        <h3 className="mb-2 mt-6 font-bold">{t("edit.members.add")}</h3>
        <Form method="post" className="space-y-3" key={`add-${location.key}`}>
          <input type="hidden" name="intent" value="addMember" />
          <FormMessage errors={formErrors(add)} />
          <MemberFields idPrefix="add" result={add} />
          <div className="grid gap-3 sm:grid-cols-3 sm:items-end">
            <label className="flex items-center gap-2">
              <input type="checkbox" name="born" defaultChecked={valueAt(add, "born") === "on"} className="h-4 w-4" />
              {t("edit.members.born")}
            </label>
            <PlainField id="add-date" name="occurredOn" type="date" max={today} label={t("edit.members.addDate")} defaultValue={stringAt(add, "occurredOn")} errors={errorsAt(add, "occurredOn")} />
          </div>
          <button type="submit" className={buttonClass}>
            {t("edit.members.addSubmit")}
          </button>
        </Form>
      </Section>
    </div>
  );
}

import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/i18next.server";
import { listRegions } from "~/modules/organizations/regions.server";
import { buildRegionTree } from "~/modules/organizations/regions";
import { orgName } from "~/modules/organizations/roles";
import { formMeta, invalid, runRule, staffTitle, type FormReply } from "~/modules/organizations/route-helpers.server";
import { createHousehold } from "~/modules/registry/households.server";
import { WRITE_ROLES } from "~/modules/registry/access";
import { ID_KINDS } from "~/modules/registry/identifiers";
import {
  BLANK_ID_ROWS,
  BLANK_MEMBER_ROWS,
  BLANK_PHONE_ROWS,
  RELATIONS,
  SCHOOL_ENROLMENTS,
  SEXES,
  VULNERABILITY_TAGS,
  createHouseholdSchema,
} from "~/modules/registry/schemas";
import { ErrorList, FormMessage, SubmitButton } from "~/components/forms";
import { PlainField, PlainSelect, RegionSelect } from "~/components/registry";
import { errorsAt, formErrors, stringAt, valueAt, type ReplyResult } from "~/components/form-reply";
import { PageTitle, Section } from "~/components/staff";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, WRITE_ROLES);
  const db = await getDb();
  const locale = await getLocale(request);
  return {
    title: await staffTitle(request, "registry:new.title", orgName(member.org, locale)),
    org: { slug: member.org.slug, country: member.org.country },
    regions: buildRegionTree(await listRegions(db, member.org.id)),
    today: new Date().toISOString().slice(0, 10),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, WRITE_ROLES);
  const { submission } = await parseForm(request, createHouseholdSchema(member.org.country));
  const meta = formMeta(submission);
  if (submission.status !== "success") return invalid(submission, meta);
  const db = await getDb();
  const value = submission.value;
  return runRule(submission, meta, async () => {
    const { household, duplicates } = await createHousehold(db, {
      orgId: member.org.id,
      actor: member.actor,
      head: { fullName: value.headFullName, sex: value.headSex, birthYear: value.headBirthYear, disability: value.headDisability },
      members: value.members,
      phones: value.phones,
      ids: value.ids,
      regionId: value.regionId,
      address: value.address,
      tags: value.tags,
      consentGivenOn: value.consentGivenOn,
      consentPublish: value.consentPublish,
      consentSharePartners: value.consentSharePartners,
    });
    const here = `/staff/${member.org.slug}/households/${household.id}`;
    return redirect(duplicates > 0 ? `${here}?notice=createdDuplicates#duplicates` : `${here}?notice=created`);
  });
}

export default function NewHouseholdPage() {
  const { regions, today } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const result = reply?.result as ReplyResult | undefined;
  const { t } = useTranslation("registry");
  const choose = { value: "", label: t("new.choose") };
  const tagsPosted = valueAt(result, "tags");
  const checkedTags = new Set(Array.isArray(tagsPosted) ? tagsPosted : typeof tagsPosted === "string" ? [tagsPosted] : []);
  const checked = (name: string) => valueAt(result, name) === "on" || valueAt(result, name) === true;

  return (
    <div className="space-y-6">
      <PageTitle title={t("new.title")} intro={t("new.intro")} />
      <Form method="post" noValidate className="space-y-6" aria-describedby={formErrors(result) ? "new-household-error" : undefined}>
        <FormMessage id="new-household-error" errors={formErrors(result)} />
        {result?.error && Object.keys(result.error).length > 0 && !formErrors(result) && (
          <FormMessage errors={["registry:new.fixErrors"]} />
        )}

        <Section id="head" title={t("new.head.title")} description={t("new.head.help")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <PlainField
              id="headFullName"
              name="headFullName"
              label={t("fields.fullName")}
              required
              defaultValue={stringAt(result, "headFullName")}
              errors={errorsAt(result, "headFullName")}
            />
            <PlainSelect
              id="headSex"
              name="headSex"
              label={t("fields.sex")}
              defaultValue={stringAt(result, "headSex")}
              errors={errorsAt(result, "headSex")}
              options={[choose, ...SEXES.map((s) => ({ value: s, label: t(`sex.${s}`) }))]}
            />
            <PlainField
              id="headBirthYear"
              name="headBirthYear"
              type="number"
              min={1900}
              max={today.slice(0, 4)}
              label={t("fields.birthYear")}
              defaultValue={stringAt(result, "headBirthYear")}
              errors={errorsAt(result, "headBirthYear")}
              dir="ltr"
            />
            <PlainField
              id="headDisability"
              name="headDisability"
              label={t("fields.disability")}
              hint={t("fields.disabilityHint")}
              defaultValue={stringAt(result, "headDisability")}
              errors={errorsAt(result, "headDisability")}
            />
          </div>
        </Section>

        <Section id="members" title={t("new.members.title")} description={t("new.members.help")}>
          <div className="space-y-4">
            {Array.from({ length: BLANK_MEMBER_ROWS }, (_, i) => {
              const at = (f: string) => `members[${i}].${f}`;
              return (
                <fieldset key={i} className="rounded border border-stone-200 p-3">
                  <legend className="px-1 font-bold">{t("new.members.row", { n: i + 1 })}</legend>
                  <div className="grid gap-3 sm:grid-cols-3">
                    <PlainField id={`m${i}-fullName`} name={at("fullName")} label={t("fields.fullName")} defaultValue={stringAt(result, at("fullName"))} errors={errorsAt(result, at("fullName"))} />
                    <PlainSelect
                      id={`m${i}-relation`}
                      name={at("relation")}
                      label={t("fields.relation")}
                      defaultValue={stringAt(result, at("relation"))}
                      errors={errorsAt(result, at("relation"))}
                      options={[choose, ...RELATIONS.map((r) => ({ value: r, label: t(`relation.${r}`) }))]}
                    />
                    <PlainSelect
                      id={`m${i}-sex`}
                      name={at("sex")}
                      label={t("fields.sex")}
                      defaultValue={stringAt(result, at("sex"))}
                      errors={errorsAt(result, at("sex"))}
                      options={[choose, ...SEXES.map((s) => ({ value: s, label: t(`sex.${s}`) }))]}
                    />
                    <PlainField
                      id={`m${i}-birthYear`}
                      name={at("birthYear")}
                      type="number"
                      min={1900}
                      max={today.slice(0, 4)}
                      dir="ltr"
                      label={t("fields.birthYear")}
                      defaultValue={stringAt(result, at("birthYear"))}
                      errors={errorsAt(result, at("birthYear"))}
                    />
                    <PlainSelect
                      id={`m${i}-school`}
                      name={at("schoolEnrolment")}
                      label={t("fields.schoolEnrolment")}
                      defaultValue={stringAt(result, at("schoolEnrolment"))}
                      errors={errorsAt(result, at("schoolEnrolment"))}
                      options={SCHOOL_ENROLMENTS.map((s) => ({ value: s, label: t(`school.${s}`) }))}
                    />
                    <PlainField id={`m${i}-disability`} name={at("disability")} label={t("fields.disability")} defaultValue={stringAt(result, at("disability"))} errors={errorsAt(result, at("disability"))} />
                  </div>
                </fieldset>
              );
            })}
          </div>
        </Section>

        <Section id="contact" title={t("new.identifiers.title")} description={t("new.identifiers.help")}>
          <div className="grid gap-4 sm:grid-cols-3">
            {Array.from({ length: BLANK_PHONE_ROWS }, (_, i) => (
              <PlainField
                key={i}
                id={`phone${i}`}
                name={`phones[${i}]`}
                type="tel"
                dir="ltr"
                label={t("new.identifiers.phone", { n: i + 1 })}
                defaultValue={stringAt(result, `phones[${i}]`)}
                errors={errorsAt(result, `phones[${i}]`)}
              />
            ))}
          </div>
          <div className="mt-4 space-y-3">
            {Array.from({ length: BLANK_ID_ROWS }, (_, i) => (
              <fieldset key={i} className="grid gap-3 sm:grid-cols-2">
                <legend className="sr-only">{t("new.identifiers.idRow", { n: i + 1 })}</legend>
                <PlainSelect
                  id={`id${i}-kind`}
                  name={`ids[${i}].kind`}
                  label={t("new.identifiers.idKind", { n: i + 1 })}
                  defaultValue={stringAt(result, `ids[${i}].kind`) ?? "national_id"}
                  errors={errorsAt(result, `ids[${i}].kind`)}
                  options={ID_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
                />
                <PlainField
                  id={`id${i}-value`}
                  name={`ids[${i}].value`}
                  dir="ltr"
                  label={t("new.identifiers.idValue", { n: i + 1 })}
                  defaultValue={stringAt(result, `ids[${i}].value`)}
                  errors={errorsAt(result, `ids[${i}].value`)}
                />
              </fieldset>
            ))}
          </div>
        </Section>

        <Section id="place" title={t("new.place.title")} description={t("new.place.help")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <RegionSelect id="regionId" label={t("fields.region")} tree={regions} defaultValue={stringAt(result, "regionId")} errors={errorsAt(result, "regionId")} emptyLabel={t("fields.noRegion")} />
            <PlainField id="address" name="address" label={t("fields.address")} defaultValue={stringAt(result, "address")} errors={errorsAt(result, "address")} />
          </div>
        </Section>

        <Section id="tags" title={t("new.tags.title")} description={t("new.tags.help")}>
          <fieldset aria-describedby={errorsAt(result, "tags") ? "tags-error" : undefined}>
            <legend className="sr-only">{t("new.tags.title")}</legend>
            <div className="grid gap-2 sm:grid-cols-3">
              {VULNERABILITY_TAGS.map((tag) => (
                <label key={tag} className="inline-flex items-center gap-2">
                  <input type="checkbox" name="tags" value={tag} defaultChecked={checkedTags.has(tag)} className="h-4 w-4" />
                  {t(`tags.${tag}`)}
                </label>
              ))}
            </div>
            <ErrorList id="tags-error" errors={errorsAt(result, "tags") ?? Object.entries(result?.error ?? {}).find(([k]) => k.startsWith("tags["))?.[1]} />
          </fieldset>
        </Section>

        <Section id="consent" title={t("consent.title")} description={t("consent.help")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <PlainField id="consentGivenOn" name="consentGivenOn" type="date" max={today} label={t("consent.givenOn")} defaultValue={stringAt(result, "consentGivenOn")} errors={errorsAt(result, "consentGivenOn")} />
            <fieldset className="space-y-2">
              <legend className="font-bold">{t("consent.scope")}</legend>
              <label className="flex items-center gap-2">
                <input type="checkbox" name="consentPublish" defaultChecked={checked("consentPublish")} className="h-4 w-4" />
                {t("consent.publish")}
              </label>
              <label className="flex items-center gap-2">
                <input type="checkbox" name="consentSharePartners" defaultChecked={checked("consentSharePartners")} className="h-4 w-4" />
                {t("consent.sharePartners")}
              </label>
            </fieldset>
          </div>
        </Section>

        <SubmitButton>{t("new.submit")}</SubmitButton>
      </Form>
    </div>
  );
}

import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { requireMember, type Member } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { updateOrganizationProfile } from "~/modules/organizations/organizations.server";
import { addRegion, listRegions, removeRegion, renameRegion } from "~/modules/organizations/regions.server";
import { buildRegionTree, childLevel, type RegionNode } from "~/modules/organizations/regions";
import { OrgProfileSchema, SettingsActionSchema } from "~/modules/organizations/schemas";
import { orgName } from "~/modules/organizations/roles";
import {
  formMeta,
  invalid,
  noticeFrom,
  runRule,
  staffTitle,
  type FormReply,
} from "~/modules/organizations/route-helpers.server";
import { ErrorList, Field, FormMessage, Notice, SubmitButton } from "~/components/forms";
import { PaymentDetailsForm } from "~/components/payment-details-form";
import { errorsAt, stringAt, type ReplyResult } from "~/components/form-reply";
import { isPaymentDetailsPost, paymentDetailsAction, paymentDetailsFor } from "~/modules/pledging/settings.server";
import { LEGAL_NAME_MAX, REGISTRATION_NUMBER_MAX } from "~/modules/payments/org-settings";
import {
  MoneySettingsError,
  MoneySettingsFormSchema,
  cardBlockFor,
  getMoneySettings,
  saveMoneySettings,
  thresholdInput,
  thresholdOf,
  type CardBlock,
} from "~/modules/payments/org-settings.server";
import {
  PageTitle,
  Section,
  buttonClass,
  dangerButtonClass,
  inputClass,
  secondaryButtonClass,
} from "~/components/staff";

const NOTICES = ["saved", "regionAdded", "regionRenamed", "regionRemoved"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["org_admin"]);
  const db = await getDb();
  const locale = await getLocale(request);
  const { org } = member;
  return {
    title: await staffTitle(request, "staff:settings.title", orgName(org, locale)),
    org: {
      slug: org.slug,
      nameAr: org.nameAr,
      nameEn: org.nameEn,
      timeZone: org.timeZone,
      defaultCurrency: org.defaultCurrency,
      publishOnVerify: org.publishOnVerify,
    },
    regions: buildRegionTree(await listRegions(db, org.id)),
    notice: noticeFrom(new URL(request.url), NOTICES),
    paymentDetails: await paymentDetailsFor(org.id),
    paymentDetailsSaved: new URL(request.url).searchParams.get("notice") === "paymentDetailsSaved",
    money: await moneyFor(request, org.id),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request, params.orgSlug, ["org_admin"]);
  if (await isPaymentDetailsPost(request)) return paymentDetailsAction(request, member);
  if ((await readForm(request)).get("intent") === "moneySettings") return moneySettingsAction(request, member);
  const { submission } = await parseForm(request, SettingsActionSchema);
  const meta = formMeta(submission, ["regionId", "parentId"]);
  if (submission.status !== "success") return invalid(submission, meta);
  const db = await getDb();
  const value = submission.value;
  const here = `/staff/${member.org.slug}/settings`;
  const base = { orgId: member.org.id, actor: member.actor };

  return runRule(submission, meta, async () => {
    switch (value.intent) {
      case "profile": {
        const { intent: _intent, ...profile } = value;
        await updateOrganizationProfile(db, { ...base, profile });
        return redirect(`${here}?notice=saved`);
      }
      case "addRegion":
        await addRegion(db, { ...base, parentId: value.parentId, nameAr: value.nameAr, nameEn: value.nameEn });
        return redirect(`${here}?notice=regionAdded#regions`);
      case "renameRegion":
        await renameRegion(db, { ...base, regionId: value.regionId, nameAr: value.nameAr, nameEn: value.nameEn });
        return redirect(`${here}?notice=regionRenamed#regions`);
      case "removeRegion":
        await removeRegion(db, { ...base, regionId: value.regionId });
        return redirect(`${here}?notice=regionRemoved#regions`);
    }
  });
}

// ---------------------------------------------------------------- the "Money" section

/** What the Money section shows: the stored values (the threshold as typed text), why card is blocked, and the saved notice in the request's language. */
async function moneyFor(request: Request, orgId: string) {
  const settings = await getMoneySettings(await getDb(), orgId);
  const t = await getFixedT(request, "staff");
  const saved = new URL(request.url).searchParams.get("notice") === "moneySaved";
  return {
    legalName: settings.legalName ?? "",
    registrationNumber: settings.registrationNumber ?? "",
    cardEnabled: settings.cardEnabled,
    cashFourEyes: thresholdInput(settings.cashFourEyesMinor, settings.currency),
    currency: settings.currency,
    cardBlock: cardBlockFor(settings.currency),
    notice: saved ? t("moneySettings.saved") : null,
  };
}

/**
 * `intent=moneySettings`: zod checks the form, the money helpers read the threshold in the
 * organisation's default currency, the module saves (org_admin, one transaction, audited). A
 * refusal answers 4xx with the form's errors and their text in the request's language; nothing changes.
 */
async function moneySettingsAction(request: Request, member: Member) {
  const submission = parseWithZod(await readForm(request), { schema: MoneySettingsFormSchema });
  const t = await getFixedT(request, ["staff", "errors", "common"]);
  const reply = (status: number, result: ReturnType<typeof submission.reply>) => {
    const messages = Object.values(result.error ?? {})
      .flat()
      .filter((m): m is string => typeof m === "string")
      .map((key) => t(key));
    return data({ intent: "moneySettings", target: null, result, messages }, { status });
  };
  if (submission.status !== "success") return reply(400, submission.reply());
  const v = submission.value;
  const currency = member.org.defaultCurrency;
  const threshold = thresholdOf(v.cashFourEyes, currency);
  if (!threshold.ok) return reply(400, submission.reply({ fieldErrors: { cashFourEyes: [threshold.error] } }));
  // While card is blocked the checkbox is disabled (never posted): keep what is stored; a posted "on" is refused below.
  const blocked = cardBlockFor(currency) !== null;
  const cardEnabled = v.cardEnabled === "on" ? true : blocked ? undefined : false;
  try {
    await saveMoneySettings(await getDb(), member.actor, member.org.id, {
      legalName: v.legalName ?? null,
      registrationNumber: v.registrationNumber ?? null,
      cardEnabled,
      cashFourEyesMinor: threshold.minor,
    });
  } catch (error) {
    if (error instanceof MoneySettingsError) {
      if (error.code === "org_not_found") throw new Response("Not Found", { status: 404 });
      const field = error.code === "card_unavailable" || error.code === "card_currency" ? "cardEnabled" : "";
      return reply(error.status, submission.reply(field ? { fieldErrors: { [field]: [error.messageKey] } } : { formErrors: [error.messageKey] }));
    }
    throw error;
  }
  return redirect(`/staff/${member.org.slug}/settings?notice=moneySaved#money`);
}

type Reply = FormReply | undefined;

function replyFor(reply: Reply, intent: string, target: string | null) {
  return reply && reply.intent === intent && reply.target === target ? reply.result : undefined;
}

function ProfileForm({ org, lastResult }: { org: { nameAr: string; nameEn: string; timeZone: string; defaultCurrency: string; publishOnVerify: boolean }; lastResult: FormReply["result"] | undefined }) {
  const { t } = useTranslation("staff");
  const [form, fields] = useForm({
    id: "profile",
    lastResult,
    defaultValue: org,
    constraint: getZodConstraint(OrgProfileSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OrgProfileSchema }),
  });
  return (
    <Form method="post" id={form.id} onSubmit={form.onSubmit} noValidate className="grid gap-4 sm:grid-cols-2">
      <input type="hidden" name="intent" value="profile" />
      <div className="sm:col-span-2">
        <FormMessage id={form.errorId} errors={form.errors} />
      </div>
      <Field label={t("fields.nameAr")} meta={fields.nameAr} dir="rtl" />
      <Field label={t("fields.nameEn")} meta={fields.nameEn} dir="ltr" />
      <Field
        label={t("fields.timeZone")}
        meta={fields.timeZone}
        dir="ltr"
        hint={t("settings.timeZoneHint", { example: "Asia/Beirut, Asia/Damascus, Africa/Cairo" })}
      />
      <Field
        label={t("fields.defaultCurrency")}
        meta={fields.defaultCurrency}
        dir="ltr"
        hint={t("settings.currencyHint", { example: "USD, SYP, EGP, LBP" })}
      />
      <div className="sm:col-span-2">
        <label className="inline-flex items-start gap-2">
          <input
            type="checkbox"
            name="publishOnVerify"
            id="profile-publishOnVerify"
            defaultChecked={org.publishOnVerify}
            aria-describedby="profile-publishOnVerify-hint"
            className="mt-1 h-4 w-4"
          />
          <span>
            <span className="block font-bold">{t("fields.publishOnVerify")}</span>
            <span id="profile-publishOnVerify-hint" className="block text-sm text-stone-700">
              {t("settings.publishOnVerifyHint")}
            </span>
          </span>
        </label>
      </div>
      <div className="sm:col-span-2">
        <SubmitButton>{t("settings.save")}</SubmitButton>
      </div>
    </Form>
  );
}

type MoneyView = {
  legalName: string;
  registrationNumber: string;
  cardEnabled: boolean;
  cashFourEyes: string;
  currency: string;
  cardBlock: CardBlock;
};

/** The Money section's form: plain HTML (works without JavaScript), refilled from the reply after a refusal. */
function MoneySettingsForm({ money, result }: { money: MoneyView; result: ReplyResult | undefined }) {
  const { t } = useTranslation("staff");
  const text = (name: "legalName" | "registrationNumber" | "cashFourEyes", label: string, hint: string, extra: Record<string, unknown>) => {
    const id = `money-${name}`;
    const errors = errorsAt(result, name);
    return (
      <div className="space-y-1">
        <label htmlFor={id} className="block font-bold">
          {label}
        </label>
        <p id={`${id}-hint`} className="text-sm text-stone-700">
          {hint}
        </p>
        <input
          id={id}
          name={name}
          defaultValue={stringAt(result, name) ?? money[name]}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={[`${id}-hint`, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ")}
          className={inputClass}
          {...extra}
        />
        <ErrorList id={`${id}-error`} errors={errors} />
      </div>
    );
  };
  const blocked = money.cardBlock !== null;
  const cardErrors = errorsAt(result, "cardEnabled");
  const postedCard = result?.initialValue ? result.initialValue.cardEnabled === "on" : undefined;
  return (
    <Form method="post" noValidate className="grid gap-4 sm:grid-cols-2">
      <input type="hidden" name="intent" value="moneySettings" />
      <div className="sm:col-span-2">
        <FormMessage errors={result?.error?.[""] ?? undefined} />
      </div>
      {text("legalName", t("moneySettings.legalName"), t("moneySettings.legalNameHint"), { dir: "auto", maxLength: LEGAL_NAME_MAX })}
      {text("registrationNumber", t("moneySettings.registrationNumber"), t("moneySettings.registrationNumberHint"), {
        dir: "auto",
        maxLength: REGISTRATION_NUMBER_MAX,
      })}
      <div className="sm:col-span-2">
        <label className="inline-flex items-start gap-2">
          <input
            type="checkbox"
            name="cardEnabled"
            id="money-cardEnabled"
            defaultChecked={postedCard ?? money.cardEnabled}
            disabled={blocked}
            aria-describedby="money-cardEnabled-hint"
            aria-invalid={cardErrors?.length ? true : undefined}
            className="mt-1 h-4 w-4"
          />
          <span>
            <span className="block font-bold">{t("moneySettings.cardEnabled")}</span>
            <span id="money-cardEnabled-hint" className="block text-sm text-stone-700">
              {money.cardBlock === "platform_unavailable"
                ? t("moneySettings.cardPlatformUnavailable")
                : money.cardBlock === "currency_unsupported"
                  ? t("moneySettings.cardCurrencyUnsupported", { currency: money.currency })
                  : t("moneySettings.cardEnabledHint")}
            </span>
          </span>
        </label>
        <ErrorList id="money-cardEnabled-error" errors={cardErrors} />
      </div>
      {text("cashFourEyes", t("moneySettings.cashFourEyes", { currency: money.currency }), t("moneySettings.cashFourEyesHint"), {
        dir: "ltr",
        inputMode: "decimal",
        autoComplete: "off",
        maxLength: 40,
      })}
      <div className="sm:col-span-2">
        <SubmitButton>{t("moneySettings.save")}</SubmitButton>
      </div>
    </Form>
  );
}

/** Two name inputs (Arabic, English) with their errors; shared by the add and rename forms. */
function RegionNameInputs({
  idPrefix,
  result,
  defaults,
}: {
  idPrefix: string;
  result: FormReply["result"] | undefined;
  defaults?: { nameAr: string; nameEn: string };
}) {
  const { t } = useTranslation("staff");
  const values = (result?.initialValue ?? {}) as Record<string, unknown>;
  const errors = result?.error ?? {};
  const field = (name: "nameAr" | "nameEn", dir: "rtl" | "ltr") => {
    const id = `${idPrefix}-${name}`;
    const fieldErrors = errors[name] ?? undefined;
    const submitted = typeof values[name] === "string" ? (values[name] as string) : undefined;
    return (
      <div className="space-y-1">
        <label htmlFor={id} className="block text-sm font-bold">
          {t(`fields.${name}`)}
        </label>
        <input
          id={id}
          name={name}
          dir={dir}
          required
          maxLength={120}
          defaultValue={submitted ?? defaults?.[name] ?? ""}
          aria-invalid={fieldErrors?.length ? true : undefined}
          aria-describedby={fieldErrors?.length ? `${id}-error` : undefined}
          className={inputClass}
        />
        <ErrorList id={`${id}-error`} errors={fieldErrors} />
      </div>
    );
  };
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {field("nameAr", "rtl")}
      {field("nameEn", "ltr")}
      <div className="sm:col-span-2">
        <ErrorList errors={errors[""] ?? undefined} />
      </div>
    </div>
  );
}

function AddRegionForm({ parentId, level, reply }: { parentId: string | null; level: string; reply: Reply }) {
  const { t } = useTranslation("staff");
  const result = replyFor(reply, "addRegion", parentId);
  return (
    <Form method="post" className="space-y-3">
      <input type="hidden" name="intent" value="addRegion" />
      {parentId && <input type="hidden" name="parentId" value={parentId} />}
      <RegionNameInputs idPrefix={`add-${parentId ?? "root"}`} result={result} />
      <button type="submit" className={buttonClass}>
        {t(`settings.regions.add.${level}`)}
      </button>
    </Form>
  );
}

function RegionItem({ node, reply }: { node: RegionNode; reply: Reply }) {
  const { t, i18n } = useTranslation("staff");
  const next = childLevel(node.level);
  const renameResult = replyFor(reply, "renameRegion", node.id);
  const removeResult = replyFor(reply, "removeRegion", node.id);
  const addResult = replyFor(reply, "addRegion", node.id);
  const name = i18n.language === "ar" ? node.nameAr : node.nameEn;
  const other = i18n.language === "ar" ? node.nameEn : node.nameAr;
  return (
    <li className="rounded border border-stone-200 p-3" data-testid="region">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="rounded bg-stone-100 px-2 py-0.5 text-xs">{t(`settings.regions.level.${node.level}`)}</span>
        <span className="font-bold">{name}</span>
        <span className="text-sm text-stone-700" lang={i18n.language === "ar" ? "en" : "ar"}>
          ({other})
        </span>
      </div>
      <div className="mt-2 flex flex-wrap gap-4 text-sm">
        <details open={Boolean(renameResult)}>
          <summary className="cursor-pointer text-brand-700 underline">{t("settings.regions.rename")}</summary>
          <Form method="post" className="mt-2 space-y-3">
            <input type="hidden" name="intent" value="renameRegion" />
            <input type="hidden" name="regionId" value={node.id} />
            <RegionNameInputs idPrefix={`rename-${node.id}`} result={renameResult} defaults={node} />
            <button type="submit" className={secondaryButtonClass}>
              {t("settings.regions.saveName")}
            </button>
          </Form>
        </details>
        {next && (
          <details open={Boolean(addResult)}>
            <summary className="cursor-pointer text-brand-700 underline">{t(`settings.regions.add.${next}`)}</summary>
            <div className="mt-2">
              <AddRegionForm parentId={node.id} level={next} reply={reply} />
            </div>
          </details>
        )}
        <details>
          <summary className="cursor-pointer text-red-800 underline">{t("settings.regions.remove")}</summary>
          <Form method="post" className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="removeRegion" />
            <input type="hidden" name="regionId" value={node.id} />
            <p>{t(node.children.length > 0 ? "settings.regions.removeConfirmTree" : "settings.regions.removeConfirm", { name })}</p>
            <button type="submit" className={dangerButtonClass}>
              {t("settings.regions.removeSubmit")}
            </button>
          </Form>
        </details>
        <ErrorList errors={removeResult?.error?.[""] ?? undefined} />
      </div>
      {node.children.length > 0 && (
        <ul className="mt-3 space-y-2 ps-4">
          {node.children.map((child) => (
            <RegionItem key={child.id} node={child} reply={reply} />
          ))}
        </ul>
      )}
    </li>
  );
}

export default function SettingsPage() {
  const { org, regions, notice, paymentDetails, paymentDetailsSaved, money } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  const location = useLocation();
  const { t } = useTranslation("staff");
  const { t: tp } = useTranslation("pledging");
  return (
    <div className="space-y-6">
      <PageTitle title={t("settings.title")} intro={t("settings.intro")} />
      {notice && !reply && <Notice tone="success">{t(`settings.notice.${notice}`)}</Notice>}

      <Section id="org-profile" title={t("settings.profile")}>
        <ProfileForm key={location.key} org={org} lastResult={replyFor(reply, "profile", null)} />
      </Section>

      <Section id="regions" title={t("settings.regions.title")} description={t("settings.regions.help")}>
        {regions.length === 0 ? (
          <p className="mb-4">{t("settings.regions.empty")}</p>
        ) : (
          <ul className="mb-6 space-y-2" key={`regions-${location.key}`}>
            {regions.map((node) => (
              <RegionItem key={node.id} node={node} reply={reply} />
            ))}
          </ul>
        )}
        <h3 className="mb-2 font-bold">{t("settings.regions.add.governorate")}</h3>
        <AddRegionForm key={`add-${location.key}`} parentId={null} level="governorate" reply={reply} />
      </Section>

      <Section id="payment-details" title={tp("settings.title")} description={tp("settings.help")}>
        {paymentDetailsSaved && !reply && <Notice tone="success">{tp("settings.saved")}</Notice>}
        <PaymentDetailsForm key={`pay-${location.key}`} details={paymentDetails} result={replyFor(reply, "paymentDetails", null)} />
      </Section>

      <Section id="money" title={t("moneySettings.title")} description={t("moneySettings.help")}>
        {money.notice && !reply && <Notice tone="success">{money.notice}</Notice>}
        <MoneySettingsForm key={`money-${location.key}`} money={money} result={replyFor(reply, "moneySettings", null)} />
      </Section>
    </div>
  );
}

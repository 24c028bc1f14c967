import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorList } from "~/components/forms";
import { buttonClass, dangerButtonClass, inputClass, secondaryButtonClass } from "~/components/staff";
import { childLevel, type RegionNode } from "~/modules/organizations/regions";
import type { FormReply } from "~/modules/organizations/route-helpers.server";

/** The settings page's places (governorate → district → locality): plain forms, one per change. */

export type Reply = FormReply | undefined;

export function replyFor(reply: Reply, intent: string, target: string | null) {
  return reply && reply.intent === intent && reply.target === target ? reply.result : undefined;
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

export function AddRegionForm({ parentId, level, reply }: { parentId: string | null; level: string; reply: Reply }) {
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

export function RegionItem({ node, reply }: { node: RegionNode; reply: Reply }) {
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


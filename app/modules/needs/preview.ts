import { toPublicNeed, type PublicNeed } from "~/modules/anonymization/public-need";
import { parseMoney } from "./money";

/**
 * The public card as the editor's current values would make it, for the live preview (in the
 * browser as one types; on the server for the no-JavaScript "preview" button). Tolerant: a field
 * that does not parse yet is simply left out (an amount counts as zero).
 */
export interface PreviewContext {
  currency: string;
  org: { nameAr: string; nameEn: string; slug: string };
  governorates: { id: string; nameAr: string; nameEn: string }[];
  publicId?: string;
  verifiedAt?: string | null;
  /** Shown until a deadline is typed (today in the organisation's time zone). */
  today?: string;
  /** Details the re-identification check hides (from the server's last count). */
  publicHides?: string[];
}

const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

export function previewNeed(payload: Record<string, unknown>, ctx: PreviewContext): PublicNeed {
  const category = str(payload.category) ?? "other";
  const rawItems = Array.isArray(payload.items) ? payload.items : [];
  const items =
    category === "in_kind_item"
      ? rawItems.flatMap((row) => {
          if (!row || typeof row !== "object") return [];
          const r = row as Record<string, unknown>;
          const quantity = Number(str(r.quantity));
          const cost = parseMoney(str(r.unitCost), ctx.currency);
          if (!Number.isInteger(quantity) || quantity < 1 || !cost.ok) return [];
          return [{ labelAr: str(r.labelAr), labelEn: str(r.labelEn), quantity, unitCostMinor: cost.minor }];
        })
      : [];
  const target = parseMoney(str(payload.target), ctx.currency);
  const targetMinor =
    category === "in_kind_item"
      ? items.reduce((sum, i) => sum + i.quantity * i.unitCostMinor, 0)
      : target.ok
        ? target.minor
        : 0;
  const regionId = str(payload.publicRegionId);
  const governorate = ctx.governorates.find((g) => g.id === regionId) ?? null;
  const deadline = str(payload.deadline);
  return toPublicNeed(
    {
      publicId: ctx.publicId ?? "PREVIEW",
      category,
      titleAr: str(payload.titleAr),
      titleEn: str(payload.titleEn),
      storyAr: str(payload.storyAr),
      storyEn: str(payload.storyEn),
      targetMinor,
      currency: ctx.currency,
      deadline: deadline && /^\d{4}-\d{2}-\d{2}$/.test(deadline) ? deadline : (ctx.today ?? new Date().toISOString().slice(0, 10)),
      urgency: str(payload.urgency) ?? "normal",
      ageBand: str(payload.ageBand),
      gender: str(payload.gender),
      publicHides: ctx.publicHides ?? [],
      onlyLanguage: str(payload.onlyLanguage),
      verifiedAt: ctx.verifiedAt ?? null,
    },
    items,
    ctx.org,
    governorate,
  );
}

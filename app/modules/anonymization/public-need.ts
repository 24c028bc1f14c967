/**
 * The public projection of a need: exactly what a donor may see, built field by field (never by
 * spreading the row), so a new private column can never leak by accident.
 */

export interface PublicNeedItem {
  labelAr: string | null;
  labelEn: string | null;
  quantity: number;
  unitCostMinor: number;
}

export interface PublicNeed {
  publicId: string;
  category: string;
  titleAr: string | null;
  titleEn: string | null;
  storyAr: string | null;
  storyEn: string | null;
  targetMinor: number;
  currency: string;
  deadline: string;
  urgency: string;
  governorate: { nameAr: string; nameEn: string } | null;
  /** Null when the re-identification check (decision 055) hides it. */
  ageBand: string | null;
  gender: string | null;
  /** The need is told in this language only (the page in the other language says so). */
  onlyLanguage: "ar" | "en" | null;
  items: PublicNeedItem[];
  org: { nameAr: string; nameEn: string; slug: string };
  verifiedAt: string | null;
  /** Staff marked it zakat-eligible (issue 12): a donor may give zakat to it. Not private. */
  zakatEligible?: boolean;
  /**
   * Kafala (decision 067): offered to one sponsor in monthly instalments — how many, and how much
   * a month (the target divided up, rounded up). `sponsored` when a sponsor has it now (public
   * lists and the need page). Not private.
   */
  kafala?: { months: number; monthlyMinor: number; sponsored?: boolean };
  /** Public pages only (the staff preview has none): how far the need is funded. */
  progress?: PublicProgress;
}

/**
 * The three figures every donor page shows of a need (card, need page, pledge form), in minor
 * units of the need's currency: money that arrived, money pledged but not yet arrived, and what is
 * left to pledge. Built only by `needFigures`.
 */
export interface NeedFigures {
  /** Received: the need's paid_minor (its fund, plus in-kind items delivered). */
  receivedMinor: number;
  /** Pledged but not yet received: the need's reserved_minor. */
  pledgedMinor: number;
  /** Remaining: target − received − pledged, never below zero. */
  remainingMinor: number;
}

/** A kafala's monthly instalment: the target over its months, rounded up (the last month takes what is left). */
export function kafalaMonthlyMinor(targetMinor: number, months: number): number {
  return Math.ceil(Number(targetMinor) / months);
}

/** The one computation of a need's donor figures (every donor page uses it, through the progress). */
export function needFigures(need: { targetMinor: number; paidMinor: number; reservedMinor: number }): NeedFigures {
  const receivedMinor = Math.max(0, Number(need.paidMinor));
  const pledgedMinor = Math.max(0, Number(need.reservedMinor));
  return { receivedMinor, pledgedMinor, remainingMinor: Math.max(0, Number(need.targetMinor) - receivedMinor - pledgedMinor) };
}

/** Where a need stands for donors: money received, promised, how many donors, and its status. */
export interface PublicProgress {
  /** Received (= figures.receivedMinor; kept under its old name for the lists and their tests). */
  raisedMinor: number;
  /** Pledged but not yet received (= figures.pledgedMinor). */
  reservedMinor: number;
  /** Left to pledge (= figures.remainingMinor). */
  remainingMinor: number;
  /** Donors whose money (or delivered item) has arrived. */
  donorCount: number;
  /** Whole percent of the target received, 0–100. */
  percent: number;
  status: "open" | "funded" | "disbursed" | "closed";
}

/** The counters of a need row that the public progress is built from. */
export interface ProgressLike {
  state: string;
  paidMinor: number;
  reservedMinor: number;
  donorCount: number;
}

interface NeedLike {
  publicId: string;
  category: string;
  titleAr: string | null;
  titleEn: string | null;
  storyAr: string | null;
  storyEn: string | null;
  targetMinor: number;
  currency: string;
  deadline: string;
  urgency: string;
  ageBand: string | null;
  gender: string | null;
  /** Details the re-identification check leaves out of every public card ('age_band', 'gender'). */
  publicHides: readonly string[] | null;
  onlyLanguage: string | null;
  verifiedAt: Date | string | null;
  zakatCategory?: string | null;
  sponsorshipMonths?: number | null;
  /** Whether a sponsor has the kafala now (read beside the row where a page shows it). */
  sponsored?: boolean | null;
}

export function toPublicNeed(
  need: NeedLike,
  items: readonly PublicNeedItem[],
  org: { nameAr: string; nameEn: string; slug: string },
  governorate: { nameAr: string; nameEn: string } | null,
  progress?: ProgressLike,
): PublicNeed {
  const hides = need.publicHides ?? [];
  const projection: PublicNeed = {
    publicId: need.publicId,
    category: need.category,
    titleAr: need.titleAr,
    titleEn: need.titleEn,
    storyAr: need.storyAr,
    storyEn: need.storyEn,
    targetMinor: need.targetMinor,
    currency: need.currency,
    deadline: need.deadline,
    urgency: need.urgency,
    governorate: governorate ? { nameAr: governorate.nameAr, nameEn: governorate.nameEn } : null,
    ageBand: hides.includes("age_band") ? null : need.ageBand,
    gender: hides.includes("gender") ? null : need.gender,
    onlyLanguage: need.onlyLanguage === "ar" || need.onlyLanguage === "en" ? need.onlyLanguage : null,
    items: items.map((i) => ({ labelAr: i.labelAr, labelEn: i.labelEn, quantity: i.quantity, unitCostMinor: i.unitCostMinor })),
    org: { nameAr: org.nameAr, nameEn: org.nameEn, slug: org.slug },
    verifiedAt: need.verifiedAt ? new Date(need.verifiedAt).toISOString() : null,
  };
  if (need.zakatCategory) projection.zakatEligible = true;
  if (need.sponsorshipMonths) {
    projection.kafala = { months: need.sponsorshipMonths, monthlyMinor: kafalaMonthlyMinor(need.targetMinor, need.sponsorshipMonths) };
    if (need.sponsored != null) projection.kafala.sponsored = Boolean(need.sponsored);
  }
  if (progress) projection.progress = toPublicProgress(need.targetMinor, progress);
  return projection;
}

export function toPublicProgress(targetMinor: number, row: ProgressLike): PublicProgress {
  const figures = needFigures({ targetMinor, paidMinor: row.paidMinor, reservedMinor: row.reservedMinor });
  const raisedMinor = figures.receivedMinor;
  const status = row.state === "funded" || row.state === "disbursed" || row.state === "closed" ? row.state : "open";
  return {
    raisedMinor,
    reservedMinor: figures.pledgedMinor,
    // Only an open need takes pledges: a funded or closed one has nothing left to pledge.
    remainingMinor: status === "open" ? figures.remainingMinor : 0,
    donorCount: Number(row.donorCount),
    percent: targetMinor > 0 ? Math.min(100, Math.floor((raisedMinor * 100) / targetMinor)) : 0,
    status,
  };
}

import { and, eq, inArray } from "drizzle-orm";
import type { TFunction } from "i18next";
import type { DbOrTx } from "#db/client.server";
import {
  disbursementBatches,
  households,
  invitations,
  memberships,
  needs,
  organizations,
  payees,
  payments,
  pledges,
  regions,
  users,
} from "#db/schema";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";
import type { Locale } from "~/utils/i18n";
import type { AuditEntryView } from "./audit-query.server";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * The audit log in words a person reads: the record an entry is about (the household's
 * reference, the need's title, the pledge's TDM code, the payment's amount and day, the payee's
 * name…) linked to its page, and each change as a translated field with a formatted value. The
 * records are resolved in one query per kind for the whole page (never one per row), always
 * scoped to the organisation, so an id from elsewhere resolves to nothing.
 */

/** How the page shows a label: a code (one LTR run), money, a name people typed, or plain text. */
export type LabelKind = "ref" | "money" | "name" | "text" | "email";

export interface RecordLabel {
  /** Translated kind of record, e.g. "Need" / «احتياج». */
  type: string;
  text: string | null;
  kind: LabelKind;
  href: string | null;
}

export interface ChangeLine {
  field: string;
  before: ValueView | null;
  after: ValueView | null;
}

export interface ValueView {
  text: string;
  kind: LabelKind;
  href?: string | null;
}

export interface DescribedEntry {
  id: number;
  at: string;
  atText: string;
  action: string;
  actionLabel: string;
  /** The raw record reference, for filtering and tests; the page shows `subject`. */
  entityType: string;
  entityId: string | null;
  actor: { displayName: string; email: string } | null;
  subject: RecordLabel;
  changes: ChangeLine[];
  ip: string | null;
}

type Kind = "household" | "need" | "pledge" | "payment" | "payee" | "disbursement_batch" | "region" | "user" | "invitation" | "membership" | "organization";

/** An id-valued field of a change and the kind of record it names. */
const ID_FIELDS: Record<string, Kind> = {
  householdId: "household",
  needId: "need",
  fromNeed: "need",
  toNeed: "need",
  pledgeId: "pledge",
  paymentId: "payment",
  payeeId: "payee",
  batchId: "disbursement_batch",
  disbursementBatchId: "disbursement_batch",
  regionId: "region",
  parentId: "region",
  governorateId: "region",
  userId: "user",
  inviterId: "user",
  recordedBy: "user",
  requestedBy: "user",
  invitationId: "invitation",
  membershipId: "membership",
};

/** Never shown, even to an admin: secrets and storage paths. */
const HIDDEN_FIELDS = new Set(["token", "tokenHash", "sessionToken", "storageKey", "passwordHash"]);

const UUID = UUID_PATTERN;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The enum-valued fields and where their words live (the first key that exists wins). */
const STATE_FIELDS = new Set(["status", "state", "from", "to", "before", "after", "decision", "outcome"]);

interface Resolved {
  text: string;
  kind: LabelKind;
  href: string | null;
}

export interface DescribeContext {
  orgId: string;
  orgSlug: string;
  orgCurrency: string;
  locale: Locale;
  timeZone: string;
  t: TFunction;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every (kind, id) an entry names: its own record and id-valued fields of its change, at any depth. */
function collectRefs(entries: AuditEntryView[]): Map<Kind, Set<string>> {
  const refs = new Map<Kind, Set<string>>();
  const add = (kind: Kind, id: unknown) => {
    if (typeof id !== "string" || !UUID.test(id)) return;
    if (!refs.has(kind)) refs.set(kind, new Set());
    refs.get(kind)!.add(id);
  };
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isRecord(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (ID_FIELDS[key]) add(ID_FIELDS[key], v);
        else walk(v);
      }
    }
  };
  for (const entry of entries) {
    if (entry.entityId && isKind(entry.entityType)) add(entry.entityType, entry.entityId);
    walk(entry.change);
  }
  return refs;
}

function isKind(value: string): value is Kind {
  return ["household", "need", "pledge", "payment", "payee", "disbursement_batch", "region", "user", "invitation", "membership", "organization"].includes(value);
}

/** One query per kind of record for the whole page, each scoped to the organisation. */
async function resolveRefs(db: DbOrTx, refs: Map<Kind, Set<string>>, ctx: DescribeContext): Promise<Map<string, Resolved>> {
  const out = new Map<string, Resolved>();
  const key = (kind: Kind, id: string) => `${kind}:${id}`;
  const ids = (kind: Kind) => [...(refs.get(kind) ?? [])];
  const base = `/staff/${ctx.orgSlug}`;
  const finance = `/finance/${ctx.orgSlug}`;
  const pick = (ar: string | null, en: string | null) => (ctx.locale === "ar" ? (ar ?? en) : (en ?? ar)) ?? "";
  const jobs: Promise<void>[] = [];
  const when = (kind: Kind, run: (list: string[]) => Promise<void>) => {
    const list = ids(kind);
    if (list.length > 0) jobs.push(run(list));
  };
  when("household", async (list) => {
    const rows = await db
      .select({ id: households.id, reference: households.reference })
      .from(households)
      .where(and(eq(households.orgId, ctx.orgId), inArray(households.id, list)));
    for (const r of rows) out.set(key("household", r.id), { text: r.reference, kind: "ref", href: `${base}/households/${r.id}` });
  });
  when("need", async (list) => {
    const rows = await db
      .select({ id: needs.id, titleAr: needs.titleAr, titleEn: needs.titleEn, publicId: needs.publicId })
      .from(needs)
      .where(and(eq(needs.orgId, ctx.orgId), inArray(needs.id, list)));
    for (const r of rows) out.set(key("need", r.id), { text: pick(r.titleAr, r.titleEn) || r.publicId, kind: "name", href: `${base}/needs/${r.id}` });
  });
  when("pledge", async (list) => {
    const rows = await db
      .select({ id: pledges.id, reference: pledges.reference })
      .from(pledges)
      .where(and(eq(pledges.orgId, ctx.orgId), inArray(pledges.id, list)));
    for (const r of rows) out.set(key("pledge", r.id), { text: r.reference, kind: "ref", href: `${finance}/pledges?q=${encodeURIComponent(r.reference)}` });
  });
  when("payment", async (list) => {
    const rows = await db
      .select({ id: payments.id, amountMinor: payments.amountMinor, currency: payments.currency, valueDate: payments.valueDate })
      .from(payments)
      .where(and(eq(payments.orgId, ctx.orgId), inArray(payments.id, list)));
    for (const r of rows) {
      const text = `${formatMoney(Number(r.amountMinor), r.currency, ctx.locale)} · ${formatDate(`${r.valueDate}T12:00:00Z`, ctx.locale, "UTC")}`;
      out.set(key("payment", r.id), { text, kind: "money", href: `${finance}/payments/${r.id}` });
    }
  });
  when("payee", async (list) => {
    const rows = await db.select({ id: payees.id, name: payees.name }).from(payees).where(and(eq(payees.orgId, ctx.orgId), inArray(payees.id, list)));
    for (const r of rows) out.set(key("payee", r.id), { text: r.name, kind: "name", href: `${finance}/payees/${r.id}` });
  });
  when("disbursement_batch", async (list) => {
    const rows = await db
      .select({ id: disbursementBatches.id, number: disbursementBatches.number })
      .from(disbursementBatches)
      .where(and(eq(disbursementBatches.orgId, ctx.orgId), inArray(disbursementBatches.id, list)));
    for (const r of rows) out.set(key("disbursement_batch", r.id), { text: r.number, kind: "ref", href: `${finance}/disbursements/${r.id}` });
  });
  when("region", async (list) => {
    const rows = await db
      .select({ id: regions.id, nameAr: regions.nameAr, nameEn: regions.nameEn })
      .from(regions)
      .where(and(eq(regions.orgId, ctx.orgId), inArray(regions.id, list)));
    for (const r of rows) out.set(key("region", r.id), { text: pick(r.nameAr, r.nameEn), kind: "name", href: `${base}/settings#regions` });
  });
  when("invitation", async (list) => {
    const rows = await db
      .select({ id: invitations.id, email: invitations.email })
      .from(invitations)
      .where(and(eq(invitations.orgId, ctx.orgId), inArray(invitations.id, list)));
    for (const r of rows) out.set(key("invitation", r.id), { text: r.email, kind: "email", href: `${base}/members` });
  });
  when("membership", async (list) => {
    const rows = await db
      .select({ id: memberships.id, displayName: users.displayName })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, ctx.orgId), inArray(memberships.id, list)));
    for (const r of rows) out.set(key("membership", r.id), { text: r.displayName, kind: "name", href: `${base}/members` });
  });
  when("user", async (list) => {
    // People who acted in or were named by this organisation's log; their display name only.
    const rows = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, list));
    for (const r of rows) out.set(key("user", r.id), { text: r.displayName, kind: "name", href: null });
  });
  when("organization", async (list) => {
    if (!list.includes(ctx.orgId)) return;
    const [r] = await db.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, ctx.orgId));
    if (r) out.set(key("organization", ctx.orgId), { text: pick(r.nameAr, r.nameEn), kind: "name", href: `${base}/settings` });
  });
  await Promise.all(jobs);
  return out;
}

/** A field's words, e.g. `amountMinor` → "Amount"; an unknown field falls back to spaced words. */
function fieldLabel(t: TFunction, field: string): string {
  const spaced = field.replace(/Minor$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
  return t(`staff:audit.fields.${field}`, { defaultValue: spaced.charAt(0).toUpperCase() + spaced.slice(1) });
}

function stateLabel(t: TFunction, value: string): string {
  return t(
    [
      `staff:audit.values.${value}`,
      `needs:states.${value}`,
      `pledging:status.${value}`,
      `disbursements:status.${value}`,
      `registry:status.${value}`,
      `common:roles.${value}`,
      `disbursements:method.${value}`,
    ],
    { defaultValue: value },
  );
}

function currencyOf(...sources: unknown[]): string | null {
  for (const s of sources) if (isRecord(s) && typeof s.currency === "string" && /^[A-Z]{3}$/.test(s.currency)) return s.currency;
  return null;
}

/** One value, formatted: money, dates, states and roles in words, ids as the record they name. */
function formatValue(field: string, value: unknown, currency: string, refs: Map<string, Resolved>, ctx: DescribeContext): ValueView | null {
  const { t, locale } = ctx;
  if (value === null || value === undefined || value === "") return { text: "—", kind: "text" };
  if (ID_FIELDS[field] && typeof value === "string") {
    const hit = refs.get(`${ID_FIELDS[field]}:${value}`);
    return hit ? { text: hit.text, kind: hit.kind, href: hit.href } : { text: t("staff:audit.unknownRecord"), kind: "text" };
  }
  if (typeof value === "boolean") return { text: t(value ? "staff:audit.values.yes" : "staff:audit.values.no"), kind: "text" };
  if (typeof value === "number") {
    if (/Minor$/.test(field)) return { text: formatMoney(value, currency, locale), kind: "money" };
    return { text: new Intl.NumberFormat(locale === "ar" ? "ar-u-nu-latn" : "en-GB").format(value), kind: "text" };
  }
  if (typeof value === "string") {
    if (/Minor$/.test(field) && /^-?\d+$/.test(value)) return { text: formatMoney(Number(value), currency, locale), kind: "money" };
    if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return { text: formatDateTime(value, locale, ctx.timeZone), kind: "text" };
    if (ISO_DAY.test(value)) return { text: formatDate(`${value}T12:00:00Z`, locale, "UTC"), kind: "text" };
    if (field === "email" || /Email$/.test(field)) return { text: value, kind: "email" };
    if (field === "role" || STATE_FIELDS.has(field) || field === "method" || field === "kind") return { text: stateLabel(t, value), kind: "text" };
    if (UUID.test(value)) return { text: t("staff:audit.unknownRecord"), kind: "text" };
    return { text: value, kind: "name" };
  }
  if (Array.isArray(value)) {
    const parts = value.map((v) => formatValue(field === "roles" ? "role" : field, v, currency, refs, ctx)?.text ?? "");
    return { text: parts.join(locale === "ar" ? "، " : ", "), kind: "text" };
  }
  if (isRecord(value)) {
    const parts = Object.entries(value)
      .filter(([k]) => !HIDDEN_FIELDS.has(k))
      .map(([k, v]) => `${fieldLabel(t, k)}: ${formatValue(k, v, currencyOf(value) ?? currency, refs, ctx)?.text ?? "—"}`);
    return { text: parts.join(locale === "ar" ? "؛ " : "; "), kind: "text" };
  }
  return { text: String(value), kind: "text" };
}

/** `{ before, after }` → one line per field that differs; anything else → one line per field. */
function changeLines(change: Record<string, unknown> | null, refs: Map<string, Resolved>, ctx: DescribeContext): ChangeLine[] {
  if (!change) return [];
  const currency = currencyOf(change, change.after, change.before) ?? ctx.orgCurrency;
  const lines: ChangeLine[] = [];
  const { before, after, ...rest } = change;
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (HIDDEN_FIELDS.has(field)) continue;
      lines.push({
        field: fieldLabel(ctx.t, field),
        before: field in b ? formatValue(field, b[field], currency, refs, ctx) : null,
        after: field in a ? formatValue(field, a[field], currency, refs, ctx) : null,
      });
    }
  } else {
    // `before`/`after` as plain values (a state's from → to).
    if (before !== undefined || after !== undefined) {
      lines.push({
        field: fieldLabel(ctx.t, "state"),
        before: before === undefined ? null : formatValue("state", before, currency, refs, ctx),
        after: after === undefined ? null : formatValue("state", after, currency, refs, ctx),
      });
    }
  }
  for (const [field, value] of Object.entries(rest)) {
    if (HIDDEN_FIELDS.has(field) || field === "currency") continue;
    lines.push({ field: fieldLabel(ctx.t, field), before: null, after: formatValue(field, value, currency, refs, ctx) });
  }
  return lines;
}

/** A page of audit entries in words, with their records resolved in one query per kind. */
export async function describeAuditEntries(db: DbOrTx, entries: AuditEntryView[], ctx: DescribeContext): Promise<DescribedEntry[]> {
  const refs = await resolveRefs(db, collectRefs(entries), ctx);
  return entries.map((entry) => {
    const own = entry.entityId && isKind(entry.entityType) ? refs.get(`${entry.entityType}:${entry.entityId}`) : undefined;
    return {
      id: entry.id,
      at: new Date(entry.at).toISOString(),
      atText: formatDateTime(entry.at, ctx.locale, ctx.timeZone),
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      actionLabel: ctx.t(`staff:audit.actions.${entry.action}`, { defaultValue: entry.action }),
      actor: entry.actor ? { displayName: entry.actor.displayName, email: entry.actor.email } : null,
      subject: {
        type: ctx.t(`staff:audit.entities.${entry.entityType}`, { defaultValue: entry.entityType }),
        text: own?.text ?? null,
        kind: own?.kind ?? "text",
        href: own?.href ?? null,
      },
      changes: changeLines(entry.change, refs, ctx),
      ip: entry.ip,
    };
  });
}

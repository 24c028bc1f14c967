import { uuidSchema } from "~/utils/uuid";
import { data } from "@remix-run/node";
import { z } from "zod";
import type { Db } from "#db/client.server";
import type { Actor } from "~/modules/audit/audit.server";
import { parseMoney } from "~/modules/needs/money";
import { PaymentError } from "~/modules/payments/errors";
import { isReconciliationError } from "./errors";
import { MANUAL_ROWS } from "./manual-rows";
import { getLine, manualMatch, markNotDonation, NOT_DONATION_KINDS, undoMatch, undoNotDonation, type ManualAllocation } from "./matching.server";

/**
 * The reconciliation pages' POST actions (queue and line page share them): parse (zod), check the
 * line is the organisation's, call module C, answer a translated message key (4xx on refusal,
 * nothing changed).
 */
export { MANUAL_ROWS };

const uuid = uuidSchema;
const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept"), lineId: uuid, kind: z.enum(["pledge", "payment", "disbursement", "payout"]), id: z.string().min(1).max(200), label: z.string().max(200).optional(), fee: z.coerce.number().int().min(0).optional() }),
  z.object({ intent: z.literal("manual"), lineId: uuid }),
  z.object({ intent: z.literal("not_donation"), lineId: uuid, kind: z.enum(NOT_DONATION_KINDS), note: z.string().max(500).optional() }),
  z.object({ intent: z.literal("undo"), matchId: uuid }),
  z.object({ intent: z.literal("undo_not_donation"), lineId: uuid }),
]);

export type ReconciliationReply = { ok: boolean; messageKey: string; lineId?: string | null };

const reply = (status: number, body: ReconciliationReply) => data(body, { status });

export async function reconciliationAction(db: Db, actor: Actor, orgId: string, form: FormData) {
  const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string" && v !== ""));
  const parsed = Intent.safeParse(raw);
  if (!parsed.success) return reply(400, { ok: false, messageKey: "reconciliation:invalid" });
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "accept": {
        const found = await getLine(db, orgId, input.lineId);
        if (!found) return reply(404, { ok: false, messageKey: "reconciliation:errors.line_not_found" });
        const remaining = Math.abs(found.line.amountMinor) - found.line.matchedMinor;
        const fee = input.fee ?? 0;
        const allocation: ManualAllocation =
          input.kind === "pledge"
            ? { pledgeReference: input.label ?? "", amountMinor: remaining, feeMinor: fee }
            : input.kind === "payment"
              ? { paymentId: input.id, amountMinor: remaining }
              : input.kind === "disbursement"
                ? { batchId: input.id, amountMinor: remaining }
                : { payoutId: input.id, amountMinor: remaining };
        await manualMatch(db, actor, input.lineId, [allocation], { orgId });
        return reply(200, { ok: true, messageKey: "reconciliation:outcome.matched", lineId: input.lineId });
      }
      case "manual": {
        const found = await getLine(db, orgId, input.lineId);
        if (!found) return reply(404, { ok: false, messageKey: "reconciliation:errors.line_not_found" });
        const currency = found.line.currency;
        const allocations: ManualAllocation[] = [];
        for (let i = 0; i < MANUAL_ROWS; i += 1) {
          const reference = String(form.get(`ref${i}`) ?? "").trim().slice(0, 40);
          const amount = String(form.get(`amount${i}`) ?? "").trim();
          const feeText = String(form.get(`fee${i}`) ?? "").trim();
          if (!reference && !amount) continue;
          const money = parseMoney(amount, currency);
          const fee = feeText ? parseMoney(feeText, currency) : ({ ok: true, minor: 0 } as const);
          if (!reference || !money.ok || (!fee.ok && feeText !== "0")) return reply(400, { ok: false, messageKey: "reconciliation:errors.amount_invalid", lineId: input.lineId });
          allocations.push({ pledgeReference: reference, amountMinor: money.minor, feeMinor: fee.ok ? fee.minor : 0 });
        }
        if (allocations.length === 0) return reply(400, { ok: false, messageKey: "reconciliation:invalid", lineId: input.lineId });
        await manualMatch(db, actor, input.lineId, allocations, { orgId });
        return reply(200, { ok: true, messageKey: "reconciliation:outcome.matched", lineId: input.lineId });
      }
      case "not_donation":
        await markNotDonation(db, actor, input.lineId, input.kind, input.note ?? null, { orgId });
        return reply(200, { ok: true, messageKey: "reconciliation:outcome.notDonation", lineId: input.lineId });
      case "undo": {
        const undone = await undoMatch(db, actor, input.matchId, { orgId });
        return reply(200, { ok: true, messageKey: "reconciliation:outcome.undone", lineId: undone.lineId });
      }
      case "undo_not_donation":
        await undoNotDonation(db, actor, input.lineId, { orgId });
        return reply(200, { ok: true, messageKey: "reconciliation:outcome.notDonationUndone", lineId: input.lineId });
    }
  } catch (error) {
    if (isReconciliationError(error)) return reply(error.status, { ok: false, messageKey: error.messageKey });
    if (error instanceof PaymentError) return reply(error.status, { ok: false, messageKey: error.messageKey });
    throw error;
  }
}

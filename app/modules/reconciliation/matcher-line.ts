import { findReferences } from "./references";
import { dayNumber, compareAmount, DEFAULT_MATCH_OPTIONS, type MatchLineInput, type PledgeCandidate, type MatchOptions, type PaymentCandidate, type Reason, type Allocation, type Candidate, type Decision, type Suggestion, type PayoutCandidate, type BatchCandidate } from "./matcher-types";
import { buildMatchIndex, scopeKey, range, byId, batchNumbersIn, type MatchIndex, type Scope } from "./matcher-index";

// ---------------------------------------------------------------- matching

function inScope(c: { orgId: string; currency: string }, line: MatchLineInput): boolean {
  return c.orgId === line.orgId && c.currency === line.currency;
}

/** An open pledge of the line's scope. The caller may lower outstandingMinor as it books (the index is reused). */
function openPledge(p: PledgeCandidate, line: MatchLineInput): boolean {
  return p.outstandingMinor > 0 && inScope(p, line);
}

function inWindow(p: PledgeCandidate, valueDate: string, o: MatchOptions): boolean {
  const day = dayNumber(valueDate);
  const start = dayNumber(p.createdDate);
  const end = (p.expiresDate ? dayNumber(p.expiresDate) : start + o.windowDays) + o.graceDays;
  return day >= start && day <= end;
}

function paymentEligible(p: PaymentCandidate, line: MatchLineInput): boolean {
  return !p.used && inScope(p, line) && (p.moneyAccountId === line.moneyAccountId || p.onDefaultAccount);
}

function fold(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ");
}

function nameInText(name: string | null, folded: string): boolean {
  if (!name) return false;
  const n = fold(name).trim();
  return n.length >= 3 && folded.includes(n);
}

/** The amount's share for each pledge, in order; fee on the last one when fee-short. */
function allocatePledges(line: MatchLineInput, pledges: PledgeCandidate[], o: MatchOptions, reasons: Reason[]): Allocation[] {
  const amount = line.amountMinor;
  const total = pledges.reduce((t, p) => t + p.outstandingMinor, 0);
  const cmp = compareAmount(amount, total, line.currency, o.feeBand);
  const out: Allocation[] = [];
  if (cmp === "equal" || cmp === "over" || cmp === "fee_short") {
    pledges.forEach((p, i) => {
      const last = i === pledges.length - 1;
      let part = p.outstandingMinor;
      let fee = 0;
      const why: Reason[] = [...reasons];
      if (last && cmp === "over") {
        part += amount - total;
        why.push({ code: "amount_over", value: amount - total });
      }
      if (last && cmp === "fee_short") {
        fee = total - amount;
        part -= fee;
        why.push({ code: "amount_fee_short", value: fee });
      }
      if (cmp === "equal") why.push({ code: "amount_equal" });
      out.push({ kind: "pledge", id: p.id, label: p.reference, amountMinor: part, feeMinor: fee, reasons: why });
    });
    // A fee larger than the last pledge's own share (tiny last pledge): spread back over the others.
    if (out.some((a) => a.amountMinor <= 0)) return allocateInOrder(amount, pledges, reasons);
    return out;
  }
  return allocateInOrder(amount, pledges, reasons);
}

function allocateInOrder(amount: number, pledges: PledgeCandidate[], reasons: Reason[]): Allocation[] {
  const out: Allocation[] = [];
  let left = amount;
  for (const p of pledges) {
    if (left <= 0) break;
    const part = Math.min(left, p.outstandingMinor);
    left -= part;
    out.push({ kind: "pledge", id: p.id, label: p.reference, amountMinor: part, feeMinor: 0, reasons: [...reasons, { code: part === p.outstandingMinor ? "amount_equal" : "amount_part", ...(part === p.outstandingMinor ? {} : { value: part }) }] });
  }
  if (left > 0 && out.length) {
    const last = out[out.length - 1];
    last.amountMinor += left;
    last.reasons.push({ code: "amount_over", value: left });
  }
  return out;
}

function linkPayment(p: PaymentCandidate, line: MatchLineInput, reasons: Reason[]): Allocation {
  return { kind: "payment", id: p.id, label: p.pledgeReference ?? p.id, amountMinor: line.amountMinor, feeMinor: 0, reasons: [...reasons, { code: "payment_recorded" }] };
}

/**
 * Decides what one line is. `candidates` is an index (fast, built once for many lines) or a plain
 * list. Only candidates of the line's organisation and currency are ever considered.
 */
export function matchLine(line: MatchLineInput, candidates: MatchIndex | readonly Candidate[], options: Partial<MatchOptions> = {}): Decision {
  const o: MatchOptions = { ...DEFAULT_MATCH_OPTIONS, ...options, feeBand: { ...DEFAULT_MATCH_OPTIONS.feeBand, ...options.feeBand } };
  const index = isIndex(candidates) ? candidates : buildMatchIndex(candidates);
  const text = `${line.description ?? ""} ${line.reference ?? ""}`;
  if (!Number.isSafeInteger(line.amountMinor) || line.amountMinor === 0) return { status: "unmatched", references: [] };
  if (line.amountMinor < 0) return matchOutgoing(line, text, index, o);
  const found = findReferences(text);
  const references = [...found.confirmed];
  const scope = index.scopes.get(scopeKey(line.orgId, line.currency));
  const folded = fold(text);
  const suggestions = new Map<string, Suggestion>();
  const suggest = (kind: Suggestion["kind"], id: string, label: string, score: number, reasons: Reason[]) => {
    const key = `${kind}:${id}`;
    const prev = suggestions.get(key);
    if (prev) {
      prev.score += score;
      for (const r of reasons) if (!prev.reasons.some((x) => x.code === r.code)) prev.reasons.push(r);
    } else suggestions.set(key, { kind, id, label, score, reasons: [...reasons] });
  };

  // 1. Confirmed references.
  const confirmedPledges: PledgeCandidate[] = [];
  for (const ref of found.confirmed) {
    const pledge = (index.pledgesByReference.get(ref) ?? []).find((p) => openPledge(p, line));
    if (pledge) confirmedPledges.push(pledge);
  }
  // A hand-recorded payment of one of those references with the line's amount: link it.
  for (const ref of found.confirmed) {
    const payments = (index.paymentsByReference.get(ref) ?? []).filter((p) => paymentEligible(p, line) && p.amountMinor - p.feeMinor === line.amountMinor);
    if (payments.length >= 1) return { status: "matched", kind: "reference", allocations: [linkPayment(payments[0], line, [{ code: "reference_confirmed", value: ref }])], references };
  }
  if (confirmedPledges.length > 0) {
    const donor = confirmedPledges[0].donorKey;
    if (confirmedPledges.every((p) => p.donorKey === donor)) {
      const allocations = allocatePledges(line, confirmedPledges, o, []).map((a) => ({ ...a, reasons: [{ code: "reference_confirmed" as const, value: a.label }, ...a.reasons] }));
      return { status: "matched", kind: "reference", allocations, references };
    }
    for (const p of confirmedPledges) suggest("pledge", p.id, p.reference, 60, [{ code: "reference_confirmed", value: p.reference }, { code: "reference_other_donor" }]);
  }

  // 2. A partial reference naming one open pledge with the amount.
  for (const body of found.partial) {
    const pledges = (index.pledgesByBody.get(body) ?? []).filter((p) => openPledge(p, line));
    for (const p of pledges) {
      const cmp = compareAmount(line.amountMinor, p.outstandingMinor, line.currency, o.feeBand);
      const reasons: Reason[] = [{ code: "reference_partial", value: body }];
      if (pledges.length === 1 && (cmp === "equal" || cmp === "fee_short")) {
        const fee = p.outstandingMinor - line.amountMinor;
        return {
          status: "matched",
          kind: "reference",
          allocations: [{ kind: "pledge", id: p.id, label: p.reference, amountMinor: line.amountMinor, feeMinor: fee, reasons: [...reasons, cmp === "equal" ? { code: "amount_equal" } : { code: "amount_fee_short", value: fee }, { code: "single_candidate" }] }],
          references,
        };
      }
      suggest("pledge", p.id, p.reference, 40 + (cmp === "equal" ? 30 : cmp === "fee_short" ? 20 : 0), [...reasons, ...amountReason(cmp, line.amountMinor, p.outstandingMinor)]);
    }
  }

  // 3. Amount (+ fee) and date window, a single candidate — never when the text names another code.
  const clue = found.confirmed.length > 0 || found.partial.length > 0;
  if (scope) {
    const amount = line.amountMinor;
    // Stripe payouts arriving in the bank (their descriptor, or "stripe" and the date) come first.
    const payout = matchPayout(line, folded, scope, o);
    if (payout.matched && !clue) return { status: "matched", kind: "payout", allocations: [payout.matched], references };
    for (const s of payout.suggestions) suggest("payout", s.id, s.label, s.score, s.reasons);
    const maxExpected = Math.max(Math.ceil(amount / (1 - o.feeBand.capRate)) + 1, amount);
    const byAmount = range(scope.pledgesByAmount, amount, maxExpected).filter((p) => {
      if (p.outstandingMinor <= 0) return false;
      const cmp = compareAmount(amount, p.outstandingMinor, line.currency, o.feeBand);
      return cmp === "equal" || cmp === "fee_short";
    });
    // Exactly one pledge expects this very amount (none other, whatever its dates): that one, if the
    // date fits. Only when no pledge expects it exactly, a single fee-short candidate.
    const exact = byAmount.filter((p) => p.outstandingMinor === amount);
    const single = exact.length > 0 ? exact : byAmount;
    const inDate = single.filter((p) => inWindow(p, line.valueDate, o));
    const feeOk = exact.length > 0 || o.autoFeeShortWithoutReference;
    if (!clue && feeOk && single.length === 1 && inDate.length === 1 && suggestions.size === 0) {
      const p = inDate[0];
      const fee = p.outstandingMinor - amount;
      return {
        status: "matched",
        kind: "amount_date",
        allocations: [
          { kind: "pledge", id: p.id, label: p.reference, amountMinor: amount, feeMinor: fee, reasons: [fee === 0 ? { code: "amount_equal" } : { code: "amount_fee_short", value: fee }, { code: "date_in_window" }, { code: "single_candidate" }] },
        ],
        references,
      };
    }
    const payments = range(scope.paymentsByAmount, amount, amount).filter((p) => paymentEligible(p, line) && Math.abs(dayNumber(p.valueDate) - dayNumber(line.valueDate)) <= o.paymentDays);
    if (!clue && payments.length === 1 && byAmount.length === 0 && suggestions.size === 0) {
      return { status: "matched", kind: "amount_date", allocations: [linkPayment(payments[0], line, [{ code: "amount_equal" }, { code: "date_near" }, { code: "single_candidate" }])], references };
    }
    for (const p of payments) suggest("payment", p.id, p.pledgeReference ?? p.id, 35, [{ code: "amount_equal" }, { code: "payment_recorded" }, { code: "date_near" }]);
    const several = byAmount.length > 1 ? [{ code: "several_candidates" as const, value: byAmount.length }] : [];
    for (const p of byAmount) {
      const cmp = compareAmount(amount, p.outstandingMinor, line.currency, o.feeBand);
      const win = inWindow(p, line.valueDate, o);
      suggest("pledge", p.id, p.reference, (cmp === "equal" ? 30 : 20) + (win ? 10 : 0), [...amountReason(cmp, amount, p.outstandingMinor), win ? { code: "date_in_window" } : { code: "date_out_of_window" }, ...several]);
    }
    // Close amounts (a part payment, a bigger fee), only to suggest.
    const close = range(scope.pledgesByAmount, Math.floor(amount * (1 - o.closeRate)), Math.ceil(amount * (1 + o.closeRate)), 20);
    for (const p of close) {
      if (p.outstandingMinor <= 0) continue;
      if (suggestions.has(`pledge:${p.id}`)) continue;
      const win = inWindow(p, line.valueDate, o);
      suggest("pledge", p.id, p.reference, 10 + (win ? 10 : 0), [{ code: "amount_close", value: p.outstandingMinor }, win ? { code: "date_in_window" } : { code: "date_out_of_window" }]);
    }
  }

  // Donor names in the text lift the suggestions that carry them.
  if (suggestions.size > 0) {
    for (const s of suggestions.values()) {
      if (s.kind !== "pledge") continue;
      const p = (index.pledgesByReference.get(s.label) ?? []).find((x) => x.id === s.id);
      if (p && nameInText(p.donorName, folded)) {
        s.score += 15;
        s.reasons.push({ code: "donor_name_in_text" });
      }
    }
    return { status: "suggested", suggestions: rank(suggestions, o), references };
  }
  return { status: "unmatched", references };
}

function amountReason(cmp: ReturnType<typeof compareAmount>, received: number, expected: number): Reason[] {
  switch (cmp) {
    case "equal":
      return [{ code: "amount_equal" }];
    case "fee_short":
      return [{ code: "amount_fee_short", value: expected - received }];
    case "over":
      return [{ code: "amount_over", value: received - expected }];
    default:
      return [{ code: "amount_part", value: received }];
  }
}

function rank(map: Map<string, Suggestion>, o: MatchOptions): Suggestion[] {
  return [...map.values()].sort((a, b) => b.score - a.score || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : byId(a, b))).slice(0, o.maxSuggestions);
}

function isIndex(c: MatchIndex | readonly Candidate[]): c is MatchIndex {
  return !Array.isArray(c) && typeof (c as MatchIndex).pledgesByReference === "object";
}

function matchPayout(line: MatchLineInput, folded: string, scope: Scope, o: MatchOptions): { matched: Allocation | null; suggestions: Suggestion[] } {
  const list = scope.payoutsByAmount.get(line.amountMinor) ?? [];
  const day = dayNumber(line.valueDate);
  const near = list.filter((p) => Math.abs(day - dayNumber(p.arrivalDate)) <= o.payoutDays);
  const withDescriptor = list.filter((p) => p.descriptor && folded.includes(fold(p.descriptor)));
  const make = (p: PayoutCandidate, reasons: Reason[]): Allocation => ({ kind: "payout", id: p.id, label: p.id, amountMinor: line.amountMinor, feeMinor: 0, reasons });
  if (withDescriptor.length === 1) return { matched: make(withDescriptor[0], [{ code: "payout_descriptor" }, { code: "amount_equal" }]), suggestions: [] };
  if (near.length === 1 && folded.includes("stripe")) return { matched: make(near[0], [{ code: "amount_equal" }, { code: "date_near" }, { code: "single_candidate" }]), suggestions: [] };
  return { matched: null, suggestions: near.map((p) => ({ kind: "payout" as const, id: p.id, label: p.id, score: 30, reasons: [{ code: "amount_equal" as const }, { code: "date_near" as const }] })) };
}

function matchOutgoing(line: MatchLineInput, text: string, index: MatchIndex, o: MatchOptions): Decision {
  const amount = -line.amountMinor;
  const suggestions = new Map<string, Suggestion>();
  const make = (b: BatchCandidate, reasons: Reason[]): Allocation => ({ kind: "disbursement", id: b.id, label: b.number, amountMinor: amount, feeMinor: 0, reasons });
  for (const number of batchNumbersIn(text)) {
    const batch = (index.batchesByNumber.get(number) ?? []).find((b) => inScope(b, line));
    if (!batch) continue;
    if (batch.totalMinor === amount) return { status: "matched", kind: "disbursement", allocations: [make(batch, [{ code: "batch_number", value: number }, { code: "amount_equal" }])], references: [] };
    suggestions.set(`disbursement:${batch.id}`, { kind: "disbursement", id: batch.id, label: batch.number, score: 50, reasons: [{ code: "batch_number", value: number }, { code: "amount_close", value: batch.totalMinor }] });
  }
  const scope = index.scopes.get(scopeKey(line.orgId, line.currency));
  const day = dayNumber(line.valueDate);
  const sameAmount = scope?.batchesByAmount.get(amount) ?? [];
  const dated = sameAmount.filter((b) => day >= dayNumber(b.date) && day - dayNumber(b.date) <= o.disbursementDays);
  if (dated.length === 1 && sameAmount.length === 1 && suggestions.size === 0) {
    return { status: "matched", kind: "disbursement", allocations: [make(dated[0], [{ code: "amount_equal" }, { code: "date_in_window" }, { code: "single_candidate" }])], references: [] };
  }
  for (const b of sameAmount) {
    const key = `disbursement:${b.id}`;
    if (!suggestions.has(key)) suggestions.set(key, { kind: "disbursement", id: b.id, label: b.number, score: dated.includes(b) ? 40 : 25, reasons: [{ code: "amount_equal" }, dated.includes(b) ? { code: "date_in_window" } : { code: "date_out_of_window" }] });
  }
  if (suggestions.size) return { status: "suggested", suggestions: rank(suggestions, o), references: [] };
  return { status: "unmatched", references: [] };
}

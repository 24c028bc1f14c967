/**
 * The double-entry rules of money in (decision 056), pure: which accounts each operation debits
 * and credits. Amounts are integers of minor units, a debit positive and a credit negative, so
 * every entry's postings sum to zero (assertBalanced; the database checks it again at commit).
 *
 * | account           | type      | normal side | one per                         |
 * |-------------------|-----------|-------------|---------------------------------|
 * | bank              | asset     | debit       | money account                   |
 * | cash              | asset     | debit       | money account (cash box)        |
 * | transfer_agent    | asset     | debit       | money account (agent)           |
 * | stripe            | asset     | debit       | organisation + currency         |
 * | need_fund         | liability | credit      | need                            |
 * | unrestricted_fund | liability | credit      | organisation + currency         |
 * | refunds_payable   | liability | credit      | organisation + currency         |
 * | suspense          | liability | credit      | organisation + currency         |
 * | processing_fees   | expense   | debit       | organisation + currency         |
 * | fee_cover         | income    | credit      | organisation + currency         |
 * | bank_charges      | expense   | debit       | organisation + currency         |
 * | interest_income   | income    | credit      | organisation + currency         |
 * | in_transit        | asset     | debit       | organisation + currency         |
 * | opening_balance   | equity    | credit      | organisation + currency         |
 */

export const ACCOUNT_KINDS = [
  "bank",
  "cash",
  "transfer_agent",
  "stripe",
  "need_fund",
  "unrestricted_fund",
  "zakat_fund",
  "refunds_payable",
  "suspense",
  "processing_fees",
  "fee_cover",
  "bank_charges",
  "interest_income",
  "in_transit",
  "opening_balance",
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export type AccountType = "asset" | "liability" | "expense" | "income" | "equity";
export type EntryKind =
  | "payment"
  | "fee"
  | "refund"
  | "reallocation"
  | "adjustment"
  | "reversal"
  | "disbursement"
  | "payout"
  | "bank_charge"
  | "interest"
  | "internal_transfer"
  | "opening_balance";

export type AccountRef = { kind: AccountKind; needId?: string; moneyAccountId?: string };
export type Posting = { account: AccountRef; amountMinor: number };
/** Money of one payment sitting in an account (a credit balance, positive). */
export type Holding = { account: AccountRef; amountMinor: number };

export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

const TYPES: Record<AccountKind, AccountType> = {
  bank: "asset",
  cash: "asset",
  transfer_agent: "asset",
  stripe: "asset",
  need_fund: "liability",
  unrestricted_fund: "liability",
  zakat_fund: "liability",
  refunds_payable: "liability",
  suspense: "liability",
  processing_fees: "expense",
  fee_cover: "income",
  bank_charges: "expense",
  interest_income: "income",
  in_transit: "asset",
  opening_balance: "equity",
};

export function accountType(kind: AccountKind): AccountType {
  const type = TYPES[kind];
  if (!type) throw new LedgerError(`unknown account kind ${String(kind)}`);
  return type;
}

/** Where a money account's kind lives in the ledger. */
export const MONEY_ACCOUNT_KINDS = ["bank", "cash", "transfer_agent"] as const satisfies readonly AccountKind[];

/** The account's key, unique per organisation and currency: the kind, plus its need or money account. */
export function accountKey(ref: AccountRef): string {
  accountType(ref.kind);
  if (ref.kind === "need_fund") {
    if (!ref.needId) throw new LedgerError("a need fund needs its need");
    return `need_fund:${ref.needId}`;
  }
  if ((MONEY_ACCOUNT_KINDS as readonly string[]).includes(ref.kind)) {
    if (!ref.moneyAccountId) throw new LedgerError(`a ${ref.kind} account needs its money account`);
    return `${ref.kind}:${ref.moneyAccountId}`;
  }
  return ref.kind;
}

/** The postings merged per account, zeros dropped, in a stable order (debits first). */
export function normalize(postings: Posting[]): Posting[] {
  const byKey = new Map<string, Posting>();
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amountMinor)) throw new LedgerError(`posting amount ${p.amountMinor} is not a whole number of minor units`);
    const key = accountKey(p.account);
    const prev = byKey.get(key);
    byKey.set(key, { account: prev?.account ?? p.account, amountMinor: (prev?.amountMinor ?? 0) + p.amountMinor });
  }
  return [...byKey.values()].filter((p) => p.amountMinor !== 0).sort((a, b) => Math.sign(b.amountMinor) - Math.sign(a.amountMinor));
}

/** Refuses an entry that does not balance: fewer than two postings, a fraction, or a sum other than zero. */
export function assertBalanced(postings: Posting[]): void {
  if (postings.length < 2) throw new LedgerError("an entry has at least two postings");
  let sum = 0;
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor === 0) throw new LedgerError(`posting amount ${p.amountMinor} is not a non-zero whole number`);
    accountKey(p.account);
    sum += p.amountMinor;
  }
  if (sum !== 0) throw new LedgerError(`entry does not sum to zero (${sum})`);
}

function nonNegative(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new LedgerError(`${name} must be a whole number ≥ 0 (got ${value})`);
}

function balanced(postings: Posting[]): Posting[] {
  const out = normalize(postings);
  assertBalanced(out);
  return out;
}

export const need = (needId: string): AccountRef => ({ kind: "need_fund", needId });
export const UNRESTRICTED: AccountRef = { kind: "unrestricted_fund" };
/** The organisation's zakat fund (issue 12): zakat given to the fund, spent only on zakat-eligible needs. */
export const ZAKAT_FUND: AccountRef = { kind: "zakat_fund" };
export const SUSPENSE: AccountRef = { kind: "suspense" };
export const STRIPE: AccountRef = { kind: "stripe" };
export const FEES: AccountRef = { kind: "processing_fees" };
export const FEE_COVER: AccountRef = { kind: "fee_cover" };
export const REFUNDS_PAYABLE: AccountRef = { kind: "refunds_payable" };
export const BANK_CHARGES: AccountRef = { kind: "bank_charges" };
export const INTEREST: AccountRef = { kind: "interest_income" };
export const IN_TRANSIT: AccountRef = { kind: "in_transit" };
export const OPENING_BALANCE: AccountRef = { kind: "opening_balance" };

/**
 * Money arriving. Gross A (what the donor gave), fee F taken on the way, fee cover C (added by the
 * donor for the fee), surplus S (beyond the pledge's outstanding amount):
 * Dr asset A−F; Dr processing_fees F; Cr target A−C−S; Cr fee_cover C; Cr unrestricted_fund S.
 * `target` is the need's fund, or suspense for money nobody can explain yet.
 */
export function paymentPostings(input: {
  asset: AccountRef;
  grossMinor: number;
  feeMinor?: number;
  coverFeeMinor?: number;
  surplusMinor?: number;
  target: AccountRef;
  /** Where the surplus goes: the unrestricted fund, or the zakat fund for zakat (issue 12). */
  surplusAccount?: AccountRef;
}): Posting[] {
  const { asset, grossMinor, target } = input;
  const surplusAccount = input.surplusAccount ?? UNRESTRICTED;
  if (surplusAccount.kind !== "unrestricted_fund" && surplusAccount.kind !== "zakat_fund") throw new LedgerError("a surplus goes to a fund");
  const fee = input.feeMinor ?? 0;
  const cover = input.coverFeeMinor ?? 0;
  const surplus = input.surplusMinor ?? 0;
  if (!Number.isSafeInteger(grossMinor) || grossMinor <= 0) throw new LedgerError("a payment's gross amount is positive");
  nonNegative("fee", fee);
  nonNegative("fee cover", cover);
  nonNegative("surplus", surplus);
  if (fee >= grossMinor) throw new LedgerError("the fee is less than the gross amount");
  if (cover + surplus > grossMinor) throw new LedgerError("fee cover and surplus are part of the gross amount");
  if (accountType(asset.kind) !== "asset") throw new LedgerError("money arrives in an asset account");
  return balanced([
    { account: asset, amountMinor: grossMinor - fee },
    { account: FEES, amountMinor: fee },
    { account: target, amountMinor: -(grossMinor - cover - surplus) },
    { account: FEE_COVER, amountMinor: -cover },
    { account: surplusAccount, amountMinor: -surplus },
  ]);
}

/**
 * Money moving between funds (kind reallocation): from suspense to a pledge's need (attach), from
 * a cancelled need to another need or the unrestricted fund. Dr from X; Cr each destination.
 */
export function movePostings(from: AccountRef, to: { account: AccountRef; amountMinor: number }[]): Posting[] {
  let total = 0;
  for (const t of to) {
    nonNegative("moved amount", t.amountMinor);
    total += t.amountMinor;
  }
  if (total <= 0) throw new LedgerError("nothing to move");
  return balanced([{ account: from, amountMinor: total }, ...to.map((t) => ({ account: t.account, amountMinor: -t.amountMinor }))]);
}

function draw(sources: Holding[]): { postings: Posting[]; total: number } {
  let total = 0;
  const postings: Posting[] = [];
  for (const s of sources) {
    nonNegative("refunded amount", s.amountMinor);
    total += s.amountMinor;
    postings.push({ account: s.account, amountMinor: s.amountMinor });
  }
  if (total <= 0) throw new LedgerError("nothing to take back");
  return { postings, total };
}

/** A card refund asked of Stripe: Dr where the money sits now; Cr refunds_payable (until Stripe confirms). */
export function refundRequestPostings(sources: Holding[]): Posting[] {
  const { postings, total } = draw(sources);
  return balanced([...postings, { account: REFUNDS_PAYABLE, amountMinor: -total }]);
}

/** Stripe confirmed the refund: Dr refunds_payable; Cr stripe. */
export function refundSettlePostings(amountMinor: number): Posting[] {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new LedgerError("a refund is positive");
  return balanced([
    { account: REFUNDS_PAYABLE, amountMinor },
    { account: STRIPE, amountMinor: -amountMinor },
  ]);
}

/**
 * Money that has already left: an offline refund finance paid out (Cr the money account), a
 * refund made in Stripe's dashboard or a lost dispute (Cr stripe). Dr where the money sat.
 */
export function paidOutPostings(sources: Holding[], asset: AccountRef): Posting[] {
  if (accountType(asset.kind) !== "asset") throw new LedgerError("money leaves an asset account");
  const { postings, total } = draw(sources);
  return balanced([...postings, { account: asset, amountMinor: -total }]);
}

/** The correction of an entry: the same postings with the signs turned. */
export function reversalPostings(postings: Posting[]): Posting[] {
  return balanced(postings.map((p) => ({ account: p.account, amountMinor: -p.amountMinor })));
}

/**
 * Takes `amountMinor` out of a payment's holdings in order of preference (the order given: the
 * gift where it sits now, then the surplus, then the fee cover). Refuses more than they hold.
 */
export function takeFrom(holdings: Holding[], amountMinor: number): Holding[] {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new LedgerError("amount must be positive");
  let left = amountMinor;
  const out: Holding[] = [];
  for (const h of holdings) {
    if (left === 0) break;
    const take = Math.min(left, Math.max(0, h.amountMinor));
    if (take > 0) {
      out.push({ account: h.account, amountMinor: take });
      left -= take;
    }
  }
  if (left > 0) throw new LedgerError("more than the payment holds");
  return out;
}

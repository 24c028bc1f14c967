/**
 * The pledge form's posts as the bench sends them (bench/run.ts, bench/profile.ts): the needs they
 * go to and one autocannon request that builds a fresh form (and a fresh donor) per post.
 */
import { randomBytes } from "node:crypto";
import type { Request as LoadRequest } from "autocannon";
import type pg from "pg";
import { minimumFor } from "~/modules/pledging/amounts";
import { currencyDigits } from "~/utils/format";

const majorString = (minor: number, currency: string) => String(minor / 10 ** currencyDigits(currency));

export interface PledgeTarget {
  publicId: string;
  currency: string;
  amount: string;
  remainingMinor: number;
}

/**
 * About n needs, the same share from every currency (so every organisation takes posts), each
 * the ones with the most room left in multiples of their currency's minimum; not in-kind.
 * Interleaved by currency, so consecutive posts go to different organisations and rows.
 */
export async function pledgeTargets(client: pg.Client, n: number): Promise<PledgeTarget[]> {
  const { rows } = await client.query<{ public_id: string; currency: string; remaining: string }>(
    `select public_id, currency, (target_minor - reserved_minor - paid_minor)::text as remaining
     from needs where state = 'published' and category <> 'in_kind_item'`,
  );
  const byCurrency = new Map<string, PledgeTarget[]>();
  for (const r of rows) {
    const t = { publicId: r.public_id, currency: r.currency, remainingMinor: Number(r.remaining), amount: majorString(minimumFor(r.currency), r.currency) };
    byCurrency.set(t.currency, [...(byCurrency.get(t.currency) ?? []), t]);
  }
  const room = (t: PledgeTarget) => t.remainingMinor / minimumFor(t.currency);
  const per = Math.max(1, Math.ceil(n / Math.max(1, byCurrency.size)));
  const lists = [...byCurrency.keys()].sort().map((c) => byCurrency.get(c)!.sort((a, b) => room(b) - room(a)).slice(0, per));
  const out: PledgeTarget[] = [];
  for (let i = 0; i < per; i += 1) for (const list of lists) if (list[i]) out.push(list[i]);
  return out;
}

/**
 * Every post is a different donor: its own email and its own address (X-Forwarded-For, which the
 * bench's server trusts: TRUST_PROXY=true, as behind the reverse proxy of a deployment), so the
 * per-IP and per-email pledge limits (10 per 15 minutes) see many donors, as in life, and do not
 * answer 429. Numbered across the whole run from a random start, so runs within the limits'
 * window do not meet each other's donors either.
 */
let donorNo = 0;
const donorBase = randomBytes(3).readUIntBE(0, 3);
export function nextDonor(): { email: string; ip: string } {
  donorNo += 1;
  const n = (donorBase + donorNo) % 0xffffff;
  return { email: `donor-${donorBase.toString(36)}-${donorNo}@bench-run.tadamon.test`, ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
}

/** The no-JS pledge form post: what the browser sends for the form in app/components/pledge-form.tsx. */
export function pledgeRequests(base: string, targets: PledgeTarget[]): LoadRequest[] {
  const origin = new URL(base).origin;
  let i = 0;
  return [
    {
      method: "POST",
      setupRequest: (req) => {
        const t = targets[i % targets.length];
        i += 1;
        const donor = nextDonor();
        const form = new URLSearchParams({
          currency: t.currency,
          idempotencyKey: randomBytes(18).toString("base64url"),
          amountChoice: t.amount,
          amount: t.amount,
          method: "bank_transfer",
          email: donor.email,
          displayName: "",
          message: "",
        });
        return {
          ...req,
          method: "POST",
          path: `/needs/${t.publicId}/pledge`,
          headers: { ...req.headers, "content-type": "application/x-www-form-urlencoded", origin, "x-forwarded-for": donor.ip },
          body: form.toString(),
        };
      },
    },
  ];
}

/**
 * An appeal's matching rule (decision 068), pure: how much of a gift a sponsor matches, and from
 * which of the sponsor's payments (oldest first). Never more than the percentage of the gift,
 * than what is left of the cap, than the need's room, or than each sponsor payment still holds;
 * otherwise as much as that allows.
 */
export interface MatchInput {
  /** The donor's money on the need (minor units). */
  giftMinor: number;
  /** 1–500: 100 doubles the gift. */
  percent: number;
  /** The cap less what was already matched. */
  capLeftMinor: number;
  /** What the need can still take. */
  roomMinor: number;
  /** What each of the sponsor's payments still holds in the fund, oldest first. */
  sponsorHeldMinor: readonly number[];
}

export function matchFor(input: MatchInput): { parts: number[]; totalMinor: number } {
  const wanted = Math.floor((Math.max(0, input.giftMinor) * input.percent) / 100);
  let left = Math.max(0, Math.min(wanted, input.capLeftMinor, input.roomMinor));
  const parts = input.sponsorHeldMinor.map((held) => {
    const take = Math.max(0, Math.min(left, held));
    left -= take;
    return take;
  });
  return { parts, totalMinor: parts.reduce((t, p) => t + p, 0) };
}

import type { ReplyResult } from "~/utils/form-result";

/**
 * What the pledge action answers when the form comes back (400 bad input, 409 need filled
 * meanwhile, 404/403…): conform's reply (field errors are i18n keys, the values typed), a message
 * already translated (it carries amounts), and for a need filled meanwhile the remaining amount and
 * a link to similar needs.
 */
export interface PledgeReply {
  result?: ReplyResult | null;
  message?: string | null;
  code?: string | null;
  remainingMinor?: number | null;
  currency?: string | null;
  similarUrl?: string | null;
}

/**
 * Pledges: a donor's promise against a need, from creation to paid, received, cancelled or expired.
 * This module re-exports its parts: pledge-create (create, confirm), pledge-status (cancel, expire,
 * paid, received, declined), pledge-pages (the donor's and the pledge page's reads, the organisation's
 * payment details); pledge-steps holds the steps they share.
 */

export {
  OFFLINE_METHODS,
  DONOR_METHODS,
  newIdempotencyKey,
  releaseReservation,
  settleNeedState,
  getPaymentDetails,
} from "./pledge-steps.server";
export type { Pledge, PledgeMethod, ItemLineInput, CreatePledgeInput, CreatePledgeResult } from "./pledge-steps.server";
export { CARD_HOLD_MS } from "./holds";
export { createPledge, offerDelivery, checkConfirmation, confirmPledge } from "./pledge-create.server";
export { createFundPledge, type CreateFundPledgeInput } from "./fund-pledge.server";
export type { ConfirmCheck } from "./pledge-create.server";
export { cancelPledge, expirePledges, markPledgePaid, decideOffer } from "./pledge-status.server";
export type { MarkPaidResult } from "./pledge-status.server";
export {
  attachGuestPledges,
  listDonorPledges,
  getPledgeInstructions,
  savePaymentDetails,
  getPledgeableNeed,
} from "./pledge-pages.server";
export type { DonorPledgeRow, PaymentDetailsInput } from "./pledge-pages.server";
